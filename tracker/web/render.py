"""Splitting a source text into highlighted segments for display.

Every segment knows its code-point offset in the text, so the page's script can turn a
selection into offsets. Marks never nest as elements: the text is cut at every mark boundary and
each piece carries the classes of all marks covering it, so overlapping marks stay well formed.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tracker.models import Source
from tracker.services.ai.detect import AiSignal
from tracker.services.sources.boilerplate import Span

Mark = tuple[int, int, str]  # start, end (code points), class


@dataclass(frozen=True)
class Segment:
    text: str
    classes: tuple[str, ...]
    start: int = 0  # offset of ``text`` in the source text
    anchors: tuple[int, ...] = ()  # ids of the excerpts that start here
    # The CR of a CRLF pair: an HTML parser reads CR LF as one LF, so the CR gets a hidden
    # segment of its own (it reads as one LF there) and every offset stays exact.
    hidden: bool = False
    ai_anchors: tuple[int, ...] = ()  # ids of the AI evidence that starts here


def source_marks(source: Source) -> list[Mark]:
    """Boilerplate, repeated copies, AI disclosures and excerpts of a stored source."""
    marks: list[Mark] = []
    for span in source.spans:
        if span.kind == "boilerplate":
            marks.append((span.start_offset, span.end_offset, "boilerplate"))
        elif span.copy_no and span.copy_no > 1:
            marks.append((span.start_offset, span.end_offset, "repeat"))
    for evidence in source.ai_evidence:
        weak = evidence.kind.startswith("weak:")  # a weak signal is marked lightly
        marks.append(
            (evidence.start_offset, evidence.end_offset, "ai-weak" if weak else "ai-disclosure")
        )
    for excerpt in source.excerpts:
        marks.append((excerpt.start_offset, excerpt.end_offset, "excerpt"))
    return marks


def preview_marks(spans: Iterable[Span], signals: Iterable[AiSignal]) -> list[Mark]:
    """The same marks for a text not stored yet (the add-source preview)."""
    marks: list[Mark] = []
    for span in spans:
        if span.kind == "boilerplate":
            marks.append((span.start, span.end, "boilerplate"))
        elif span.copy and span.copy > 1:
            marks.append((span.start, span.end, "repeat"))
    marks.extend((signal.start, signal.end, "ai-disclosure") for signal in signals)
    return marks


def cut_segments(
    text: str,
    marks: Iterable[Mark],
    anchors: Mapping[int, Sequence[int]] | None = None,
    ai_anchors: Mapping[int, Sequence[int]] | None = None,
) -> list[Segment]:
    """The text cut at every mark boundary; each piece carries the marks covering it.

    ``anchors`` maps an offset to the ids of the excerpts starting there. Where two or more
    excerpts overlap, the piece also gets ``excerpt-overlap``."""
    changes: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for start, end, cls in marks:
        if 0 <= start < end <= len(text):
            changes[start].append((cls, 1))
            changes[end].append((cls, -1))
    crs = {m.start() for m in re.finditer("\r\n", text)}
    cuts = sorted({0, len(text), *changes, *crs, *(pos + 1 for pos in crs)})
    active: Counter[str] = Counter()
    segments = []
    for start, end in itertools.pairwise(cuts):  # one sweep: each boundary is visited once
        for cls, delta in changes.get(start, ()):
            active[cls] += delta
        classes = {cls for cls, count in active.items() if count > 0}
        if active["excerpt"] > 1:
            classes.add("excerpt-overlap")
        segments.append(
            Segment(
                text[start:end],
                tuple(sorted(classes)),
                start,
                tuple(sorted((anchors or {}).get(start, ()))),
                start in crs,
                tuple(sorted((ai_anchors or {}).get(start, ()))),
            )
        )
    return segments


def highlight_segments(source: Source) -> list[Segment]:
    """A stored source's text with its marks; each excerpt is anchored at its first segment."""
    anchors: dict[int, list[int]] = defaultdict(list)
    for excerpt in source.excerpts:
        anchors[excerpt.start_offset].append(excerpt.id)
    ai_anchors: dict[int, list[int]] = defaultdict(list)
    for evidence in source.ai_evidence:
        ai_anchors[evidence.start_offset].append(evidence.id)
    return cut_segments(source.text, source_marks(source), anchors, ai_anchors)
