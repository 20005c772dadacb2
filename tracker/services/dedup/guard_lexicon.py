"""Word lists for the dedup guards (``guards.py``), from ``tracker/data/dedup/guards.toml``:
negation, opposite pairs, event stages, vague quantities, months, weekdays and relative days in
en, de, nl, nb/nn, da, sv and fr (the file's header explains the spec format).

Loaded once, when this module is first imported, and checked: a word listed twice in one list,
or a value of the wrong shape, raises DataFileError with the file (and the line, where it can
be found)."""

from __future__ import annotations

from typing import Any

from tracker.datafiles import DataFileError, load_toml, no_duplicates

GUARDS_FILE = "dedup/guards.toml"
FIELDS = ("group", "stage", "words")
_data = load_toml(GUARDS_FILE)


def _strings(key: str, value: Any = None) -> list[str]:
    value = _data.get(key) if value is None else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(GUARDS_FILE, None, f"{key} must be a list of strings")
    no_duplicates(GUARDS_FILE, value, f"{key} word")
    return value


def _words(key: str) -> frozenset[str]:
    return frozenset(_strings(key))


def _groups(key: str, size: int | None = None) -> tuple[tuple[str, ...], ...]:
    value = _data.get(key)
    if not isinstance(value, list) or (size is not None and len(value) != size):
        raise DataFileError(GUARDS_FILE, None, f"{key} must be a list of {size or 'some'} lists")
    return tuple(tuple(_strings(key, group)) for group in value)


def _table(key: str) -> dict[str, Any]:
    value = _data.get(key)
    if not isinstance(value, dict):
        raise DataFileError(GUARDS_FILE, None, f"[{key}] must be a table")
    return value


# Negation markers. AMBIGUOUS ones count only in the listed language.
NEGATIONS: frozenset[str] = _words("negations")
AMBIGUOUS_NEGATIONS: dict[str, frozenset[str]] = {
    lang: frozenset(_strings("ambiguous_negations", words))
    for lang, words in _table("ambiguous_negations").items()
}
# Multi-word markers, shown whole in warnings.
NEGATION_PHRASES: tuple[str, ...] = tuple(_strings("negation_phrases"))
# A negation followed by one of these words does not negate: "not only ... but also".
NOT_NEGATING_NEXT: frozenset[str] = _words("not_negating_next")
# Opposite pairs (specs).
POLARITY: tuple[str, ...] = tuple(_strings("polarity"))
# Prefixes that turn a word into its opposite, and words that only look prefixed.
PREFIX_NEGATORS: dict[str, tuple[str, ...]] = {
    lang: tuple(_strings("prefix_negators", prefixes))
    for lang, prefixes in _table("prefix_negators").items()
}
PREFIX_EXCEPTIONS: frozenset[str] = _words("prefix_exceptions")
# Paired suffixes with opposite meaning after the same stem.
SUFFIX_OPPOSITES: tuple[tuple[str, str], ...] = tuple(
    (a, b) for a, b in _groups("suffix_opposites")
)


def _stage(entry: Any) -> tuple[str, str, str]:
    group, stage, words = (entry.get(k) if isinstance(entry, dict) else None for k in FIELDS)
    if not (isinstance(group, str) and isinstance(stage, str) and isinstance(words, str)):
        raise DataFileError(GUARDS_FILE, None, "every [[event_stages]] needs group, stage, words")
    return group, stage, words


# Event stages: (group, stage, spec); within one group, different stages mean different events.
EVENT_STAGES: tuple[tuple[str, str, str], ...] = tuple(
    _stage(entry) for entry in _data.get("event_stages", [])
)


def _range(word: str, value: Any) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and all(type(v) is float for v in value)):
        raise DataFileError(GUARDS_FILE, None, f"vague_quantities: {word} needs [low, high]")
    return value[0], value[1]


# Vague quantities and the range of values they allow (low, high).
VAGUE_QUANTITIES: dict[str, tuple[float, float]] = {
    word: _range(word, value) for word, value in _table("vague_quantities").items()
}
# Month names (January first), abbreviations, weekday names (Monday first), all languages.
MONTHS: tuple[tuple[str, ...], ...] = _groups("months", 12)
MONTH_ABBREVIATIONS: tuple[tuple[str, ...], ...] = _groups("month_abbreviations", 12)
AMBIGUOUS_MONTHS: frozenset[str] = _words("ambiguous_months")
WEEKDAYS: tuple[tuple[str, ...], ...] = _groups("weekdays", 7)
# Relative days: phrase -> label.
RELATIVE_DAYS: dict[str, str] = {
    phrase: str(label) for phrase, label in _table("relative_days").items()
}
# Words after which a four-digit number is a year; words of day ranges and day-month joins.
YEAR_CUES: frozenset[str] = _words("year_cues")
DAY_RANGE_WORDS: frozenset[str] = _words("day_range_words")
DAY_MONTH_JOINERS: frozenset[str] = _words("day_month_joiners")
# German: determiners and common-noun endings (a capitalised word is a name only without them).
DE_DETERMINERS: frozenset[str] = _words("de_determiners")
DE_NOUN_ENDINGS: tuple[str, ...] = tuple(_strings("de_noun_endings"))
