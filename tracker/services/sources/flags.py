"""What editors set on a source by hand: the AI status (with a reason) and the publication date.

A source's text and hash never change; these fields may, and every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import AiEvidence, AiGenerated, AiStatus, Source, SourceSpan, SpanKind
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.claims import rereview
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.boilerplate import iter_lines
from tracker.services.sources.publishers import publisher_for
from tracker.services.text.dates import parse_date_expression

AI_STATUSES = tuple(status.value for status in AiStatus)
# The old yes/no/unknown vocabulary, still accepted: "yes" and "no" are a reviewer's finding.
AI_STATUS_ALIASES = {
    AiGenerated.YES.value: AiStatus.AI_REVIEWER,
    AiGenerated.NO.value: AiStatus.HUMAN_REVIEWER,
    AiGenerated.UNKNOWN.value: AiStatus.UNKNOWN,
}


def check_ai_status(value: str | AiStatus | AiGenerated) -> AiStatus:
    """An AI status from its value, or from an old yes/no/unknown alias; Invalid otherwise."""
    if isinstance(value, AiStatus):
        return value
    if isinstance(value, AiGenerated):
        return AI_STATUS_ALIASES[value.value]
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in AI_STATUS_ALIASES:
        return AI_STATUS_ALIASES[text]
    try:
        return AiStatus(text)
    except ValueError:
        raise Invalid(
            f"the AI status must be one of {', '.join(AI_STATUSES)} "
            f"(or yes, no, unknown) (got {value!r})"
        ) from None


def apply_status(source: Source, status: AiStatus) -> None:
    """Set ``ai_status`` and the derived ``ai_generated`` together (never one alone)."""
    source.ai_status = status
    source.ai_generated = status.derived()


def _ai_state(source: Source) -> dict[str, Any]:
    return {
        "ai_status": source.ai_status,
        "ai_generated": source.ai_generated,
        "ai_flag_reason": source.ai_flag_reason,
        "ai_flag_by": source.ai_flag_by,
        "ai_flag_at": source.ai_flag_at,
    }


def set_ai_status(
    session: Session,
    source_id: int,
    status: str | AiStatus | AiGenerated,
    *,
    reason: str,
    actor: audit.Actor,
) -> Source:
    """Set a source's AI status by hand, with a reason (audited as source.ai_flag).

    ``ai_generated`` follows the status. Nothing changes, and nothing is recorded, when the
    status and the reason are those already stored."""
    new = check_ai_status(status)
    why = audit.required_reason(reason, "to set the AI flag")
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    if source.ai_status == new and source.ai_flag_reason == why:
        return source
    before = _ai_state(source)
    was_ai = source.ai_status.is_ai
    apply_status(source, new)
    source.ai_flag_reason = why
    source.ai_flag_by = actor.name
    source.ai_flag_at = utcnow()
    session.flush()
    changes = audit.diff(before, _ai_state(source))
    audit.record(session, actor, "source.ai_flag", "source", source.id, changes, reason=why)
    if new.is_ai and not was_ai:  # the ground under the verdicts citing it changed
        rereview.source_became_ai(session, source, actor)
    return source


# The name the web view and older callers use.
set_ai_flag = set_ai_status


# --- the status a new source starts with ----------------------------------------------------

WEAK_DETECTOR = "ai-weak/1"
WEAK_REPEATED_BODY = "weak:repeated_body"
WEAK_TEMPLATE = "weak:template"
WEAK_MISSING_METADATA = "weak:missing_metadata"
REPEATED_BODY_SHARE = 0.75  # copies of one block cover this share of the (stripped) text
TEMPLATE_MIN_WORDS = 8  # a template line is a sentence, not a label or a menu item
TEMPLATE_MIN_SOURCES = 3  # ...found verbatim in this many sources of the publisher, with
TEMPLATE_LOOKBACK = 200  # distinct titles, among its latest sources
MAX_TEMPLATE_ROWS = 5
METADATA_MIN_SOURCES = 5  # earlier sources of the publisher
METADATA_SHARE = 0.8  # of which this share state the author (or the date)


def initial_status(session: Session, source: Source, *, actor: audit.Actor) -> list[str]:
    """Give a just-stored source its publisher, weak-signal evidence and first AI status.

    The status is "ai_disclosed" when the detector found a disclosure or chatbot leftover,
    else "suspected" when the publisher is flagged or a weak signal holds, else "unknown".
    Weak signals (a body stated twice, a publisher's template sentence, missing metadata the
    publisher usually gives) are stored as evidence with confidence at most 0.5; they never
    make a source AI-generated alone. Returns why the status was chosen."""
    publisher = publisher_for(session, source.publisher, source.url, actor=actor)
    source.publisher_ref = publisher
    source.publisher_id = publisher.id if publisher is not None else None
    if publisher is not None and not source.publisher:  # taken from the URL: shown as such
        source.publisher = publisher.name
    disclosed = [e for e in source.ai_evidence if not e.kind.startswith("weak:")]
    weak = weak_signals(session, source)
    source.ai_evidence.extend(weak)
    why: list[str] = []
    if disclosed:
        status = AiStatus.AI_DISCLOSED
        why.append(f"{disclosed[0].kind} found by {disclosed[0].detector}")
    elif publisher is not None and publisher.ai_flag:
        status = AiStatus.SUSPECTED
        why.append(f"publisher {publisher.name!r} is flagged: {publisher.ai_flag_reason}")
    elif weak:
        status = AiStatus.SUSPECTED
    else:
        status = AiStatus.UNKNOWN
    why += [f"{row.kind} ({row.pattern})" for row in weak]
    apply_status(source, status)
    session.flush()
    if status.is_ai:  # a source already cited (a re-detection) sends its verdicts back
        rereview.source_became_ai(session, source, actor)
    return why


def _weak_row(
    source: Source, kind: str, start: int, end: int, pattern: str, confidence: float
) -> AiEvidence:
    return AiEvidence(
        kind=kind,
        start_offset=start,
        end_offset=end,
        sentence=source.text[start:end],
        language=source.language,
        pattern=pattern,
        detector=WEAK_DETECTOR,
        confidence=confidence,
        created_by=f"system:{WEAK_DETECTOR}",
    )


def weak_signals(session: Session, source: Source) -> list[AiEvidence]:
    """The weak signals of a stored source (its spans and publisher set), as evidence rows."""
    rows = _repeated_body(source)
    if source.publisher_id is not None:
        rows += _template_lines(session, source) + _missing_metadata(session, source)
    return rows


def _repeated_body(source: Source) -> list[AiEvidence]:
    """(a) The body stated twice: copies of one repeated block cover most of the text."""
    size = len(source.text.strip())
    groups: dict[int | None, list[SourceSpan]] = {}
    for span in source.spans:
        if span.kind == SpanKind.REPEATED and (span.copies or 0) >= 2:
            groups.setdefault(span.group_no, []).append(span)
    for copies in groups.values():
        covered = sum(s.end_offset - s.start_offset for s in copies)
        if size and covered >= REPEATED_BODY_SHARE * size:
            # The evidence is the first line of the first copy (the copies are in the spans).
            first = min(copies, key=lambda s: s.copy_no or 0)
            start = first.start_offset  # copies start and end on non-blank characters
            end = start + len(source.text[start : first.end_offset].splitlines()[0].rstrip())
            return [_weak_row(source, WEAK_REPEATED_BODY, start, end, "repeated_body", 0.4)]
    return []


def _lines(text: str) -> dict[str, tuple[int, int]]:
    """Each distinct stripped line of a text with its first (start, end)."""
    found: dict[str, tuple[int, int]] = {}
    for start, end in iter_lines(text):
        line = text[start:end]
        stripped = line.strip()
        if stripped and stripped not in found:
            lead = len(line) - len(line.lstrip())
            found[stripped] = (start + lead, start + lead + len(stripped))
    return found


def _template_lines(session: Session, source: Source) -> list[AiEvidence]:
    """(b) Sentences of TEMPLATE_MIN_WORDS words or more, outside the boilerplate the span
    detector marks, found verbatim in TEMPLATE_MIN_SOURCES sources of the same publisher that
    have different titles (so snapshots of one article do not count)."""
    boiler = {
        (s.start_offset, s.end_offset) for s in source.spans if s.kind == SpanKind.BOILERPLATE
    }
    candidates = {
        line: span
        for line, span in _lines(source.text).items()
        if len(line.split()) >= TEMPLATE_MIN_WORDS
        and line != source.title
        and not any(b0 <= span[0] and span[1] <= b1 for b0, b1 in boiler)
    }
    if not candidates:
        return []
    earlier = session.execute(
        select(Source.title, Source.text)
        .where(Source.publisher_id == source.publisher_id, Source.id < source.id)
        .order_by(Source.id.desc())
        .limit(TEMPLATE_LOOKBACK)
    ).all()
    titles: dict[str, set[str | None]] = {line: {source.title} for line in candidates}
    for title, text in earlier:
        for line in candidates.keys() & _lines(text).keys():
            titles[line].add(title)
    rows = [
        _weak_row(source, WEAK_TEMPLATE, *candidates[line], "template_line", 0.35)
        for line in candidates
        if len(titles[line]) >= TEMPLATE_MIN_SOURCES
    ]
    return sorted(rows, key=lambda r: r.start_offset)[:MAX_TEMPLATE_ROWS]


def _missing_metadata(session: Session, source: Source) -> list[AiEvidence]:
    """(c) No author (or no date) where most of the publisher's earlier sources give one."""
    if source.author and source.published_at is not None:
        return []
    total, authors, dates = session.execute(
        select(
            func.count(Source.id), func.count(Source.author), func.count(Source.published_at)
        ).where(Source.publisher_id == source.publisher_id, Source.id < source.id)
    ).one()
    if total < METADATA_MIN_SOURCES:
        return []
    first = next(iter(_lines(source.text).values()), None)
    if first is None:
        return []
    rows = []
    if not source.author and authors >= METADATA_SHARE * total:
        rows.append(_weak_row(source, WEAK_MISSING_METADATA, *first, "missing_author", 0.2))
    if source.published_at is None and dates >= METADATA_SHARE * total:
        rows.append(_weak_row(source, WEAK_MISSING_METADATA, *first, "missing_date", 0.2))
    return rows


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
