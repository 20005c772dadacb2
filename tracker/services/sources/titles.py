"""A title for a source that came without one: its first meaningful line."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from tracker.services.sources.boilerplate import Span
from tracker.services.text.dates import looks_like_date_line

MAX_TITLE = 120
# Bylines and generic section labels are not titles.
_BYLINE = re.compile(
    r"^(von|by|av|af|door|par|fra|from|text|tekst|foto|photo)\s*[:.]?\s+\S", re.IGNORECASE
)
_LABELS = re.compile(
    r"^(key takeaways|summary|in short|zusammenfassung|das wichtigste in kürze|samenvatting|"
    r"in het kort|kort fortalt|sammendrag|kortversjon|sammanfattning|kort sagt|résumé|"
    r"en bref|l'essentiel)\s*:?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
# A list item: "- ", "* ", "• ", "– ", "1. ", "2) ", "a) ".
_LIST_MARKER = re.compile(r"^(?:[-*•·–—▪►‣]|\d{1,3}[.)]|[a-z][)])\s+")


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _is_candidate(line: str) -> bool:
    words = re.findall(r"\w+", line)
    if len(words) < 2 or sum(ch.isalpha() for ch in line) < 8:
        return False
    if _BYLINE.match(line) or _LABELS.match(line):
        return False
    return not looks_like_date_line(line)


def _shorten(line: str) -> str:
    if len(line) > MAX_TITLE:
        line = _SENTENCE_END.split(line, maxsplit=1)[0]
        if len(line) > MAX_TITLE:
            cut = line[:MAX_TITLE].rsplit(" ", 1)[0] or line[:MAX_TITLE]
            line = cut.rstrip(" ,;:–-") + "…"
    return line.strip()


def guess_title(text: str, spans: Sequence[Span] = ()) -> str | None:
    """The first line that is not blank, a date, a byline, a label, a list item or boilerplate.

    When every candidate is a list item, the first one without its marker."""
    skipped = sorted((s.start, s.end) for s in spans if s.kind == "boilerplate")
    starts = [a for a, _ in skipped]
    first_item = None
    for start, end in _lines(text):
        line = text[start:end].strip()
        at = bisect_right(starts, start) - 1  # the last span starting at or before the line
        if not line or (at >= 0 and start < skipped[at][1]):
            continue
        marker = _LIST_MARKER.match(line)
        if marker is not None:
            item = line[marker.end() :].strip()
            if first_item is None and _is_candidate(item):
                first_item = item
            continue
        if _is_candidate(line):
            return _shorten(line)
    return _shorten(first_item) if first_item is not None else None
