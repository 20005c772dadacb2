"""Sign-in throttling, with the audit log as the shared store.

Every failed or refused sign-in is an audit event (``user.login_failed``,
``user.login_throttled``) carrying the attempted name and the client address, in the same
database every worker process uses; so the limits hold across processes and machines, and
nothing is kept in one process's memory. Within WINDOW:

- one address may fail at most PER_ACCOUNT_ADDRESS times for one account, and
- at most PER_ADDRESS times over all accounts;

past either limit the attempt is refused with 429 before the password is checked (and
recorded).

Guesses spread over many addresses are counted per account: PER_ACCOUNT failures for one
account name within WINDOW, from any addresses, lock that name (``user.login_locked``, one
event per lock) for LOCK_BASE, doubled for each earlier lock of the name within the last day
(at most LOCK_MAX). While locked, every attempt, the right password included, is refused with
429 and Retry-After and a message that tells the real user when to come back. The lock is the
price of stopping a distributed guess: it is short, and an admin can still reset the password.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.errors import Throttled

WINDOW = timedelta(minutes=10)
PER_ACCOUNT_ADDRESS = 10
PER_ADDRESS = 30
PER_ACCOUNT = 20
LOCK_BASE = timedelta(minutes=15)
LOCK_MAX = timedelta(hours=4)
LOCK_MEMORY = timedelta(days=1)  # earlier locks within this make the next one longer
FAILED = ("user.login_failed", "user.login_throttled")
LOCKED = "user.login_locked"
_LOCK_SPACE = 0x5167  # advisory lock namespace of the sign-in throttle
MESSAGE = "too many failed sign-ins from this address: try again in a few minutes"
LOCKED_MESSAGE = (
    "this account is locked for {minutes} more minutes after too many failed sign-ins "
    "(possibly someone guessing its password): try again then, or ask an admin to reset "
    "your password"
)


def _failures(session: Session, address: str, username: str | None) -> int:
    query = select(func.count()).where(
        AuditEvent.action.in_(FAILED),
        AuditEvent.occurred_at >= utcnow() - WINDOW,
        AuditEvent.context["ip"].as_string() == address,
    )
    if username is not None:
        query = query.where(AuditEvent.changes[("username", "after")].as_string() == username)
    return int(session.scalar(query) or 0)


def _take_turns(session: Session, key: str) -> None:
    """On PostgreSQL, attempts with the same ``key`` take turns until their transaction ends,
    so two cannot both read a count under a limit (SQLite writers already take turns: BEGIN
    IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
            {"space": _LOCK_SPACE, "key": key},
        )


def _named(name: str) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = AuditEvent.changes[("username", "after")].as_string() == name
    return condition


def _locks(session: Session, name: str, since: datetime) -> list[AuditEvent]:
    """The name's locks since ``since``, newest first."""
    query = select(AuditEvent).where(
        AuditEvent.action == LOCKED, AuditEvent.occurred_at >= since, _named(name)
    )
    return list(session.scalars(query.order_by(AuditEvent.occurred_at.desc())))


def _lock_end(event: AuditEvent) -> datetime:
    seconds = event.changes.get("locked_seconds", {}).get("after", 0)
    return event.occurred_at + timedelta(seconds=int(seconds))


def _refuse(session: Session, actor: audit.Actor, name: str, message: str, wait: int) -> None:
    audit.record(
        session,
        actor,
        "user.login_throttled",
        "user",
        "-",
        {"username": {"before": None, "after": name}},
    )
    raise Throttled(message, retry_after=max(1, wait))


def _address(actor: audit.Actor) -> str | None:
    address = actor.context.get("ip")
    return address if isinstance(address, str) and address else None


def check(session: Session, username: str, actor: audit.Actor) -> None:
    """Raise Throttled (after recording the refused attempt) when the account is locked or
    this address is over a limit. Attempts without a client address (the command line) are
    not throttled."""
    address = _address(actor)
    if address is None:
        return
    name = username[:64]
    _take_turns(session, f"account:{name}")
    _take_turns(session, address)
    now = utcnow()
    for lock in _locks(session, name, now - LOCK_MAX)[:1]:
        if (end := _lock_end(lock)) > now:
            wait = int((end - now).total_seconds())
            _refuse(session, actor, name, LOCKED_MESSAGE.format(minutes=-(-wait // 60)), wait)
    if (
        _failures(session, address, name) < PER_ACCOUNT_ADDRESS
        and _failures(session, address, None) < PER_ADDRESS
    ):
        return
    _refuse(session, actor, name, MESSAGE, int(WINDOW.total_seconds()))


def after_failure(session: Session, username: str, actor: audit.Actor) -> None:
    """Count a failed sign-in against the account over all addresses; at PER_ACCOUNT failures
    within WINDOW (since its last lock ended) lock the name and record the lock."""
    if _address(actor) is None:
        return
    name = username[:64]
    now = utcnow()
    earlier = _locks(session, name, now - LOCK_MEMORY)
    since = now - WINDOW
    if earlier:
        since = max(since, _lock_end(earlier[0]))
    query = select(func.count()).where(
        AuditEvent.action == "user.login_failed", AuditEvent.occurred_at >= since, _named(name)
    )
    if int(session.scalar(query) or 0) < PER_ACCOUNT:
        return
    length = min(LOCK_BASE * 2 ** len(earlier), LOCK_MAX)
    audit.record(
        session,
        actor,
        LOCKED,
        "user",
        "-",
        {
            "username": {"before": None, "after": name},
            "locked_seconds": {"before": None, "after": int(length.total_seconds())},
        },
    )
