"""Derived spans of a source text: boilerplate lines and repeated blocks.

Spans are offsets into the exact original text (Python str indices); the text itself is never
edited. ``text[span.start:span.end]`` is the spanned text.

- Boilerplate is found line by line: short navigation, widget and paywall lines ("Share",
  "Les også: …", "Kommentare anzeigen", "- Themen:", "#Energie", cookie and newsletter notices)
  matched by the anchored patterns in ``boilerplate_patterns``, plus short name-like lines that
  are repeated back to back near the end of the text (an outlet name in the footer). A
  boilerplate span is a whole line without its line break.
- Repeated blocks are runs of whole lines that occur more than once (compared line by line
  after stripping surrounding whitespace; blank lines are skipped), e.g. a scraped page that
  states its body twice. Each copy is one span; copy 1 is the first occurrence.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from tracker.services.sources import boilerplate_patterns as bp
from tracker.services.text.language import primary_language

__all__ = [
    "Span",
    "derive_spans",
    "find_boilerplate",
    "find_repeated_blocks",
    "iter_lines",
]

BOILERPLATE = "boilerplate"
REPEATED = "repeated"


@dataclass(frozen=True)
class Span:
    kind: str  # "boilerplate" | "repeated"
    start: int
    end: int  # text[start:end] is the span
    label: str  # short machine label: "share", "comments", "repeated_copy", ...
    group: int | None = None  # repeated: which group of identical blocks (0-based)
    copy: int | None = None  # repeated: 1-based copy number (copy 1 is the original)
    copies: int | None = None  # repeated: how many copies the group has


_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line, without its line break (the breaks of ``str.splitlines``)."""
    pos = 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line)
        if line.endswith("\r\n"):
            content_end = end - 2
        elif line[-1] in _LINE_BREAKS:
            content_end = end - 1
        else:
            content_end = end
        yield pos, content_end
        pos = end


# --- boilerplate -----------------------------------------------------------------------------

# Bullets and arrows that may lead or trail a widget line ("- Themen:", "Les mer ›").
_EDGE_CHARS = frozenset("-–—•·*▪►▶>|»›«‹→←↗…")
_KEEP_SYMBOLS = frozenset("©#")
_DOTS = re.compile(r"\s*\.{2,}$")
_SPACES = re.compile(r"\s+")
# A full-line alternative may end in ":", "." or "!" ("Share:", "Les mer.").
_FULL_END = r"(?: ?[:.!])?"
# A prefix is followed by a colon, or by a spaced dash, bar or arrow, then anything.
_PREFIX_SEP = r"(?: ?[:：]| [-–—|»›>])"
_CREDIT = r" ?\S+(?: \S+){0,7}"  # a photo credit: at most eight words
_MAX_LINE = 1000  # longer lines are prose, never boilerplate (labels allow at most 400)


def _is_decoration(ch: str) -> bool:
    if ch.isspace() or ch in _EDGE_CHARS:
        return True
    if ch in _KEEP_SYMBOLS:
        return False
    # Emoji, icons, modifier symbols, format and private-use characters, variation selectors.
    return unicodedata.category(ch) in ("So", "Sk", "Cf", "Co") or "\ufe00" <= ch <= "\ufe0f"


def _normalise(line: str) -> str:
    """The line without edge decoration and with single spaces: "- Les mer ›" -> "Les mer"."""
    i, j = 0, len(line)
    while i < j and _is_decoration(line[i]):
        i += 1
    while j > i and _is_decoration(line[j - 1]):
        j -= 1
    core = _DOTS.sub("", line[i:j])
    return _SPACES.sub(" ", core)


def _language_key(language: str | None) -> frozenset[str] | None:
    """The pattern languages to use for ``language``; None means all of them."""
    code = primary_language(language)
    if code is None or code not in bp.LANGUAGES:
        return None
    # Widgets are often left in English, and Scandinavian sites mix their languages.
    return frozenset({code, "en", "*"} | bp.RELATED.get(code, frozenset()))


def _alternatives(table: bp.Table, label: str, languages: frozenset[str] | None) -> list[str]:
    by_language = table.get(label, {})
    return [
        alt
        for lang, alts in by_language.items()
        if languages is None or lang in languages
        for alt in alts
    ]


@lru_cache(maxsize=32)
def _line_regex(languages: frozenset[str] | None) -> re.Pattern[str]:
    """One regex with a named group per label, tried in priority order, for ``fullmatch``."""
    groups = []
    for label in bp.LABEL_ORDER:
        alts = [f"(?:{alt}){_FULL_END}" for alt in _alternatives(bp.FULL, label, languages)]
        prefixes = _alternatives(bp.PREFIX, label, languages)
        if prefixes:
            phrase = "|".join(prefixes)
            if label == "photo_credit":
                alts.append(rf"\(?(?:{phrase}) ?[:：]{_CREDIT}")
            else:
                alts.append(rf"(?:{phrase})(?:{_PREFIX_SEP}.*)?")  # or the phrase alone
        searches = _alternatives(bp.SEARCH, label, languages)
        if searches:
            alts.append(r".*?\b(?:{})\b.*".format("|".join(searches)))
        if alts:
            max_len = bp.MAX_LEN[label]
            groups.append(f"(?P<{label}>(?=.{{1,{max_len}}}$)(?:{'|'.join(alts)}))")
    return re.compile("|".join(groups), re.IGNORECASE)


def _label_line(line: str, regex: re.Pattern[str], seen: dict[str, str | None]) -> str | None:
    if len(line) > _MAX_LINE:
        return None
    if line in seen:  # pages repeat their widget lines; match each distinct line once
        return seen[line]
    core = _normalise(line)
    match = regex.fullmatch(core) if core else None
    label = match.lastgroup if match else None
    seen[line] = label
    return label


# Outlet names repeated back to back in the footer ("Geopolitika\nGeopolitika").
_FOOTER_LINES = 10
_NAME_MAX_CHARS = 40
_NAME_MAX_WORDS = 4


def _is_name_like(core: str) -> bool:
    words = core.split()
    return (
        0 < len(words) <= _NAME_MAX_WORDS
        and len(core) <= _NAME_MAX_CHARS
        and any(ch.isalpha() for ch in core)
        and core[-1] not in ".!?:;,"
    )


def _footer_names(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Lines among the last non-blank ones that repeat the line right before them."""
    tail = [(s, e) for s, e in lines if text[s:e].strip()][-_FOOTER_LINES:]
    found: set[tuple[int, int]] = set()
    for (s1, e1), (s2, e2) in pairwise(tail):
        first = text[s1:e1].strip()
        if first == text[s2:e2].strip() and _is_name_like(first):
            found.update({(s1, e1), (s2, e2)})
    return sorted(found)


def find_boilerplate(text: str, language: str | None = None) -> list[Span]:
    """Whole lines that are navigation, widget, paywall or footer boilerplate, in text order.

    ``language`` (an ISO 639-1 code such as "de" or "nb") limits the patterns to that
    language, its close relatives and English; None or an unknown code uses all of them.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        regex = _line_regex(_language_key(language if isinstance(language, str) else None))
        lines = list(iter_lines(text))
        spans: dict[int, Span] = {}
        seen: dict[str, str | None] = {}
        for start, end in lines:
            label = _label_line(text[start:end], regex, seen)
            if label is not None:
                spans[start] = Span(BOILERPLATE, start, end, label)
        for start, end in _footer_names(text, lines):
            spans.setdefault(start, Span(BOILERPLATE, start, end, "outlet_name"))
        return [spans[key] for key in sorted(spans)]
    except (RecursionError, MemoryError, re.error):  # defensive: never fail an ingest
        return []


# --- repeated blocks -------------------------------------------------------------------------

# Earlier occurrences tried per line: the first few and the most recent few. This bounds the
# work on texts where one line repeats thousands of times.
_CANDIDATES = 4


def _content_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding whitespace."""
    out = []
    for start, end in iter_lines(text):
        line = text[start:end]
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out


def find_repeated_blocks(text: str, min_chars: int = 200) -> list[Span]:
    """Runs of whole lines that occur more than once, with at least ``min_chars`` characters
    (counted over the stripped non-blank lines of one copy).

    Lines are compared after stripping surrounding whitespace and blank lines are skipped, so
    a block matches its copy even if the paragraph spacing differs. Returns one span per copy,
    from the first character of its first line to the last of its last line, sorted by start.
    """
    if not isinstance(text, str) or not text:
        return []
    try:
        return _repeated(text, max(1, int(min_chars)))
    except (RecursionError, MemoryError, ValueError, TypeError, OverflowError):
        return []


def _repeated(text: str, min_chars: int) -> list[Span]:
    lines = _content_lines(text)
    n = len(lines)
    index: dict[str, int] = {}
    ids = [index.setdefault(text[s:e], len(index)) for s, e in lines]
    lengths = [e - s for s, e in lines]
    positions: dict[int, list[int]] = {}
    for pos, line_id in enumerate(ids):
        positions.setdefault(line_id, []).append(pos)

    copy_start: dict[int, tuple[int, int]] = {}  # first line of a copy -> (group, line count)
    covered = [False] * n  # line lies inside a recorded copy
    groups: list[list[int]] = []  # first line of each copy, per group
    sizes: list[int] = []  # line count of each group's copies
    i = 0
    while i < n:
        occ = positions[ids[i]]
        before = bisect_left(occ, i)
        if before == 0:
            i += 1
            continue
        if before <= 2 * _CANDIDATES:
            candidates = occ[:before]
        else:
            candidates = occ[:_CANDIDATES] + occ[before - _CANDIDATES : before]
        best = (0, 0, -1)  # (chars, line count, earlier line)
        for j in candidates:
            if covered[j] and j not in copy_start:
                continue  # inside a known copy: that copy's start is the better candidate
            limit = i - j  # copies must not overlap
            if j in copy_start:
                limit = min(limit, copy_start[j][1])
            k = chars = 0
            while k < limit and i + k < n and ids[j + k] == ids[i + k]:
                chars += lengths[i + k]
                k += 1
            if chars > best[0]:
                best = (chars, k, j)
        chars, k, j = best
        if chars < min_chars:
            i += 1
            continue
        known = copy_start.get(j)
        if known is not None and known[1] == k:
            group = known[0]
        else:
            group = len(groups)
            groups.append([j])
            sizes.append(k)
            copy_start.setdefault(j, (group, k))
            covered[j : j + k] = [True] * k
        groups[group].append(i)
        copy_start.setdefault(i, (group, k))
        covered[i : i + k] = [True] * k
        i += k

    spans = []
    order = sorted(range(len(groups)), key=lambda g: (min(groups[g]), sizes[g]))
    for number, group in enumerate(order):
        ordered = sorted(groups[group])
        count = sizes[group]
        for copy, first in enumerate(ordered, start=1):
            spans.append(
                Span(
                    REPEATED,
                    lines[first][0],
                    lines[first + count - 1][1],
                    "repeated_copy",
                    group=number,
                    copy=copy,
                    copies=len(ordered),
                )
            )
    return sorted(spans, key=lambda span: (span.start, span.group))


def derive_spans(text: str, language: str | None = None) -> list[Span]:
    """Boilerplate lines and repeated blocks, sorted by (start, kind)."""
    spans = find_boilerplate(text, language) + find_repeated_blocks(text)
    return sorted(spans, key=lambda span: (span.start, span.kind))
