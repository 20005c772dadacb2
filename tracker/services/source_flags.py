"""What editors set on a source by hand: the AI flag (with a reason) and the publication date.

A source's text and hash never change; these fields may, and every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import AiGenerated, Source
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.dates import parse_date_expression
from tracker.services.errors import Invalid, NotFound

MAX_REASON = 2000
AI_STATUSES = tuple(status.value for status in AiGenerated)


def check_ai_status(value: str | AiGenerated) -> AiGenerated:
    try:
        return AiGenerated(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        raise Invalid(
            f"the AI flag must be one of {', '.join(AI_STATUSES)} (got {value!r})"
        ) from None


def _ai_state(source: Source) -> dict[str, Any]:
    return {
        "ai_generated": source.ai_generated,
        "ai_flag_reason": source.ai_flag_reason,
        "ai_flag_by": source.ai_flag_by,
        "ai_flag_at": source.ai_flag_at,
    }


def set_ai_flag(
    session: Session,
    source_id: int,
    status: str | AiGenerated,
    *,
    reason: str,
    actor: audit.Actor,
) -> Source:
    """Set whether a source is AI-generated, by hand, with a reason (audited as source.ai_flag).

    Nothing changes, and nothing is recorded, when the status and the reason are those already
    stored."""
    flag = check_ai_status(status)
    why = (reason or "").strip()
    if not why:
        raise Invalid("a reason is required to set the AI flag")
    if len(why) > MAX_REASON:
        raise Invalid(f"the reason is longer than {MAX_REASON} characters")
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    if source.ai_generated == flag and source.ai_flag_reason == why:
        return source
    before = _ai_state(source)
    source.ai_generated = flag
    source.ai_flag_reason = why
    source.ai_flag_by = actor.name
    source.ai_flag_at = utcnow()
    session.flush()
    changes = audit.diff(before, _ai_state(source))
    audit.record(session, actor, "source.ai_flag", "source", source.id, changes, reason=why)
    return source


# --- the publication date -------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedDate:
    value: datetime  # wall-clock, naive
    has_time: bool
    utc_offset_min: int | None
    text: str  # the words it was read from

    @property
    def iso(self) -> str:
        """As Source.published_iso: a date alone, a local time, or a time with its offset."""
        if not self.has_time:
            return self.value.date().isoformat()
        if self.utc_offset_min is None:
            return self.value.isoformat()
        zone = timezone(timedelta(minutes=self.utc_offset_min))
        return self.value.replace(tzinfo=zone).isoformat()


def read_published(expression: str, language: str | None = None) -> PublishedDate:
    """A publication date a user typed ("2024-05-28", "28. mai 2024 kl. 10.15"), or Invalid."""
    expression = " ".join(expression.split())
    parsed = parse_date_expression(expression, language)
    if parsed is None:
        raise Invalid(f"cannot read {expression[:60]!r} as a date (for example 2024-05-28)")
    value, has_time = parsed
    offset = value.utcoffset()
    minutes = None if offset is None else int(offset.total_seconds() // 60)
    return PublishedDate(value.replace(tzinfo=None), has_time, minutes, expression[:200])


def _published_state(source: Source) -> dict[str, Any]:
    return {"published_at": source.published_iso, "published_text": source.published_text}


def set_published(
    session: Session, source: Source, published: PublishedDate, *, actor: audit.Actor, reason: str
) -> bool:
    """Set a source's publication date by hand (audited as source.published); False if equal."""
    before = _published_state(source)
    source.published_at = published.value
    source.published_has_time = published.has_time
    source.published_utc_offset_min = published.utc_offset_min
    source.published_text = published.text
    changes = audit.diff(before, _published_state(source))
    if not changes:
        return False
    session.flush()
    audit.record(session, actor, "source.published", "source", source.id, changes, reason=reason)
    return True
