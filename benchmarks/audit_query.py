"""Audit query timings at scale: load N audit events (default 1,000,000) spread over 50 users,
100,000 entities and two years with Core bulk inserts, then time the /audit page's queries.

    .venv/bin/python benchmarks/audit_query.py
    .venv/bin/python benchmarks/audit_query.py --database-url postgresql+psycopg://.../DB

Timed, --repeat times each with a random user and 30-day window: the filtered page (actor +
30-day range: one COUNT and one SELECT of 50 rows; target p95 <= 100 ms), the chart's events
per day for the same filter, the chart of the unfiltered last 30 days, and streaming the
filtered events as CSV. Prints p50 and p95 in ms. A database that already holds N events is
reused as it is; --index first adds the (actor, occurred_at) index this benchmark proposes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Integer, String, Table, func, insert, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent
from tracker.services.audit.query import (
    EXPORT_COLUMNS,
    AuditFilter,
    events_per_day,
    export_chunks,
    list_events,
    stream_events,
)

USERS = 50
ENTITIES = 100_000
END = datetime(2025, 6, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
ACTIONS = [
    ("claim.update", 40),
    ("claim.create", 15),
    ("evidence.link", 15),
    ("claim.propose_verdict", 10),
    ("source.create", 8),
    ("source.ai_flag", 4),
    ("user.login", 5),
    ("claim.merge", 2),
    ("claim.unmerge", 1),
]
CHUNK = 10_000
# Not in the models yet: what this benchmark measures with --index.
PROPOSED_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_audit_events_actor_occurred_at "
    "ON audit_events (actor, occurred_at)"
)


def _filler(table: Table) -> Callable[[int], dict[str, Any]]:
    """Values for the columns this script does not know (a hash chain's seq and hashes, which
    a trigger may require): unique per row; verifying them is not this benchmark's job."""
    known = {"id", "occurred_at", "actor", "action", "entity_type", "entity_id", "changes"}
    known |= {"reason", "request_id", "context"}
    extra = [c for c in table.columns if c.name not in known]
    if extra:
        print("filling other columns with unique values:", ", ".join(c.name for c in extra))

    def values(n: int) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for column in extra:
            if isinstance(column.type, Boolean):
                row[column.name] = False
            elif isinstance(column.type, Integer):
                row[column.name] = n + 1
            elif isinstance(column.type, String) and column.type.length:
                row[column.name] = f"{n:x}".rjust(min(column.type.length, 64), "0")
            else:
                row[column.name] = f"bench-{n}"
        return row

    return values


def load(session: Session, n: int, seed: int = 1) -> None:
    stored = session.scalar(select(func.count(AuditEvent.id))) or 0
    if stored >= n:
        print(f"reusing {stored:,} stored events")
        return
    rng = random.Random(seed)
    table = AuditEvent.__table__
    assert isinstance(table, Table)
    extra = _filler(table)
    names, weights = zip(*ACTIONS, strict=True)
    started = time.perf_counter()
    for offset in range(stored, n, CHUNK):
        rows = []
        for i in range(offset, min(n, offset + CHUNK)):
            action = rng.choices(names, weights)[0]
            rows.append(
                {
                    "occurred_at": END - SPAN * rng.random(),
                    "actor": f"user:user{rng.randrange(USERS):02d}",
                    "action": action,
                    "entity_type": action.split(".")[0],
                    "entity_id": str(rng.randrange(ENTITIES)),
                    "changes": {"verdict": {"before": "unreviewed", "after": "false"}},
                    "reason": rng.choice([None, "checked", "new source found", "typo"]),
                    "request_id": None,
                    "context": {},
                    **extra(i),
                }
            )
        session.execute(insert(table), rows)
        session.commit()
    print(f"loaded {n - stored:,} events in {time.perf_counter() - started:.1f} s")


def _window(rng: random.Random) -> AuditFilter:
    until = END - SPAN * rng.random() * 0.95
    user = f"user{rng.randrange(USERS):02d}"
    return AuditFilter(actor=user, since=until - timedelta(days=30), until=until)


def _time(label: str, repeat: int, run: Callable[[random.Random], Any]) -> None:
    rng = random.Random(7)
    run(rng)  # warm the caches once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(rng)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"{label:48} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--database-url", help="default: a new SQLite file in a temp folder")
    parser.add_argument(
        "--index",
        action="store_true",
        help=f"first create the proposed index: {PROPOSED_INDEX}",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'audit.sqlite3'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        sessions = make_sessionmaker(engine)
        print(f"{engine.dialect.name}: {args.n:,} events, {args.repeat} runs each")
        with sessions() as session:
            load(session, args.n)
            if args.index:
                session.execute(text(PROPOSED_INDEX))
                session.commit()
                print("created", PROPOSED_INDEX)

        def page(rng: random.Random) -> None:
            with sessions() as session:
                found = list_events(session, _window(rng))
                assert len(found.items) <= 50

        def chart(rng: random.Random) -> None:
            with sessions() as session:
                where = _window(rng)
                assert isinstance(where.since, datetime) and isinstance(where.until, datetime)
                events_per_day(session, where, where.since.date(), where.until.date())

        def chart_all(rng: random.Random) -> None:
            with sessions() as session:
                end = (END - SPAN * rng.random() * 0.95).date()
                events_per_day(session, AuditFilter(), end - timedelta(days=29), end)

        def export(rng: random.Random) -> None:
            with sessions() as session:
                rows = stream_events(session, _window(rng))
                for _ in export_chunks("csv", EXPORT_COLUMNS, rows):
                    pass

        _time("page: actor + 30 days, COUNT + 50 rows", args.repeat, page)
        _time("chart: actor + 30 days, per day by action", args.repeat, chart)
        _time("chart: all actors, 30 days", max(1, args.repeat // 5), chart_all)
        _time("CSV export: actor + 30 days (~800 rows)", max(1, args.repeat // 5), export)
        engine.dispose()


if __name__ == "__main__":
    main()
