"""Sources captured from the web: the watched page, every fetch of it (with the raw response
archived), the snapshot versions it went through, and where each excerpt stands in them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from tracker.db import Base
from tracker.models.source import ImmutableFieldError, Source
from tracker.models.types import UTCDateTime, utcnow


class SourceWatch(Base):
    """A page fetched by URL: its first and latest snapshot, when to check it again, and the
    lease a watch runner holds while it fetches (so two runners never fetch it at once)."""

    __tablename__ = "source_watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    first_source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), unique=True)
    latest_source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    interval_minutes: Mapped[int | None] = mapped_column(Integer)  # None: the configured default
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_owner: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))

    first_source: Mapped[Source] = relationship(foreign_keys=[first_source_id])
    latest_source: Mapped[Source] = relationship(foreign_keys=[latest_source_id])


class SourceCapture(Base):
    """One fetch of a watched page. The raw response is kept (immutable) when it produced a
    snapshot; an unchanged check or a failed one records only what happened."""

    __tablename__ = "source_captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("source_watches.id"), index=True)
    # The snapshot whose text this fetch gave (None when the fetch failed).
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # created | unchanged | changed | failed
    requested_url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str | None] = mapped_column(String(2000))
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    raw_body: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # The response's status line and headers as JSON ([[name, value], ...]), for the WARC.
    raw_headers: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    fetched_by: Mapped[str] = mapped_column(String(200))

    source: Mapped[Source | None] = relationship()
    watch: Mapped[SourceWatch] = relationship()


IMMUTABLE_CAPTURE_FIELDS = ("raw_body", "raw_sha256", "raw_headers", "final_url", "fetched_at")


def _refuse_change(target: SourceCapture, value: Any, oldvalue: Any, _initiator: Any) -> Any:
    if oldvalue not in (NO_VALUE, NEVER_SET, None) and oldvalue != value:
        raise ImmutableFieldError("an archived response cannot be changed")
    return value


for _field in IMMUTABLE_CAPTURE_FIELDS:
    event.listen(
        getattr(SourceCapture, _field), "set", _refuse_change, retval=True, active_history=True
    )


class SourceVersion(Base):
    """A snapshot as a version of a watched page, linked to the version before it."""

    __tablename__ = "source_versions"
    __table_args__ = (UniqueConstraint("watch_id", "version_no", name="uq_source_versions_no"),)

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("source_watches.id"), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    previous_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("source_captures.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source: Mapped[Source] = relationship(foreign_keys=[source_id])
    capture: Mapped[SourceCapture | None] = relationship()


class ExcerptAnchor(Base):
    """Where an excerpt stands in a later version of its page: unchanged, moved, edited or
    orphaned, with the similarity score and the new offsets (None when orphaned)."""

    __tablename__ = "excerpt_anchors"
    __table_args__ = (
        UniqueConstraint("excerpt_id", "source_id", name="uq_excerpt_anchors_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    excerpt_id: Mapped[int] = mapped_column(ForeignKey("excerpts.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # unchanged | moved | edited | orphaned
    score: Mapped[float] = mapped_column(Float)
    start_offset: Mapped[int | None] = mapped_column(Integer)
    end_offset: Mapped[int | None] = mapped_column(Integer)
    method: Mapped[str | None] = mapped_column(String(16))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
