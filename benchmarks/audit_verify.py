"""Audit chain benchmark: write N chained audit events in bulk, then time `verify`.

    .venv/bin/python benchmarks/audit_verify.py                # 1,000,000 events on SQLite
    .venv/bin/python benchmarks/audit_verify.py --n 100000
    .venv/bin/python benchmarks/audit_verify.py --database-url postgresql+psycopg://...

`--workers 1` times one walk; the default splits the chain among the CPUs like the CLI.
The events are inserted with Core executemany in batches, their hashes and MACs computed in Python
with the same functions the app uses, so the chain is valid; the instance folder (key, anchors)
is a scratch folder of its own. `--writes N` then times N write transactions of one audited
event each through the ORM (as the app writes), with the head anchored after each commit and
without. Prints the insert rate, the verify time and rate (target: at least 100,000 events/s on
SQLite) and the peak memory (max RSS) before
and after verifying. A --database-url must point at an empty database: it is migrated, filled
and left as it is (audit events cannot be deleted); `--reuse` verifies it again later.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import anchors, migrate
from tracker.db import READ_ONLY, make_engine, make_sessionmaker
from tracker.models import AuditEvent
from tracker.models.audit import GENESIS_HASH, canonical_time, event_hash
from tracker.services.audit import log as audit
from tracker.services.audit.chain import verify

BATCH = 10_000
ACTIONS = ("claim.create", "claim.update", "claim.verdict", "source.create", "excerpt.create")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _event(n: int, start: datetime) -> dict[str, Any]:
    return {
        "occurred_at": start + timedelta(seconds=n, microseconds=n % 997),
        "actor": f"user:reviewer{n % 50}",
        "action": ACTIONS[n % len(ACTIONS)],
        "entity_type": "claim",
        "entity_id": str(n // 3 + 1),
        "changes": {
            "rationale": {"before": f"old reason {n}", "after": f"new reason {n} — déjà vu"},
            "verdict": {"before": "unreviewed", "after": "false"},
        },
        "reason": None if n % 4 else f"bulk fix {n}",
        "request_id": f"{n:032x}",
        "context": {"command": "benchmark", "remote_addr": "127.0.0.1"},
    }


def fill(engine: Engine, n: int) -> None:
    """Insert n chained events (continuing an existing chain)."""
    table = AuditEvent.__table__
    with engine.begin() as conn:
        last = conn.execute(
            select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1)
        ).first()
    seq, prev = (last.seq, last.hash) if last is not None else (0, GENESIS_HASH)
    keys = anchors.keyring(database=engine.url)
    keys.ensure_started(seq, prev)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    done = 0
    while done < n:
        rows = []
        for i in range(done, min(n, done + BATCH)):
            row = _event(i, start)
            seq += 1
            row["seq"] = seq
            row["prev_hash"] = prev
            row["hash"] = prev = event_hash(
                prev,
                canonical_time(row["occurred_at"]),
                row["actor"],
                row["action"],
                row["entity_type"],
                row["entity_id"],
                row["changes"],
                row["reason"],
                row["request_id"],
                row["context"],
            )
            row["mac"] = keys.mac(prev)
            rows.append(row)
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
        done += len(rows)
    keys.note_head(seq, prev)


def time_writes(engine: Engine, n: int, anchored: bool) -> float:
    """Write transactions per second, each recording one event through the ORM."""
    sessions = make_sessionmaker(engine)
    actor = audit.Actor(name="cli:benchmark", context={"command": "benchmark"})
    real = anchors.Keyring.note_head
    if not anchored:  # what the chain cost before: no head file written after each commit
        anchors.Keyring.note_head = lambda self, seq, digest: None  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        for i in range(n):
            with sessions() as session, session.begin():
                audit.record(session, actor, "claim.update", "claim", i, {"x": {"after": i}})
        return n / (time.perf_counter() - started)
    finally:
        anchors.Keyring.note_head = real  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--reuse", action="store_true", help="Skip the insert when the log already holds N events."
    )
    parser.add_argument("--runs", type=int, default=1, help="Verify this many times.")
    parser.add_argument("--writes", type=int, default=0, help="Time this many write transactions.")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="Worker processes for verify (default: the CPU count, as `tracker audit verify`).",
    )
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    os.environ["TRACKER_INSTANCE_PATH"] = str(Path(scratch.name) / "instance")
    url = args.database_url or f"sqlite:///{Path(scratch.name) / 'audit.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)

    sessions = make_sessionmaker(engine)
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(AuditEvent.__table__)) or 0
    print(f"engine: {engine.dialect.name}  N = {args.n}")
    if args.reuse and stored >= args.n:
        print(f"insert: skipped, the log already holds {stored} events")
    else:
        if stored:
            sys.exit(f"the database already holds {stored} audit events; use an empty one")
        started = time.perf_counter()
        fill(engine, args.n)
        fill_s = time.perf_counter() - started
        print(f"insert: {args.n} events in {fill_s:.1f} s ({args.n / fill_s:,.0f}/s)")
    rss_before = max_rss_mb()

    for _ in range(args.runs):
        with sessions() as session:
            session.connection(execution_options={READ_ONLY: True})
            total = session.scalar(select(func.count()).select_from(AuditEvent.__table__)) or 0
            started = time.perf_counter()
            report = verify(session, workers=args.workers)
            verify_s = time.perf_counter() - started
        state = "ok" if report.ok else f"BROKEN at {report.index}: {report.reason}"
        print(
            f"verify ({args.workers} workers): {state}, {report.count} events "
            f"in {verify_s:.2f} s "
            f"({report.count / verify_s:,.0f} events/s)"
        )
    print(f"head: {report.head} (table holds {total} events)")
    if args.writes:
        for anchored in (False, True, False, True):
            rate = time_writes(engine, args.writes, anchored)
            label = "with anchors" if anchored else "without the head anchor"
            print(f"writes ({label}): {args.writes} transactions at {rate:,.0f}/s")

    print(
        f"peak memory (max RSS): {rss_before:.0f} MB after insert, "
        f"{max_rss_mb():.0f} MB after verify"
    )
    engine.dispose()
    scratch.cleanup()
    if not report.ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
