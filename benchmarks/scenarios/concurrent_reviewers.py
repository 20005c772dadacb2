"""Issue 8, scenario 1: concurrent reviewers on a few hot claims.

    .venv/bin/python benchmarks/scenarios/concurrent_reviewers.py [--engine postgresql]
        [--users 50] [--workers 4] [--claims 10] [--seconds 60]

Each simulated user (its own httpx client, signed in once) loops: GET /claims/<id>/edit on a
random hot claim, read the version and CSRF token, POST a change (new rationale and confidence,
a verdict, a reason) with that version. Checks: no lost update (the successful version_before
values of each claim are distinct and form the chain from the first version to the final one),
the stored row equals the last successful write, no 5xx and no "database is locked" (responses
and server log), conflicts are 409, one claim.update audit event per success, `tracker audit
verify` ok, and PRAGMA integrity_check ok on SQLite. Prints req/s and p50/p95/p99 latencies."""

from __future__ import annotations

import random
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from common import (
    Readers,
    Server,
    Verdicts,
    add_reader_options,
    audit_verify,
    check_readers,
    create_users,
    csrf_token,
    fresh_database,
    integrity_ok,
    latency_line,
    parser,
    prepare_readers,
    scratch,
    sign_in,
)
from sqlalchemy import select

from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent, Claim
from tracker.services.audit.log import Actor
from tracker.services.interop.bulk_import import import_claims

_VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
VERDICTS = ["false", "misleading", "in_review", "unverifiable"]


@dataclass
class Tally:
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    successes: list[tuple[int, int, float, dict[str, Any], bool]] = field(default_factory=list)
    conflicts: int = 0
    server_errors: int = 0
    locked: int = 0
    other: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _error_text(html: str) -> str:
    found = re.search(r'<p class="error"[^>]*>([^<]{0,200})', html)
    return found.group(1).strip() if found else ""


def _one_edit(client: httpx.Client, claim_id: int, user: str, n: int, tally: Tally) -> None:
    started = time.perf_counter()
    page = client.get(f"/claims/{claim_id}/edit")
    read_s = time.perf_counter() - started
    if page.status_code != 200:
        with tally.lock:
            tally.server_errors += page.status_code >= 500
            tally.other.append(f"GET {page.status_code}")
        return
    found = _VERSION.search(page.text)
    assert found is not None, "no version field in the edit form"
    version = int(found.group(1))
    editor = user.startswith("ed")
    payload = {
        "text": f"Hot claim number {claim_id} about the harbour bridge toll",
        "language": "en",
        "verdict": random.choice(VERDICTS),
        "confidence": str(random.randint(0, 100)),
        "rationale": f"{user} edit {n}",
        "reason": f"checked by {user}, round {n}",
        "version": str(version),
        "csrf_token": csrf_token(page.text),
    }
    started = time.perf_counter()
    answer = client.post(f"/claims/{claim_id}/edit", data=payload)
    ended = time.perf_counter()
    with tally.lock:
        tally.reads.append(read_s)
        tally.writes.append(ended - started)
        tally.locked += "database is locked" in answer.text
        if answer.status_code == 302:
            tally.successes.append((claim_id, version, ended, payload, editor))
        elif answer.status_code == 409:
            tally.conflicts += 1
        else:
            tally.server_errors += answer.status_code >= 500
            tally.other.append(f"POST {answer.status_code} {_error_text(answer.text)}")


def _user_loop(base: str, user: str, claims: list[int], deadline: float, tally: Tally) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        if sign_in(client, user).status_code != 302:
            with tally.lock:
                tally.other.append(f"sign-in of {user} failed")
            return
        n = 0
        while time.monotonic() < deadline:
            n += 1
            _one_edit(client, random.choice(claims), user, n, tally)


def _setup(url: str, claims: int, users: list[str]) -> dict[int, int]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        rows = [
            {"text": f"Hot claim number {i} about the harbour bridge toll", "language": "en"}
            for i in range(claims)
        ]
        import_claims(session, rows, actor=Actor.cli())
    with make_sessionmaker(engine)() as session:
        ids = {c.id: c.version for c in session.scalars(select(Claim))}
    engine.dispose()
    half = len(users) // 2
    create_users(url, users[:half], "editor")
    create_users(url, users[half:], "reviewer")
    return ids


def _check_db(url: str, tally: Tally, start_versions: dict[int, int], v: Verdicts) -> None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        rows = {c.id: c for c in session.scalars(select(Claim))}
        events = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.update"))
        )
    engine.dispose()
    pairs = [(c, before) for c, before, *_ in tally.successes]
    v.check("no duplicate (claim, version_before)", len(pairs) == len(set(pairs)))
    chains_ok, final_ok = True, True
    for claim_id, row in rows.items():
        mine = sorted(s for s in tally.successes if s[0] == claim_id)
        befores = [s[1] for s in mine]
        chain = list(range(start_versions[claim_id], row.version))
        chains_ok &= befores == chain
        if mine:
            last = max(mine, key=lambda s: s[1])[3]
            final_ok &= row.rationale == last["rationale"]
            final_ok &= (
                row.confidence is not None
                and abs(row.confidence - int(last["confidence"]) / 100) < 1e-6
            )
    v.check("successes form a version chain per claim (0 lost updates)", chains_ok)
    v.check("final row equals the last successful write", final_ok)
    event_pairs = sorted((int(e.entity_id), e.changes["version"]["before"]) for e in events)
    v.check(
        "claim.update audit events == successful writes",
        event_pairs == sorted(pairs),
        f"{len(events)} events, {len(pairs)} successes",
    )


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--claims", type=int, default=10)
    p.add_argument("--seconds", type=float, default=60)
    add_reader_options(p)
    args = p.parse_args()
    v = Verdicts()
    with scratch(args.workdir) as work, fresh_database(args.engine, work) as url:
        users = [f"ed{i:02d}" for i in range(args.users // 2)]
        users += [f"rv{i:02d}" for i in range(args.users - len(users))]
        start_versions = _setup(url, args.claims, users)
        claims = list(start_versions)
        workers = args.workers
        if not args.no_readers:
            prepare_readers(url)
            workers += Readers.EXTRA_WORKERS
        server = Server(url, Path(work), workers)
        server.start()
        readers = None if args.no_readers else Readers(server.base, args.hold_seconds).start()
        tally = Tally()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_user_loop, args=(server.base, u, claims, deadline, tally))
            for u in users
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        reader_tally = readers.finish() if readers else None
        status = server.stop()
        log = server.log_text()
        print(f"engine {args.engine}, {args.users} users, {args.workers} workers, {elapsed:.1f} s")
        print(latency_line("reads", tally.reads, elapsed))
        print(latency_line("writes", tally.writes, elapsed))
        print(f"successes {len(tally.successes)}, conflicts (409) {tally.conflicts}")
        check_readers(v, reader_tally)
        v.check("0 responses of 5xx", tally.server_errors == 0, str(tally.server_errors))
        v.check(
            'no "database is locked" (responses, server log)',
            tally.locked == 0 and "database is locked" not in log,
        )
        v.check("no other statuses", not tally.other, ", ".join(sorted(set(tally.other))[:5]))
        v.check("no traceback in the server log", "Traceback" not in log)
        v.check("some writes succeeded", len(tally.successes) > 0)
        v.check("server stopped cleanly", status == 0, str(status))
        _check_db(url, tally, start_versions, v)
        v.check("tracker audit verify", *audit_verify(url))
        v.check("PRAGMA integrity_check", *integrity_ok(url))
    v.exit()


if __name__ == "__main__":
    main()
