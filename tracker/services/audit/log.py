"""Recording audit events. Every service that changes state calls ``record`` in the same
transaction as the change, so a change never lands without its event."""

from __future__ import annotations

import getpass
import re
import shlex
import sys
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.services.errors import Invalid
from tracker.services.text.storable import readable

# The longest reason a flag or status change may carry.
MAX_REASON = 2000


@dataclass(frozen=True)
class Actor:
    """Who makes a change, and where the request came from.

    ``name`` is ``user:<username>``, ``cli:<os user>`` or ``system:<component>``.
    """

    name: str
    request_id: str | None = None
    context: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def cli(cls) -> Actor:
        try:
            who = getpass.getuser()
        except Exception:  # no user name in this environment (e.g. a bare container)
            who = "unknown"
        command = redact_secrets(readable(shlex.join(sys.argv)))  # file names may not be UTF-8
        return cls(name=f"cli:{who}", request_id=uuid.uuid4().hex, context={"command": command})

    @classmethod
    def system(cls, component: str) -> Actor:
        return cls(name=f"system:{component}")


_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_SECRET_OPTION = re.compile(r"(--(?:password|secret|token)[=\s]+)\S+", re.IGNORECASE)


def redact_secrets(command: str) -> str:
    """A command line with passwords in URLs and secret options replaced by ***."""
    return _SECRET_OPTION.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", command))


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of a field value for the diff."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-level changes: only the fields whose values differ."""
    changes: dict[str, dict[str, Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changes[key] = {"before": old, "after": new}
    return changes


def changed_only(changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` without the before/after pairs whose values are equal: an event lists what
    changed, never a field that stayed as it was (a confirmed verdict is not "X -> X")."""
    kept: dict[str, Any] = {}
    for name, change in changes.items():
        pair = isinstance(change, dict) and set(change) == {"before", "after"}
        if pair and jsonable(change["before"]) == jsonable(change["after"]):
            continue
        kept[name] = change
    return kept


def created(fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return diff({}, fields)


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | str,
    changes: dict[str, dict[str, Any]] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Add an audit event and flush it.

    ``changes`` maps a field to ``{"before": ..., "after": ...}`` (or a bare value); a pair
    whose two values are equal is no change and is left out (see ``changed_only``).

    The flush gives the event its place in the hash chain (seq, prev_hash, hash): appends are
    serialized there (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock) before the head is
    read; see ``tracker.models.audit`` and ``tracker.services.audit.chain``.
    """
    event = AuditEvent(
        actor=actor.name,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=changed_only(changes or {}),
        reason=reason,
        request_id=actor.request_id,
        context=dict(actor.context),
    )
    session.add(event)
    session.flush()
    return event


def required_reason(reason: object, needed_for: str) -> str:
    """A stripped, non-empty reason of at most MAX_REASON characters; Invalid otherwise."""
    why = reason.strip() if isinstance(reason, str) else ""
    if not why:
        raise Invalid(f"a reason is required {needed_for}")
    if len(why) > MAX_REASON:
        raise Invalid(f"the reason is longer than {MAX_REASON} characters")
    return why
