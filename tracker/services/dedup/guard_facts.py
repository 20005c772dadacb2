"""What the guards read from one analysed claim (``read_facts``): the per-claim half of the
guards, computed once per text; ``guards`` compares two claims' facts.

From the tokens of an ``analysis.Analysis`` it reads:

- negation markers ("not", "no longer", "nicht", "kein", "ikke", "niet", "inte", "ne ... pas"
  ...), each at its token, except "not only";
- removal and reversal phrases ("delist", "revoke", "withdraw from", "streichen", "fjerne ...
  fra"; ``tracker/data/guards/reversal.<lang>.txt``), matched on light stems with gaps;
- opposite-word pairs ("imposes"/"lifts") and event stages ("proposed", "signed"), matched on
  normalized tokens, with the regular inflections of one-word forms;
- numbers (digits, number words, "1 000" with a plain space, vague quantities such as
  "dozens"), except model numbers ("F-16") and the days and years of dates;
- dates: years, days of months, months, weekdays and relative days ("yesterday", "gestern");
- entities with their types, and runs of capitalised words that are no known entity
  (unknown names; none in all-capitals or title-case texts, and in German, where every noun
  is capitalised, not the words that look like nouns);
- the light stems and the words (folded and normalized) that the pair checks look up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.services.dedup import guard_lexicon as gl
from tracker.services.dedup import word_files
from tracker.services.dedup.analysis import ENTITY_TYPES, Analysis, Token
from tracker.services.dedup.tokens import (
    AFTER_HYPHEN,
    AFTER_SLASH,
    AFTER_SPACE,
    FUNCTION_WORDS,
    fold,
    light_stem,
    normalize_word,
)

_NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_MONTH_NAMES = tuple(m[0] for m in gl.MONTHS)

Number = tuple[float, float, str]  # low, high, as written


@dataclass
class Facts:
    """What the guards read from one claim."""

    analysis: Analysis
    negations: list[tuple[int, str]] = field(default_factory=list)  # token index, marker
    reversals: list[tuple[int, str]] = field(default_factory=list)  # token index, words
    polarity: list[tuple[str, int, int, str]] = field(default_factory=list)  # key side i word
    events: dict[str, dict[str, str]] = field(default_factory=dict)  # group -> stage -> word
    numbers: list[Number] = field(default_factory=list)
    dates: dict[str, set[str]] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)  # canonical -> type
    names: list[tuple[str, ...]] = field(default_factory=list)
    stems: dict[str, int] = field(default_factory=dict)  # stem -> token index
    words: set[str] = field(default_factory=set)  # folded words and normalized tokens

    @property
    def language(self) -> str:
        return self.analysis.language


def read_facts(analysis: Analysis) -> Facts:
    """The facts of one analysed claim (see the module docstring)."""
    facts = Facts(analysis)
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


# --- phrases: opposite words, event stages, reversals ---------------------------------------


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


def _scan_phrases(facts: Facts, kind: str) -> Iterable[tuple[int, str, tuple[str, str]]]:
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


def _read_reversals(facts: Facts) -> None:
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


# --- numbers and dates ----------------------------------------------------------------------


def _read_numbers(facts: Facts, used: set[int]) -> None:
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


def _read_dates(facts: Facts) -> set[int]:
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


# --- unknown names --------------------------------------------------------------------------


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
