"""Entity alias tables compiled for matching in claim text (used by ``normalize``).

An alias table maps canonical -> surface forms or surface -> canonical; ``compile_aliases``
turns it into an ``AliasIndex`` and ``match_aliases`` finds its phrases in folded words, as
described in step 2 of the ``normalize`` module docstring. The text preparation (``fold``,
``prepare_aliases``) and the function-word tables live here too, since compiling needs them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.services.dedup import lexicon as lx
from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043"), "-")
_REWRITES = (  # (cheap test on the casefolded text, pattern, replacement)
    ("n't", re.compile(r"(?i)\b(ca)n't\b"), r"\1n not"),
    ("won't", re.compile(r"(?i)\bwon't\b"), "will not"),
    ("cannot", re.compile(r"(?i)\bcannot\b"), "can not"),
    ("n't", re.compile(r"(?i)n't\b"), " not"),
    ("'s", re.compile(r"(?i)(?<=\w)'s\b"), ""),
)
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
# Only no-break and thin spaces: a plain space between numbers may come from normalization.
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![\d.,])")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_PERCENT = re.compile(r"%|(?i:\bp(?:er|our) cent\b)")
TOKEN_PATTERN = re.compile(r"\d+(?:\.\d+)+|\w+")


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Casefold and remove diacritics (ø, æ and ð stay: they are letters of their own)."""
    folded = word.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def prepare_aliases(text: str) -> str:
    """NFKC and the text-level rewrites of step 1."""
    if not text.isascii():  # before NFKC turns the no-break space into a plain one
        text = _SPACED_THOUSANDS.sub(lambda m: re.sub(r"\s", "", m.group()), text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = text.translate(_DASHES)
    if "’" in text:
        text = text.replace("’", "'")
    if "'" in text or "annot" in text:
        folded = text.casefold()
        for needle, pattern, replacement in _REWRITES:
            if needle in folded:
                text = pattern.sub(replacement, text)
    if any(digit in text for digit in "0123456789"):
        text = _THOUSANDS.sub("", text)
        text = _DECIMAL_COMMA.sub(".", text)
    if "%" in text or "cent" in text:
        text = _PERCENT.sub(" percent ", text)
    return text


# --- function words ------------------------------------------------------------------------


def _language_tables() -> tuple[frozenset[str], dict[str, dict[str, float]]]:
    function_words = {lang: {fold(w) for w in words} for lang, words in lx.FUNCTION_WORDS.items()}
    every = frozenset().union(*function_words.values()) | {"us", "me", "him"}
    owners: dict[str, set[str]] = {}
    for lang, words in function_words.items():
        for word in words:
            owners.setdefault(word, set()).add(lang)
    # Articles and "and" may vanish into a number ("een miljoen"), so they tell nothing.
    vanishing = {fold(w) for w in lx.NUMBER_ARTICLES}.union(*lx.NUMBER_JOINERS.values())
    telling = {
        w: {lang: 1 / len(langs) for lang in langs}
        for w, langs in owners.items()
        if len(langs) <= 4 and w not in vanishing
    }
    return every, telling


# Folded function words of every language; the words telling one language from the others.
FUNCTION_WORDS, TELLING_WORDS = _language_tables()


# --- aliases --------------------------------------------------------------------------------

_ALIAS_SUFFIXES = ("erne", "ene", "ern", "ens", "en", "er", "es", "em", "ne", "e", "s")


@dataclass(frozen=True)
class _Entry:
    words: tuple[str, ...]
    canonical: str
    case: tuple[int, ...]  # per word: 0 any case, 1 capitalised, 2 all capitals


@dataclass(frozen=True)
class AliasIndex:
    """A compiled alias table (build it once with ``compile_aliases`` for bulk work)."""

    entries: Mapping[str, tuple[_Entry, ...]]  # first word -> entries, longest first
    inflected: Mapping[str, frozenset[str]]  # inflected word -> alias words it may stand for
    singles: frozenset[str]  # one-word forms and their inflections
    starts: frozenset[str]  # words that may begin a match
    lookup: Mapping[str, str]  # surface key -> canonical
    # language -> word -> normalized tokens, filled as texts are normalized
    memo: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict, compare=False)


# canonical -> surface forms, or surface -> canonical, or a compiled index.
AliasSource = Mapping[str, str | Collection[str]] | AliasIndex


@lru_cache(maxsize=20_000)
def entity_token(canonical: str) -> str:
    """The normalized token of an entity: ``ent_`` and word characters only."""
    return "ent_" + re.sub(r"\W+", "_", fold(canonical)).strip("_")


def surface_key(surface: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", surface).casefold().split())


def _pairs(source: Mapping[str, str | Collection[str]]) -> list[tuple[str, str]]:
    """(surface, canonical) pairs from either table direction."""
    pairs: list[tuple[str, str]] = []
    for key, value in source.items():
        if isinstance(value, str):
            pairs.append((key, value))
        else:
            pairs.extend((form, key) for form in value)
    return pairs


def alias_lookup(aliases: AliasSource | None = None) -> dict[str, str]:
    """surface key (NFKC, casefolded, spaces collapsed) -> canonical. Raises ValueError when
    one surface maps to two canonicals."""
    if isinstance(aliases, AliasIndex):
        return dict(aliases.lookup)
    table: dict[str, str] = {}
    for surface, canonical in _pairs(DEFAULT_ALIASES if aliases is None else aliases):
        key = surface_key(surface)
        if not key:
            continue
        if table.setdefault(key, canonical) != canonical:
            raise ValueError(f"{key!r} is an alias of both {table[key]!r} and {canonical!r}")
    return table


def compile_aliases(aliases: AliasSource | None = None) -> AliasIndex:
    """The compiled form of an alias table (cached for the default and recent tables)."""
    if isinstance(aliases, AliasIndex):
        return aliases
    if aliases is None:
        return _compiled(None)
    return _compiled(
        frozenset((k, v if isinstance(v, str) else tuple(v)) for k, v in aliases.items())
    )


@lru_cache(maxsize=8)
def _compiled(items: frozenset[tuple[str, str | tuple[str, ...]]] | None) -> AliasIndex:
    lookup = alias_lookup(None if items is None else dict(items))
    by_words: dict[tuple[str, ...], _Entry] = {}
    for surface, canonical in sorted(lookup.items()):
        raw = TOKEN_PATTERN.findall(prepare_aliases(surface))
        words = tuple(fold(w) for w in raw)
        if not words:
            continue
        short = all(len(w) <= 3 for w in words) and sum(map(len, words)) <= 4
        cases = tuple((2 if w in FUNCTION_WORDS else 1) if short else 0 for w in words)
        known = by_words.get(words)
        if known is None or canonical < known.canonical:  # deterministic on conflicts
            by_words[words] = _Entry(words, canonical, cases)
    entries: dict[str, list[_Entry]] = {}
    inflected: dict[str, set[str]] = {}
    for entry in by_words.values():
        entries.setdefault(entry.words[0], []).append(entry)
        for word, case in zip(entry.words, entry.case, strict=True):
            for form in _inflections(word, case):
                inflected.setdefault(form, set()).add(word)
    singles = {e.words[0] for e in by_words.values() if len(e.words) == 1}
    singles |= {form for form, bases in inflected.items() if bases & singles}
    return AliasIndex(
        entries={k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in entries.items()},
        inflected={k: frozenset(v) for k, v in inflected.items()},
        singles=frozenset(singles),
        starts=frozenset(entries) | {w for w, bases in inflected.items() if bases & entries.keys()},
        lookup=lookup,
    )


def _inflections(word: str, case: int) -> set[str]:
    """Inflected forms an alias word may take in running text (genitive, adjective endings)."""
    if case:
        return {word + "s"} if word.isalpha() else set()
    if len(word) < 3 or not word.isalpha():
        return set()
    bases = {word}
    for suffix in _ALIAS_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            bases.add(word[: -len(suffix)])
            break
    forms = {base + s for base in bases for s in _ALIAS_SUFFIXES if len(base) >= 4 or s == "s"}
    forms.discard(word)
    return forms


def _case_ok(surface: str, word: str, case: int, shouty: bool) -> bool:
    if case == 1:
        return surface[:1].isupper() or surface[:1].isdigit()
    if case == 2:
        return not shouty and surface[: len(word)].isupper()
    return True


def match_aliases(
    words: list[str], folded: list[str], index: AliasIndex, shouty: bool
) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of alias matches, longest first, left to right."""
    found: list[tuple[int, int, str]] = []
    entries, inflected, starts = index.entries, index.inflected, index.starts
    n, done = len(words), 0
    for i in [i for i, word in enumerate(folded) if word in starts]:
        if i < done:
            continue  # inside the previous match
        first = folded[i]
        direct, bases = entries.get(first), inflected.get(first)
        candidates = list(direct or ())
        for base in bases or ():
            candidates.extend(entries.get(base, ()))
        best: _Entry | None = None
        for entry in candidates:
            size = len(entry.words)
            if i + size > n or (best is not None and size <= len(best.words)):
                continue
            for k, want in enumerate(entry.words):
                word = folded[i + k]
                if word != want and want not in inflected.get(word, ()):
                    break
                if entry.case[k] and not _case_ok(words[i + k], want, entry.case[k], shouty):
                    break
            else:
                best = entry
        if best is not None:
            found.append((i, i + len(best.words), best.canonical))
            done = i + len(best.words)
    return found
