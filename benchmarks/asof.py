"""Timing of a claim rebuilt from the audit log (services/claim_asof.claim_as_of).

Creates one claim with --events audit events (updates of verdict, confidence, rationale and
text, and evidence links to excerpts of one source), then times claim_as_of --repeat times
at moments spread over its history, and prints p50 and p95 (target: p95 <= 50 ms): "cold"
with the replay's cache of normalized texts emptied before each call, "warm" without.

    .venv/bin/python benchmarks/asof.py
    .venv/bin/python benchmarks/asof.py --database-url postgresql+psycopg://.../empty_db

Without --database-url it uses a new SQLite file in a temporary folder. Any database works
(the claim is new); --database-url should name a throwaway one: the rows stay.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models.types import utcnow
from tracker.services.audit.log import Actor
from tracker.services.claims import as_of as claim_asof
from tracker.services.claims.as_of import claim_as_of
from tracker.services.claims.edit import update_claim
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.ingest import SourceMeta, ingest_text

VERDICTS = ["in_review", "false", "misleading", "mostly_true", "unverifiable"]


def build(url: str, events: int, seed: int) -> tuple[int, list[datetime]]:
    """The claim id and the moments (after each event) to ask about."""
    rng = random.Random(seed)
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    actor = Actor.system("benchmark")
    moments: list[datetime] = []
    with sessions() as session, session.begin():
        sentences = [f"Sentence number {i} of the benchmark source, run {seed}." for i in range(60)]
        text = " ".join(sentences)
        source, _ = ingest_text(
            session, text, actor=actor, origin=f"asof-bench-{seed}", meta=SourceMeta(language="en")
        )
        excerpts = []
        for sentence in sentences:
            start = text.index(sentence)
            excerpts.append(
                get_or_create_excerpt(session, source, start, start + 15, actor=actor)[0]
            )
        claim = create_claim(session, text=f"Benchmark claim {seed}", language="en", actor=actor)
        moments.append(utcnow())
        linked = 0
        for n in range(events - 1):
            kind = n % 4
            if kind == 3 and linked < len(excerpts):
                link_evidence(session, claim, excerpts[linked], "supports", actor=actor)
                linked += 1
            else:
                changes: dict[int, dict[str, Any]] = {
                    0: {"verdict": rng.choice(VERDICTS), "confidence": rng.random()},
                    1: {"rationale": f"Rationale revision {n}"},
                    2: {"text": f"Benchmark claim {seed} revision {n}"},
                    3: {"rationale": f"Rationale revision {n} (no excerpt left)"},
                }
                update_claim(
                    session,
                    claim.id,
                    expected_version=claim.version,
                    actor=actor,
                    reason="benchmark",
                    **changes[kind],
                )
            moments.append(utcnow())
        claim_id, live_version = claim.id, claim.version
    engine.dispose()
    print(f"built claim {claim_id}: {events} events, live version {live_version}")
    return claim_id, moments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'asof.sqlite3'}"
        claim_id, moments = build(url, args.events, args.seed)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        runs: dict[str, list[float]] = {"cold": [], "warm": []}
        with sessions() as session:
            final = claim_as_of(session, claim_id, utcnow())
            for mode, timings in runs.items():
                for i in range(args.repeat):
                    when = moments[(i * len(moments)) // args.repeat]
                    session.expunge_all()
                    if mode == "cold":  # no normalized text remembered from earlier replays
                        claim_asof._NORMALIZED.clear()
                    started = time.perf_counter()
                    claim_as_of(session, claim_id, when)
                    timings.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    print(
        f"{engine.dialect.name}: claim {claim_id}, {args.events} events, rebuilt version "
        f"{final['version']}, {len(final['evidence'])} evidence links"
    )
    for mode, timings in runs.items():
        cuts = statistics.quantiles(timings, n=100)
        print(
            f"claim_as_of x{args.repeat} ({mode}): p50 {statistics.median(timings):.1f} ms, "
            f"p95 {cuts[94]:.1f} ms, max {max(timings):.1f} ms (target p95 <= 50 ms)"
        )


if __name__ == "__main__":
    main()
