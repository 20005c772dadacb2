"""Splitting a source text into highlighted segments for display."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.models import Source


@dataclass(frozen=True)
class Segment:
    text: str
    classes: tuple[str, ...]


def _marks(source: Source) -> Iterable[tuple[int, int, str]]:
    for span in source.spans:
        if span.kind == "boilerplate":
            yield span.start_offset, span.end_offset, "boilerplate"
        elif span.copy_no and span.copy_no > 1:
            yield span.start_offset, span.end_offset, "repeat"
    for evidence in source.ai_evidence:
        yield evidence.start_offset, evidence.end_offset, "ai-disclosure"


def highlight_segments(source: Source) -> list[Segment]:
    """The text cut at every mark boundary; each piece carries the marks covering it."""
    marks = list(_marks(source))
    text = source.text
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    segments = []
    for start, end in itertools.pairwise(cuts):
        classes = tuple(sorted({cls for a, b, cls in marks if a <= start and end <= b}))
        segments.append(Segment(text[start:end], classes))
    return segments
