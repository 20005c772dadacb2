"""Watching pages fetched by URL: which are due, the lease a runner takes on a page (one
UPDATE with an expiry, so two runners never fetch the same page, on SQLite and PostgreSQL),
and a page's own recapture interval."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from tracker.models import SourceWatch
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.errors import Invalid
from tracker.services.sources.versions import interval_of, watch_of

LEASE = timedelta(minutes=10)  # a runner that dies frees its pages after this


def check_interval(minutes: int | None) -> None:
    if minutes is not None and not 1 <= minutes <= 525_600:
        raise Invalid(f"the interval must be 1 to 525600 minutes, not {minutes}")


def due_watches(session: Session, now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Ids of the watched pages due for a check and not leased by a runner, oldest due first."""
    now = now or utcnow()
    query = (
        select(SourceWatch.id)
        .where(
            or_(SourceWatch.next_check_at.is_(None), SourceWatch.next_check_at <= now),
            or_(SourceWatch.lease_expires_at.is_(None), SourceWatch.lease_expires_at <= now),
        )
        .order_by(SourceWatch.next_check_at, SourceWatch.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def claim_watch(
    session: Session,
    watch_id: int,
    owner: str,
    now: datetime | None = None,
    lease: timedelta = LEASE,
) -> bool:
    """Take the lease on a due page in one UPDATE; False when another runner holds it (or has
    just checked it). The caller commits before fetching, so other runners see the lease."""
    now = now or utcnow()
    statement = (
        update(SourceWatch)
        .where(
            SourceWatch.id == watch_id,
            or_(SourceWatch.next_check_at.is_(None), SourceWatch.next_check_at <= now),
            or_(SourceWatch.lease_expires_at.is_(None), SourceWatch.lease_expires_at <= now),
        )
        .values(lease_owner=owner[:100], lease_expires_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    taken = session.execute(statement).rowcount == 1  # type: ignore[attr-defined]
    return bool(taken)


def release_watch(session: Session, watch_id: int, owner: str) -> None:
    statement = (
        update(SourceWatch)
        .where(SourceWatch.id == watch_id, SourceWatch.lease_owner == owner[:100])
        .values(lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(statement)


def set_interval(
    session: Session, source_id: int, minutes: int | None, *, actor: audit.Actor
) -> SourceWatch:
    """A page's own recapture interval in minutes (None: the configured default), audited."""
    check_interval(minutes)
    watch = watch_of(session, source_id)
    if watch is None:
        raise Invalid(f"source {source_id} was not fetched from a URL: it is not watched")
    before = watch.interval_minutes
    if before != minutes:
        watch.interval_minutes = minutes
        base = watch.last_checked_at or watch.created_at
        watch.next_check_at = base + timedelta(minutes=interval_of(watch))
        session.flush()
        changes = {"interval_minutes": {"before": before, "after": minutes}}
        audit.record(session, actor, "source.watch", "source", watch.first_source_id, changes)
    return watch
