"""Precision/recall of the AI-source flags on the labelled texts in data/ai_corpus.json.

    .venv/bin/python benchmarks/ai_flags.py [--verbose] [--split tune|heldout] [--speed]

Runs ``detect_ai_signals`` (with the item's language as hint) over every corpus text. A text is
*flagged* when it gets a disclosure or chatbot-leftover signal. Positives are the texts labelled
``disclosure`` or ``leftover``; ``about_ai`` and ``none`` texts must not be flagged (the target
is zero false flags). Prints, overall, per split, per language and per label: precision and
recall of the flag, the false-flag count, how many positives got the right kind of signal and
how many got the labelled sentence as evidence (equal, or only containing it). ``--verbose``
lists every miss, false flag and evidence mismatch. ``--speed`` also times the detector on a
megabyte of the seed articles and on a megabyte of texts about AI (target: under 1 s each).
This is a report, not a test: it exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.services.ai.detect import (
    CHATBOT_LEFTOVER,
    DISCLOSURE,
    AiSignal,
    detect_ai_signals,
)

DATA = Path(__file__).resolve().parent / "data" / "ai_corpus.json"
POSITIVE = {"disclosure": DISCLOSURE, "leftover": CHATBOT_LEFTOVER}


@dataclass(frozen=True)
class Result:
    item: dict[str, str]
    signals: list[AiSignal]

    @property
    def positive(self) -> bool:
        return self.item["label"] in POSITIVE

    @property
    def flagged(self) -> bool:
        return bool(self.signals)

    def right_kind(self) -> list[AiSignal]:
        want = POSITIVE.get(self.item["label"])
        return [s for s in self.signals if s.kind == want]

    def evidence(self) -> str:
        """'equal', 'contains' or 'wrong' for a positive's best signal of the right kind."""
        want = self.item.get("sentence", "")
        got = [s.sentence.strip() for s in self.right_kind()]
        if want in got:
            return "equal"
        if any(want in g for g in got):
            return "contains"
        return "wrong"


def run(items: Iterable[dict[str, str]]) -> list[Result]:
    return [Result(i, detect_ai_signals(i["text"], i["language"])) for i in items]


def _ratio(num: int, den: int) -> str:
    return f"{num / den:6.1%}" if den else "    – "


def summary(results: list[Result]) -> str:
    pos = [r for r in results if r.positive]
    neg = [r for r in results if not r.positive]
    tp = sum(r.flagged for r in pos)
    fp = sum(r.flagged for r in neg)
    kind = sum(bool(r.right_kind()) for r in pos)
    equal = sum(r.evidence() == "equal" for r in pos)
    contains = sum(r.evidence() in ("equal", "contains") for r in pos)
    return (
        f"n={len(results):3d}  P={_ratio(tp, tp + fp)}  R={_ratio(tp, len(pos))} ({tp}/{len(pos)})"
        f"  false flags={fp}/{len(neg)}  kind ok={kind}/{len(pos)}"
        f"  evidence equal={equal} contains={contains}/{len(pos)}"
    )


def _table(
    title: str, results: list[Result], key: Callable[[Result], str], order: list[str]
) -> None:
    print(f"\n{title}")
    for k in order:
        group = [r for r in results if key(r) == k]
        if group:
            print(f"  {k:<10} {summary(group)}")


def _describe(r: Result) -> str:
    sigs = "; ".join(f"{s.kind}/{s.pattern}: {s.sentence!r}" for s in r.signals) or "no signal"
    return f"  [{r.item['id']}] ({r.item['split']}) {r.item['text'][:110]!r}\n      -> {sigs}"


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _megabyte(text: str) -> str:
    return (text * (1_000_000 // len(text) + 1))[:1_000_000]


def speed(items: list[dict[str, str]]) -> None:
    """Seconds for one megabyte of seed articles and one of texts about AI (best of three)."""
    detect_ai_signals(" ".join(i["text"] for i in items))  # compile every language's rules
    seeds = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    about_ai = " ".join(i["text"] for i in items if i["label"] == "about_ai")
    for name, text in (
        ("seed articles", _megabyte(seeds)),
        ("texts about AI", _megabyte(about_ai)),
    ):
        best = min(_timed(text) for _ in range(3))
        print(f"1 MB of {name}: {best:.3f} s (target < 1 s)")


def _timed(text: str) -> float:
    started = time.perf_counter()
    detect_ai_signals(text)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="list misses and false flags")
    ap.add_argument("--split", choices=["tune", "heldout"], help="only this part of the corpus")
    ap.add_argument("--corpus", type=Path, default=DATA, help="another labelled file, same format")
    ap.add_argument("--speed", action="store_true", help="also time 1 MB of text")
    args = ap.parse_args(argv)

    items = json.loads(args.corpus.read_text(encoding="utf-8"))
    if args.split:
        items = [i for i in items if i.get("split") == args.split]
    results = run(items)

    print(f"AI-source flags on {args.corpus.name}: flagged = any disclosure/leftover signal")
    print(f"\noverall    {summary(results)}")
    _table("per split", results, lambda r: r.item.get("split", "?"), ["tune", "heldout"])
    langs = list(dict.fromkeys(r.item["language"] for r in results))
    _table("per language", results, lambda r: r.item["language"], langs)
    labels = ["disclosure", "leftover", "about_ai", "none"]
    _table("per label", results, lambda r: r.item["label"], labels)

    if args.speed:
        print()
        speed(items)
    if args.verbose:
        misses = [r for r in results if r.positive and not r.right_kind()]
        false_flags = [r for r in results if not r.positive and r.flagged]
        off = [r for r in results if r.positive and r.right_kind() and r.evidence() != "equal"]
        for title, rows in (
            ("misses", misses),
            ("false flags", false_flags),
            ("evidence not equal", off),
        ):
            print(f"\n{title} ({len(rows)})")
            for r in rows:
                print(_describe(r))
                if title != "false flags":
                    print(f"      want {r.item.get('sentence')!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
