"""Scale benchmark for claim matching: import N claims, match 1,000 queries, compare with an
exhaustive search in the same run.

    .venv/bin/python benchmarks/scale.py --n 100000
    .venv/bin/python benchmarks/scale.py --n 1000000 --exhaustive-queries 100
    .venv/bin/python benchmarks/scale.py --n 100000 --database-url postgresql+psycopg://...

Prints: import time and rate, peak memory (max RSS), match latency p50/p95/p99, recall@5
against an exhaustive search over all N claims with the same scoring function (score_pair on
the same normalized strings and idf table), and the exhaustive/ours time ratio.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from rapidfuzz import process
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_corpus import generate, perturb

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import Claim
from tracker.services.audit.log import Actor
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.analysis import normalize_claim_text
from tracker.services.dedup.matching import match
from tracker.services.dedup.search import Weights, score_pair
from tracker.services.dedup.token_index import tokens_of
from tracker.services.interop.bulk_import import import_claims


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def _import(sessions: Any, corpus: list[tuple[str, str]], actor: Actor) -> None:
    started = time.perf_counter()
    with sessions() as session, session.begin():
        report = import_claims(
            session, ({"text": t, "language": lang} for lang, t in corpus), actor=actor
        )
    import_s = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import: {report.created} claims in {import_s:.1f} s "
        f"({report.created / import_s:,.0f}/s), {len(report.errors)} errors; "
        f"peak RSS {rss_mb:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--exhaustive-queries", type=int, default=200)
    parser.add_argument("--database-url")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Skip the import when --database-url already holds the N generated claims.",
    )
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{scratch.name}/scale.sqlite3"
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    actor = Actor.system("benchmark")
    corpus = list(generate(args.n))

    print(f"engine: {engine.dialect.name}  N = {args.n}")
    with sessions() as session:
        stored = session.scalar(select(func.count(Claim.id))) or 0
    if args.reuse and stored == args.n:
        print(f"import: skipped, the database already holds {stored} claims")
    else:
        if stored:
            sys.exit(f"the database already holds {stored} claims; use an empty one")
        _import(sessions, corpus, actor)

    rng = random.Random(11)
    queries = []
    origins: dict[int, int] = {}  # query number -> corpus index it was perturbed from
    for i in range(args.queries):
        if i % 2 == 0:
            origins[i] = rng.randrange(len(corpus))
            lang, text = corpus[origins[i]]
            queries.append((lang, perturb(rng, text)))
        else:
            queries.append(next(iter(generate(1, seed=10_000 + i))))

    with sessions() as session:
        table = alias_index(session)
        latencies, ours = [], []
        for lang, text in queries:
            t0 = time.perf_counter()
            found = match(session, text, language=lang, limit=5, aliases=table)
            latencies.append((time.perf_counter() - t0) * 1000)
            ours.append([(m.claim_id, m.score) for m in found])
        first_id = session.scalar(select(func.min(Claim.id))) or 1
        found_src = sum(
            any(cid == first_id + src for cid, _ in ours[i][:1]) for i, src in origins.items()
        )
        print(f"near-duplicate queries whose source claim ranks first: {found_src}/{len(origins)}")
        print(
            f"match: {len(queries)} queries  p50 {percentile(latencies, 50):.1f} ms  "
            f"p95 {percentile(latencies, 95):.1f} ms  p99 {percentile(latencies, 99):.1f} ms"
        )

        rows = session.execute(
            select(Claim.id, Claim.normalized_text).where(Claim.merged_into_id.is_(None))
        ).all()
        total = int(session.scalar(select(func.max(Claim.id))) or 1)
    ids = [r[0] for r in rows]
    norms = [r[1] for r in rows]
    # The same weights match() reads from token_stats, counted here from the stored texts.
    weight = Weights(Counter(t for n in norms for t in tokens_of(n)), total)

    k = min(args.exhaustive_queries, len(queries))
    hits, tie_hits, ex_time, our_time = 0, 0, 0.0, sum(latencies[:k]) / 1000
    for (lang, text), our_ids in zip(queries[:k], ours[:k], strict=True):
        q = normalize_claim_text(text, lang, table)
        t0 = time.perf_counter()
        # Exhaustive: rapidfuzz's process.extract over all N with the same scorer (score_pair
        # with the same weights) and the same processor (the stored normalized texts).
        found = process.extract(
            q, norms, scorer=lambda a, b, **_: score_pair(a, b, weight), limit=None
        )
        best = sorted(found, key=lambda hit: (-hit[1], ids[hit[2]]))[:5]
        ex_time += time.perf_counter() - t0
        top = {ids[i] for _, _, i in best}
        hits += len(top & {cid for cid, _ in our_ids})
        # Tie-aware: rank j is a hit when our j-th score reaches the exhaustive j-th score
        # (many synthetic claims tie, and then any of them is an equally good answer).
        our_scores = sorted((score for _, score in our_ids), reverse=True) + [0.0] * 5
        tie_hits += sum(our_scores[j] >= best[j][1] - 0.05 for j in range(len(best)))
    print(
        f"recall@5 vs exhaustive ({k} queries): by score (ties equal) {tie_hits / (5 * k):.3f},"
        f" by id {hits / (5 * k):.3f}; "
        f"exhaustive {ex_time / k * 1000:.0f} ms/query vs ours {our_time / k * 1000:.1f} "
        f"ms/query (ratio {ex_time / max(our_time, 1e-9):.0f}x)"
    )
    engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()
