"""The append-only audit log: one event per change, written with the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.db import Base
from tracker.models.types import UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # An entity's history (claim page, audit history) is read by type and id, in time order.
    __table_args__ = (Index("ix_audit_events_entity", "entity_type", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    # {"field": {"before": ..., "after": ...}}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Where the change came from: command line, client address, ...
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete a recorded audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
