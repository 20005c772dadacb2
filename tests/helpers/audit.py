"""Audit-chain helpers: a chain of events, tampering with the triggers off (raw SQL, as an
attacker with database access would), and forged events hashed as the issue specifies."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.services.audit import log as audit
from tracker.services.audit.log import Actor


def reference_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The hash exactly as the issue specifies it, written independently of the app's code."""
    payload = dict(fields, v=1, prev_hash=prev_hash)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(b"tracker-audit\x00" + body.encode("utf-8")).hexdigest()


def record_chain(session: Session, actor: Actor, n: int) -> list[AuditEvent]:
    events = [
        audit.record(
            session,
            actor,
            "claim.update",
            "claim",
            i + 1,
            audit.diff({"rationale": f"old {i}"}, {"rationale": f"neu {i} — «ç»"}),
            reason=None if i % 2 else f"reason {i}",
        )
        for i in range(n)
    ]
    session.flush()
    return events


@contextmanager
def triggers_off(session: Session) -> Iterator[None]:
    """Disable the append-only triggers (as an attacker with database access would)."""
    if session.connection().dialect.name == "sqlite":
        triggers = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _definition in triggers:
            session.execute(text(f"DROP TRIGGER {name}"))
        yield
        for _name, sql in triggers:
            session.execute(text(sql))
    else:
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
        yield
        session.execute(text("ALTER TABLE audit_events ENABLE TRIGGER USER"))


def run_sql(session: Session, statement: str, **params: Any) -> None:
    session.execute(text(statement), params)


def move_event(session: Session, seq_from: int, seq_to: int) -> None:
    run_sql(session, "UPDATE audit_events SET seq = :b WHERE seq = :a", a=seq_from, b=seq_to)


def shift_tail(session: Session, from_seq: int, by: int) -> None:
    """Renumber the events from ``from_seq`` on (through negative seqs: seq is unique)."""
    run_sql(
        session, "UPDATE audit_events SET seq = -(seq + :by) WHERE seq >= :s", by=by, s=from_seq
    )
    run_sql(session, "UPDATE audit_events SET seq = -seq WHERE seq < 0")


def forge_event(session: Session, seq: int, prev_hash: str, *, valid: bool = True) -> str:
    """Insert a forged event at ``seq`` (the slot must be free) that chains to ``prev_hash``."""
    fields = {
        "occurred_at": "2026-01-01T00:00:00.000000Z",
        "actor": "user:mallory",
        "action": "forged.event",
        "entity_type": "claim",
        "entity_id": "1",
        "changes": {},
        "reason": None,
        "request_id": None,
        "context": {},
    }
    digest = reference_hash(prev_hash, fields) if valid else "f" * 64
    run_sql(
        session,
        "INSERT INTO audit_events (occurred_at, actor, action, entity_type, entity_id, changes,"
        " context, seq, prev_hash, hash) VALUES ('2026-01-01 00:00:00.000000', 'user:mallory',"
        " 'forged.event', 'claim', '1', '{}', '{}', :seq, :prev, :hash)",
        seq=seq,
        prev=prev_hash,
        hash=digest,
    )
    return digest
