"""Guards against false claim merges: differences that a similarity score misses.

``compare(a, b)`` returns one ``GuardWarning`` per kind of difference found, in this order:

- ``negation``: a negation ("not", "no longer", "nicht", "kein", "ikke", "niet", "inte",
  "ne ... pas" ...) in one claim and none in the other. A negation that turns a word into its
  opposite ("did not approve" vs "rejected") explains itself and raises nothing. Removal and
  reversal verbs ("delist", "revoke", "lift", "withdraw from", "streichen", "opheffen",
  "fjerne ... fra", "retirer ... de"; ``tracker/data/guards/reversal.<lang>.txt``) carry the
  same "no longer": "delists" against "no longer lists" raises nothing, against "lists" it
  warns. A negated reversal ("did not revoke") cancels out, and a reversal word that the
  polarity guard already compares ("lifted" vs "imposed") is left to it.
- ``polarity``: opposite words ("imposes"/"lifts", "ratified"/"withdrew", "increase"/
  "decrease", "legal"/"illegal"), also by prefix ("unconstitutional"/"constitutional",
  "disapproves"/"approves", "ulovlig"/"lovlig") and opposite suffixes ("verfassungswidrig"/
  "verfassungsgemäß").
- ``number``: numbers of one claim that the other contradicts ("45 vs 54", "three vs four",
  "dozens vs millions"); "3" and "three" are the same, "thousands" allows 3000. Days and years
  of dates are left to ``date``; model numbers such as "F-16" are skipped.
- ``date``: different years, days, months, weekdays or relative days ("yesterday"/"gestern").
- ``entity``: an entity replaced by another of the same type after aliasing (North vs South
  Korea, Chile vs Peru, Moscow vs Kazan), or an unknown capitalised name replaced by another.
- ``event_verb``: different stages of one kind of event (proposed vs adopted, announced vs
  signed, planned vs carried out, arrested vs convicted, threatened vs attacked).

A difference counts only when both claims say something of the kind: a claim that omits the
date, a number or an entity is not contradicted. Limits: word lists, not parsing, so scope is
ignored ("not only ... but"), negation is matched in a window of three words before (two
after in de/nl/nb/da/sv), separated German/Dutch verb particles are not joined, unknown
names are not used for all-capitalised or title-case texts and only guessed for German
(where every noun is capitalised), and French numbers from 70 to 99 are not parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.services.dedup import guard_lexicon as gl
from tracker.services.dedup import word_files
from tracker.services.dedup.normalize import (
    AFTER_HYPHEN,
    AFTER_SLASH,
    AFTER_SPACE,
    ENTITY_TYPES,
    FUNCTION_WORDS,
    AliasSource,
    Analysis,
    Token,
    analyze,
    compile_aliases,
    fold,
    light_stem,
    normalize_word,
)

CODES = ("negation", "polarity", "number", "date", "entity", "event_verb")
_VERB_SECOND = frozenset({"de", "nl", "nb", "nn", "da", "sv"})
_NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_MONTH_NAMES = tuple(m[0] for m in gl.MONTHS)


_Number = tuple[float, float, str]


@dataclass(frozen=True)
class GuardWarning:
    code: str
    detail: str


@dataclass
class _Facts:
    """What the guards read from one claim."""

    analysis: Analysis
    negations: list[tuple[int, str]] = field(default_factory=list)  # token index, marker
    reversals: list[tuple[int, str]] = field(default_factory=list)  # token index, words
    polarity: list[tuple[str, int, int, str]] = field(default_factory=list)  # key side i word
    events: dict[str, dict[str, str]] = field(default_factory=dict)  # group -> stage -> word
    numbers: list[_Number] = field(default_factory=list)  # low, high, as written
    dates: dict[str, set[str]] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)  # canonical -> type
    names: list[tuple[str, ...]] = field(default_factory=list)
    stems: dict[str, int] = field(default_factory=dict)  # stem -> token index
    words: set[str] = field(default_factory=set)  # folded words and normalized tokens

    @property
    def language(self) -> str:
        return self.analysis.language


def compare(
    a: str,
    b: str,
    *,
    language_a: str | None = None,
    language_b: str | None = None,
    aliases: AliasSource | None = None,
) -> list[GuardWarning]:
    """Warnings about differences between claims ``a`` and ``b`` (see the module docstring).
    ``aliases`` is the same table ``normalize_claim_text`` takes (default: the seed list)."""
    return Reader(aliases).compare(a, b, language_a=language_a, language_b=language_b)


class Reader:
    """``compare`` that reads each claim text once: one query against many candidates reads
    the query once (the facts of a text depend only on it, its language and the aliases)."""

    MEMO = 2_000  # texts remembered (a batch scan reads every claim: bounded memory)

    def __init__(self, aliases: AliasSource | None = None) -> None:
        self.index = compile_aliases(aliases)
        self._read: dict[tuple[str, str | None], _Facts] = {}

    def facts(self, text: str, language: str | None) -> _Facts:
        key = (text, language)
        if key not in self._read:
            if len(self._read) >= self.MEMO:
                self._read.clear()
            self._read[key] = _facts(analyze(text, language, self.index))
        return self._read[key]

    def compare(
        self, a: str, b: str, *, language_a: str | None = None, language_b: str | None = None
    ) -> list[GuardWarning]:
        return _warnings(self.facts(a, language_a), self.facts(b, language_b))


def _warnings(fa: _Facts, fb: _Facts) -> list[GuardWarning]:
    polarity, (explained_a, compared_a), (explained_b, compared_b) = _polarity(fa, fb)
    found = {
        "negation": _negation(fa, fb, (explained_a, compared_a), (explained_b, compared_b)),
        "polarity": polarity,
        "number": _numbers(fa, fb),
        "date": _dates(fa, fb),
        "entity": _entities(fa, fb),
        "event_verb": _events(fa, fb),
    }
    return [GuardWarning(code, found[code]) for code in CODES if found[code]]


# --- reading a claim ------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _phrases(kind: str, lang: str) -> dict[tuple[str, ...], tuple[str, str]]:
    """Normalized phrase -> (key, value) for the polarity pairs or the event stages."""
    table_lang = "nb" if lang == "nn" else lang
    specs: Iterable[tuple[str, str, str]]
    if kind == "polarity":
        specs = ((f"pair{i}", "", spec) for i, spec in enumerate(gl.POLARITY))
    else:
        specs = gl.EVENT_STAGES
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for key, stage, spec in specs:
        for part in spec.split(";"):
            code, _, sides = part.partition("=")
            if code.strip() != table_lang:
                continue
            for side, forms in enumerate(sides.split("|")):
                for form in forms.split(","):
                    words = tuple(t for w in form.split() for t in normalize_word(w, lang))
                    if words:
                        table.setdefault(words, (key, stage or str(side)))
                    for inflected in _inflections(form.strip(), lang):  # "kutte": "kutter"
                        table.setdefault(inflected, (key, stage or str(side)))
    return table


def _inflections(form: str, lang: str) -> list[tuple[str, ...]]:
    """Normalized regular inflections of a one-word form (``word_files.inflections``) that
    normalize to something of their own: the light stemmer gives nb "kutte" and "kutter"
    different stems."""
    if " " in form or not form:
        return []
    base = fold(form)
    stem = light_stem(base, lang)
    out: list[tuple[str, ...]] = []
    for ending in word_files.inflections(lang):
        merged = base[:-1] if base.endswith("e") and ending.startswith("e") else base
        if light_stem(merged + ending, lang) == stem:
            continue  # the form itself covers it
        words = normalize_word(merged + ending, lang)
        if len(words) == 1 and len(words[0]) >= 4:
            out.append(words)
    return out


def _scan_phrases(facts: _Facts, kind: str) -> Iterable[tuple[int, str, tuple[str, str]]]:
    """(token index, surface, table value) of each table phrase in the claim."""
    table = _phrases(kind, facts.language)
    flat = [(t, i) for i, token in enumerate(facts.analysis.tokens) for t in token.norm]
    j = 0
    while j < len(flat):
        for size in (3, 2, 1):
            value = table.get(tuple(t for t, _ in flat[j : j + size]))
            if value is not None and j + size <= len(flat):  # a full phrase, not a cut one
                first = flat[j][1]
                tokens = facts.analysis.tokens[first : flat[j + size - 1][1] + 1]
                yield first, " ".join(t.surface for t in tokens).lower(), value
                j += size
                break
        else:
            j += 1


_Segments = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=16)
def _reversal_phrases(lang: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The reversal phrases of a language as light stems, in segments split at the gaps.
    Stems, not normalized tokens: synonyms must not widen a phrase ("delist" is a synonym of
    "remove" for matching, but "removed" alone is no reversal)."""
    phrases = []
    for phrase in word_files.reversal_phrases(lang):
        segments: list[tuple[str, ...]] = [()]
        for word in phrase:
            if word == word_files.GAP:
                segments.append(())
            else:
                segments[-1] += tuple(light_stem(w, lang) for w in re.findall(r"\w+", word))
        phrases.append(tuple(segments))
    return tuple(phrases)


@lru_cache(maxsize=16)
def _reversal_index(lang: str) -> dict[str, list[tuple[tuple[str, ...], ...]]]:
    """The reversal phrases by their first stem (a claim's words are looked up, not scanned)."""
    index: dict[str, list[tuple[tuple[str, ...], ...]]] = {}
    for phrase in _reversal_phrases(lang):
        index.setdefault(phrase[0][0], []).append(phrase)
    return index


def _read_reversals(facts: _Facts) -> None:
    """Fill ``facts.reversals``: each reversal phrase found, at its first word."""
    tokens = facts.analysis.tokens
    stems = [token.stem for token in tokens]

    def at(segment: tuple[str, ...], k: int) -> bool:
        return tuple(stems[k : k + len(segment)]) == segment

    index = _reversal_index(facts.language)
    j = 0
    while j < len(tokens):
        for first, *rest in index.get(stems[j], ()):
            if not at(first, j):
                continue
            spans = [(j, len(first))]  # (start, length) of each segment
            for segment in rest:
                end = spans[-1][0] + spans[-1][1]
                gap = range(end, end + word_files.GAP_WORDS + 1)
                k = next((k for k in gap if at(segment, k)), None)
                if k is None:
                    break
                spans.append((k, len(segment)))
            else:
                shown = [
                    " ".join(t.surface.lower() for t in tokens[start : start + size])
                    for start, size in spans
                ]
                facts.reversals.append((j, " ... ".join(shown)))
                j += len(first) - 1
                break
        j += 1


def _facts(analysis: Analysis) -> _Facts:
    facts = _Facts(analysis)
    lang = analysis.language
    tokens = analysis.tokens
    extra = gl.AMBIGUOUS_NEGATIONS.get(lang, frozenset())
    phrases = {tuple(fold(p).split()) for p in gl.NEGATION_PHRASES}
    for i, token in enumerate(tokens):
        if token.entity is None and (token.folded in gl.NEGATIONS or token.folded in extra):
            pair = (token.folded, tokens[i + 1].folded) if i + 1 < len(tokens) else ()
            if not pair or pair[1] not in gl.NOT_NEGATING_NEXT:  # not "not only"
                facts.negations.append((i, " ".join(pair) if pair in phrases else token.folded))
        facts.words.add(token.folded)
        facts.words.update(token.norm)
        if token.entity is None and token.value is None and token.folded.isalpha():
            facts.stems.setdefault(token.stem, i)
        if token.entity is not None:
            facts.entities[token.entity] = ENTITY_TYPES.get(token.entity, "other")
    for i, word, (key, side) in _scan_phrases(facts, "polarity"):
        facts.polarity.append((key, int(side), i, word))
    for _, word, (group, stage) in _scan_phrases(facts, "event"):
        facts.events.setdefault(group, {}).setdefault(stage, word)
    _read_reversals(facts)
    used = _read_dates(facts)
    _read_numbers(facts, used)
    facts.names = _names(analysis)
    return facts


# --- negation and polarity ------------------------------------------------------------------


def _negated_by(facts: _Facts, position: int, *, reversal: bool = False) -> list[int]:
    """Token indexes of the negations that govern the word at ``position``. A reversal verb
    gets wider windows: its object may stand between it and the negation ("hat die Taliban
    nicht von der Liste gestrichen", "strich die Taliban nicht"), and French "pas" follows it."""
    before = 3
    after = 2 if facts.language in _VERB_SECOND else 0
    if reversal:
        before = 5 if facts.language in _VERB_SECOND else 3
        after = 4 if facts.language in _VERB_SECOND else int(facts.language == "fr")
    return [
        i
        for i, _ in facts.negations
        if position - before <= i < position or position < i <= position + after
    ]


_PREFIX_EXCEPTIONS = tuple(sorted(gl.PREFIX_EXCEPTIONS))


def _opposite_words(fa: _Facts, fb: _Facts) -> list[tuple[str, int, int, str]]:
    """Pseudo pair hits for claim ``fa`` from prefixes and suffixes against claim ``fb``."""
    hits: list[tuple[str, int, int, str]] = []
    prefixes = set(gl.PREFIX_NEGATORS.get(fa.language, ())) | set(
        gl.PREFIX_NEGATORS.get(fb.language, ())
    )
    for stem, i in fa.stems.items():
        if stem in fb.stems or stem.startswith(_PREFIX_EXCEPTIONS):
            continue
        for prefix in prefixes:
            rest = stem[len(prefix) :]
            # "unlawful" here and "lawful" there (not when this claim has both)
            if (
                stem.startswith(prefix)
                and len(rest) >= 4
                and rest in fb.stems
                and rest not in fa.stems
            ):
                hits.append((f"prefix:{rest}", 1, i, fa.analysis.tokens[i].surface.lower()))
        word = fa.analysis.tokens[i].folded
        for one, other in gl.SUFFIX_OPPOSITES + tuple((y, x) for x, y in gl.SUFFIX_OPPOSITES):
            at = word.rfind(one)
            if at >= 3 and len(word) - at - len(one) <= 3:
                base = word[:at]
                if any(w.startswith(base + other) for w in fb.words):
                    hits.append((f"suffix:{base}", one < other, i, word))
    return hits


_Used = tuple[set[int], set[int]]  # negations explained, token indexes the pairs compared


def _polarity(fa: _Facts, fb: _Facts) -> tuple[str, _Used, _Used]:
    """(detail, (negations explained, words compared) in a, the same in b)."""
    hits_a = fa.polarity + _opposite_words(fa, fb)
    hits_b = fb.polarity + _opposite_words(fb, fa)
    # The base word of a prefix/suffix pair is a hit of its own claim too.
    for hits, other, facts in ((hits_a, hits_b, fa), (hits_b, hits_a, fb)):
        for key, side, _, _ in list(other):
            if key.startswith("prefix:") and side == 1:
                rest = key.removeprefix("prefix:")
                if rest in facts.stems:
                    i = facts.stems[rest]
                    hits.append((key, 0, i, facts.analysis.tokens[i].surface.lower()))
    details: list[str] = []
    explained_a: set[int] = set()
    explained_b: set[int] = set()
    compared_a: set[int] = set()
    compared_b: set[int] = set()
    for key in sorted({h[0] for h in hits_a} & {h[0] for h in hits_b}):
        side_a = [(s, i, w) for k, s, i, w in hits_a if k == key]
        side_b = [(s, i, w) for k, s, i, w in hits_b if k == key]
        compared_a.update(i for _, i, _ in side_a)
        compared_b.update(i for _, i, _ in side_b)
        plain_a, plain_b = {s for s, _, _ in side_a}, {s for s, _, _ in side_b}
        if not plain_a.isdisjoint(plain_b):
            continue
        flipped_a = {s ^ bool(_negated_by(fa, i)) for s, i, _ in side_a}
        flipped_b = {s ^ bool(_negated_by(fb, i)) for s, i, _ in side_b}
        if flipped_a == flipped_b:  # "did not approve" vs "rejected"
            explained_a.update(n for _, i, _ in side_a for n in _negated_by(fa, i))
            explained_b.update(n for _, i, _ in side_b for n in _negated_by(fb, i))
            continue
        words_a = "/".join(dict.fromkeys(w for _, _, w in side_a))
        words_b = "/".join(dict.fromkeys(w for _, _, w in side_b))
        detail = f"{words_a} vs {words_b}"
        if detail not in details:
            details.append(detail)
    return "; ".join(details), (explained_a, compared_a), (explained_b, compared_b)


def _markers(facts: _Facts, explained: set[int], compared: set[int]) -> list[str]:
    """The "no longer" markers of a claim: negations no opposite word explains, and reversal
    words the polarity guard did not compare. A negation governing a reversal ("did not
    revoke") cancels it, and both drop out."""
    cancelled: set[int] = set()
    reversals = []
    for i, words in facts.reversals:
        if i in compared:
            continue
        governing = [n for n in _negated_by(facts, i, reversal=True) if n not in explained]
        if governing:
            cancelled.update(governing)
        else:
            reversals.append(words)
    negations = [m for i, m in facts.negations if i not in explained and i not in cancelled]
    return negations + reversals


def _negation(fa: _Facts, fb: _Facts, used_a: _Used, used_b: _Used) -> str:
    found_a = _markers(fa, *used_a)
    found_b = _markers(fb, *used_b)
    if bool(found_a) == bool(found_b):
        return ""
    if found_a:
        return f"negated ({', '.join(dict.fromkeys(found_a))}) vs not negated"
    return f"not negated vs negated ({', '.join(dict.fromkeys(found_b))})"


# --- numbers and dates ----------------------------------------------------------------------


def _read_numbers(facts: _Facts, used: set[int]) -> None:
    tokens = facts.analysis.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        vague = gl.VAGUE_QUANTITIES.get(token.folded)
        if vague is not None and token.entity is None:
            facts.numbers.append((vague[0], vague[1], token.surface.lower()))
        elif token.value is not None and i not in used:
            model = token.flags & AFTER_HYPHEN and i and tokens[i - 1].value is None
            value, surface = token.value, token.surface
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (  # "1 000" written with a plain space
                nxt is not None
                and token.surface.isdigit()
                and len(token.surface) <= 3
                and nxt.surface.isdigit()
                and len(nxt.surface) == 3
                and nxt.flags == AFTER_SPACE
            ):
                value, surface = value * 1000 + (nxt.value or 0), f"{surface} {nxt.surface}"
                i += 1
            if not model:
                facts.numbers.append((value, value, surface.lower()))
        i += 1


def _numbers(fa: _Facts, fb: _Facts) -> str:
    def unmatched(mine: list[_Number], theirs: list[_Number]) -> list[str]:
        return [s for lo, hi, s in mine if not any(lo <= h and low <= hi for low, h, _ in theirs)]

    only_a, only_b = unmatched(fa.numbers, fb.numbers), unmatched(fb.numbers, fa.numbers)
    if only_a and only_b:
        return f"{', '.join(dict.fromkeys(only_a))} vs {', '.join(dict.fromkeys(only_b))}"
    return ""


@lru_cache(maxsize=1)
def _date_words() -> tuple[
    dict[str, int], dict[str, int], dict[str, str], dict[tuple[str, ...], str]
]:
    months = {fold(w): n for n, names in enumerate(gl.MONTHS) for w in names}
    short = {fold(w): n for n, names in enumerate(gl.MONTH_ABBREVIATIONS) for w in names}
    weekdays = {fold(w): names[0] for names in gl.WEEKDAYS for w in names}
    relative = {tuple(fold(p).split()): label for p, label in gl.RELATIVE_DAYS.items()}
    return months, short, weekdays, relative


def _day(token: Token) -> int | None:
    value = token.value
    return int(value) if value is not None and value == int(value) and 1 <= value <= 31 else None


def _read_dates(facts: _Facts) -> set[int]:
    """Fill ``facts.dates``; returns the token indexes that belong to dates."""
    months, short, weekdays, relative = _date_words()
    tokens = facts.analysis.tokens
    dates: dict[str, set[str]] = {k: set() for k in ("year", "day", "month", "weekday", "relative")}
    used: set[int] = set()

    def add_day(day: int, month: int, *indexes: int) -> None:
        dates["day"].add(f"{day} {_MONTH_NAMES[month]}")
        used.update(indexes)

    for i, token in enumerate(tokens):
        word = token.folded
        if (m := _NUMERIC_DATE.fullmatch(token.surface)) and int(m[2]) in range(1, 13):
            add_day(int(m[1]), int(m[2]) - 1, i)
            dates["year"].add(m[3] if len(m[3]) == 4 else "20" + m[3])
            continue
        near = [tokens[k] for k in (i - 2, i - 1, i + 1, i + 2) if 0 <= k < len(tokens)]
        numeric = any(_day(t) or _year(t) for t in near)
        month = months.get(word)
        if month is None and numeric:
            month = short.get(word)
        if month is not None and word in gl.AMBIGUOUS_MONTHS and not numeric:
            cue = tokens[i - 1].folded if i else ""  # "in May", not "Russia may"
            if not (token.surface[:1].isupper() and cue in gl.YEAR_CUES):
                month = None
        if month is not None:
            used.add(i)
            j = i - 1 - (i > 1 and tokens[i - 1].folded in gl.DAY_MONTH_JOINERS)
            if j >= 0 and (day := _day(tokens[j])) and not _year(tokens[j]):
                add_day(day, month, j)
                k = j - 1
                while k >= 0 and tokens[k].folded in gl.DAY_RANGE_WORDS and j - k <= 2:
                    k -= 1
                if k >= 0 and k < j - 1 and (first := _day(tokens[k])):
                    add_day(first, month, k)
            elif i + 1 < len(tokens) and (day := _day(tokens[i + 1])) and not _year(tokens[i + 1]):
                add_day(day, month, i + 1)
            else:
                dates["month"].add(_MONTH_NAMES[month])
        elif word in weekdays:
            dates["weekday"].add(weekdays[word])
        elif (word,) in relative and _relative_ok(token, facts.language):
            dates["relative"].add(relative[(word,)])
        elif i + 1 < len(tokens) and (word, tokens[i + 1].folded) in relative:
            dates["relative"].add(relative[(word, tokens[i + 1].folded)])
    for i, token in enumerate(tokens):
        if i not in used and (year := _year(token)):
            before = tokens[i - 1] if i else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            cued = before is not None and (before.folded in gl.YEAR_CUES or i - 1 in used)
            last = after is None or after.sentence_start
            iso = after is not None and after.flags & (AFTER_HYPHEN | AFTER_SLASH)
            if cued or last or iso or (before is not None and before.flags & AFTER_SLASH):
                dates["year"].add(str(year))
                used.add(i)
                if iso and after is not None and (month := _day(after)) and month <= 12:
                    used.add(i + 1)
                    nxt = tokens[i + 2] if i + 2 < len(tokens) else None
                    if nxt is not None and (day := _day(nxt)):
                        add_day(day, month - 1, i + 2)
    facts.dates = dates
    return used


def _year(token: Token) -> int | None:
    value, surface = token.value, token.surface
    if value is None or len(surface) != 4 or not surface.isdigit():
        return None
    return int(value) if 1900 <= value <= 2099 else None


def _relative_ok(token: Token, language: str) -> bool:
    if token.folded == "hier":  # "here" in German and Dutch
        return language == "fr"
    if token.folded == "morgen":  # "Morgen" is "morning" in German
        return token.surface[:1].islower()
    return True


def _dates(fa: _Facts, fb: _Facts) -> str:
    details: list[str] = []
    for part in ("year", "day", "month", "weekday", "relative"):
        only_a = sorted(fa.dates[part] - fb.dates[part])
        only_b = sorted(fb.dates[part] - fa.dates[part])
        if only_a and only_b:
            details.append(f"{', '.join(only_a)} vs {', '.join(only_b)}")
    return "; ".join(details)


# --- entities and event stages --------------------------------------------------------------


def _names(analysis: Analysis) -> list[tuple[str, ...]]:
    """Runs of capitalised words that are no known entity (not in all-caps or title case).
    A sentence's first word counts only as the start of a longer run ("Giorgio Cafiero")."""
    tokens = analysis.tokens
    long_words = [
        t for t in tokens if t.entity is None and t.surface.isalpha() and len(t.surface) > 3
    ]
    capitals = sum(t.surface[:1].isupper() for t in long_words)
    if not long_words or (len(long_words) >= 3 and capitals >= 0.8 * len(long_words)):
        return []
    months, _, weekdays, _ = _date_words()
    german = analysis.language == "de"  # German capitalises every noun: skip noun-like words
    capital = [
        t.entity is None
        and t.value is None
        and t.surface[:1].isupper()
        and t.surface.isalpha()
        and t.folded not in months
        and t.folded not in weekdays
        and t.folded not in gl.NEGATIONS
        and t.folded not in FUNCTION_WORDS
        and not (german and t.folded.endswith(gl.DE_NOUN_ENDINGS))
        and not (german and i > 0 and tokens[i - 1].folded in gl.DE_DETERMINERS)
        for i, t in enumerate(tokens)
    ]
    names: list[tuple[str, ...]] = []
    run: list[str] = []
    for i, token in enumerate(tokens):
        if capital[i] and run and not token.sentence_start:
            run.append(token.folded)
            continue
        if run:
            names.append(tuple(run))
        follows = i + 1 < len(tokens) and capital[i + 1] and not tokens[i + 1].sentence_start
        run = [token.folded] if capital[i] and (follows or not token.sentence_start) else []
    if run:
        names.append(tuple(run))
    return names


def _entities(fa: _Facts, fb: _Facts) -> str:
    details = []
    left_a, left_b = [], []  # entities not compared within their type
    for kind in sorted(set(fa.entities.values()) | set(fb.entities.values())):
        only_a = sorted(e for e, t in fa.entities.items() if t == kind and e not in fb.entities)
        only_b = sorted(e for e, t in fb.entities.items() if t == kind and e not in fa.entities)
        if only_a and only_b:
            shown_a = ", ".join(e.replace("_", " ") for e in only_a)
            details.append(f"{shown_a} vs {', '.join(e.replace('_', ' ') for e in only_b)}")
        else:
            left_a += [e.replace("_", " ") for e in only_a]
            left_b += [e.replace("_", " ") for e in only_b]

    def lonely(mine: _Facts, theirs: _Facts) -> list[str]:
        out = []
        for name in mine.names:
            shared = all(w in theirs.words for w in name) or any(
                set(name) <= set(other) or set(other) <= set(name) for other in theirs.names
            )
            if not shared:
                out.append(" ".join(name))
        return out

    # An unknown name may stand in for an entity of any type ("Scholz" vs "Merz").
    names_a, names_b = lonely(fa, fb), lonely(fb, fa)
    if (names_a or names_b) and names_a + left_a and names_b + left_b:
        details.append(f"{', '.join(left_a + names_a)} vs {', '.join(left_b + names_b)}")
    return "; ".join(details)


# Stages that say an event has not (yet) happened: "considered easing" is not "eased".
TENTATIVE_STAGES = frozenset({"consider", "plan", "propose", "negotiate", "announce"})


def _tentative(facts: _Facts) -> list[str]:
    return sorted(
        {w for stages in facts.events.values() for s, w in stages.items() if s in TENTATIVE_STAGES}
    )


def _events(fa: _Facts, fb: _Facts) -> str:
    details = []
    tentative_a, tentative_b = _tentative(fa), _tentative(fb)
    if bool(tentative_a) != bool(tentative_b):
        said = "/".join(tentative_a or tentative_b)
        details.append(f"{said} vs done" if tentative_a else f"done vs {said}")
    for group in sorted(set(fa.events) & set(fb.events)):
        stages_a, stages_b = fa.events[group], fb.events[group]
        only_a = [w for s, w in stages_a.items() if s not in stages_b]
        only_b = [w for s, w in stages_b.items() if s not in stages_a]
        if only_a and only_b:
            details.append(f"{'/'.join(only_a)} vs {'/'.join(only_b)}")
    return "; ".join(details)
