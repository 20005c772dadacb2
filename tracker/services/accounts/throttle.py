"""Sign-in throttling, with the audit log as the shared store.

Every failed or refused sign-in is an audit event (``user.login_failed``,
``user.login_throttled``) carrying the attempted name and the client address, in the same
database every worker process uses; so the limits hold across processes and machines, and
nothing is kept in one process's memory. Within WINDOW:

- one address may fail at most PER_ACCOUNT_ADDRESS times for one account, and
- at most PER_ADDRESS times over all accounts;

past either limit the attempt is refused with 429 before the password is checked (and
recorded). There is deliberately no limit per account over all addresses: an attacker could
then lock the real user out, who can always still sign in from another address."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.errors import Throttled

WINDOW = timedelta(minutes=10)
PER_ACCOUNT_ADDRESS = 10
PER_ADDRESS = 30
FAILED = ("user.login_failed", "user.login_throttled")
_LOCK_SPACE = 0x5167  # advisory lock namespace of the sign-in throttle
MESSAGE = "too many failed sign-ins from this address: try again in a few minutes"


def _failures(session: Session, address: str, username: str | None) -> int:
    query = select(func.count()).where(
        AuditEvent.action.in_(FAILED),
        AuditEvent.occurred_at >= utcnow() - WINDOW,
        AuditEvent.context["ip"].as_string() == address,
    )
    if username is not None:
        query = query.where(AuditEvent.changes[("username", "after")].as_string() == username)
    return int(session.scalar(query) or 0)


def check(session: Session, username: str, actor: audit.Actor) -> None:
    """Raise Throttled (after recording the refused attempt) when this address is over a
    limit. Attempts without a client address (the command line) are not throttled."""
    address = actor.context.get("ip")
    if not isinstance(address, str) or not address:
        return
    if session.get_bind().dialect.name == "postgresql":
        # Attempts from one address take turns until their transaction ends, so two cannot
        # both read a count under the limit (SQLite writers already take turns: BEGIN
        # IMMEDIATE).
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:address))"),
            {"space": _LOCK_SPACE, "address": address},
        )
    name = username[:64]
    if (
        _failures(session, address, name) < PER_ACCOUNT_ADDRESS
        and _failures(session, address, None) < PER_ADDRESS
    ):
        return
    audit.record(
        session,
        actor,
        "user.login_throttled",
        "user",
        "-",
        {"username": {"before": None, "after": name}},
    )
    raise Throttled(MESSAGE, retry_after=int(WINDOW.total_seconds()))
