"""Language data for claim normalisation: function words, light-stemming suffixes, irregular
forms, synonyms and number words, from ``tracker/data/lexicon/``: one ``<language>.toml`` per
language and ``common.toml`` (the language list, synonyms, multipliers, ...).

Words are written as in running text; ``tokens.py`` folds them (casefold, diacritics
removed) when it builds its tables. Entity aliases live in ``entity_lexicon.py``, spelling
variants in ``spelling_lexicon.py`` and the guards' word lists in ``guard_lexicon.py``. Loaded
once, when this module is first imported, and checked: a word listed twice in one list, or a
value of the wrong kind, raises DataFileError with the file (and the line, where it can be
found). A language is added by adding its file and naming it in ``common.toml``.
"""

from __future__ import annotations

from typing import Any

from tracker.datafiles import DataFileError, load_toml, no_duplicates
from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES as DEFAULT_ALIASES
from tracker.services.dedup.entity_lexicon import ENTITY_TYPES as ENTITY_TYPES

FOLDER = "lexicon"
COMMON = f"{FOLDER}/common.toml"


def _list(name: str, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(name, None, f"{key} must be a list of strings")
    no_duplicates(name, value, f"{key} word")
    return value


def _table(name: str, data: dict[str, Any], key: str, kind: type) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(type(v) is kind for v in value.values()):
        raise DataFileError(name, None, f"[{key}] must map words to {kind.__name__} values")
    return value


_common = load_toml(COMMON)
LANGUAGES: tuple[str, ...] = tuple(_list(COMMON, _common, "languages"))
_files = {lang: (f"{FOLDER}/{lang}.toml", load_toml(f"{FOLDER}/{lang}.toml")) for lang in LANGUAGES}

# Tags that share another language's tables.
LANGUAGE_ALIASES: dict[str, str] = _table(COMMON, _common, "language_aliases", str)

# Function words: never stemmed or rewritten, and the only evidence used to guess the language
# of a claim given without one (a word listed for several languages tells nothing).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(_list(name, data, "function_words")) for lang, (name, data) in _files.items()
}

# Light stemming: the longest listed suffix that leaves at least STEM_MIN letters is removed
# (then ``tokens.py`` applies the language's clean-up steps). Irregular forms come first.
STEM_MIN: int = _common["stem_min"]
STEM_SUFFIXES: dict[str, dict[str, str]] = {
    lang: _table(name, data, "stem_suffixes", str)
    for lang, (name, data) in _files.items()
    if "stem_suffixes" in data
}

# Separable-verb particles: "angekündigt" -> "ankündigt", "uitgevoerd" -> "uitvoerd".
PARTICLES: dict[str, tuple[str, ...]] = {
    lang: tuple(_list(name, data, "particles"))
    for lang, (name, data) in _files.items()
    if "particles" in data
}

# Irregular forms -> a regular form of the same word (which is then stemmed).
IRREGULAR: dict[str, dict[str, str]] = {
    lang: _table(name, data, "irregular", str) for lang, (name, data) in _files.items()
}

# Synonyms: per concept, the word each language uses for it.
SYNONYMS: dict[str, dict[str, str]] = {
    concept: _table(COMMON, _common["synonyms"], concept, str) for concept in _common["synonyms"]
}

# Number words: units and tens add up, "hundred" multiplies what precedes it, scales
# (thousand, million, ...) close a group. Articles count as one only before a scale or
# "hundred" ("a million", "eine Million"), never alone.
NUMBER_WORDS: dict[str, dict[str, int]] = {
    lang: _table(name, data, "number_words", int) for lang, (name, data) in _files.items()
}
# Words that are also articles or pronouns: a number only next to another number word.
NUMBER_ARTICLES: frozenset[str] = frozenset(_list(COMMON, _common, "number_articles"))
# Words that multiply the number before them (or one): "three hundred", "two dozen".
MULTIPLIERS: dict[str, int] = _table(COMMON, _common, "multipliers", int)
# Scale words by language ("Billion" is 10^12 in German, Dutch and Scandinavian usage).
SCALES: dict[str, dict[str, int]] = {
    lang: _table(name, data, "scales", int) for lang, (name, data) in _files.items()
}
# Words joining number parts: "one hundred and five", "einundzwanzig", "tjueen", "enogtyve".
NUMBER_JOINERS: dict[str, frozenset[str]] = {
    lang: frozenset(_list(name, data, "number_joiners")) for lang, (name, data) in _files.items()
}
