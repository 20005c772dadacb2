"""Claim text normalisation for deduplication.

``normalize_claim_text(text, language=None, aliases=None)`` returns space-separated tokens:

1. NFKC; contractions ("doesn't" -> "does not"), possessive "'s", thousands separators,
   decimal commas and "%" are rewritten; words are split on punctuation and hyphens.
2. Entity aliases (default: ``DEFAULT_ALIASES``) match as phrases, longest first, on word
   boundaries, ignoring case and diacritics and allowing a short inflection on any word
   ("Nordkoreas", "russische", "USAs"). A match becomes one token ``ent_<canonical>``; an
   entity repeated right after itself ("Islamic State Khorasan (ISKP)") is written once.
   Forms whose words all have at most three letters must be capitalised in the text ("Xi",
   "USA"); those that are also function words ("US", "IS", "WHO", "UN") must be written in
   capitals, and never match in an all-capitals text.
3. Every other word is casefolded with diacritics removed (ß -> ss, ä -> a, å -> a).
4. The language is the given BCP-47 tag, or a guess from function words after aliasing
   (English when there are none); nb/nn/da share rules.
5. Number words and digits become one number ("three thousand" -> "3000", "1,5 Mio." ->
   "1500000", "einundzwanzig" -> "21").
6. Each remaining word: irregular forms, British -> American spelling, light stemming
   (ratify/ratified/ratification -> "ratif", ratifiziert/Ratifizierung -> "ratifiz",
   geratificeerd -> "ratific", ratifiserte -> "ratifis"), then synonyms ("pact", "Abkommen",
   "verdrag", "avtale" -> "treaty"); compound nouns ending in a synonym are split
   ("Verteidigungsabkommen" -> "verteidig treaty"). Function words are kept as written, and
   a stem is never allowed to become a function word or an alias.

The output is idempotent: normalizing normalized text returns it unchanged (with the same
language and aliases). Limits: no part-of-speech tagging or real lemmatisation (some
unrelated words share a stem, strong German/Dutch verb forms are only folded when listed),
separated verb particles ("hob ... auf") are not joined, and without a language a claim
with no function words is treated as English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.services import lexicon as lx
from tracker.services.entity_lexicon import DEFAULT_ALIASES as DEFAULT_ALIASES
from tracker.services.entity_lexicon import ENTITY_TYPES as ENTITY_TYPES
from tracker.services.spelling_lexicon import SPELLING_VARIANTS

# Bump whenever the output for some input changes, so stored texts can be recomputed.
NORMALIZER_VERSION = "2.0"

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043"), "-")
_REWRITES = (  # (cheap test on the casefolded text, pattern, replacement)
    ("n't", re.compile(r"(?i)\b(ca)n't\b"), r"\1n not"),
    ("won't", re.compile(r"(?i)\bwon't\b"), "will not"),
    ("cannot", re.compile(r"(?i)\bcannot\b"), "can not"),
    ("n't", re.compile(r"(?i)n't\b"), " not"),
    ("'s", re.compile(r"(?i)(?<=\w)'s\b"), ""),
)
_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d.,])")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_PERCENT = re.compile(r"%|(?i:\bp(?:er|our) cent\b)")
_TOKEN = re.compile(r"\d+(?:\.\d+)+|\w+")
_GAP_TOKEN = re.compile(r"(\W*)(\d+(?:\.\d+)+|\w+)")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th|e|er|de|ste|te|re|eme|ème)")
_BREAK = re.compile('[.!?:;\n"“”„«»]')
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "nr", "no", "vs", "prof", "gen", "jr", "sr", "ca"}
)

SENTENCE_START, AFTER_HYPHEN, AFTER_SLASH = 1, 2, 4


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Casefold and remove diacritics (ø, æ and ð stay: they are letters of their own)."""
    folded = word.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _prepare(text: str) -> str:
    """NFKC and the text-level rewrites of step 1."""
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
        text = _SPACED_THOUSANDS.sub(lambda m: m.group().replace(" ", ""), text)
        text = _DECIMAL_COMMA.sub(".", text)
    if "%" in text or "cent" in text:
        text = _PERCENT.sub(" percent ", text)
    return text


def _scan(text: str) -> tuple[list[str], list[int]]:
    """Words of prepared text and their flags (sentence start, after "-", after "/")."""
    words: list[str] = []
    flags: list[int] = []
    for gap, word in _GAP_TOKEN.findall(text):
        if gap == " ":
            flags.append(0)
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
    return _compiled(frozenset(alias_lookup(aliases).items()))


@lru_cache(maxsize=8)
def _compiled(items: frozenset[tuple[str, str]] | None) -> AliasIndex:
    lookup = alias_lookup(None) if items is None else dict(items)
    by_words: dict[tuple[str, ...], _Entry] = {}
    for surface, canonical in sorted(lookup.items()):
        raw = _TOKEN.findall(_prepare(surface))
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


def _match_aliases(
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


# --- language ------------------------------------------------------------------------------


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
FUNCTION_WORDS, _TELLING = _language_tables()


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
    telling = _TELLING
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
    if word in memo:
        return memo[word]
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
        None if i in skip else memo[w] if w in memo else _number_parts(w, lang)
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

_VOWELS = frozenset("aeiouy")
_SPELLING = {fold(k): fold(v) for k, v in SPELLING_VARIANTS.items()}
_PROTECTED = frozenset(lx.SYNONYMS)
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
    for canonical, forms in lx.SYNONYMS.items():
        for form in forms.get(_table_language(lang), "").split():
            if form.endswith("!"):
                exact[fold(form[:-1])] = canonical
            else:
                stems[_light(fold(form), lang)] = canonical
    heads: tuple[tuple[str, str], ...] = ()
    if lang in _COMPOUNDING:  # stems, and the words as listed ("pakt" loses its t in a stem)
        forms = {fold(f): c for c, fs in lx.SYNONYMS.items() for f in fs.get(lang, "").split()}
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
    flags: int  # SENTENCE_START | AFTER_HYPHEN | AFTER_SLASH

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
    prepared = _prepare(text)
    if flagged:
        words, flags = _scan(prepared)
    else:  # normalization needs no flags
        words = _TOKEN.findall(prepared)
        flags = [0] * len(words)
    keys = [fold(w) for w in words]
    entities: list[str | None] = [None] * len(keys)
    if "ent_" in prepared:  # already normalized text
        entities = [k[4:] if k.startswith("ent_") else None for k in keys]
    # An all-capitals text with real words ("NORTH KOREA IS TESTING") has no case to go by.
    shouty = prepared.isupper() and any(len(w) >= 5 and w.isalpha() for w in words)
    matches = _match_aliases(words, keys, index, shouty)
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
    norms = [memo[k] if k in memo else _norm(k, lang, index, memo) for k in keys]
    skip = {i for i, e in enumerate(entities) if e is not None}
    for i in skip:
        if i and entities[i - 1] == entities[i]:
            norms[i] = ()  # "Islamic State Khorasan (ISKP)" is one entity
    numbers = {start: (end, value) for start, end, value in _numbers(keys, skip, lang)}
    for start, (end, value) in numbers.items():
        norms[start:end] = [(_format_number(value),)] + [()] * (end - start - 1)
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
