"""Batch-scan benchmark: import N synthetic claims (see claim_corpus.py), then time
``dedup_scan.scan`` over all of them.

    .venv/bin/python benchmarks/scan.py --n 100000

Prints the scan time, the pairs scored and pairs scored per second, the groups found, and the
peak memory (max RSS) of the whole run.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from claim_corpus import generate

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.services.audit.log import Actor
from tracker.services.dedup.scan import scan
from tracker.services.interop.bulk_import import import_claims


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{scratch.name}/scan.sqlite3"
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        rows = ({"text": t, "language": lang} for lang, t in generate(args.n))
        import_claims(session, rows, actor=Actor.system("benchmark"))

    with sessions() as session:
        started = time.perf_counter()
        result = scan(session)
        took = time.perf_counter() - started
    pairs_in_groups = sum(len(g["pairs"]) for g in result.groups)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine: {engine.dialect.name}  claims scanned: {result.claims}")
    print(
        f"scan: {took:.1f} s; {result.pairs_scored:,} pairs scored "
        f"({result.pairs_scored / took:,.0f} pairs/s); {len(result.groups):,} groups holding "
        f"{pairs_in_groups:,} suggest-level pairs; peak RSS {rss_mb:,.0f} MB"
    )
    engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()
