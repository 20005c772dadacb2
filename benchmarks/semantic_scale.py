"""Scale benchmark for the semantic tier and the hybrid: embedding throughput, `dedup embed`,
the vector index build, hybrid match latency, and recall@5 against an exact search over the
same fused score.

    .venv/bin/python benchmarks/semantic_scale.py --n 100000
    .venv/bin/python benchmarks/semantic_scale.py --n 1000000 --queries 500
    .venv/bin/python benchmarks/semantic_scale.py --n 100000 --database-url postgresql+psycopg://...

Steps: import N synthetic claims in bulk (no vectors, as a real bulk import), embed them all
as `tracker dedup embed` does (claims/s), build the usearch index from the database (seconds,
index memory, process RSS), then match queries (half near-duplicates of stored claims, half
new claims) with the hybrid. The exact reference takes the same lexical candidates and the
exact nearest vectors (a brute-force pass over every stored vector), fused the same way; the
recall@5 is the share of its top five that the indexed search also returns.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_corpus import generate, perturb

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import Claim, ClaimVector
from tracker.services.audit.log import Actor
from tracker.services.dedup import embeddings, hybrid, vector_index
from tracker.services.dedup import vectors as claim_vectors
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.matching import match
from tracker.services.interop.bulk_import import import_claims


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory() -> str:
    """The process's resident memory now: private (anonymous) and file-backed pages (a
    mapped index file's pages are shared by every process that maps it)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile"):
            fields[name] = int(value.split()[0]) / 1024
    return (
        f"RSS {fields.get('VmRSS', 0):,.0f} MB (private {fields.get('RssAnon', 0):,.0f} MB,"
        f" file-backed {fields.get('RssFile', 0):,.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--exact-queries", type=int, default=200)
    parser.add_argument("--database-url")
    parser.add_argument("--reuse", action="store_true", help="keep claims and vectors present")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="stop after the import (then time `tracker dedup embed --workers N` on it)",
    )
    parser.add_argument(
        "--instance",
        type=Path,
        help="instance folder for the index file: saved after the build, then a restart maps it",
    )
    parser.add_argument(
        "--vectors-from",
        type=Path,
        help="store vectors drawn from this .npy of real embeddings (each with a little noise)"
        " instead of embedding (index and latency figures on a realistic distribution)",
    )
    parser.add_argument(
        "--random-vectors",
        action="store_true",
        help="store random unit vectors instead of embedding (latency and index figures only)",
    )
    args = parser.parse_args()
    encoder = embeddings.encoder()
    assert encoder is not None, "TRACKER_SEMANTIC is off"

    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{scratch.name}/semantic.sqlite3"
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    actor = Actor.system("benchmark")
    corpus = list(generate(args.n))
    print(f"engine: {engine.dialect.name}  N = {args.n}")

    sample = [t for _, t in corpus[:5000]]
    encoder.encode(sample[:10])
    t0, c0 = time.perf_counter(), time.process_time()
    encoder.encode(sample)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"encode: {len(sample) / wall:,.0f} claims/s wall, {len(sample) / cpu:,.0f} claims per"
        f" CPU-second, one thread ({len(sample)} claims)"
    )

    with sessions() as session:
        stored = session.scalar(select(func.count(Claim.id))) or 0
    if not (args.reuse and stored == args.n):
        if stored:
            sys.exit(f"the database already holds {stored} claims; use an empty one")
        t0 = time.perf_counter()
        with sessions() as session, session.begin():
            report = import_claims(
                session, ({"text": t, "language": lang} for lang, t in corpus), actor=actor
            )
        print(f"import: {report.created} claims in {time.perf_counter() - t0:.1f} s")
    if args.import_only:
        return

    if args.random_vectors or args.vectors_from:
        with sessions() as session:
            have = session.scalar(select(func.count(ClaimVector.id))) or 0
        if not have:
            store_random(sessions, encoder, args.vectors_from)
    with sessions() as session:
        t0, c0 = time.perf_counter(), time.process_time()
        done = claim_vectors.embed_missing(session, encoder, commit=session.commit)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"dedup embed: {done.embedded} claims in {took:.1f} s wall, {cpu:.1f} s CPU "
            f"({done.embedded / max(took, 1e-9):,.0f}/s wall,"
            f" {done.embedded / max(cpu, 1e-9):,.0f} per CPU-second; one process)"
        )

    vector_index.configure(args.instance)
    vector_index.forget_all()
    print(f"before the index: {memory()}")
    with sessions() as session:
        index = vector_index.for_session(session, encoder)
        t0, c0 = time.perf_counter(), time.process_time()
        index.refresh(session)
        build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
        how = "mapped the saved file" if index.rebuilds == 0 else "built"
        print(
            f"index {how}: {len(index)} vectors in {build:.1f} s wall, {build_cpu:.1f} s CPU;"
            f" {memory()}; peak RSS {rss_mb():,.0f} MB"
        )
        if args.instance and index.rebuilds:
            t0 = time.perf_counter()
            index.save()
            files = list((args.instance / "vector-index").glob("*.usearch"))
            size = sum(f.stat().st_size for f in files) / 2**20
            print(f"index saved in {time.perf_counter() - t0:.1f} s: {size:,.0f} MB; {memory()}")
        if args.instance:
            vector_index.forget_all()  # a restarted process
            restarted = vector_index.for_session(session, encoder)
            t0 = time.perf_counter()
            restarted.refresh(session)
            print(
                f"restart: index ready in {time.perf_counter() - t0:.2f} s,"
                f" rebuilds {restarted.rebuilds}, mapped {restarted.mapped}; {memory()}"
            )

    rng = random.Random(11)
    queries = []
    for i in range(args.queries):
        if i % 2 == 0:
            lang, text = corpus[rng.randrange(len(corpus))]
            queries.append((lang, perturb(rng, text)))
        else:
            queries.append(next(iter(generate(1, seed=10_000 + i))))

    with sessions() as session:
        table = alias_index(session)
        latencies, cpus, ours = [], [], []
        for lang, text in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            found = match(session, text, language=lang, limit=5, aliases=table, warnings=False)
            latencies.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
            ours.append([m.claim_id for m in found])
        for name, values in (("wall", latencies), ("CPU", cpus)):
            print(
                f"hybrid match ({name}): {len(queries)} queries  p50"
                f" {percentile(values, 50):.1f} ms  p95 {percentile(values, 95):.1f} ms"
                f"  p99 {percentile(values, 99):.1f} ms"
            )
        exact_recall(session, encoder, queries, ours, table, args.exact_queries)
    engine.dispose()
    scratch.cleanup()


def store_random(sessions: Any, encoder: Any, source: Path | None) -> None:
    rng = np.random.default_rng(1)
    real = np.load(source) if source else None
    with sessions() as session, session.begin():
        ids = list(session.scalars(select(Claim.id)))
        for start in range(0, len(ids), 10_000):
            chunk = ids[start : start + 10_000]
            vectors = rng.standard_normal((len(chunk), encoder.dimension)).astype(np.float32)
            if real is not None:  # a real embedding, moved by noise of norm ~0.3
                drawn = real[rng.integers(0, len(real), len(chunk))]
                vectors = drawn + vectors * (0.3 / np.sqrt(encoder.dimension))
            vectors = embeddings.normalized(vectors)
            session.execute(
                ClaimVector.__table__.insert(),
                [
                    {
                        "claim_id": cid,
                        "model": encoder.name,
                        "version": encoder.version,
                        "vector": embeddings.pack(vectors[i]),
                    }
                    for i, cid in enumerate(chunk)
                ],
            )
    what = f"real embeddings from {source.name} with noise" if source else "random unit vectors"
    print(f"stored {len(ids)} vectors: {what} (no embedding)")


def exact_recall(
    session: Any, encoder: Any, queries: list[Any], ours: list[list[int]], table: Any, k: int
) -> None:
    """Recall@5 of the indexed hybrid against the same hybrid with exact nearest vectors."""
    rows = session.execute(
        select(ClaimVector.claim_id, ClaimVector.vector).where(
            ClaimVector.model == encoder.name, ClaimVector.version == encoder.version
        )
    ).all()
    ids = np.array([r.claim_id for r in rows])
    matrix = embeddings.unpack_many([r.vector for r in rows], encoder.dimension)
    del rows

    def exact(self: hybrid.Query, _session: Any, k: int = hybrid.SEMANTIC_CANDIDATES) -> list[int]:
        assert self.vector is not None
        sims = matrix @ self.vector
        top = np.argpartition(-sims, k)[:k]
        return [int(ids[i]) for i in top[np.argsort(-sims[top])]]

    original = hybrid.Query.nearest
    hybrid.Query.nearest = exact  # type: ignore[method-assign]
    hits, spent = 0, 0.0
    try:
        for (lang, text), mine in zip(queries[:k], ours[:k], strict=True):
            t0 = time.perf_counter()
            found = match(session, text, language=lang, limit=5, aliases=table, warnings=False)
            spent += time.perf_counter() - t0
            hits += len({m.claim_id for m in found} & set(mine)) / max(len(found), 1)
    finally:
        hybrid.Query.nearest = original  # type: ignore[method-assign]
    print(
        f"recall@5 vs exact nearest vectors ({k} queries): {hits / k:.4f}; "
        f"exact brute-force hybrid {spent / k * 1000:.0f} ms/query"
    )


if __name__ == "__main__":
    main()
