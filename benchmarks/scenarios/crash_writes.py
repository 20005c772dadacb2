"""Issue 8, scenario 3: SIGKILL during writes.

    .venv/bin/python benchmarks/scenarios/crash_writes.py [--engine postgresql] [--rounds 20]

Each round runs write load (web merges and edits by signed-in editors, `tracker claims import`
and `tracker ingest` in loops; every write logged when acknowledged: 302 or exit 0), then at a
random moment SIGKILLs either one gunicorn worker (gunicorn starts a new one) or, every other
round, the whole server (master and workers) together with the CLI writers running at that
moment, and restarts it. After each round: PRAGMA integrity_check (SQLite), no half-merged
claim, every acknowledged write present and whole, no unacknowledged write half there,
`tracker audit verify`."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
import time
from pathlib import Path

from common import (
    Readers,
    ReaderTally,
    Server,
    Verdicts,
    add_reader_options,
    audit_verify,
    check_readers,
    create_users,
    fresh_database,
    integrity_ok,
    parser,
    prepare_readers,
    scratch,
)
from writes import (
    AckLog,
    check_merges,
    check_writes,
    edit_loop,
    import_loop,
    ingest_loop,
    merge_loop,
    seed,
)


def _kill_cli_writers(log: AckLog) -> int:
    with log.lock:
        running = list(log.running)
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
    return len(running)


def _round(
    r: int,
    server: Server,
    url: str,
    work: Path,
    pairs: list[tuple[int, int]],
    log: AckLog,
    edit_claim: int,
    load_s: float,
) -> str:
    stop = threading.Event()
    loops = [
        threading.Thread(target=merge_loop, args=(server.base, "ed00", pairs, stop, log)),
        threading.Thread(target=edit_loop, args=(server.base, "ed01", edit_claim, stop, log)),
        threading.Thread(target=import_loop, args=(url, work, stop, log)),
        threading.Thread(target=ingest_loop, args=(url, work, stop, log)),
    ]
    for t in loops:
        t.start()
    time.sleep(random.uniform(load_s / 2, load_s))
    if r % 2 == 0:
        victim = random.choice(server.worker_pids())
        os.kill(victim, signal.SIGKILL)
        what = f"worker {victim}"
        time.sleep(1)
    else:
        server.kill_all()
        what = f"whole server and {_kill_cli_writers(log)} CLI writers"
    stop.set()
    for t in loops:
        t.join()
    if r % 2 == 1:
        server.start()
    else:
        deadline = time.monotonic() + 60  # gunicorn replaces the killed worker
        while len(server.worker_pids()) < server.workers and time.monotonic() < deadline:
            time.sleep(0.3)
    return what


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--rounds", type=int, default=20)
    p.add_argument("--pairs", type=int, default=8, help="claim pairs to merge per round")
    p.add_argument("--load-seconds", type=float, default=3.0)
    p.add_argument("--workers", type=int, default=2)
    add_reader_options(p)
    args = p.parse_args()
    v = Verdicts()
    with scratch(args.workdir) as work, fresh_database(args.engine, work) as url:
        pairs = seed(url, work, args.pairs * args.rounds + 1)
        edit_claim = pairs.pop()[0]
        create_users(url, ["ed00", "ed01"], "editor")
        workers = args.workers
        if not args.no_readers:
            prepare_readers(url)
            workers += Readers.EXTRA_WORKERS
        server = Server(url, Path(work), workers)
        server.start()
        log = AckLog()
        tallies = []
        for r in range(args.rounds):
            mine = pairs[r * args.pairs : (r + 1) * args.pairs]
            readers = None if args.no_readers else Readers(server.base, args.hold_seconds).start()
            what = _round(r, server, url, work, mine, log, edit_claim, args.load_seconds)
            if readers is not None:  # cut off by the kill, or still reading: stopped here
                tallies.append(readers.finish())
            acked = [(kind, key) for _at, kind, key in log.acked]
            problems = check_merges(url) + check_writes(url, acked, log.attempted)
            ok_integrity, detail = integrity_ok(url)
            ok_audit, audit_detail = audit_verify(url)
            print(
                f"round {r + 1}: killed {what}; {len(acked)} acknowledged / "
                f"{len(log.attempted)} attempted so far; integrity {detail}; audit {ok_audit}"
            )
            v.check(f"round {r + 1} integrity", ok_integrity, detail)
            v.check(
                f"round {r + 1} writes whole, merges whole", not problems, "; ".join(problems[:5])
            )
            v.check(f"round {r + 1} audit verify", ok_audit, audit_detail)
        kinds = sorted({kind for kind, _ in log.attempted})
        for kind in kinds:
            done = sum(1 for _a, k, _ in log.acked if k == kind)
            tried = sum(1 for k, _ in log.attempted if k == kind)
            print(f"{kind}: {done} acknowledged of {tried} attempted")
        if tallies:
            total = ReaderTally()
            for t in tallies:
                total.exports += t.exports
                total.export_bytes += t.export_bytes
                total.holds += t.holds
                total.hold_s += t.hold_s
                total.errors += t.errors
            print(f"all rounds: {total.line()}")
            check_readers(v, total, crashes=True)
        v.check("server stopped cleanly", server.stop() == 0)
        v.check(
            "no 'database is locked' in the server log",
            "database is locked" not in server.log_text(),
        )
    v.exit()


if __name__ == "__main__":
    main()
