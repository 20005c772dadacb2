"""Publication dates from article header and byline lines.

Date expressions are located with per-language regular expressions built from the tables in
``date_words.py``; each match is then read by python-dateutil with a ``parserinfo`` subclass
that knows that language's month and weekday names and marker words. Times are handed to
dateutil in a canonical ``HH:MM:SS`` form because "07.30" or "14h05" confuse it. Fuzzy parsing
is never used, so numbers in prose cannot turn into dates.

Which dates count (see ``find_publication_date``):

* header lines: the leading non-empty lines before the first long prose paragraph, when the
  line is essentially a date or a byline (only a few other words besides the date);
* byline lines anywhere whose date follows an explicit keyword ("Publisert", "Aktualisiert
  am", "Published", "Mis à jour le" ...).

A year is always required: "28. mai" alone is an event reference, not a publication date, and
guessing the year would need a reference date we do not have. Relative dates ("i dag",
"gestern", "2 hours ago") are not supported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from dateutil.parser import parser, parserinfo

from tracker.services.text.date_words import (
    BYLINE_STARTS,
    COMMON_PUBLISHED,
    CONNECTORS,
    LANGUAGES,
    ORDINALS,
    TIME_MARKERS,
    TIME_SUFFIXES,
    TZ_OFFSETS,
    WORDS,
    LanguageWords,
)

__all__ = [
    "LANGUAGES",
    "FoundDate",
    "LanguageParserInfo",
    "find_publication_date",
    "looks_like_date_line",
    "parse_date_expression",
]

MAX_LINE = 200  # longer lines are prose, never headers or bylines
MAX_EXPRESSION = 300
MAX_HEADER_LINES = 12
MAX_SCANNED_LINES = 500  # bounds the work on huge texts full of keyword lines
MIN_YEAR, MAX_YEAR = 1800, 2199


@dataclass(frozen=True)
class FoundDate:
    value: datetime  # wall-clock value as written; tz-aware only if the text gives a zone
    has_time: bool
    start: int  # offsets of the date expression in the text
    end: int
    line: str  # the whole line it came from
    language: str | None  # the parserinfo that matched; None if several languages agree

    def iso(self) -> str:
        """``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM:SS`` or with ``+HH:MM`` when the zone is known."""
        if not self.has_time:
            return self.value.date().isoformat()
        return self.value.isoformat(timespec="seconds")


# --- dateutil parserinfo ------------------------------------------------------------------


def _words_of(phrases: Iterable[str]) -> set[str]:
    return {w for p in phrases for w in re.findall(r"\w+", p.lower())}


class LanguageParserInfo(parserinfo):
    """dateutil vocabulary for one language, built from its ``LanguageWords`` table."""

    def __init__(self, words: LanguageWords, dayfirst: bool | None = None) -> None:
        self.day_first = words.dayfirst if dayfirst is None else dayfirst
        super().__init__(dayfirst=self.day_first)
        self._month_of = {n: i + 1 for i, names in enumerate(words.months) for n in names}
        self._weekday_of = {n: i for i, names in enumerate(words.weekdays) for n in names}
        # Markers, connectors and byline keywords are skipped like dateutil's own "at"/"on".
        self._skip = (
            _words_of(parserinfo.JUMP)
            | _words_of(CONNECTORS + TIME_MARKERS + TIME_SUFFIXES + ORDINALS)
            | _words_of(words.published + words.updated + COMMON_PUBLISHED)
            | {" ", ".", ",", ";", "-", "/", "'", ":", "|", "@", "(", ")"}
        )

    def jump(self, name: str) -> bool:
        return name.lower() in self._skip

    def month(self, name: str) -> int | None:
        return self._month_of.get(name.lower())

    def weekday(self, name: str) -> int | None:
        return self._weekday_of.get(name.lower())

    def tzoffset(self, name: str) -> int | None:
        minutes = TZ_OFFSETS.get(name.upper())
        return None if minutes is None else minutes * 60


# One parserinfo per language file in tracker/data/dates/ (a language is added there, not here).
_INFOS: dict[str, LanguageParserInfo] = {
    code: LanguageParserInfo(words) for code, words in WORDS.items()
}
# English outside the US writes the day first.
_INFOS["en-gb"] = LanguageParserInfo(WORDS["en"], dayfirst=True)
_PARSERS: dict[str, parser] = {code: parser(info) for code, info in _INFOS.items()}
_DAYFIRST_ENGLISH = {"gb", "uk", "ie", "au", "nz", "in", "za"}
_LANGUAGE_ALIASES = {
    "no": "nb",
    "nob": "nb",
    "nno": "nn",
    "dan": "da",
    "swe": "sv",
    "deu": "de",
    "ger": "de",
    "nld": "nl",
    "dut": "nl",
    "eng": "en",
    "fra": "fr",
    "fre": "fr",
}


def _parser_key(language: str | None) -> str | None:
    """ "nb-NO" -> "nb", "en-GB" -> "en-gb"; None for unknown or missing languages."""
    if not isinstance(language, str):
        return None
    head, _, region = language.strip().lower().replace("_", "-").partition("-")
    head = _LANGUAGE_ALIASES.get(head, head)
    if head == "en" and region.split("-")[0] in _DAYFIRST_ENGLISH:
        return "en-gb"
    return head if head in _PARSERS else None


def _tzinfos(name: str | None, offset: int | None) -> tzinfo | None:
    # Callable tzinfos keep dateutil from consulting the machine's local zone.
    if offset is None:
        return None
    if offset == 0:
        return UTC
    delta = timedelta(seconds=offset)
    return timezone(delta, name) if name else timezone(delta)


_DEFAULT_A = datetime(1, 1, 1)
_DEFAULT_B = datetime(2, 2, 2, 1, 1, 1)


@lru_cache(maxsize=4096)
def _dateutil(
    expr: str, key: str, dayfirst: bool | None = None, yearfirst: bool = False
) -> tuple[datetime, bool] | None:
    """Strict (non-fuzzy) dateutil reading; None unless year, month and day are all given.

    Parsing against two different defaults shows which fields the text really supplied."""
    p = _PARSERS[key]
    try:
        a = p.parse(
            expr, default=_DEFAULT_A, tzinfos=_tzinfos, dayfirst=dayfirst, yearfirst=yearfirst
        )
        b = p.parse(
            expr, default=_DEFAULT_B, tzinfos=_tzinfos, dayfirst=dayfirst, yearfirst=yearfirst
        )
    except (ValueError, OverflowError, TypeError, IndexError):  # ParserError is a ValueError
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None
    if not MIN_YEAR <= a.year <= MAX_YEAR:
        return None
    return a.replace(microsecond=0), a.hour == b.hour or a.minute == b.minute


# --- regular expressions -------------------------------------------------------------------

_L = r"[^\W\d_]"  # one letter
_NL = rf"(?!{_L})"  # not followed by a letter


def _alt(phrases: Iterable[str]) -> str:
    """Longest-first alternation; spaces match any whitespace, a trailing ":" is required."""
    out = []
    for p in sorted(set(phrases), key=lambda s: (-len(s), s)):
        body = r"\s+".join(re.escape(w) for w in p.rstrip(":").split())
        out.append(body + (r"\s*:" if p.endswith(":") else rf"{_NL}\.?"))
    return "|".join(out)


def _names(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda s: (-len(s), s)))


_TZ = r"Z|[+-](?:0[0-9]|1[0-4]):?[0-5][0-9]|(?:UTC|GMT)[+-][0-9]{1,2}(?::?[0-9]{2})?|" + _names(
    TZ_OFFSETS
)
_SUFFIX = _names(TIME_SUFFIXES)


def _time(p: str) -> str:
    """A clock time whose groups are prefixed with ``p``: 23:17, 07.30, 14h05, 11 Uhr, 10am."""
    return (
        rf"(?<![0-9])(?P<{p}hh>[01]?[0-9]|2[0-3])"
        rf"(?:(?:[:.]|\s?h\s?)(?P<{p}mm>[0-5][0-9])(?![0-9])"
        rf"(?::(?P<{p}ss>[0-5][0-9])(?:[.,][0-9]{{1,6}})?)?"
        rf"|(?=\s?(?:{_SUFFIX}|[ap]\.?\s?m\.?){_NL}))"
        rf"(?:\s?(?P<{p}ampm>[ap])\.?\s?m\.?{_NL})?"
        rf"(?:\s?(?:{_SUFFIX}){_NL}\.?)?"
        rf"(?:\s{{0,2}}\(?(?-i:(?P<{p}tz>{_TZ}))\)?(?!\w))?"
    )


_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?![0-9])"
_YEAR = r"(?:1[89]|2[01])[0-9]{2}(?![0-9])"
_YMD = r"(?P<ymd>(?<![\w.:/])(?:1[89]|2[01])[0-9]{2}(?P<ysep>[./-])[0-9]{1,2}(?P=ysep)[0-9]{1,2})"
_NUM = (
    r"(?P<num>(?<![\w.:/])[0-9]{1,2}(?P<nsep>[./-])[0-9]{1,2}(?P=nsep)"
    r"(?:(?:1[89]|2[01])[0-9]{2}|[0-9]{2}))(?![0-9]|[.:/-][0-9])"
)
_YEAR_RE = re.compile(rf"(?<![0-9]){_YEAR}")
_ORD = _names(ORDINALS)
_SEPS = r"[,|·•/–—-]"


def _date_regex(words: LanguageWords) -> re.Pattern[str]:
    months = rf"(?<!{_L})(?:{_names(n for m in words.months for n in m)}){_NL}\.?"
    weekday = rf"(?<!{_L})(?:{_names(n for d in words.weekdays for n in d)}){_NL}"
    dmy = (
        rf"(?P<dmy>(?<![\w.:/]){_DAY}(?:(?:{_ORD}){_NL})?\.?[\s,/-]{{0,3}}"
        rf"(?:of\s{{1,3}})?{months}[\s,/.-]{{0,4}}{_YEAR})"
    )
    mdy = rf"(?P<mdy>{months}\s{{1,3}}{_DAY}(?:(?:st|nd|rd|th){_NL})?,?\s{{1,3}}{_YEAR})"
    date = (
        rf"(?P<date>(?:{weekday}\.?,?\s{{1,3}}(?:(?:the|den|d\.|le)\s{{1,3}})?)?"
        rf"(?:{_YMD}|{_NUM}|{dmy}|{mdy}))"
    )
    pre = rf"(?:{_time('p')}\s{{0,3}}{_SEPS}?\s{{0,3}}(?:(?:on|le|am|den|op|the){_NL}\s{{1,3}})?)?"
    joiner = (
        rf"(?:(?-i:T)|\s{{0,3}}{_SEPS}?\s{{0,3}}"
        rf"(?:(?:{_names(TIME_MARKERS)}){_NL}\.?\s{{0,3}})?)"
    )
    return re.compile(rf"{pre}{date}(?:{joiner}{_time('t')})?", re.IGNORECASE)


_DATE_RES: dict[str, re.Pattern[str]] = {c: _date_regex(w) for c, w in WORDS.items()}
_DATE_RES["en-gb"] = _DATE_RES["en"]

_PUBLISHED = [k for w in WORDS.values() for k in w.published] + list(COMMON_PUBLISHED)
_UPDATED = [k for w in WORDS.values() for k in w.updated]
_KEYWORD = rf"(?<!{_L})(?:(?P<pub>{_alt(_PUBLISHED)})|(?P<upd>{_alt(_UPDATED)}))"
_KEYWORD_RE = re.compile(_KEYWORD, re.IGNORECASE)
# A keyword right before the date, with optional ":" and connectors ("Aktualisiert am ").
_KEYWORD_BEFORE_RE = re.compile(
    rf"{_KEYWORD}\s*[:–—-]?\s*(?:(?:{_names(CONNECTORS)}){_NL}\.?\s*){{0,3}}$", re.IGNORECASE
)
_KEYWORD_LINE_RE = re.compile(rf"^\W*{_KEYWORD}\s*[:–—-]?\s*$", re.IGNORECASE)
_BYLINE_START_RE = re.compile(rf"^\W*(?:{_alt(BYLINE_STARTS)})", re.IGNORECASE)
_RANGE_BEFORE_RE = re.compile(
    r"[0-9]\.?\s*(?:[–—-]|(?:bis|til|till|to|tot|au|through)(?!\w))\s*$", re.IGNORECASE
)
_FILLER = _words_of(
    CONNECTORS
    + TIME_MARKERS
    + TIME_SUFFIXES
    + BYLINE_STARTS
    + ORDINALS
    + tuple(_PUBLISHED)
    + tuple(_UPDATED)
)


# --- candidates in one line ------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    start: int  # offsets within the line
    end: int
    value: datetime
    has_time: bool
    language: str | None
    ambiguous: bool  # languages disagreed on the value (03/04/2024 with no language given)


def _canonical_tz(raw: str) -> str:
    if raw == "Z":
        return "UTC"
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])([0-9]{1,2}):?([0-9]{2})?", raw)
    if m is None:
        return raw  # a zone name from TZ_OFFSETS
    # "GMT+1" is read the everyday way (UTC+1), not the POSIX way.
    return f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}"


def _read_match(m: re.Match[str], key: str) -> tuple[int, int, datetime, bool] | None:
    """Value of one regex match, or None if dateutil rejects it (e.g. 31.02.2024)."""
    dayfirst, yearfirst = _INFOS[key].day_first, False
    if m["ymd"]:
        date_text, dayfirst, yearfirst = m["ymd"], False, True
    elif m["num"]:
        date_text = m["num"]
        dayfirst = dayfirst or m["nsep"] == "."  # dotted dates are day-first everywhere
    else:
        date_text = m["date"]
    p = "t" if m["thh"] is not None else "p"
    if m[f"{p}hh"] is not None:
        clock = f"{m[f'{p}hh']}:{m[f'{p}mm'] or '00'}:{m[f'{p}ss'] or '00'}"
        if m[f"{p}ampm"]:
            clock += f" {m[f'{p}ampm']}m"
        if m[f"{p}tz"]:
            clock += " " + _canonical_tz(m[f"{p}tz"])
        found = _dateutil(f"{date_text} {clock}", key, dayfirst, yearfirst)
        if found is not None:
            return m.start(), m.end(), found[0], True
    # No time, or a time dateutil refused ("14:00 pm"): the date alone, from the date's start.
    found = _dateutil(date_text, key, dayfirst, yearfirst)
    if found is None:
        return None
    start = m.start() if m["phh"] is None else m.start("date")
    return start, m.end("date"), found[0], False


def _scan(line: str, keys: Sequence[str], report: str | None) -> list[_Candidate]:
    """Dates in a line, each read in every language of ``keys``.

    Overlapping readings form one candidate; when languages disagree (only slash dates like
    03/04/2024 can) the majority reading wins and the candidate is marked ambiguous."""
    raw: list[tuple[int, int, datetime, bool, str]] = []
    for key in keys:
        for m in _DATE_RES[key].finditer(line):
            if _RANGE_BEFORE_RE.search(line[max(0, m.start() - 20) : m.start()]):
                continue  # the end of a range ("14.–19. Mai 2024") is an event, not a dateline
            read = _read_match(m, key)
            if read is not None:
                raw.append((*read, key))
    raw.sort(key=lambda r: (r[0], -r[1]))
    groups: list[list[tuple[int, int, datetime, bool, str]]] = []
    for r in raw:
        if groups and r[0] < max(g[1] for g in groups[-1]):
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for g in groups:
        votes: dict[tuple[datetime, bool], int] = {}
        for r in g:
            votes[(r[2], r[3])] = votes.get((r[2], r[3]), 0) + 1
        value, has_time = max(votes, key=lambda v: votes[v])
        agreeing = [r for r in g if (r[2], r[3]) == (value, has_time)]
        best = max(agreeing, key=lambda r: r[1] - r[0])
        langs = {r[4] for r in agreeing if r[:2] == best[:2]}  # who read the widest span
        language = report if report else (next(iter(langs)) if len(langs) == 1 else None)
        out.append(_Candidate(best[0], best[1], value, has_time, language, len(votes) > 1))
    return out


def _residue_words(line: str, cands: Sequence[_Candidate]) -> list[str]:
    """Words of the line outside the dates that are not keywords, markers or byline words."""
    pieces, pos = [], 0
    for c in cands:
        pieces.append(line[pos : c.start])
        pos = c.end
    pieces.append(line[pos:])
    rest = _KEYWORD_RE.sub(" ", " ".join(pieces))
    return [w for w in re.findall(r"\w+", rest) if w.lower() not in _FILLER]


def _keyword_kind(prefix: str) -> str | None:
    """ "pub"/"upd" if ``prefix`` (the line up to a date) ends with a byline keyword.

    The keyword must be capitalised or open a segment, so prose ("... was published on 3
    March 2023") does not count."""
    m = _KEYWORD_BEFORE_RE.search(prefix[-80:])
    if m is None:
        return None
    kw_start = len(prefix) - len(prefix[-80:]) + m.start()
    before = prefix[:kw_start].rstrip()
    if not (prefix[kw_start].isupper() or not before or before[-1] in "|·•,;:([–—-"):
        return None
    return "pub" if m["pub"] else "upd"


def _header_shape(line: str, cands: Sequence[_Candidate], has_keyword: bool) -> bool:
    """A header line must be essentially a date or a byline with a date."""
    after = re.findall(r"\w+", line[cands[-1].end :])
    if not has_keyword and len(after) >= 2 and line.rstrip().endswith((".", "!", "?")):
        return False  # "Den 22. mars 2024 ble 139 drept." is a sentence about an event
    residue = len(_residue_words(line, cands))
    if residue <= 3:
        return True
    if residue <= 8 and (has_keyword or _BYLINE_START_RE.match(line) or re.search("[|·•]", line)):
        return True
    date_at_end = not re.search(r"\w", line[cands[-1].end :])
    return residue <= 6 and date_at_end


# --- lines and the public API -----------------------------------------------------------


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in text.splitlines(keepends=True):
        out.append((pos, piece.splitlines()[0] if piece.splitlines() else ""))
        pos += len(piece)
    return out


def _is_prose(line: str) -> bool:
    return len(line) > 300 or (len(line) >= 150 and len(line.split()) >= 25)


def _header_indexes(lines: Sequence[tuple[int, str]]) -> set[int]:
    """Indexes of the leading non-empty lines, up to the first long prose paragraph."""
    found: set[int] = set()
    for i, (_, line) in enumerate(lines):
        if not line.strip():
            continue
        if _is_prose(line.strip()) or len(found) >= MAX_HEADER_LINES:
            break
        found.add(i)
    return found


def _find(text: str, keys: Sequence[str], report: str | None) -> FoundDate | None:
    lines = _lines(text)
    header = _header_indexes(lines)
    # Choice among qualifying dates, key (rank, ambiguous, position): the FIRST header date
    # wins, except that a date after an "Updated/Oppdatert/Aktualisiert..." keyword (rank 1)
    # loses to any "Published/Publisert..." or plain header date (rank 0), wherever it is.
    # A date that languages read differently (03/04/2024, no language) loses to a clear one.
    best: tuple[tuple[int, bool, int], FoundDate] | None = None
    previous = ""  # last non-empty line, for "Publisert:" on a line of its own
    scanned = 0
    for i, (offset, line) in enumerate(lines):
        if not line.strip():
            continue
        prev_kw, previous = previous, line
        if best is not None and best[0][:2] == (0, False):
            break  # later lines cannot beat an unambiguous published/plain date
        if len(line.strip()) > MAX_LINE or not re.search("[0-9]", line):
            continue
        in_header = i in header
        prev_match = _KEYWORD_LINE_RE.match(prev_kw)
        if not in_header and not prev_match and not _KEYWORD_RE.search(line):
            continue
        scanned += 1
        if scanned > MAX_SCANNED_LINES:
            break
        cands = _scan(line, keys, report)
        if not cands:
            continue
        kinds = [_keyword_kind(line[: c.start]) for c in cands]
        if prev_match and not re.search(r"\w", line[: cands[0].start]):
            kinds[0] = kinds[0] or ("pub" if prev_match["pub"] else "upd")
        has_keyword = any(kinds)
        residue = len(_residue_words(line, cands))
        header_ok = in_header and _header_shape(line, cands, has_keyword)
        for cand, kind in zip(cands, kinds, strict=True):
            if not (header_ok or (kind is not None and residue <= 10)):
                continue
            key = (1 if kind == "upd" else 0, cand.ambiguous, offset + cand.start)
            if best is None or key < best[0]:
                found = FoundDate(
                    cand.value,
                    cand.has_time,
                    offset + cand.start,
                    offset + cand.end,
                    line,
                    cand.language,
                )
                best = (key, found)
    return None if best is None else best[1]


def find_publication_date(text: str, language: str | None = None) -> FoundDate | None:
    """The publication date from the text's header or byline lines, or None.

    With a known ``language`` its vocabulary is tried first, then all languages (a header
    may be in another language than the body). Without one, all languages are tried; the
    reported language is None when several read the date alike (e.g. numeric dates)."""
    if not isinstance(text, str) or not text.strip():
        return None
    key = _parser_key(language)
    if key is not None:
        found = _find(text, [key], "en" if key == "en-gb" else key)
        if found is not None:
            return found
    return _find(text, LANGUAGES, None)


def parse_date_expression(expr: str, language: str | None = None) -> tuple[datetime, bool] | None:
    """(value, has_time) of a text that is just a date expression, possibly with byline
    keywords and markers ("Publisert 14. februar 2023 kl. 07.30"); None otherwise.

    A given, known language is used alone; otherwise all languages are tried and the
    majority reading of an ambiguous "03/04/2024" (day first) is returned."""
    if not isinstance(expr, str):
        return None
    expr = expr.strip()
    if not expr or len(expr) > MAX_EXPRESSION:
        return None
    key = _parser_key(language)
    keys: Sequence[str] = [key] if key else LANGUAGES
    for cand in _scan(expr, keys, None):
        if not _residue_words(expr, [cand]) and not re.search(
            r"[0-9]", expr[: cand.start] + expr[cand.end :]
        ):
            return cand.value, cand.has_time
    # Forms the patterns do not cover: strict dateutil over the whole expression, only with
    # a four-digit year and ASCII digits (dateutil also reads "1.1.1" and Arabic digits).
    if not _YEAR_RE.search(expr) or any(ch.isdigit() and ch not in "0123456789" for ch in expr):
        return None
    votes: dict[tuple[datetime, bool], int] = {}
    for k in keys:
        read = _dateutil(expr, k)
        if read is not None:
            votes[read] = votes.get(read, 0) + 1
    return max(votes, key=lambda v: votes[v]) if votes else None


def looks_like_date_line(line: str, language: str | None = None) -> bool:
    """True if the line is essentially a date or a dated byline ("Oslo, 14. februar 2023")."""
    if not isinstance(line, str) or not line.strip() or len(line.strip()) > MAX_LINE:
        return False
    key = _parser_key(language)
    cands = _scan(line, [key] if key else LANGUAGES, None)
    if not cands:
        return False
    has_keyword = any(_keyword_kind(line[: c.start]) for c in cands)
    return _header_shape(line, cands, has_keyword)
