"""The bulk import's audit events (``claim.import``): one per chunk of up to 5,000 claims,
entity id "first-last", whose ``claims`` change lists every created claim's fields
({"id", "text", "language", "verdict", "confidence", "rationale"}). History, as-of views and
reverts find a bulk-imported claim's creation here. Chunks written before the field list was
added carry only the id range."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session, make_transient

from tracker.models import AuditEvent

ACTION = "claim.import"


def creations(session: Session, claim_ids: Iterable[int]) -> dict[int, AuditEvent]:
    """Claim id -> the import event that created it, for the claims that came in that way.

    Only the id ranges are read for all import events; the events whose range holds a wanted
    claim are loaded (ranges of concurrent imports can overlap on PostgreSQL)."""
    wanted = set(claim_ids)
    if not wanted:
        return {}
    ranges = session.execute(
        select(AuditEvent.id, cast(AuditEvent.changes[("ids", "after")], String)).where(
            AuditEvent.action == ACTION, AuditEvent.entity_type == "claim"
        )
    )
    candidates: dict[int, list[int]] = {}
    for event_id, text in ranges:
        bounds = _bounds(text)
        if bounds is not None:
            for claim_id in wanted:
                if bounds[0] <= claim_id <= bounds[1]:
                    candidates.setdefault(event_id, []).append(claim_id)
    found: dict[int, AuditEvent] = {}
    for event_id in sorted(candidates):
        event = session.get(AuditEvent, event_id)
        for claim_id in candidates[event_id]:
            if event is not None and claim_id not in found and lists(event, claim_id):
                found[claim_id] = event
    return found


def _bounds(text: str | None) -> tuple[int, int] | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return value[0], value[1]
    return None


def claim_fields(event: AuditEvent, claim_id: int) -> dict[str, Any] | None:
    """The fields the import event recorded for the claim (None for an older event)."""
    listed = (event.changes.get("claims") or {}).get("after")
    if not isinstance(listed, list):
        return None
    return next((c for c in listed if isinstance(c, dict) and c.get("id") == claim_id), None)


def lists(event: AuditEvent, claim_id: int) -> bool:
    """Whether the event created the claim: it lists it, or (an older event) its range holds
    it."""
    if isinstance((event.changes.get("claims") or {}).get("after"), list):
        return claim_fields(event, claim_id) is not None
    bounds = (event.changes.get("ids") or {}).get("after")
    return isinstance(bounds, list) and len(bounds) == 2 and bounds[0] <= claim_id <= bounds[1]


def for_claim(event: AuditEvent, claim_id: int) -> AuditEvent:
    """A detached copy of the event showing only this claim's entry (for history pages: a
    chunk lists thousands of claims). Never added to a session: the log is append-only."""
    copy = AuditEvent(
        **{c.key: getattr(event, c.key) for c in AuditEvent.__table__.columns},
    )
    make_transient(copy)
    changes = {k: v for k, v in event.changes.items() if k != "claims"}
    fields = claim_fields(event, claim_id)
    if fields is not None:
        changes["claim"] = {"before": None, "after": fields}
    copy.changes = changes
    return copy
