"""The append-only audit log: one event per change, written with the change.

The events form a hash chain (see ``tracker.services.audit.chain`` for the design and the
verification). Each event carries ``seq`` (its position, 1, 2, 3, ... with no gaps),
``prev_hash`` (the previous event's ``hash``; 64 zeros for the first) and ``hash``, the
SHA-256 of a canonical serialization of its fields plus ``prev_hash`` (``event_hash``).

Every new event gets its place in the chain at flush time (``_chain_new_events``), whatever
code added it, so the chain cannot be skipped. It also gets ``mac``, the HMAC of its hash with
the audit key kept in the instance folder, and after each commit the new head is anchored there
(``tracker.anchors``): someone who can only write to the database cannot recompute either.

The chain columns are nullable in the schema only because SQLite cannot add a NOT NULL column
without copying the table; database triggers (created by the migration) refuse an insert
without seq, prev_hash and hash, and refuse any UPDATE or DELETE.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, event, inspect, text
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from tracker import anchors
from tracker.db import Base
from tracker.models.types import UTCDateTime, utcnow

CHAIN_VERSION = 1
GENESIS_HASH = "0" * 64
# Domain separation: these bytes start every hashed message, so an event hash can never be
# confused with the SHA-256 of some other serialization.
HASH_PREFIX = b"tracker-audit\x00"
# pg_advisory_xact_lock key that serializes appends on PostgreSQL ("audit" in ASCII).
PG_APPEND_LOCK = 0x6175646974


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # An entity's history (claim page, audit history) is read by type and id, in time order.
    __table_args__ = (
        Index("ix_audit_events_entity", "entity_type", "entity_id", "id"),
        # The audit page's usual filter: one actor over a time range, newest first.
        Index("ix_audit_events_actor_occurred_at", "actor", "occurred_at"),
    )

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
    # The hash chain. NOT NULL is enforced by an insert trigger (see the module docstring).
    seq: Mapped[int] = mapped_column(Integer, nullable=True, unique=True, index=True)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=True)
    hash: Mapped[str] = mapped_column(String(64), nullable=True, unique=True, index=True)
    # HMAC-SHA256 of ``hash`` with the instance's audit key; NULL only for events written
    # before the key existed (the anchors' start record says up to which seq).
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete a recorded audit event."""


def canonical_time(value: datetime) -> str:
    """UTC, ISO 8601 with microseconds and "Z": ``2026-11-22T08:20:27.070977Z``."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# One reusable C encoder (json.dumps builds a new one per call, which dominates verify's time):
# sorted keys, compact separators, ensure_ascii=False, like the fallback.
_FALLBACK = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_c_encode = (
    _c_make_encoder(
        None, _refuse, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
    if _c_make_encoder is not None
    else None
)


def canonical_json(value: Any) -> str:
    """Sorted-key, compact JSON with non-ASCII characters kept as they are."""
    if _c_encode is not None:
        return "".join(_c_encode(value, 0))
    return _FALLBACK.encode(value)  # pragma: no cover - Pythons without the C accelerator


_str = json.encoder.encode_basestring


def digest(
    prev_hash: str,
    occurred_at: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    changes_json: str,
    reason: str | None,
    request_id: str | None,
    context_json: str,
) -> str:
    """``event_hash`` with ``changes`` and ``context`` already in canonical JSON.

    Builds the same bytes as ``canonical_json`` of the whole payload (keys in sorted order),
    without re-sorting the top level for every event.
    """
    body = (
        f'{{"action":{_str(action)},"actor":{_str(actor)},"changes":{changes_json},'
        f'"context":{context_json},"entity_id":{_str(entity_id)},'
        f'"entity_type":{_str(entity_type)},"occurred_at":{_str(occurred_at)},'
        f'"prev_hash":{_str(prev_hash)},'
        f'"reason":{"null" if reason is None else _str(reason)},'
        f'"request_id":{"null" if request_id is None else _str(request_id)},'
        f'"v":{CHAIN_VERSION}}}'
    )
    return hashlib.sha256(HASH_PREFIX + body.encode("utf-8")).hexdigest()


def event_hash(
    prev_hash: str,
    occurred_at: str,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    changes: Any,
    reason: str | None,
    request_id: str | None,
    context: Any,
) -> str:
    """The hex SHA-256 of an event: ``HASH_PREFIX`` + the canonical JSON of the payload
    ``{"v": 1, "prev_hash", "occurred_at", "actor", "action", "entity_type", "entity_id",
    "changes", "reason", "request_id", "context"}``.

    ``occurred_at`` is already canonical (``canonical_time``). The database id and ``seq``
    are not hashed: the position of an event is proven by the chain of ``prev_hash`` links.
    """
    return digest(
        prev_hash,
        occurred_at,
        actor,
        action,
        entity_type,
        entity_id,
        canonical_json(changes),
        reason,
        request_id,
        canonical_json(context),
    )


def hash_of(event: AuditEvent) -> str:
    """The hash ``event`` should carry, from its fields and its ``prev_hash``."""
    return event_hash(
        event.prev_hash,
        canonical_time(event.occurred_at),
        event.actor,
        event.action,
        event.entity_type,
        event.entity_id,
        event.changes,
        event.reason,
        event.request_id,
        event.context,
    )


def _as_stored(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value))


def _chain_new_events(session: Session, new_events: list[AuditEvent]) -> None:
    """Give each new event (in the order they were added) its seq, prev_hash and hash.

    Appends are serialized: SQLite write transactions start with BEGIN IMMEDIATE (tracker.db),
    PostgreSQL takes a transaction-scoped advisory lock before reading the head. The unique
    index on ``seq`` is the last line: two writers can never both extend the same head.
    """
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_APPEND_LOCK})
    head = session.execute(
        text("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    ).first()
    seq, prev = (int(head[0]), str(head[1])) if head is not None else (0, GENESIS_HASH)
    keys = anchors.for_bind(session.get_bind())
    keys.ensure_started(seq, prev)  # the first keyed write anchors the head it builds on
    for ev in new_events:
        if ev.occurred_at is None:
            ev.occurred_at = utcnow()
        elif ev.occurred_at.tzinfo is not None:
            ev.occurred_at = ev.occurred_at.astimezone(UTC)
        ev.changes = _as_stored(ev.changes if ev.changes is not None else {})
        ev.context = _as_stored(ev.context if ev.context is not None else {})
        seq += 1
        ev.seq = seq
        ev.prev_hash = prev
        ev.hash = prev = hash_of(ev)
        ev.mac = keys.mac(ev.hash)
    # The events of one flush share the fate of the (nested) transaction they were written in.
    where = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_CHAINED, []).append((where, seq, prev))


_CHAINED = "tracker_audit_chained"


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous: SessionTransaction) -> None:
    """A rolled-back savepoint (or the whole transaction) takes its events with it."""
    chained = session.info.get(_CHAINED)
    if chained:
        chained[:] = [entry for entry in chained if not _within(entry[0], previous)]


@event.listens_for(Session, "after_commit")
def _anchor_head(session: Session) -> None:
    """Anchor the newest event this commit made durable."""
    chained = session.info.pop(_CHAINED, None)
    if chained:
        ring = anchors.for_bind(session.get_bind())
        ring.note_head(*max((seq, digest) for _, seq, digest in chained))


@event.listens_for(Session, "after_rollback")
def _forget_chained(session: Session) -> None:
    session.info.pop(_CHAINED, None)  # the whole transaction is gone


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")
    new_events = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if new_events:
        new_events.sort(key=lambda ev: inspect(ev).insert_order or 0)
        _chain_new_events(session, new_events)
