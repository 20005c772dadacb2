"""Claim text normalisation for deduplication.

``normalize_claim_text(text, language=None, aliases=None)`` returns space-separated tokens:

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
from dataclasses import dataclass
from functools import lru_cache

from tracker.services.dedup import lexicon as lx
from tracker.services.dedup import word_files
from tracker.services.dedup.alias_match import (
    FUNCTION_WORDS,
    TELLING_WORDS,
    TOKEN_PATTERN,
    AliasIndex,
    AliasSource,
    alias_lookup,
    compile_aliases,
    entity_token,
    fold,
    match_aliases,
    prepare_aliases,
    surface_key,
)
from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES as DEFAULT_ALIASES
from tracker.services.dedup.entity_lexicon import ENTITY_TYPES as ENTITY_TYPES
from tracker.services.dedup.post_text import strip_post_markup
from tracker.services.dedup.spelling_lexicon import SPELLING_VARIANTS

__all__ = [
    "AFTER_HYPHEN",
    "AFTER_SLASH",
    "AFTER_SPACE",
    "DEFAULT_ALIASES",
    "ENTITY_TYPES",
    "FUNCTION_WORDS",
    "NORMALIZER_VERSION",
    "SENTENCE_START",
    "AliasIndex",
    "AliasSource",
    "Analysis",
    "Token",
    "alias_lookup",
    "analyze",
    "compile_aliases",
    "entity_token",
    "fold",
    "guess_language",
    "light_stem",
    "normalize_claim_text",
    "normalize_word",
    "surface_key",
]

# Bump whenever the output for some input changes, so stored texts can be recomputed.
# 2.2: synonyms from tracker/data/lexical (cross-language cognates), extra aliases.
NORMALIZER_VERSION = "2.2"  # 2.1: links dropped, hashtags and handles split

_GAP_TOKEN = re.compile(r"(\W*)(\d+(?:\.\d+)+|\w+)")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th|e|er|de|ste|te|re|eme|ème)")
_BREAK = re.compile('[.!?:;\n"“”„«»]')
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "nr", "no", "vs", "prof", "gen", "jr", "sr", "ca"}
)

SENTENCE_START, AFTER_HYPHEN, AFTER_SLASH, AFTER_SPACE = 1, 2, 4, 8  # word flags


def _scan(text: str) -> tuple[list[str], list[int]]:
    """Words of prepared text and their flags (sentence start, or the gap before them is
    exactly "-", "/" or one space)."""
    words: list[str] = []
    flags: list[int] = []
    for gap, word in _GAP_TOKEN.findall(text):
        if gap == " ":
            flags.append(AFTER_SPACE)
        elif not words:
            flags.append(SENTENCE_START)
        elif gap == "-":
            flags.append(AFTER_HYPHEN)
        elif gap == "/":
            flags.append(AFTER_SLASH)
        elif _BREAK.search(gap) and not _abbreviation(words[-1], gap):
            flags.append(SENTENCE_START)
        else:
            flags.append(0)
        words.append(word)
    return words, flags


def _abbreviation(previous: str, gap: str) -> bool:
    """A dot after an initial, an abbreviation or a day number ("22. mars") ends nothing."""
    if gap.strip() != ".":
        return False
    return len(previous) == 1 or previous.isdigit() or fold(previous) in _ABBREVIATIONS


# --- language ------------------------------------------------------------------------------


def _language_code(language: str | None) -> str | None:
    if not language:
        return None
    code = language.strip().split("-")[0].split("_")[0].lower()
    return lx.LANGUAGE_ALIASES.get(code, code) or None


def guess_language(words: list[str]) -> str | None:
    """The language whose function words weigh most among folded words (a word shared by k
    languages weighs 1/k for each; ties go to the earlier of en, de, nl, nb, nn, da, sv,
    fr), or None when there are none."""
    scores: dict[str, float] = {}
    telling = TELLING_WORDS
    for word in words:
        if word in telling:
            for lang, weight in telling[word].items():
                scores[lang] = scores.get(lang, 0.0) + weight
    if not scores:
        return None
    return max(lx.LANGUAGES, key=lambda lang: scores.get(lang, 0.0))


# --- numbers --------------------------------------------------------------------------------


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


# --- words ----------------------------------------------------------------------------------


def _synonym_table() -> dict[str, dict[str, str]]:
    """``lexicon.SYNONYMS`` with the forms of ``tracker/data/lexical/synonyms.<lang>.txt``
    added (canonical -> language -> space-separated forms)."""
    table = {canonical: dict(forms) for canonical, forms in lx.SYNONYMS.items()}
    for lang in word_files.LANGUAGES:
        for canonical, forms in word_files.synonyms(lang).items():
            entry = table.setdefault(canonical, {})
            entry[lang] = " ".join([entry.get(lang, ""), *forms]).strip()
    return table


_VOWELS = frozenset("aeiouy")
_SPELLING = {fold(k): fold(v) for k, v in SPELLING_VARIANTS.items()}
SYNONYMS = _synonym_table()
_PROTECTED = frozenset(SYNONYMS)
_COMPOUNDING = frozenset({"de", "nl", "nb", "nn", "da", "sv"})


def _table_language(lang: str) -> str:
    return "nb" if lang == "nn" else lang


@lru_cache(maxsize=32)
def _suffixes(lang: str) -> tuple[tuple[str, str], ...]:
    rules = lx.STEM_SUFFIXES.get(_table_language(lang), {})
    return tuple(sorted(rules.items(), key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=32)
def _irregular(lang: str) -> dict[str, str]:
    return {fold(k): fold(v) for k, v in lx.IRREGULAR.get(lang, {}).items()}


def _stem_once(word: str, lang: str) -> str:
    removed = ""
    if lang == "nl":
        word = _undouble(word)
    for suffix, replacement in _suffixes(lang):
        # One-letter endings need a longer stem: "gest" (from "gestern") keeps its t.
        least = lx.STEM_MIN + (len(suffix) == 1 and lang != "en")
        if word.endswith(suffix) and len(word) - len(suffix) >= least:
            if lang == "en" and suffix == "s" and word[-2] in "sui":
                continue  # "class", "status", "crisis"
            word, removed = word[: -len(suffix)] + replacement, suffix
            break
    if lang == "en":
        if removed.startswith(("ed", "ing")) and word[-1] == word[-2] and word[-1] in "bdgmnprt":
            word = word[:-1]  # "planned" -> "plan"
        if removed in ("ed", "ing") and word[-1] == "s" and word[-2] in "aeioulnrp":
            word += "e"  # "closed" -> "close", like "close" and "closes"
        if len(word) >= 4 and word[-1] == "y" and word[-2] not in _VOWELS:
            word = word[:-1] + "i"  # "treaty"/"treaties" -> "treati"
        if len(word) >= 4 and word[-1] == "e" and word[-2] != "s":
            word = word[:-1]  # "approve"/"approved" -> "approv"; "defense" keeps its e
    elif lang in ("de", "nl"):
        word = _without_ge(word, lang)
    return _undouble(word) if lang == "nl" else word


def _undouble(word: str) -> str:
    """Dutch spelling alternations: "bommen" -> "bom", "maak" -> "mak", "soldaat" -> "soldat"."""
    if len(word) >= 4 and word[-1] not in _VOWELS:
        if word[-1] == word[-2]:
            return word[:-1]
        if word[-2] == word[-3] and word[-2] in "aeou":
            return word[:-3] + word[-2] + word[-1]
    return word


def _without_ge(word: str, lang: str) -> str:
    """Drop the participle "ge-", also after a separable particle ("angekündigt")."""
    if word.startswith("ge") and len(word) >= 5:
        return word[2:]
    for particle in lx.PARTICLES[lang]:
        rest = word[len(particle) :]
        if word.startswith(particle) and rest.startswith("ge") and len(rest) >= 5:
            return particle + rest[2:]
    return word


@lru_cache(maxsize=200_000)
def _light(word: str, lang: str) -> str:
    for _ in range(8):
        step = _irregular(lang).get(word) or _stem_once(_SPELLING.get(word, word), lang)
        if step == word:
            break
        word = step
    return word


def light_stem(word: str, language: str | None) -> str:
    """The folded word reduced by irregular forms, spelling variants and suffix stripping (no
    synonyms); unchanged for languages without rules."""
    lang = _language_code(language) or "en"
    return _light(fold(word), lang) if lang in lx.STEM_SUFFIXES else fold(word)


@lru_cache(maxsize=32)
def _synonyms(lang: str) -> tuple[dict[str, str], dict[str, str], tuple[tuple[str, str], ...]]:
    """(exact word -> canonical, stem -> canonical, compound heads longest first)."""
    exact: dict[str, str] = {}
    stems: dict[str, str] = {}
    regular: list[tuple[str, str]] = []
    for canonical, forms in SYNONYMS.items():
        for form in forms.get(_table_language(lang), "").split():
            if form.endswith("!"):
                exact[fold(form[:-1])] = canonical
            else:
                stems[_light(fold(form), lang)] = canonical
                regular.append((fold(form), canonical))
    for base, canonical in regular:  # "droner", "dronen" where the stemmer splits them
        for ending in word_files.inflections(lang):
            merged = base[:-1] if base.endswith("e") and ending.startswith("e") else base
            stem = _light(merged + ending, lang)
            if len(stem) >= 4:
                stems.setdefault(stem, canonical)
    heads: tuple[tuple[str, str], ...] = ()
    if lang in _COMPOUNDING:  # stems, and the words as listed ("pakt" loses its t in a stem)
        forms = {fold(f): c for c, fs in SYNONYMS.items() for f in fs.get(lang, "").split()}
        pairs = {**stems, **{f: c for f, c in forms.items() if not f.endswith("!")}}
        heads = tuple(
            sorted(((h, c) for h, c in pairs.items() if len(h) >= 4), key=lambda p: -len(p[0]))
        )
    return exact, stems, heads


@lru_cache(maxsize=200_000)
def normalize_word(word: str, language: str | None) -> tuple[str, ...]:
    """The normalized tokens of one word (two for a compound ending in a synonym)."""
    lang = _language_code(language) or "en"
    word = fold(word)
    if (
        word in FUNCTION_WORDS
        or word in _PROTECTED
        or word.startswith("ent_")
        or not word.isalpha()
        or lang not in lx.STEM_SUFFIXES
    ):
        return (word,)
    exact, stems, heads = _synonyms(lang)
    if word in exact:
        return (exact[word],)
    stem = _light(word, lang)
    if stem in stems:
        return (stems[stem],)
    for head, canonical in heads:
        for whole in (stem, word):
            if whole.endswith(head) and len(whole) - len(head) >= 4:
                return (*normalize_word(whole[: -len(head)], lang), canonical)
    return (word,) if stem in FUNCTION_WORDS else (stem,)


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
    language: str  # the language used (given, guessed, or "en")
    tokens: tuple[Token, ...]

    @property
    def normalized(self) -> str:
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
    prepared = prepare_aliases(strip_post_markup(text))
    if flagged:
        words, flags = _scan(prepared)
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
    lang = _language_code(language)
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
    """The tokens of a claim with entities, numbers, stems and flags (used by the guards)."""
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
    return Analysis(run.language, tuple(tokens))
