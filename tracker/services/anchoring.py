"""Excerpts: exact spans of a source with W3C TextQuote/TextPosition selectors.

Offsets count Python characters (code points) over the source's original text. Fuzzy anchoring
and re-anchoring build on this later.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Excerpt, Source
from tracker.services import audit
from tracker.services.errors import Invalid

CONTEXT_CHARS = 32


def find_occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote``."""
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def locate_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Offsets of an exact quote; ``occurrence`` (1-based) picks one of several copies."""
    if not quote:
        raise Invalid("the quote is empty")
    starts = find_occurrences(text, quote)
    if not starts:
        raise Invalid(f"the quote does not occur in the source: {quote[:60]!r}")
    if occurrence is None:
        if len(starts) > 1:
            raise Invalid(
                f"the quote occurs {len(starts)} times in the source; say which occurrence"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise Invalid(f"occurrence {occurrence} does not exist (the quote occurs {len(starts)}x)")
    start = starts[occurrence - 1]
    return start, start + len(quote)


def get_or_create_excerpt(
    session: Session, source: Source, start: int, end: int, *, actor: audit.Actor
) -> tuple[Excerpt, bool]:
    """The excerpt at [start, end) of the source, created with its selectors if new."""
    if not (0 <= start < end <= len(source.text)):
        raise Invalid(f"offsets {start}-{end} are outside the source (length {len(source.text)})")
    existing = session.scalar(
        select(Excerpt).where(
            Excerpt.source_id == source.id, Excerpt.start_offset == start, Excerpt.end_offset == end
        )
    )
    if existing is not None:
        return existing, False
    text = source.text
    excerpt = Excerpt(
        source=source,
        start_offset=start,
        end_offset=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        created_by=actor.name,
    )
    session.add(excerpt)
    session.flush()
    audit.record(
        session,
        actor,
        "excerpt.create",
        "excerpt",
        excerpt.id,
        audit.created({"source_id": source.id, "start": start, "end": end, "exact": excerpt.exact}),
    )
    return excerpt, True
