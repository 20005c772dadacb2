"""Issue 8, scenario 4: backups taken while writes run, and restored.

    .venv/bin/python benchmarks/scenarios/backup_under_load.py [--engine postgresql]
        [--backups 3] [--interval 3]

Writes run throughout: web edits of two claims (signed-in editors), `tracker claims import` and
`tracker ingest` in loops, each logged when acknowledged (302 / exit 0). Meanwhile `tracker
backup PATH` runs --backups times. Then each backup is restored with `tracker restore PATH
--yes` into a fresh database and checked: the restore succeeds, PRAGMA integrity_check (SQLite),
`tracker audit verify`, and every write acknowledged before that backup began is in it whole.

During the write load an audit export streams back to back and a viewer holds an export open
(``common.Readers``; --no-readers skips them). Each restore runs with a copy of the instance
folder as it was after the load (its audit key and anchors), as a restore on the same server
would."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from common import (
    Readers,
    Server,
    Verdicts,
    add_reader_options,
    audit_verify,
    check_readers,
    cli,
    create_users,
    fresh_database,
    integrity_ok,
    parser,
    prepare_readers,
    scratch,
)
from writes import AckLog, check_merges, check_writes, edit_loop, import_loop, ingest_loop, seed


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--backups", type=int, default=3)
    p.add_argument("--interval", type=float, default=3.0, help="seconds between backups")
    p.add_argument("--workers", type=int, default=2)
    add_reader_options(p)
    args = p.parse_args()
    v = Verdicts()
    suffix = ".sqlite3" if args.engine == "sqlite" else ".dump"
    with scratch(args.workdir) as work, fresh_database(args.engine, work) as url:
        pairs = seed(url, work, 2)
        create_users(url, ["ed00", "ed01"], "editor")
        workers = args.workers
        if not args.no_readers:
            prepare_readers(url)
            workers += Readers.EXTRA_WORKERS
        server = Server(url, Path(work), workers)
        server.start()
        readers = None if args.no_readers else Readers(server.base, args.hold_seconds).start()
        log, stop = AckLog(), threading.Event()
        loops = [
            threading.Thread(target=edit_loop, args=(server.base, "ed00", pairs[0][0], stop, log)),
            threading.Thread(target=edit_loop, args=(server.base, "ed01", pairs[1][0], stop, log)),
            threading.Thread(target=import_loop, args=(url, work, stop, log)),
            threading.Thread(target=ingest_loop, args=(url, work, stop, log)),
        ]
        for t in loops:
            t.start()
        time.sleep(args.interval)
        taken: list[tuple[Path, list[tuple[str, object]]]] = []
        for i in range(args.backups):
            path = work / f"backup{i}{suffix}"
            began = time.monotonic()
            held = log.acked_before(began)
            done = cli(url, "backup", str(path))
            print(
                f"backup {i}: exit {done.returncode} in {time.monotonic() - began:.1f} s, "
                f"{len(held)} acknowledged writes before it; {done.stdout.strip()[:90]}"
            )
            v.check(f"backup {i} written", done.returncode == 0, done.stderr.strip()[-200:])
            if done.returncode == 0:
                taken.append((path, held))
            time.sleep(args.interval)
        stop.set()
        for t in loops:
            t.join()
        check_readers(v, readers.finish() if readers else None)
        v.check("server stopped cleanly", server.stop() == 0)
        log_text = server.log_text()
        v.check("no traceback in the server log", "Traceback" not in log_text)
        v.check("live database: audit verify", *audit_verify(url))
        print(f"acknowledged writes: {len(log.acked)} of {len(log.attempted)} attempted")
        live_instance = work / "instance"
        for i, (path, held) in enumerate(taken):
            instance = work / f"instance-restore{i}"
            shutil.copytree(live_instance, instance)
            with fresh_database(args.engine, work, name=f"restore{i}") as target:
                env = {"TRACKER_INSTANCE_PATH": str(instance)}
                done = cli(target, "restore", str(path), "--yes", env=env)
                v.check(f"backup {i} restores", done.returncode == 0, done.stderr.strip()[-200:])
                v.check(f"backup {i} integrity", *integrity_ok(target))
                v.check(f"backup {i} audit verify", *audit_verify(target, env=env))
                missing = check_writes(target, held, held) + check_merges(target)
                v.check(
                    f"backup {i} holds the {len(held)} writes acknowledged before it",
                    not missing,
                    "; ".join(missing[:5]),
                )
    v.exit()


if __name__ == "__main__":
    main()
