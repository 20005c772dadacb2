"""Splitting a source text into highlighted segments for display."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
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
    text = source.text
    changes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for start, end, cls in _marks(source):
        changes[start].append((cls, 1))
        changes[end].append((cls, -1))
    cuts = sorted({0, len(text), *changes})
    active: Counter[str] = Counter()
    segments = []
    for start, end in itertools.pairwise(cuts):  # one sweep: each boundary is visited once
        for cls, delta in changes.get(start, ()):
            active[cls] += delta
        classes = tuple(sorted(cls for cls, count in active.items() if count > 0))
        segments.append(Segment(text[start:end], classes))
    return segments
