"""Choose the fusion parameters of the hybrid (tracker/services/dedup/hybrid.py) on labelled pairs.

    .venv/bin/python benchmarks/semantic_tune.py

Data: benchmarks/data/claim_pairs.jsonl and benchmarks/data/semantic_tune.jsonl (labelled for
this: paraphrases, translations de/nl/fr/nb -> en, and same-entity distractors). Every side
"b" is a stored claim; every duplicate's side "a" is a query. For a grid of (FLOOR, WEIGHT) it
prints the mean reciprocal rank of the partner among all claims by fused score, the share of
duplicates at suggest level or above (fused >= 60), and the share of distinct pairs there (the
guards still have to flag those). No test split is used.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import Claim as Claim_
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.dedup import embeddings, hybrid
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.analysis import normalize_claim_text
from tracker.services.dedup.search import score_pair, weights_for
from tracker.services.dedup.token_index import tokens_of

DATA = Path(__file__).resolve().parent / "data"
FILES = ["claim_pairs.jsonl", "semantic_tune.jsonl"]


def main() -> None:
    pairs = [
        json.loads(line)
        for name in FILES
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line
    ]
    encoder = embeddings.encoder()
    assert encoder is not None, "TRACKER_SEMANTIC is off"
    scratch = tempfile.TemporaryDirectory()
    engine = make_engine(f"sqlite:///{scratch.name}/tune.sqlite3")
    migrate.upgrade(engine)
    actor = Actor.system("benchmark")
    with make_sessionmaker(engine)() as session:
        ids: dict[str, int] = {}
        for pair in pairs:
            if pair["b"] not in ids:
                ids[pair["b"]] = create_claim(
                    session, text=pair["b"], language=pair["lang_b"], actor=actor
                ).id
        texts = list(ids)
        normalized = [session.get_one(Claim_, ids[t]).normalized_text for t in texts]
        claim_vecs = encoder.encode(texts)
        table = alias_index(session)
        lex_rows, cos_rows, partner, labels = [], [], [], []
        for pair in pairs:
            q_norm = normalize_claim_text(pair["a"], pair["lang_a"], table)
            weight = weights_for(
                session, set().union(tokens_of(q_norm), *map(tokens_of, normalized))
            )
            lex_rows.append([score_pair(q_norm, n, weight) for n in normalized])
            cos_rows.append(claim_vecs @ encoder.encode([pair["a"]])[0])
            partner.append(texts.index(pair["b"]))
            labels.append(pair["label"])
    lex = np.array(lex_rows)
    cos = np.array(cos_rows)
    dup = np.array([label == "duplicate" for label in labels])
    rows = np.arange(len(pairs))
    print(f"pairs {len(pairs)} ({dup.sum()} duplicates), claims {len(texts)}")
    print("floor weight   MRR   R@1   R@5  dup>=60 distinct>=60")
    results = []
    for floor in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        for weight in (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0):
            hybrid.FLOOR, hybrid.WEIGHT = floor, weight
            fused = np.vectorize(hybrid.fuse)(lex, cos)
            mine = fused[rows, partner]
            rank = 1 + (fused[rows] > mine[:, None]).sum(axis=1)
            mrr = float((1 / rank[dup]).mean())
            r1, r5 = float((rank[dup] == 1).mean()), float((rank[dup] <= 5).mean())
            dup60 = float((mine[dup] >= 60).mean())
            dist60 = float((mine[~dup] >= 60).mean())
            results.append((mrr + dup60, floor, weight))
            print(
                f"{floor:5.2f} {weight:6.2f}  {mrr:.3f} {r1:.3f} {r5:.3f}"
                f"  {dup60:.3f}   {dist60:.3f}"
            )
    best = max(results)
    print(f"best (MRR + share of duplicates at suggest): floor {best[1]}, weight {best[2]}")


if __name__ == "__main__":
    main()
