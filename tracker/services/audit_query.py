"""Reading the audit log: filtered, newest first, a page at a time; and a compact, secret-free
form of each event's field changes for display."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.services.pages import Page, paginate

PER_PAGE = 50
MAX_VALUE_CHARS = 160
# Field names whose values are never shown, whatever an event holds.
SECRET_MARKERS = ("password", "hash", "token", "secret")


@dataclass(frozen=True)
class AuditFilter:
    """Every part is optional. ``actor`` matches the actor name or ``user:<actor>``;
    ``action`` ending in "." matches every action starting with it (``claim.``)."""

    actor: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: date | None = None  # inclusive, UTC day
    until: date | None = None  # inclusive, UTC day


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def audit_query(where: AuditFilter) -> Select[Any]:
    query = select(AuditEvent)
    actor, action = _clean(where.actor), _clean(where.action)
    if actor:
        query = query.where(AuditEvent.actor.in_([actor, f"user:{actor}"]))
    if action and action.endswith("."):
        escaped = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(AuditEvent.action.like(escaped + "%", escape="\\"))
    elif action:
        query = query.where(AuditEvent.action == action)
    if entity_type := _clean(where.entity_type):
        query = query.where(AuditEvent.entity_type == entity_type)
    if entity_id := _clean(where.entity_id):
        query = query.where(AuditEvent.entity_id == entity_id)
    if where.since:
        query = query.where(AuditEvent.occurred_at >= _day_start(where.since))
    if where.until:
        query = query.where(AuditEvent.occurred_at < _day_start(where.until + timedelta(days=1)))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def list_events(
    session: Session, where: AuditFilter, page: int = 1, per_page: int = PER_PAGE
) -> Page[AuditEvent]:
    """One page of matching events, newest first (one COUNT and one SELECT)."""
    return paginate(session, audit_query(where), page, per_page)


def _show(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def field_changes(changes: dict[str, Any] | None) -> list[FieldChange]:
    """The event's changes as (field, before, after) strings, long values cut short.

    Secret-looking fields (passwords, hashes, tokens) only say that they changed."""
    rows = []
    for name, change in sorted((changes or {}).items()):
        if any(marker in name.lower() for marker in SECRET_MARKERS):
            rows.append(FieldChange(name, None, "(changed; not shown)"))
        elif isinstance(change, dict) and ("before" in change or "after" in change):
            rows.append(FieldChange(name, _show(change.get("before")), _show(change.get("after"))))
        else:
            rows.append(FieldChange(name, None, _show(change)))
    return rows


def event_origin(event: AuditEvent) -> dict[str, str]:
    """What the page shows of an event's context: the request id and client address only."""
    origin = {}
    if event.request_id:
        origin["request"] = event.request_id
    ip = (event.context or {}).get("ip")
    if isinstance(ip, str) and ip:
        origin["ip"] = ip
    return origin
