"""From raw text to words, and from a word to its normalized tokens: steps 1, 3, 4 and 6 of the
``analysis`` pipeline (whose docstring describes them); entities and numbers, which span
several words, are ``analysis``'s.

- Text: social-media markup (links dropped, #hashtags and @handles split into their words,
  so that a post's tags match the words of a stored claim: "#BoycottCVS" -> "Boycott CVS"),
  NFKC and the rewrites of contractions, thousands separators, decimal commas and "%"
  (``prepare_text``); words split on punctuation and hyphens, with the gap before each
  (``scan_words``).
- Folding: casefold without diacritics (``fold``).
- Language: the function words of every language and the guess from them
  (``guess_language``).
- Words: irregular forms, spelling variants and light suffix stripping (``light_stem``),
  then synonyms and compound heads (``normalize_word``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tracker.services.dedup import lexicon as lx
from tracker.services.dedup import word_files
from tracker.services.dedup.spelling_lexicon import SPELLING_VARIANTS

# --- text -----------------------------------------------------------------------------------

# Links: a scheme or "www.", and the "pic.twitter.com/..." that copied tweets carry (often
# glued to the word before it).
_LINK = re.compile(r"(?:https?://|www\.)\S+|pic\.twitter\.com/\S*", re.IGNORECASE)
_TAG = re.compile(r"(?<![\w#@])[#@]([^\W_]\w*)")
# Word boundaries inside a tag.
_INNER = re.compile(
    r"(?<=[^\W\d_])(?=\d)"  # Iran|2020
    r"|(?<=\d)(?=[A-ZÀ-Þ])"  # 100|Days (but 25th stays)
    r"|(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])"  # Boycott|CVS
    r"|(?<=[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ])"  # CVS|Boycott
    r"|_+"
)


def _split_tag(match: re.Match[str]) -> str:
    return " " + " ".join(_INNER.sub(" ", match.group(1)).split()) + " "


def strip_post_markup(text: str) -> str:
    """``text`` without links, its hashtags and handles split into words."""
    if "://" in text or "www." in text or "pic.twitter" in text:
        text = _LINK.sub(" ", text)
    if "#" in text or "@" in text:
        text = _TAG.sub(_split_tag, text)
    return text


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


def prepare_text(text: str) -> str:
    """NFKC and the text-level rewrites of step 1 (after ``strip_post_markup``)."""
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


# --- words of a text ------------------------------------------------------------------------

_GAP_TOKEN = re.compile(r"(\W*)(\d+(?:\.\d+)+|\w+)")
_BREAK = re.compile('[.!?:;\n"“”„«»]')
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "nr", "no", "vs", "prof", "gen", "jr", "sr", "ca"}
)

SENTENCE_START, AFTER_HYPHEN, AFTER_SLASH, AFTER_SPACE = 1, 2, 4, 8  # word flags


def scan_words(text: str) -> tuple[list[str], list[int]]:
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


# --- function words and language ------------------------------------------------------------


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


def language_code(language: str | None) -> str | None:
    """The rule language of a BCP-47 tag ("en-GB" -> "en", "no" -> "nb"), or None."""
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


# --- one word -------------------------------------------------------------------------------


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
    lang = language_code(language) or "en"
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
    lang = language_code(language) or "en"
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
