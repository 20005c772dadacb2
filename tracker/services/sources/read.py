"""Reading sources (one, all, or a filtered page), the add-source preview, and their JSON form
for the CLI and the web app."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, defer, selectinload

from tracker.config import DEFAULT_MAX_SOURCE_BYTES
from tracker.models import AiGenerated, AiStatus, Claim, Evidence, Excerpt, Source
from tracker.services.ai.detect import AiSignal, detect_ai_signals

# The ingest helpers themselves, so the preview detects exactly what ingest will store.
from tracker.services.ai.labels import evidence_phrase
from tracker.services.errors import Invalid, NotFound
from tracker.services.pagination import Page, paginate
from tracker.services.sources.boilerplate import Span, derive_spans
from tracker.services.sources.digital_source import digital_source_type
from tracker.services.sources.flags import PublishedDate, read_published
from tracker.services.sources.ingest import (
    IngestRefused,
    PreparedText,
    SourceMeta,
    check_text,
    find_by_hash,
    outlet_name,
    published_fields,
)
from tracker.services.sources.publishers import domain_of
from tracker.services.sources.titles import guess_title
from tracker.services.text.language import detect_language, validate_language
from tracker.services.text.storable import is_id

MAX_PUBLISHERS = 500  # known publishers offered as filter suggestions


def list_sources(session: Session, ai: AiStatus | AiGenerated | str | None = None) -> list[Source]:
    """Every source, oldest first; ``ai`` filters as in ``filter_sources``."""
    query = select(Source).options(selectinload(Source.ai_evidence)).order_by(Source.id)
    if ai:
        query = query.where(_ai_condition(ai))
    return list(session.scalars(query))


def _ai_condition(ai: AiStatus | AiGenerated | str) -> Any:
    """An AI status ("suspected", "ai_reviewer", ...; "unknown" is the status) or the old
    derived flag "yes" (any AI-generated status) / "no" (human-written)."""
    value = ai.value if isinstance(ai, AiStatus | AiGenerated) else str(ai).strip().lower()
    if value in (AiGenerated.YES.value, AiGenerated.NO.value):
        return Source.ai_generated == AiGenerated(value)
    try:
        return Source.ai_status == AiStatus(value)
    except ValueError:
        statuses = ", ".join(status.value for status in AiStatus)
        raise Invalid(
            f"the AI filter must be one of {statuses}, yes or no (got {value!r})"
        ) from None


def get_source(session: Session, source_id: int) -> Source:
    if not is_id(source_id):
        raise NotFound(f"source {source_id} does not exist")
    source = session.get(
        Source, source_id, options=[selectinload(Source.spans), selectinload(Source.ai_evidence)]
    )
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    return source


def get_source_page(session: Session, source_id: int) -> Source:
    """One source with everything its page shows: spans, AI evidence, excerpts and their claims."""
    source = session.get(
        Source,
        source_id,
        options=[
            selectinload(Source.spans),
            selectinload(Source.ai_evidence),
            selectinload(Source.excerpts)
            .selectinload(Excerpt.evidence)
            .selectinload(Evidence.claim)
            .load_only(Claim.id, Claim.text, Claim.verdict),
        ],
    )
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    return source


# --- the filtered list ----------------------------------------------------------------------


@dataclass
class SourcePage(Page[Source]):
    """A page of sources with how many excerpts each has (source id -> count)."""

    excerpt_counts: dict[int, int] = field(default_factory=dict)


def filtered_sources(
    language: str | None,
    publisher: str | None,
    ai: AiStatus | AiGenerated | str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select[Any]:
    query = select(Source)
    if language:
        # "en" also finds "en-GB"; the tag is matched as given, wildcards have no meaning here.
        query = query.where(
            or_(
                Source.language == language,
                Source.language.startswith(f"{language}-", autoescape=True),
            )
        )
    if publisher:
        query = query.where(Source.publisher == publisher)
    if ai:
        query = query.where(_ai_condition(ai))
    if date_from and date_to and date_from > date_to:
        raise Invalid(f"the start date {date_from} is after the end date {date_to}")
    if date_from:
        query = query.where(Source.published_at >= datetime.combine(date_from, datetime.min.time()))
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), datetime.min.time())
        query = query.where(Source.published_at < end)
    return query


def sources_after(
    session: Session,
    language: str | None,
    publisher: str | None,
    ai: AiStatus | AiGenerated | str | None,
    date_from: date | None,
    date_to: date | None,
    *,
    after: int | None = None,
    limit: int,
) -> list[Source]:
    """Up to ``limit`` sources with ids above ``after``, oldest first, filtered as
    ``filtered_sources``, with their AI evidence and without their text (the API's keyset
    pages)."""
    stmt = (
        filtered_sources(language, publisher, ai, date_from, date_to)
        .options(defer(Source.text, raiseload=True), selectinload(Source.ai_evidence))
        .order_by(Source.id)
    )
    if after is not None:
        stmt = stmt.where(Source.id > after)
    return list(session.scalars(stmt.limit(limit)))


def filter_sources(
    session: Session,
    *,
    language: str | None = None,
    publisher: str | None = None,
    ai: AiStatus | AiGenerated | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> SourcePage:
    """One page of sources, newest first, filtered; a constant number of queries per page.

    Dates bound the publication date (both ends inclusive); a source without one is left out
    when either bound is given. The text is not loaded."""
    query = (
        filtered_sources(language, publisher, ai, date_from, date_to)
        .options(defer(Source.text, raiseload=True), selectinload(Source.ai_evidence))
        .order_by(Source.id.desc())
    )
    found = paginate(session, query, page, per_page)
    ids = [source.id for source in found.items]
    counts: dict[int, int] = {}
    if ids:
        rows = session.execute(
            select(Excerpt.source_id, func.count())
            .where(Excerpt.source_id.in_(ids))
            .group_by(Excerpt.source_id)
        )
        counts = {source_id: int(count) for source_id, count in rows}
    return SourcePage(
        items=found.items,
        page=found.page,
        per_page=found.per_page,
        total=found.total,
        excerpt_counts={source_id: counts.get(source_id, 0) for source_id in ids},
    )


def known_publishers(session: Session, limit: int = MAX_PUBLISHERS) -> list[str]:
    """Publisher names, most sources first (for filter suggestions)."""
    query = (
        select(Source.publisher)
        .where(Source.publisher.is_not(None))
        .group_by(Source.publisher)
        .order_by(func.count().desc(), Source.publisher)
        .limit(limit)
    )
    return [name for name in session.scalars(query) if name]


def known_languages(session: Session) -> list[str]:
    query = select(Source.language).where(Source.language.is_not(None)).distinct()
    return sorted(code for code in session.scalars(query) if code)


# --- adding a source: what ingest would store, without writing ------------------------------


def upload_name(filename: str | None) -> str:
    """The file's own name from an upload (browsers may send a whole path), at most 200 chars."""
    name = (filename or "").replace("\\", "/")
    name = PurePosixPath(name).name.strip()
    if len(name) > 200:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: 200 - len(suffix)] + suffix
    return name


def prepare_paste(
    text: str, meta: SourceMeta, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> PreparedText:
    """Pasted text as ingest_text checks it (size, empty, binary) with checked metadata."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise IngestRefused(f"text is too large ({size} bytes; the limit is {max_bytes})")
    return PreparedText(check_text(text), meta.checked(), "pasted text")


@dataclass(frozen=True)
class SourcePreview:
    """What ingest would store for a text: detected fields with the user's metadata on top."""

    text: str
    sha256: str
    language: str | None
    language_given: bool
    title: str | None
    publisher: str | None
    published: PublishedDate | None
    published_given: bool
    spans: list[Span]
    ai_signals: list[AiSignal]
    duplicate: Source | None

    @property
    def boilerplate_count(self) -> int:
        return sum(span.kind == "boilerplate" for span in self.spans)

    @property
    def repeat_count(self) -> int:
        return sum(span.kind == "repeated" and (span.copy or 0) > 1 for span in self.spans)


def preview_source(
    session: Session, prepared: PreparedText, published: str | None = None
) -> SourcePreview:
    """Run ingest's detection on ``prepared`` and report it; writes nothing.

    ``published`` is a date the user gave; it wins over the one found in the text."""
    text, meta = prepared.text, prepared.meta
    try:
        language = validate_language(meta.language) if meta.language else detect_language(text)
    except ValueError as exc:
        raise IngestRefused(str(exc)) from exc
    spans = derive_spans(text, language)
    given = read_published(published, language) if published and published.strip() else None
    found = published_fields(text, language, prepared.html_published)
    detected = None
    if isinstance(value := found["published_at"], datetime):
        offset = found.get("published_utc_offset_min")
        detected = PublishedDate(
            value,
            bool(found["published_has_time"]),
            offset if isinstance(offset, int) else None,
            str(found.get("published_text") or ""),
        )
    return SourcePreview(
        text=text,
        sha256=prepared.sha256,
        language=language,
        language_given=bool(meta.language),
        title=meta.title or guess_title(text, spans),
        publisher=meta.publisher or outlet_name(text, spans) or domain_of(meta.url),
        published=given or detected,
        published_given=given is not None,
        spans=spans,
        ai_signals=detect_ai_signals(text, language),
        duplicate=find_by_hash(session, prepared.sha256),
    )


# --- JSON -----------------------------------------------------------------------------------


def source_summary(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "author": source.author,
        "language": source.language,
        "published_at": source.published_iso,
        "published_text": source.published_text,
        "sha256": source.sha256,
        "origin": source.origin,
        "content_type": source.content_type,
        "created_at": source.created_at.isoformat(),
        "publisher_id": source.publisher_id,
        "ai_status": source.ai_status.value,
        "ai_status_label": source.ai_status.label,
        "ai_generated": source.ai_generated.value,
        "digital_source_type": digital_source_type(source),
        "ai_flag_reason": source.ai_flag_reason,
        "ai_flag_by": source.ai_flag_by,
        "ai_flag_at": source.ai_flag_at.isoformat() if source.ai_flag_at else None,
        "ai_evidence": [
            {
                "kind": e.kind,
                "description": evidence_phrase(e.kind, e.pattern),
                "start": e.start_offset,
                "end": e.end_offset,
                "sentence": e.sentence,
                "language": e.language,
                "pattern": e.pattern,
                "detector": e.detector,
                "confidence": e.confidence,
                "created_by": e.created_by,
            }
            for e in source.ai_evidence
        ],
    }


def source_detail(source: Source) -> dict[str, Any]:
    data = source_summary(source)
    data["length"] = len(source.text)
    data["boilerplate_spans"] = [
        {"start": s.start_offset, "end": s.end_offset, "label": s.label}
        for s in source.spans
        if s.kind == "boilerplate"
    ]
    data["repeated_spans"] = [
        {
            "start": s.start_offset,
            "end": s.end_offset,
            "group": s.group_no,
            "copy": s.copy_no,
            "copies": s.copies,
        }
        for s in source.spans
        if s.kind == "repeated"
    ]
    data["text"] = source.text
    return data
