"""Cross-language claim matching on the hand-labelled set in data/crosslang.jsonl.

    .venv/bin/python benchmarks/crosslang.py [--split dev|test|all] [--show-misses]

Every item's stored side (its English target for ``to_en`` items, its foreign target for
``from_en`` items) and every distractor, of both splits, are created as claims in one scratch
database. Each query of the chosen split (``dev``: tuned on; ``test``: held out) is matched
against all of them with ``tracker.services.dedup.matching.match``, the function behind
``tracker claims match``, so whatever tiers that function uses are measured.

Prints recall@1 and recall@5 per language (de, nl, nb, fr; nb on its own line like the
others), and for the trap distractors (kinds ``negation`` and ``number``, and the other kinds
on their own line) how many reach the ``auto`` level (target 0) and how many carry a guard
warning (target all). A trap that the search does not return at all cannot be merged; its
warning is then read from ``guards.compare`` directly.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.dedup import guards
from tracker.services.dedup.matching import match

DATA = Path(__file__).resolve().parent / "data" / "crosslang.jsonl"
LANGUAGES = ("de", "nl", "nb", "fr")
TRAPS = ("negation", "number")


def load() -> list[dict[str, object]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def stored_language(item: dict[str, object]) -> tuple[str, str]:
    """(language of the query, language of the stored claims) of an item."""
    lang = str(item["lang"])
    return (lang, "en") if item["direction"] == "to_en" else ("en", lang)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    stored = load()  # every item's claims are stored, whatever the split
    items = [i for i in stored if args.split == "all" or i["split"] == args.split]
    scratch = tempfile.TemporaryDirectory()
    engine = make_engine(f"sqlite:///{scratch.name}/crosslang.sqlite3")
    migrate.upgrade(engine)
    actor = Actor.system("benchmark")
    recall: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    traps: dict[str, list[tuple[bool, bool]]] = defaultdict(list)  # kind -> (auto, warned)
    misses: list[str] = []
    with make_sessionmaker(engine)() as session:
        target_id: dict[str, int] = {}
        trap_ids: list[tuple[str, str, str, int]] = []  # item id, kind, text, claim
        for item in stored:
            _, lang = stored_language(item)
            claim = create_claim(session, text=str(item["target"]), language=lang, actor=actor)
            target_id[str(item["id"])] = claim.id
            for d in item["distractors"]:  # type: ignore[attr-defined]
                other = create_claim(session, text=d["text"], language=lang, actor=actor)
                trap_ids.append((str(item["id"]), d["kind"], d["text"], other.id))
        total = len(target_id) + len(trap_ids)
        reader = guards.Reader()
        for item in items:
            query_lang, _ = stored_language(item)
            found = match(session, str(item["query"]), language=query_lang, limit=total)
            ids = [m.claim_id for m in found]
            want = target_id[str(item["id"])]
            recall[str(item["lang"])].append((ids[:1] == [want], want in ids[:5]))
            if want not in ids[:5]:
                rank = ids.index(want) + 1 if want in ids else None
                misses.append(f"{item['id']} rank {rank}: {item['query']}")
            by_id = {m.claim_id: m for m in found}
            for owner, kind, text, claim_id in trap_ids:
                if owner != item["id"]:
                    continue
                hit = by_id.get(claim_id)
                if hit is not None:
                    auto, warned = hit.level == "auto", bool(hit.warnings)
                else:
                    _, lang = stored_language(item)
                    auto, warned = (
                        False,
                        bool(
                            reader.compare(
                                str(item["query"]), text, language_a=query_lang, language_b=lang
                            )
                        ),
                    )
                traps[kind].append((auto, warned))
                if auto or (not warned and kind != "event"):
                    misses.append(
                        f"{item['id']} {kind} trap {'auto' if auto else 'unwarned'}: {text}"
                    )
    print(f"crosslang ({args.split}): {len(items)} queries against {total} claims")
    every: list[tuple[bool, bool]] = []
    for lang in LANGUAGES:
        rows = recall[lang]
        every += rows
        if rows:
            r1 = sum(a for a, _ in rows) / len(rows)
            r5 = sum(b for _, b in rows) / len(rows)
            print(f"  {lang}  n={len(rows):3}  recall@1 {r1:.2f}  recall@5 {r5:.2f}")
    if every:
        print(f"  all n={len(every):3}  recall@5 {sum(b for _, b in every) / len(every):.3f}")
    for label, kinds in (("traps", TRAPS), ("other distractors", None)):
        rows = [
            r for kind, rs in traps.items() if (kind in TRAPS) == (kinds is not None) for r in rs
        ]
        if rows:
            print(
                f"{label}: {len(rows)}; at auto {sum(a for a, _ in rows)}; "
                f"warned {sum(w for _, w in rows)}/{len(rows)}"
            )
    for kind in sorted(traps):
        rows = traps[kind]
        print(
            f"  {kind:10} n={len(rows):3}  auto {sum(a for a, _ in rows)}  warned "
            f"{sum(w for _, w in rows)}"
        )
    if args.show_misses:
        print("misses and unwarned distractors:", *misses, sep="\n  ")
    engine.dispose()
    scratch.cleanup()


if __name__ == "__main__":
    main()
