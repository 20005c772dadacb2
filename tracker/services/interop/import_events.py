"""The bulk import's audit events (``claim.import``): one per chunk of up to 5,000 claims,
entity id "first-last", whose ``claims`` change lists every created claim's fields
({"id", "text", "language", "verdict", "confidence", "rationale"}) in id order. History, as-of
views and reverts find a bulk-imported claim's creation here. Chunks written before the field
list was added carry only the id range.

A chunk's field list is large, so lookups read only the id ranges and then the one entry
they need by its position (ids in a chunk are consecutive on SQLite; elsewhere a position
that holds another claim falls back to reading the list)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from tracker.models import AuditEvent

ACTION = "claim.import"
_LIGHT = tuple(c for c in AuditEvent.__table__.columns if c.key != "changes")


@dataclass(frozen=True)
class Creation:
    """The import event that created a claim, and the claim's entry in it."""

    event_id: int
    occurred_at: datetime
    actor: str
    bounds: tuple[int, int]
    fields: dict[str, Any] | None  # None: a chunk from before imports listed the fields


def creations(session: Session, claim_ids: Iterable[int]) -> dict[int, Creation]:
    """Claim id -> the import event that created it, for the claims that came in that way
    (ranges of concurrent imports can overlap on PostgreSQL: the chunk listing it wins)."""
    wanted = set(claim_ids)
    if not wanted:
        return {}
    found: dict[int, Creation] = {}
    for chunk in chunks(session):
        for claim_id in sorted(wanted - set(found)):
            if chunk.bounds[0] <= claim_id <= chunk.bounds[1]:
                made, entry = _entry(session, chunk.event_id, chunk.bounds, claim_id)
                if made:
                    found[claim_id] = Creation(
                        chunk.event_id, chunk.occurred_at, chunk.actor, chunk.bounds, entry
                    )
    return found


@dataclass(frozen=True)
class Chunk:
    """An import event without its field list."""

    event_id: int
    occurred_at: datetime
    actor: str
    bounds: tuple[int, int]


_SPANS = (
    select(AuditEvent.id, AuditEvent.entity_id)
    .where(AuditEvent.action == ACTION, AuditEvent.entity_type == "claim")
    .order_by(AuditEvent.id)
)
_META = select(AuditEvent.id, AuditEvent.occurred_at, AuditEvent.actor).where(
    AuditEvent.id.in_(bindparam("event_ids", expanding=True))
)


def chunks(session: Session, holding: int | None = None) -> list[Chunk]:
    """Every import event in log order, with the id range it created (only those whose range
    holds the claim id ``holding``, if given)."""
    # The range is read from the entity id ("first-last"): reading it from ``changes`` would
    # parse every chunk's whole field list. Statements are built once (the claim page runs
    # them on every view).
    spans = [
        (event_id, bounds)
        for event_id, entity_id in session.execute(_SPANS)
        if (bounds := _bounds(entity_id)) is not None
        and (holding is None or bounds[0] <= holding <= bounds[1])
    ]
    if not spans:
        return []
    rows = session.execute(_META, {"event_ids": [event_id for event_id, _ in spans]})
    meta = {event_id: (when, actor) for event_id, when, actor in rows}
    return [Chunk(event_id, *meta[event_id], bounds=bounds) for event_id, bounds in spans]


def _bounds(entity_id: str | None) -> tuple[int, int] | None:
    first, _, last = (entity_id or "").partition("-")
    if first.isdigit() and last.isdigit() and int(first) <= int(last):
        return int(first), int(last)
    return None


def _entry(
    session: Session, event_id: int, bounds: tuple[int, int], claim_id: int
) -> tuple[bool, dict[str, Any] | None]:
    """Whether the event created the claim, and the claim's entry in it: (True, None) for an
    old event (no list: its range is all it says); (False, None) when it lists other claims."""
    at = claim_id - bounds[0]
    entry = session.scalar(
        select(AuditEvent.changes[("claims", "after", at)]).where(AuditEvent.id == event_id)
    )
    if isinstance(entry, dict) and entry.get("id") == claim_id:
        return True, entry
    listed = session.scalar(
        select(AuditEvent.changes[("claims", "after")]).where(AuditEvent.id == event_id)
    )
    if not isinstance(listed, list):
        return True, None
    match = next((c for c in listed if isinstance(c, dict) and c.get("id") == claim_id), None)
    return match is not None, match


def history_event(session: Session, creation: Creation) -> AuditEvent | None:
    """A detached copy of the import event showing only this claim's entry (for history
    pages). Never added to a session: the log is append-only."""
    row = session.execute(select(*_LIGHT).where(AuditEvent.id == creation.event_id)).one_or_none()
    if row is None:
        return None
    copy = AuditEvent(**dict(row._mapping))
    changes: dict[str, Any] = {
        "ids": {"before": None, "after": list(creation.bounds)},
    }
    if creation.fields is not None:
        changes["claim"] = {"before": None, "after": creation.fields}
    copy.changes = changes
    return copy


def light_events(session: Session, events: list[AuditEvent]) -> list[AuditEvent]:
    """Fill in the deferred ``changes`` of events loaded for a list page. An import chunk's
    changes (thousands of claims' fields) are not read at all: the page shows its id range,
    taken from the entity id. The values are set as loaded, not as changes: the log is
    append-only."""
    pending = [e for e in events if "changes" not in e.__dict__]
    others = [e.id for e in pending if e.action != ACTION]
    loaded: dict[int, Any] = {}
    if others:
        rows = session.execute(
            select(AuditEvent.id, AuditEvent.changes).where(AuditEvent.id.in_(others))
        )
        loaded = {event_id: changes for event_id, changes in rows}
    for event in pending:
        if event.action == ACTION:
            bounds = _bounds(event.entity_id)
            summary = {"ids": {"before": None, "after": list(bounds)}} if bounds else {}
            set_committed_value(event, "changes", summary)
        else:
            set_committed_value(event, "changes", loaded.get(event.id) or {})
    return events
