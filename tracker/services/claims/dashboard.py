"""The dashboard's read-only queries: verdict counts, the review queue, recent activity,
pending duplicate groups and AI-flagged sources.

Each part is one or two queries (the duplicate groups come from the bounded scan), so the
page costs the same number of statements whatever the size of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from tracker.models import AiGenerated, AuditEvent, Claim, Source, Verdict
from tracker.services.claims import rereview
from tracker.services.dedup.scan import scan
from tracker.services.interop import import_events

QUEUE_VERDICTS = (Verdict.UNREVIEWED, Verdict.IN_REVIEW)
QUEUE_SIZE = 20
# Enough events to fill the dashboard's recent activity, one line per request.
ACTIVITY_SIZE = 200
FLAGGED_SIZE = 10
# The duplicates page and the dashboard list pairs among this many newest claims.
DUPLICATE_WINDOW = 500
# The dashboard lists groups among fewer claims than /duplicates: it loads all day long.
DASHBOARD_WINDOW = 100


@dataclass
class Dashboard:
    verdict_counts: dict[Verdict, int]
    queue: list[Claim]
    activity: list[AuditEvent]
    flagged: list[Source]
    flagged_total: int
    duplicate_groups: list[dict[str, Any]] = field(default_factory=list)
    duplicate_window: int = DUPLICATE_WINDOW
    rereview: list[Claim] = field(default_factory=list)  # marked claims, markers loaded
    rereview_total: int = 0

    @property
    def total_claims(self) -> int:
        return sum(self.verdict_counts.values())

    @property
    def queue_total(self) -> int:
        return sum(self.verdict_counts[v] for v in QUEUE_VERDICTS)


def verdict_counts(session: Session) -> dict[Verdict, int]:
    """Unmerged claims per verdict, every verdict listed (zero included), in enum order."""
    rows = session.execute(
        select(Claim.verdict, func.count(Claim.id))
        .where(Claim.merged_into_id.is_(None))
        .group_by(Claim.verdict)
    ).all()
    found = {Verdict(verdict): int(count) for verdict, count in rows}
    return {verdict: found.get(verdict, 0) for verdict in Verdict}


def review_queue(session: Session, limit: int = QUEUE_SIZE) -> list[Claim]:
    """Unmerged claims still to be reviewed (unreviewed or in review), oldest first; the
    claims that need re-review are listed apart (``rereview``), above them."""
    query = (
        select(Claim)
        .where(Claim.verdict.in_(QUEUE_VERDICTS), Claim.merged_into_id.is_(None))
        .order_by(Claim.created_at, Claim.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def recent_activity(session: Session, limit: int = ACTIVITY_SIZE) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    events = list(session.scalars(query.options(defer(AuditEvent.changes)).limit(limit)))
    return import_events.light_events(session, events)


def flagged_sources(session: Session, limit: int = FLAGGED_SIZE) -> tuple[list[Source], int]:
    """The newest sources marked AI-generated, and how many there are in all."""
    flagged = Source.ai_generated == AiGenerated.YES
    query = select(Source).where(flagged).order_by(Source.created_at.desc(), Source.id.desc())
    total = int(session.scalar(select(func.count(Source.id)).where(flagged)) or 0)
    return list(session.scalars(query.limit(limit))), total


def pending_duplicates(session: Session, window: int = DUPLICATE_WINDOW) -> list[dict[str, Any]]:
    """Candidate duplicate groups among the newest ``window`` claims (pairs marked distinct
    and merged claims are left out), largest first."""
    return scan(session, recent=window).groups


def claims_of_groups(session: Session, groups: list[dict[str, Any]]) -> dict[int, Claim]:
    """The claims the groups name, by id, in one query."""
    ids = sorted({claim_id for group in groups for claim_id in group["claims"]})
    if not ids:
        return {}
    return {claim.id: claim for claim in session.scalars(select(Claim).where(Claim.id.in_(ids)))}


def dashboard(session: Session, window: int = DASHBOARD_WINDOW) -> Dashboard:
    flagged, flagged_total = flagged_sources(session)
    return Dashboard(
        verdict_counts=verdict_counts(session),
        queue=review_queue(session),
        activity=recent_activity(session),
        flagged=flagged,
        flagged_total=flagged_total,
        duplicate_groups=pending_duplicates(session, window),
        duplicate_window=window,
        rereview=rereview.marked_claims(session, QUEUE_SIZE),
        rereview_total=rereview.marked_count(session),
    )
