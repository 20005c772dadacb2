"""Claim retrieval on a CLEF CheckThat! "previously fact-checked claims" data set, run the way
a desk would: ``tracker claims import`` of the verified claims' text alone, then
``tracker claims match --file`` over the incoming posts, scored with MAP@5.

    .venv/bin/python benchmarks/clef.py --vclaims DIR/verified_claims.docs.tsv \\
        --queries DIR/tweets.queries.tsv --qrels DIR/tweet-vclaim-pairs.qrels

The data is not shipped here: the CLEF 2020 task 2 files are public in the GitHub repository
sshaar/clef2020-factchecking-task2 (``data/``). Formats: verified claims TSV with a header
(``<id>\\tvclaim\\ttitle``); queries TSV ``tweet_id\\ttweet`` (no header); qrels
``tweet_id 0 vclaim_id 1``, tab-separated.

The qrels of the v2.0 train tweets point into the 784-claim ``data/verified_claims.docs.tsv``;
to match those tweets against the full 10,375 claims of ``data/v3.0/verified_claims.docs.tsv``,
pass the v3.0 file as --vclaims and the 784-claim file as --qrels-claims: relevant claims are
then found in --vclaims by their text.

Prints MAP@5 (as the CLEF scorer computes it: per query, the mean precision at each rank <= 5
that holds a relevant claim, divided by the number of relevant claims), MRR@5, recall@1 and
recall@5, and the import and match times.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.db import make_engine
from tracker.models import Claim

TRACKER = [str(Path(sys.executable).parent / "tracker")]  # the venv's console script


def read_vclaims(path: Path) -> list[tuple[str, str]]:
    """(vclaim id, text) in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [(row[0], row[1]) for row in rows[1:] if len(row) >= 2 and row[1].strip()]


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] != "0":
            relevant[parts[0]].add(parts[2])
    return relevant


def map_by_text(
    relevant: dict[str, set[str]], source: list[tuple[str, str]], target: list[tuple[str, str]]
) -> dict[str, set[str]]:
    """Relevant claim ids of ``source`` as the ids of the same texts in ``target``."""

    def key(text: str) -> str:
        return " ".join(text.split()).lower()

    text_of = dict(source)
    id_of: dict[str, str] = {}
    for vid, text in target:
        id_of.setdefault(key(text), vid)
    mapped = {
        query: {id_of[key(text_of[v])] for v in ids if v in text_of and key(text_of[v]) in id_of}
        for query, ids in relevant.items()
    }
    lost = sum(len(ids) for ids in relevant.values()) - sum(len(ids) for ids in mapped.values())
    print(f"qrels mapped by text: {lost} relevant claims not found in --vclaims")
    return {query: ids for query, ids in mapped.items() if ids}


def average_precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def run(args: list[str], env: dict[str, str], **kwargs: object) -> str:
    done = subprocess.run(
        TRACKER + args, env=env, capture_output=True, text=True, check=False, **kwargs
    )
    if done.returncode != 0:
        raise SystemExit(f"tracker {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vclaims", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--qrels-claims", type=Path, help="the claims file the qrels ids mean")
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    args = parser.parse_args()

    vclaims = read_vclaims(args.vclaims)
    relevant = read_qrels(args.qrels)
    if args.qrels_claims:
        relevant = map_by_text(relevant, read_vclaims(args.qrels_claims), vclaims)
    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{scratch.name}/clef.sqlite3"
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_INSTANCE_PATH": scratch.name}
    run(["db", "upgrade"], env)

    claims_file = Path(scratch.name) / "vclaims.json"
    claims_file.write_text(json.dumps([{"text": text} for _, text in vclaims]), "utf-8")
    started = time.perf_counter()
    run(["claims", "import", str(claims_file)], env)
    import_s = time.perf_counter() - started

    engine = make_engine(url)
    with engine.connect() as conn:
        stored = conn.execute(select(Claim.id, Claim.text).order_by(Claim.id)).all()
    engine.dispose()
    if [text for _, text in stored] != [" ".join(text.split()) for _, text in vclaims]:
        raise SystemExit("the imported claims are not the verified claims in file order")
    vclaim_of = {claim_id: vid for (claim_id, _), (vid, _) in zip(stored, vclaims, strict=True)}

    # Only the queries with a relevant claim are scored (as CLEF does).
    queries = [
        line
        for line in args.queries.read_text(encoding="utf-8").splitlines()
        if line.partition("\t")[0] in relevant
    ]
    query_file = Path(scratch.name) / "queries.tsv"
    query_file.write_text("\n".join(queries) + "\n", "utf-8")
    started = time.perf_counter()
    out = run(["claims", "match", "--file", str(query_file), "--limit", "5"], env)
    match_s = time.perf_counter() - started

    aps, rrs, at1, at5 = [], [], 0, 0
    for line in out.splitlines():
        row = json.loads(line)
        ranked = [vclaim_of[c["claim_id"]] for c in row["candidates"]]
        rel = relevant[row["id"]]
        aps.append(average_precision(ranked, rel))
        first = next((i for i, doc in enumerate(ranked[:5], 1) if doc in rel), None)
        rrs.append(1 / first if first else 0.0)
        at1 += bool(ranked[:1] and ranked[0] in rel)
        at5 += first is not None
    n = len(aps)
    print(f"verified claims: {len(vclaims)}  queries with a relevant claim: {n}")
    print(
        f"import: {import_s:.1f} s   match --file: {match_s:.1f} s "
        f"({match_s / n * 1000:.1f} ms/query)"
    )
    print(
        f"MAP@5 {sum(aps) / n:.3f}  MRR@5 {sum(rrs) / n:.3f}  "
        f"recall@1 {at1 / n:.3f}  recall@5 {at5 / n:.3f}"
    )
    scratch.cleanup()


if __name__ == "__main__":
    main()
