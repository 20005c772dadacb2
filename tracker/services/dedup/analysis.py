"""The analysis of a claim text: its words, entities, numbers and normalized tokens.

``analyze(text, language=None, aliases=None)`` returns an ``Analysis``, computed once per text
and read by both sides of matching: its ``normalized`` text goes to the token index and the
search, and its tokens (words, alias matches and number runs, each with its folded form, light
stem, entity, number value and the gap before it) are what the guards read (``guard_facts``).
``normalize_claim_text(text, language=None, aliases=None)`` gives the same normalized text
alone, for storing and indexing claims in bulk: space-separated tokens made by these steps
(the word-level ones, 1, 3, 4 and 6, live in ``tokens``; aliases and numbers, which span
several words, here):

1. NFKC; contractions ("doesn't" -> "does not"), possessive "'s", thousands separators
   ("1,000", "1.000", and "1 000" with a no-break or thin space), decimal commas and "%"
   are rewritten; words are split on punctuation and hyphens.
2. Entity aliases (default: ``DEFAULT_ALIASES``) match as phrases, longest first, on word
   boundaries, ignoring case and diacritics and allowing a short inflection on any word
   ("Nordkoreas", "russische", "USAs"). A match becomes one token ``ent_<canonical>``; an
   entity repeated right after itself ("Islamic State Khorasan (ISKP)") is written once.
   Very short forms (at most four letters, none over three per word: "Xi", "USA", "G7") must
   be capitalised in the text; those that are also function words ("US", "IS", "WHO", "UN")
   must be in capitals, and never match in an all-capitals text such as a shouted headline.
3. Every other word is casefolded with diacritics removed (ß -> ss, ä -> a, å -> a).
4. The language is the given BCP-47 tag, or a guess from function words after aliasing
   (English when there are none); nb/nn/da share rules.
5. Number words and digits become one number ("three thousand" -> "3000", "1,5 Mio." ->
   "1500000", "einundzwanzig" -> "21").
6. Each remaining word: irregular forms, British -> American spelling and light suffix
   stripping, repeated until nothing changes (ratify/ratified/ratification -> "ratif",
   ratifiziert/Ratifizierung -> "ratifiz", geratificeerd -> "ratific", ratifiserte ->
   "ratifi"), then synonyms ("pact", "Abkommen", "verdrag", "avtale" -> "treaty"); compound
   nouns ending in a synonym are split ("Verteidigungsabkommen" -> "defense treaty"). The
   synonyms are ``lexicon.SYNONYMS`` plus ``tracker/data/lexical/synonyms.<lang>.txt``, which
   map de, nl, nb and fr words to shared English tokens ("ratifiserte" -> "ratify"); the
   stems of their regular inflections (``inflections.txt``) map too.
   Function words are kept as written, and a stem that would be a function word, an alias
   or a number word keeps the word's folded form instead.

Every step maps its own output to itself, so the output is idempotent: normalizing it again
(with the same language and aliases) returns it unchanged.

Limits: no part-of-speech tagging or real lemmatisation (some unrelated words share a stem,
strong German/Dutch verb forms are only folded when listed), separated verb particles
("hob ... auf") are not joined, "1 000" with a plain space stays two numbers, and without a
language a claim with no function words is treated as English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from tracker.services.dedup import lexicon as lx
from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES as DEFAULT_ALIASES
from tracker.services.dedup.entity_lexicon import ENTITY_TYPES as ENTITY_TYPES
from tracker.services.dedup.tokens import (
    FUNCTION_WORDS,
    SENTENCE_START,
    TOKEN_PATTERN,
    fold,
    guess_language,
    language_code,
    light_stem,
    normalize_word,
    prepare_text,
    scan_words,
    strip_post_markup,
)

__all__ = [
    "DEFAULT_ALIASES",
    "ENTITY_TYPES",
    "NORMALIZER_VERSION",
    "AliasIndex",
    "AliasSource",
    "Analysis",
    "Token",
    "alias_lookup",
    "analyze",
    "compile_aliases",
    "entity_token",
    "normalize_claim_text",
    "surface_key",
]

# Bump whenever the output for some input changes, so stored texts can be recomputed.
# 2.2: synonyms from tracker/data/lexical (cross-language cognates), extra aliases.
NORMALIZER_VERSION = "2.2"  # 2.1: links dropped, hashtags and handles split


# --- aliases: entities ----------------------------------------------------------------------

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
        raw = TOKEN_PATTERN.findall(prepare_text(surface))
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


# --- numbers --------------------------------------------------------------------------------

_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th|e|er|de|ste|te|re|eme|ème)")


@lru_cache(maxsize=16)
def _number_vocabulary(lang: str) -> dict[str, tuple[str, float]]:
    """folded word -> (kind, value); kinds: unit, tens, article, mult, scale, join."""
    vocab = {fold(w): ("article" if w in lx.NUMBER_ARTICLES else "tens" if v >= 20 else "unit",
                       float(v)) for w, v in lx.NUMBER_WORDS.get(lang, {}).items()}  # fmt: skip
    vocab.update({fold(w): ("mult", float(v)) for w, v in lx.MULTIPLIERS.items()})
    vocab.update({fold(w): ("scale", float(v)) for w, v in lx.SCALES.get(lang, {}).items()})
    return {w: ("join", 0.0) for w in lx.NUMBER_JOINERS.get(lang, ())} | vocab


_Parts = tuple[tuple[str, float], ...]
_ATOMS: dict[str, dict[str, _Parts | None]] = {}  # language -> word -> parts


def _number_parts(word: str, lang: str) -> _Parts | None:
    """A folded word as number parts: "22nd" -> digit, "drei" -> unit, "einundzwanzig" ->
    unit join tens (compounds only in de, nl and the Nordic languages), or None."""
    memo = _ATOMS.setdefault(lang, {})
    known = memo.get(word, ())  # (): not seen yet; None: not a number
    if known != ():
        return known
    vocab, parts, position = _number_vocabulary(lang), [], 0
    if word[0].isdigit():
        ordinal = _ORDINAL.fullmatch(word)
        if ordinal or word.replace(".", "", 1).isdigit():
            parts = [("digit", float(ordinal.group(1) if ordinal else word))]
    elif word in vocab:
        parts = [vocab[word]]
    elif lang not in ("en", "fr") and len(word) >= 5 and word.isalpha():
        while position < len(word):
            end = next((e for e in range(len(word), position, -1) if word[position:e] in vocab), 0)
            if not end:
                parts = []
                break
            parts.append(vocab[word[position:end]])
            position = end
        parts = [("unit", 1.0) if kind == "article" else (kind, v) for kind, v in parts]
        if len(parts) < 2 or parts[-1][0] == "join":
            parts = []
    if len(memo) > 200_000:
        memo.clear()
    memo[word] = found = tuple(parts) or None
    return found


def _numbers(folded: list[str], skip: set[int], lang: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of number runs: digits and number words, joined by scales."""
    memo = _ATOMS.get(lang, {})
    atoms = [
        None if i in skip else _number_parts(w, lang) if (a := memo.get(w, ())) == () else a
        for i, w in enumerate(folded)
    ]
    runs: list[tuple[int, int, float]] = []
    i = 0
    while i < len(folded):
        items: list[_Parts] = []
        last = ""
        for item in atoms[i:]:
            kind = item[0][0] if item else ""
            if (
                not item
                or (kind in ("digit", "article") and last)
                or (kind in ("unit", "tens") and last in ("unit", "tens", "digit")
                    and not (last == "tens" and kind == "unit" and len(item) == 1))
                or (kind in ("mult", "scale") and not last)
                or (kind == "join" and last not in ("mult", "scale"))
            ):  # fmt: skip
                break
            items.append(item)
            last = item[-1][0]
        while items and items[-1][-1][0] in ("join", "article"):
            items.pop()  # "three and", "a": not part of the number
        if not items:
            i += 1
            continue
        total, current = 0.0, 0.0
        for kind, value in (part for item in items for part in item):
            if kind == "mult":
                current = (current or 1.0) * value
            elif kind == "scale":
                total, current = total + (current or 1.0) * value, 0.0
            else:
                current += value
        runs.append((i, i + len(items), total + current))
        i += len(items)
    return runs


def _format_number(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return f"{value:f}".rstrip("0").rstrip(".")


# --- the pipeline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """One word, alias match or number run of an analysed text."""

    surface: str  # as written (the words of an alias or number run, joined by spaces)
    folded: str  # folded word; ``ent_*`` for an entity; digits for a number
    norm: tuple[str, ...]  # its normalized tokens (empty for a repeated entity)
    stem: str  # light stem without synonyms (``folded`` for entities and numbers)
    entity: str | None  # canonical entity name
    value: float | None  # number value
    flags: int  # SENTENCE_START, AFTER_HYPHEN, AFTER_SLASH, AFTER_SPACE

    @property
    def sentence_start(self) -> bool:
        return bool(self.flags & SENTENCE_START)


@dataclass(frozen=True)
class Analysis:
    """One text analysed by ``analyze``: computed once, then read by the search (its
    ``normalized`` text) and by the guards (its tokens)."""

    text: str  # as given
    language: str  # the language used (given, guessed, or "en")
    tokens: tuple[Token, ...]

    @cached_property
    def normalized(self) -> str:
        """The normalized text: what ``normalize_claim_text`` returns for the same input."""
        return " ".join(t for token in self.tokens for t in token.norm)


@dataclass
class _Run:
    """Parallel lists for one text after aliasing, with its language and number runs."""

    language: str
    words: list[str]  # as written (an alias match: its words joined by spaces)
    keys: list[str]  # folded; ``ent_*`` for entities
    entities: list[str | None]
    flags: list[int]
    norms: list[tuple[str, ...]]  # per word; a number run's value sits on its first word
    numbers: dict[int, tuple[int, float]]  # start -> (end, value)


def _norm(
    key: str, lang: str, index: AliasIndex, memo: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    norm = normalize_word(key, lang)
    if any(t in index.singles or _number_parts(t, lang) for t in norm if t != key):
        norm = (key,)  # a stem must not turn into an alias or a number word
    if len(memo) > 300_000:
        memo.clear()
    memo[key] = norm
    return norm


def _run(text: str, language: str | None, index: AliasIndex, flagged: bool = False) -> _Run:
    prepared = prepare_text(strip_post_markup(text))
    if flagged:
        words, flags = scan_words(prepared)
    else:  # normalization needs no flags
        words = TOKEN_PATTERN.findall(prepared)
        flags = [0] * len(words)
    keys = [fold(w) for w in words]
    entities: list[str | None] = [None] * len(keys)
    if "ent_" in prepared:  # already normalized text
        entities = [k[4:] if k.startswith("ent_") else None for k in keys]
    # An all-capitals text with real words ("NORTH KOREA IS TESTING") has no case to go by.
    shouty = prepared.isupper() and any(len(w) >= 5 and w.isalpha() for w in words)
    matches = match_aliases(words, keys, index, shouty)
    for start, end, canonical in reversed(matches):  # from the right: indexes stay valid
        words[start:end] = [" ".join(words[start:end])]
        keys[start:end] = [entity_token(canonical)]
        entities[start:end] = [canonical]
        flags[start:end] = [flags[start]]
    lang = language_code(language)
    if lang is None:
        plain = [k for k, e in zip(keys, entities, strict=True) if e is None] if matches else keys
        lang = guess_language(plain) or "en"
    memo = index.memo.setdefault(lang, {})
    norms = [memo.get(k) or _norm(k, lang, index, memo) for k in keys]  # one get: thread-safe
    skip = {i for i, e in enumerate(entities) if e is not None}
    for i in skip:
        if i and entities[i - 1] == entities[i]:
            norms[i] = ()  # "Islamic State Khorasan (ISKP)" is one entity
    numbers = {start: (end, value) for start, end, value in _numbers(keys, skip, lang)}
    for start, (end, value) in numbers.items():
        as_written = end == start + 1 and keys[start].isdigit()  # "000" stays "000"
        number = keys[start] if as_written else _format_number(value)
        norms[start:end] = [(number,)] + [()] * (end - start - 1)
    return _Run(lang, words, keys, entities, flags, norms, numbers)


def normalize_claim_text(
    text: str, language: str | None = None, aliases: AliasSource | None = None
) -> str:
    """The normalized form of a claim (see the module docstring). ``aliases`` is a table
    canonical -> surface forms or surface -> canonical, or a compiled ``AliasIndex``;
    None means ``DEFAULT_ALIASES``."""
    run = _run(text, language, compile_aliases(aliases))
    return " ".join([t for norm in run.norms for t in norm])


def analyze(text: str, language: str | None = None, aliases: AliasSource | None = None) -> Analysis:
    """The analysis of a claim: its tokens with entities, numbers, stems and flags, and its
    normalized text. ``aliases`` as for ``normalize_claim_text``."""
    run = _run(text, language, compile_aliases(aliases), flagged=True)
    tokens: list[Token] = []
    i = 0
    while i < len(run.keys):
        key, entity, norm = run.keys[i], run.entities[i], run.norms[i]
        if i in run.numbers:
            end, value = run.numbers[i]
            surface = " ".join(run.words[i:end])
            tokens.append(Token(surface, norm[0], norm, norm[0], None, value, run.flags[i]))
            i = end
            continue
        stem = key if entity is not None else light_stem(key, run.language)
        tokens.append(Token(run.words[i], key, norm, stem, entity, None, run.flags[i]))
        i += 1
    return Analysis(text, run.language, tuple(tokens))
