"""One entity's audit timeline: its own events, and the events of others that name it.

Related events, by the way the services record them:
- claim: merges of other claims into it (``claim.merge`` with ``merged_into`` = the claim:
  their evidence moved to it), dedup decisions naming it (``claim_id``/``other_id``), and the
  bulk-import chunk (``claim.import``, entity id "first-last") that created it;
- source: the creation of its excerpts (``excerpt.create`` with its ``source_id``);
- excerpt: the links of claims to it (``evidence.link`` with its ``excerpt_id``);
- user: its own events only (what a user did is the audit query by actor)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.services.audit.log import jsonable
from tracker.services.claims.as_of import json_text
from tracker.services.errors import Invalid
from tracker.services.interop import import_events

ENTITY_TYPES = ("claim", "source", "excerpt", "user")


def _entity_id(entity_id: int | str) -> int:
    try:
        value = int(str(entity_id).strip())
    except ValueError:
        value = 0
    if value < 1:
        raise Invalid(f"{entity_id!r} is not an id (a whole number from 1)")
    return value


def _related(entity_type: str, key: str) -> list[ColumnElement[bool]]:
    if entity_type == "claim":
        return [
            and_(
                AuditEvent.action == "claim.merge",
                AuditEvent.entity_type == "claim",
                json_text(("merged_into", "after")) == key,
            ),
            # ClaimReview imports: the review and appearances recorded for the claim.
            and_(AuditEvent.entity_type == "claim_review", AuditEvent.entity_id == key),
            and_(
                AuditEvent.entity_type == "dedup_decision",
                or_(
                    json_text(("claim_id", "after")) == key,
                    json_text(("other_id", "after")) == key,
                ),
            ),
        ]
    if entity_type == "source":
        return [
            and_(
                AuditEvent.entity_type == "excerpt",
                AuditEvent.action == "excerpt.create",
                json_text(("source_id", "after")) == key,
            )
        ]
    if entity_type == "excerpt":
        return [
            and_(
                AuditEvent.action == "evidence.link",
                json_text(("excerpt_id", "after")) == key,
            )
        ]
    return []


def _import_events(session: Session, claim_id: int) -> list[AuditEvent]:
    """The bulk-import chunk that created the claim, showing only the claim's own entry."""
    creation = import_events.creations(session, [claim_id]).get(claim_id)
    event = import_events.history_event(session, creation) if creation else None
    return [] if event is None else [event]


def history(session: Session, entity_type: str, entity_id: int | str) -> list[AuditEvent]:
    """Every event about the entity, oldest first. Raises Invalid for an unknown type or a
    malformed id (an id nothing was recorded for gives an empty list)."""
    if entity_type not in ENTITY_TYPES:
        raise Invalid(f"unknown entity {entity_type!r}: use one of {', '.join(ENTITY_TYPES)}")
    number = _entity_id(entity_id)
    key = str(number)
    own = and_(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == key)
    events = list(session.scalars(select(AuditEvent).where(or_(own, *_related(entity_type, key)))))
    if entity_type == "claim":
        events += _import_events(session, number)
    return sorted(events, key=lambda e: e.id)


def event_to_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "changes": jsonable(event.changes),
        "reason": event.reason,
        "request_id": event.request_id,
    }


def describe_changes(changes: dict[str, Any]) -> str:
    """A one-line diff: ``field: before -> after; ...``."""
    parts = []
    for name, change in (changes or {}).items():
        if isinstance(change, dict) and ("before" in change or "after" in change):
            parts.append(f"{name}: {_short(change.get('before'))} -> {_short(change.get('after'))}")
        else:
            parts.append(f"{name}: {_short(change)}")
    return "; ".join(parts)


def _short(value: Any, limit: int = 80) -> str:
    text = "-" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
