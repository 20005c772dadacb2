"""The hand-labelled cross-language set (benchmarks/data/crosslang.jsonl): its format, its
counts and its languages."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from lingua import Language, LanguageDetectorBuilder

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "crosslang.jsonl"
LANGS = ("de", "nl", "nb", "fr")
KINDS = {"negation", "number", "date", "entity", "event", "event_verb", "polarity"}
LINGUA = {
    Language.ENGLISH: "en",
    Language.GERMAN: "de",
    Language.DUTCH: "nl",
    Language.BOKMAL: "nb",
    Language.FRENCH: "fr",
}


@cache
def items() -> tuple[dict[str, Any], ...]:
    text = DATA.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return tuple(json.loads(line) for line in text.splitlines())


def test_every_item_has_the_fields_and_values() -> None:
    for item in items():
        assert set(item) == {
            "id",
            "lang",
            "split",
            "direction",
            "query",
            "target",
            "distractors",
            "note",
        }, item
        assert item["lang"] in LANGS
        assert item["split"] in ("dev", "test")
        assert item["direction"] in ("to_en", "from_en")
        assert item["distractors"], item["id"]
        for d in item["distractors"]:
            assert set(d) == {"kind", "text"} and d["kind"] in KINDS, item["id"]
        texts = [item["query"], item["target"], *(d["text"] for d in item["distractors"])]
        assert len(set(texts)) == len(texts), item["id"]
        for text in texts:
            assert 3 <= len(text.split()) <= 25 and not text.endswith("."), text


def test_ids_are_numbered_per_language_without_gaps() -> None:
    seen: Counter[str] = Counter()
    for item in items():
        seen[item["lang"]] += 1
        assert item["id"] == f"{item['lang']}{seen[item['lang']]:02d}"


def test_counts_per_language_and_split() -> None:
    per_language = Counter(i["lang"] for i in items())
    assert len(items()) >= 50
    assert all(per_language[lang] >= 12 for lang in LANGS), per_language
    tests = Counter(i["lang"] for i in items() if i["split"] == "test")
    assert all(tests[lang] >= 5 for lang in LANGS), tests
    traps = [d for i in items() for d in i["distractors"] if d["kind"] in ("negation", "number")]
    assert len(traps) >= 40
    # Both directions: some English queries against foreign claims in every language.
    assert {i["lang"] for i in items() if i["direction"] == "from_en"} == set(LANGS)


def test_texts_are_in_their_languages() -> None:
    detector = LanguageDetectorBuilder.from_languages(*LINGUA).build()
    wrong = []
    for item in items():
        query_lang, stored_lang = (
            (item["lang"], "en") if item["direction"] == "to_en" else ("en", item["lang"])
        )
        stored = [item["target"], *(d["text"] for d in item["distractors"])]
        for text, lang in ((item["query"], query_lang), *((t, stored_lang) for t in stored)):
            # A short, name-heavy claim may fool the detector alone: then read it together
            # with the other claims of its side.
            alone = LINGUA.get(detector.detect_language_of(text))
            together = LINGUA.get(detector.detect_language_of(" ".join([text, *stored])))
            if lang not in (alone, together):
                wrong.append((item["id"], lang, text))
    assert not wrong
