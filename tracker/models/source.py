"""Sources (immutable snapshots), their derived spans, AI evidence, and excerpts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from tracker.db import Base
from tracker.models.types import (
    AiGenerated,
    AiStatus,
    SpanKind,
    UTCDateTime,
    str_enum,
    utcnow,
)

if TYPE_CHECKING:
    from tracker.models.claim import Evidence
    from tracker.models.publisher import Publisher

IMMUTABLE_SOURCE_FIELDS = ("text", "sha256")


class ImmutableFieldError(ValueError):
    """Raised when code tries to change a snapshot's text or hash."""


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(32), default="text/plain")
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(200), index=True)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("publishers.id"), index=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    author: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(35), index=True)
    # Publication date as written: wall-clock value, whether a time was given, and the UTC
    # offset only when the text states a zone. No zone is ever invented.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), index=True)
    published_has_time: Mapped[bool] = mapped_column(Boolean, default=False)
    published_utc_offset_min: Mapped[int | None] = mapped_column(Integer)
    published_text: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(500))
    retrieved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    ai_status: Mapped[AiStatus] = mapped_column(
        str_enum(AiStatus, "ai_status"),
        default=AiStatus.UNKNOWN,
        server_default=AiStatus.UNKNOWN.value,
        index=True,
    )
    # Derived from ``ai_status`` (yes: disclosed or reviewer finding; no: human-written by a
    # reviewer's finding; unknown otherwise); the services always set both together.
    ai_generated: Mapped[AiGenerated] = mapped_column(
        str_enum(AiGenerated, "ai_generated"), default=AiGenerated.UNKNOWN, index=True
    )
    # Who last set ``ai_status`` by hand, when and why (None: set at ingest).
    ai_flag_reason: Mapped[str | None] = mapped_column(Text)
    ai_flag_by: Mapped[str | None] = mapped_column(String(200))
    ai_flag_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    publisher_ref: Mapped[Publisher | None] = relationship()
    spans: Mapped[list[SourceSpan]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="SourceSpan.start_offset"
    )
    ai_evidence: Mapped[list[AiEvidence]] = relationship(
        back_populates="source", cascade="all, delete-orphan", order_by="AiEvidence.start_offset"
    )
    excerpts: Mapped[list[Excerpt]] = relationship(
        back_populates="source", order_by="Excerpt.start_offset"
    )

    @property
    def published_iso(self) -> str | None:
        """ISO 8601: a date alone, a local time without offset, or a time with its offset."""
        if self.published_at is None:
            return None
        if not self.published_has_time:
            return self.published_at.date().isoformat()
        value = self.published_at
        if self.published_utc_offset_min is not None:
            offset = timedelta(minutes=self.published_utc_offset_min)
            value = value.replace(tzinfo=timezone(offset))
        return value.isoformat()


def _refuse_change(target: Source, value: Any, oldvalue: Any, _initiator: Any) -> Any:
    if oldvalue not in (NO_VALUE, NEVER_SET, None) and oldvalue != value:
        raise ImmutableFieldError("a source snapshot's text and hash cannot be changed")
    return value


for _field in IMMUTABLE_SOURCE_FIELDS:
    event.listen(getattr(Source, _field), "set", _refuse_change, retval=True)


class SourceSpan(Base):
    """A derived span (boilerplate line, repeated block) as offsets into the source text."""

    __tablename__ = "source_spans"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="offsets"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SpanKind] = mapped_column(str_enum(SpanKind, "span_kind"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    group_no: Mapped[int | None] = mapped_column(Integer)
    copy_no: Mapped[int | None] = mapped_column(Integer)
    copies: Mapped[int | None] = mapped_column(Integer)

    source: Mapped[Source] = relationship(back_populates="spans")


class AiEvidence(Base):
    """Why a source is (or may be) AI-generated: a sentence and who or what found it."""

    __tablename__ = "ai_evidence"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="offsets"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    pattern: Mapped[str | None] = mapped_column(String(100))
    detector: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(back_populates="ai_evidence")


class Excerpt(Base):
    """An exact span of a source, with W3C TextQuote and TextPosition selectors."""

    __tablename__ = "excerpts"
    __table_args__ = (
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="offsets"),
        UniqueConstraint("source_id", "start_offset", "end_offset", name="uq_excerpts_span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    exact: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(Text, default="")
    suffix: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(back_populates="excerpts")
    evidence: Mapped[list[Evidence]] = relationship(back_populates="excerpt")

    def selectors(self) -> list[dict[str, Any]]:
        """The W3C Web Annotation selectors for this excerpt."""
        return [
            {
                "type": "TextQuoteSelector",
                "exact": self.exact,
                "prefix": self.prefix,
                "suffix": self.suffix,
            },
            {"type": "TextPositionSelector", "start": self.start_offset, "end": self.end_offset},
        ]


class ExcerptMismatchError(ValueError):
    """Raised when an excerpt's offsets do not select its exact text in the source."""


def check_excerpt(excerpt: Excerpt) -> None:
    """The text at the offsets must equal ``exact``; the check every write goes through."""
    source = excerpt.source
    if source is None:
        raise ExcerptMismatchError("an excerpt needs a source")
    start, end = excerpt.start_offset, excerpt.end_offset
    if not (0 <= start < end <= len(source.text)):
        raise ExcerptMismatchError(
            f"offsets {start}-{end} are outside the source text (length {len(source.text)})"
        )
    if source.text[start:end] != excerpt.exact:
        raise ExcerptMismatchError(f"source text at {start}-{end} does not equal the quote")


@event.listens_for(Session, "before_flush")
def _check_excerpts(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Excerpt):
            check_excerpt(obj)
