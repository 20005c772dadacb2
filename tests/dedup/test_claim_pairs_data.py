"""The hand-labelled claim-pair set for the deduplication benchmark
(benchmarks/data/claim_pairs.jsonl) is well formed, balanced and internally consistent."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lingua import Language, LanguageDetectorBuilder

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "claim_pairs.jsonl"

FIELDS = {"id", "a", "lang_a", "b", "lang_b", "label", "category", "note"}
LANGS = {"en", "de", "nl", "nb"}
DUPLICATE_CATEGORIES = {
    "reword",
    "alias",
    "spelling",
    "inflection",
    "synonym",
    "crosslang",
    "word_order",
    "extra_words",
}
TRAP_CATEGORIES = {"negation", "number", "entity", "date", "event_verb", "polarity"}
CATEGORIES = {"duplicate": DUPLICATE_CATEGORIES, "distinct": TRAP_CATEGORIES}

MIN_PAIRS, MIN_PER_LABEL, MIN_PER_TRAP, MIN_PER_DUPLICATE_CATEGORY = 220, 110, 15, 10
CROSSLANG_RANGE = range(10, 21)  # "about 15": enough to measure, few enough not to dominate
NON_ENGLISH_SHARE = (0.20, 0.35)  # share of all claim texts that are de/nl/nb
WORDS = range(5, 26)  # a claim is 5-25 whitespace-separated words
MIN_TRAP_OVERLAP = 0.4  # Jaccard overlap of word sets: a trap must look like its twin
MIN_WORD_ORDER_OVERLAP = 0.75


def cues(*lines: str) -> frozenset[str]:
    return frozenset(word for line in lines for word in line.split())


# Cue words (all four languages, casefolded) used to check that a trap differs in its own
# dimension and in no other checkable one. Ambiguous forms ("to", "en", "een", "fire") are left
# out on purpose.
NEGATION_CUES = cues(
    "not no never cannot nor none failed nicht kein keine keinen keiner nie niemals "
    "niet geen nooit ikke ingen aldri",
)
NUMBER_WORDS = cues(
    "two three four five six seven eight nine ten eleven twelve twice dozen dozens hundred "
    "hundreds thousand thousands million millions billion billions zwei drei vier fünf sechs "
    "dutzende hunderte tausende millionen twee drie vijf zes tientallen honderden duizenden "
    "miljoenen tre fem seks dusinvis hundrevis tusenvis millioner",
)
DATE_WORDS = cues(
    "january february march april may june july august september october november december "
    "januar februar märz mai juni juli oktober dezember januari februari maart mei augustus "
    "mars desember monday tuesday wednesday thursday friday saturday sunday montag dienstag "
    "mittwoch donnerstag freitag samstag sonntag maandag dinsdag woensdag donderdag vrijdag "
    "zaterdag zondag mandag tirsdag onsdag torsdag fredag lørdag søndag yesterday today "
    "tomorrow week month year gestern heute woche monat jahr gisteren vandaag maand jaar uke "
    "måned spring summer autumn winter frühjahr sommer herbst voorjaar zomer najaar",
)
YEAR = re.compile(r"(19|20)\d\d")
LINGUA = {
    Language.ENGLISH: "en",
    Language.GERMAN: "de",
    Language.DUTCH: "nl",
    Language.BOKMAL: "nb",
}


@cache
def load_lines() -> tuple[str, ...]:
    text = DATA.read_text(encoding="utf-8")
    assert text.endswith("\n"), "file must end with a newline"
    return tuple(text.splitlines())


@cache
def load_pairs() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(line) for line in load_lines())


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def overlap(pair: dict[str, Any]) -> float:
    a, b = words(pair["a"]), words(pair["b"])
    return len(a & b) / len(a | b)


def changed(pair: dict[str, Any]) -> set[str]:
    """Words that occur on one side only."""
    return words(pair["a"]) ^ words(pair["b"])


def has_negation(tokens: set[str]) -> bool:
    return bool(tokens & NEGATION_CUES)


def has_number(tokens: set[str]) -> bool:
    return bool(tokens & NUMBER_WORDS) or any(ch.isdigit() for t in tokens for ch in t)


def has_number_word(tokens: set[str]) -> bool:
    return bool(tokens & NUMBER_WORDS)


def has_date(tokens: set[str]) -> bool:
    return bool(tokens & DATE_WORDS) or any(YEAR.fullmatch(t) for t in tokens)


def by_category(category: str) -> list[dict[str, Any]]:
    return [p for p in load_pairs() if p["category"] == category]


def test_lines_are_json_objects_with_exact_fields() -> None:
    for n, line in enumerate(load_lines(), 1):
        assert line.strip() == line and line, f"line {n} is blank or padded"
        pair = json.loads(line)
        assert isinstance(pair, dict), f"line {n}"
        assert set(pair) == FIELDS, f"line {n}: {sorted(set(pair) ^ FIELDS)}"
        assert all(isinstance(v, str) for v in pair.values()), f"line {n}"


def test_ids_are_unique_and_sequential() -> None:
    ids = [p["id"] for p in load_pairs()]
    assert ids == [f"p{n:03d}" for n in range(1, len(ids) + 1)]


def test_labels_and_categories_match() -> None:
    for pair in load_pairs():
        assert pair["label"] in CATEGORIES, pair["id"]
        assert pair["category"] in CATEGORIES[pair["label"]], pair["id"]


def test_counts_per_label_and_category() -> None:
    pairs = load_pairs()
    labels = Counter(p["label"] for p in pairs)
    categories = Counter(p["category"] for p in pairs)
    assert len(pairs) >= MIN_PAIRS
    assert labels["duplicate"] >= MIN_PER_LABEL
    assert labels["distinct"] >= MIN_PER_LABEL
    for category in TRAP_CATEGORIES:
        assert categories[category] >= MIN_PER_TRAP, category
    for category in DUPLICATE_CATEGORIES - {"crosslang"}:
        assert categories[category] >= MIN_PER_DUPLICATE_CATEGORY, category
    assert categories["crosslang"] in CROSSLANG_RANGE


def test_languages_are_valid_and_paired() -> None:
    for pair in load_pairs():
        langs = (pair["lang_a"], pair["lang_b"])
        assert set(langs) <= LANGS, pair["id"]
        if pair["category"] == "crosslang":
            assert langs.count("en") == 1, f"{pair['id']}: crosslang pairs English with de/nl/nb"
        else:
            assert langs[0] == langs[1], f"{pair['id']}: both sides share a language"


def test_language_mix() -> None:
    pairs = load_pairs()
    langs = Counter(lang for p in pairs for lang in (p["lang_a"], p["lang_b"]))
    share = 1 - langs["en"] / sum(langs.values())
    low, high = NON_ENGLISH_SHARE
    assert low <= share <= high, f"non-English share {share:.2f}"
    for label in CATEGORIES:
        monolingual = {
            p["lang_a"] for p in pairs if p["label"] == label and p["category"] != "crosslang"
        }
        assert monolingual == LANGS, label
    for category in TRAP_CATEGORIES:
        assert sum(p["lang_a"] != "en" for p in by_category(category)) >= 2, category


def test_languages_agree_with_lingua() -> None:
    """Both sides of a monolingual pair are read together (short, name-heavy claims alone can
    fool the detector); the two sides of a crosslang pair are read one by one."""
    detector = LanguageDetectorBuilder.from_languages(*LINGUA).build()
    texts: list[tuple[str, str, str]] = []
    for p in load_pairs():
        if p["category"] == "crosslang":
            texts += [(p["id"], p["a"], p["lang_a"]), (p["id"], p["b"], p["lang_b"])]
        else:
            texts.append((p["id"], f"{p['a']} {p['b']}", p["lang_a"]))
    wrong = [
        (pid, lang, text)
        for pid, text, lang in texts
        if LINGUA.get(detector.detect_language_of(text)) != lang
    ]
    assert not wrong


def test_claims_are_short_clean_statements() -> None:
    for pair in load_pairs():
        for side in ("a", "b"):
            text = pair[side]
            assert text == text.strip() and "  " not in text, pair["id"]
            assert len(text.split()) in WORDS, f"{pair['id']}{side}: {len(text.split())} words"
            assert not text.endswith((".", "?", "!")), f"{pair['id']}{side}: no final stop"
        assert pair["a"].casefold() != pair["b"].casefold(), pair["id"]
        assert pair["note"].strip() and len(pair["note"]) <= 120, pair["id"]


def test_no_duplicate_pairs() -> None:
    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    keys = [frozenset({norm(p["a"]), norm(p["b"])}) for p in load_pairs()]
    repeated = [sorted(k) for k, n in Counter(keys).items() if n > 1]
    assert not repeated


def test_traps_look_like_their_twin() -> None:
    for pair in load_pairs():
        if pair["label"] == "distinct":
            assert overlap(pair) >= MIN_TRAP_OVERLAP, f"{pair['id']}: {overlap(pair):.2f}"


@pytest.mark.parametrize("category", sorted(TRAP_CATEGORIES))
def test_traps_differ_in_their_own_dimension_only(category: str) -> None:
    for pair in by_category(category):
        diff, pid = changed(pair), pair["id"]
        assert diff, pid
        assert has_negation(diff) == (category == "negation"), f"{pid}: negation {diff}"
        if category == "number":
            assert has_number(diff) and not has_date(diff), f"{pid}: {diff}"
        elif category == "date":
            # either a date word/year changes, or a day number next to a shared month does
            shared = words(pair["a"]) & words(pair["b"])
            moved = has_date(diff) or (has_number(diff) and has_date(shared))
            assert moved and not has_number_word(diff), f"{pid}: {diff}"
        else:
            assert not has_number(diff) and not has_date(diff), f"{pid}: {diff}"


def test_duplicates_keep_negation() -> None:
    for pair in load_pairs():
        if pair["label"] == "duplicate" and pair["category"] != "crosslang":
            assert not has_negation(changed(pair)), pair["id"]


def test_extra_words_only_add() -> None:
    for pair in by_category("extra_words"):
        short, long = sorted((words(pair["a"]), words(pair["b"])), key=len)
        assert short < long, pair["id"]


def test_word_order_keeps_the_words() -> None:
    for pair in by_category("word_order"):
        assert overlap(pair) >= MIN_WORD_ORDER_OVERLAP, pair["id"]
