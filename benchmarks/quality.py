"""Quality benchmark for claim matching on the labelled pairs in data/claim_pairs.jsonl.

    .venv/bin/python benchmarks/quality.py

Every pair's side "b" is stored as a claim in a scratch database; every side "a" is matched
against all of them. Prints, per category: recall@1 and recall@5 for duplicates (is the
partner ranked first / in the top five, and at which level), and for traps how often the
partner comes back at the "auto" level (a false merge; the target is 0) or with no guard
warning. Also prints the score distribution that the default thresholds were chosen from.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.dedup.matching import DEFAULT_THRESHOLDS, match

DATA = Path(__file__).resolve().parent / "data" / "claim_pairs.jsonl"


def main() -> None:
    pairs = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    scratch = tempfile.TemporaryDirectory()
    engine = make_engine(f"sqlite:///{scratch.name}/quality.sqlite3")
    migrate.upgrade(engine)
    actor = Actor.system("benchmark")
    with make_sessionmaker(engine)() as session:
        partner = {}
        for pair in pairs:
            claim = create_claim(session, text=pair["b"], language=pair["lang_b"], actor=actor)
            partner[pair["id"]] = claim.id
        rows: dict[str, list[dict[str, object]]] = defaultdict(list)
        for pair in pairs:
            found = match(session, pair["a"], language=pair["lang_a"], limit=5)
            ids = [m.claim_id for m in found]
            mine = next((m for m in found if m.claim_id == partner[pair["id"]]), None)
            rows[pair["category"]].append(
                {
                    "label": pair["label"],
                    "rank1": bool(ids) and ids[0] == partner[pair["id"]],
                    "top5": mine is not None,
                    "level": mine.level if mine else "missing",
                    "score": mine.score if mine else 0.0,
                    "warned": bool(mine and mine.warnings),
                }
            )
    t = DEFAULT_THRESHOLDS
    print(f"pairs: {len(pairs)}; thresholds auto {t.auto}, suggest {t.suggest}")
    dup_all, trap_all = [], []
    for category, items in sorted(rows.items(), key=lambda kv: (kv[1][0]["label"], kv[0])):
        n = len(items)
        scores = [float(i["score"]) for i in items]  # type: ignore[arg-type]
        if items[0]["label"] == "duplicate":
            dup_all += items
            print(
                f"  dup  {category:12} n={n:3}  recall@1 {sum(i['rank1'] for i in items) / n:.2f}"
                f"  recall@5 {sum(i['top5'] for i in items) / n:.2f}"
                f"  auto {sum(i['level'] == 'auto' for i in items):3}"
                f"  suggest+ {sum(i['level'] in ('auto', 'suggest') for i in items):3}"
                f"  median score {statistics.median(scores):.1f}"
            )
        else:
            trap_all += items
            print(
                f"  trap {category:12} n={n:3}  false auto merges "
                f"{sum(i['level'] == 'auto' for i in items):2}"
                f"  unwarned {sum(i['top5'] and not i['warned'] for i in items):2}"
                f"  median score {statistics.median(scores):.1f}"
            )
    n_dup, n_trap = len(dup_all), len(trap_all)
    print(
        f"duplicates: recall@1 {sum(i['rank1'] for i in dup_all) / n_dup:.3f}, "
        f"recall@5 {sum(i['top5'] for i in dup_all) / n_dup:.3f}"
    )
    print(
        f"traps: auto-level false-merge rate {sum(i['level'] == 'auto' for i in trap_all)}"
        f"/{n_trap}; warned {sum(i['warned'] for i in trap_all)}/{n_trap}"
    )
    engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()
