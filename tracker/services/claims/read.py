"""Read-only queries for the claim pages: the filtered list, one claim with its evidence, its
provenance (claim -> excerpts -> sources -> publishers) and its audit history. Nothing here
writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tracker.models import AuditEvent, Claim, ClaimRereview, Evidence, Excerpt, Source, Verdict
from tracker.services.errors import NotFound
from tracker.services.pagination import Page, paginate

# Audit fields shown in a claim's verdict history (the full log shows every event).
HISTORY_FIELDS = (
    "verdict",
    "proposed_verdict",
    "confidence",
    "proposed_confidence",
    "rationale",
)


# --- the list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimFilters:
    verdict: Verdict | None = None
    language: str | None = None  # "en" also matches "en-GB"
    include_merged: bool = False
    needs_review: bool = False


# --- the API's keyset pages ----------------------------------------------------------------------

# A claim with its evidence links, their excerpts and sources, in three queries.
WITH_EVIDENCE = (
    selectinload(Claim.evidence).selectinload(Evidence.excerpt).selectinload(Excerpt.source),
)


def claim_with_evidence(session: Session, claim_id: int) -> Claim:
    """The claim as stored (fields read again), with its evidence, excerpts and sources."""
    claim = session.get(Claim, claim_id, options=WITH_EVIDENCE, populate_existing=True)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def claim_version(session: Session, claim_id: int) -> int | None:
    """The claim's stored version (None: no such claim)."""
    version: int | None = session.scalar(select(Claim.version).where(Claim.id == claim_id))
    return version


def claims_after(
    session: Session,
    *,
    include_merged: bool,
    verdict: Verdict | None = None,
    language: str | None = None,
    source_id: int | None = None,
    needs_review: bool | None = None,
    after: int | None = None,
    limit: int,
) -> list[Claim]:
    """Up to ``limit`` claims with ids above ``after``, in id order, with their evidence (the
    API's keyset pages). ``language`` "en" also finds "en-GB"; ``source_id``: claims citing
    that source; ``needs_review``: only the marked claims (True), only the others (False)."""
    stmt = select(Claim).options(*WITH_EVIDENCE).order_by(Claim.id)
    if not include_merged:
        stmt = stmt.where(Claim.merged_into_id.is_(None))
    if verdict is not None:
        stmt = stmt.where(Claim.verdict == verdict)
    if language:
        prefix = _escape_like(language) + "-%"
        stmt = stmt.where(or_(Claim.language == language, Claim.language.like(prefix, "\\")))
    if source_id is not None:
        cited = (
            select(Evidence.claim_id)
            .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
            .where(Excerpt.source_id == source_id)
        )
        stmt = stmt.where(Claim.id.in_(cited))
    if needs_review is not None:
        marked = Claim.id.in_(select(ClaimRereview.claim_id))
        stmt = stmt.where(marked if needs_review else ~marked)
    if after is not None:
        stmt = stmt.where(Claim.id > after)
    return list(session.scalars(stmt.limit(limit)))


@dataclass
class ClaimListPage:
    page: Page[Claim]
    evidence_counts: dict[int, int]


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_page(
    session: Session, filters: ClaimFilters, page: int, per_page: int = 50
) -> ClaimListPage:
    """One page of claims, newest first, with each claim's evidence count.

    Three queries whatever the page size: the count, the page, the evidence counts."""
    query = select(Claim).order_by(Claim.id.desc())  # ids grow with time: newest first
    if not filters.include_merged:
        query = query.where(Claim.merged_into_id.is_(None))
    if filters.verdict is not None:
        query = query.where(Claim.verdict == filters.verdict)
    if filters.needs_review:
        query = query.where(Claim.id.in_(select(ClaimRereview.claim_id)))
    if filters.language:
        lang = filters.language
        query = query.where(
            or_(Claim.language == lang, Claim.language.like(_escape_like(lang) + "-%", "\\"))
        )
    result = paginate(session, query, page, per_page)
    ids = [claim.id for claim in result.items]
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        rows = session.execute(
            select(Evidence.claim_id, func.count())
            .where(Evidence.claim_id.in_(ids))
            .group_by(Evidence.claim_id)
        )
        counts.update({claim_id: int(n) for claim_id, n in rows})
    return ClaimListPage(result, counts)


# --- one claim --------------------------------------------------------------------------------


# The claim page's statements, built once: building and keying a statement per request costs
# more than running it.
_LINKS = (
    select(Evidence)
    .where(Evidence.claim_id == bindparam("claim_id"))
    .options(
        joinedload(Evidence.excerpt)
        .joinedload(Excerpt.source)
        .options(defer(Source.text), joinedload(Source.publisher_ref))
    )
    .order_by(Evidence.id)
)
_EVENTS = (
    select(AuditEvent)
    .where(AuditEvent.entity_type == "claim", AuditEvent.entity_id == bindparam("entity_id"))
    .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
)


def load_claim(session: Session, claim_id: int) -> Claim:
    """The claim with its evidence, excerpts and sources (two queries; source texts are not
    loaded: the page shows the excerpt's own context)."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    # One plain query for the links with their excerpts and sources: a selectinload chained
    # onto session.get costs twice as much to set up as the query itself.
    links = session.scalars(_LINKS, {"claim_id": claim_id}).all()
    set_committed_value(claim, "evidence", list(links))
    return claim


def audit_events(session: Session, claim_id: int) -> list[AuditEvent]:
    """Every audit event about the claim, newest first."""
    return list(session.scalars(_EVENTS, {"entity_id": str(claim_id)}))


def last_change(session: Session, claim_id: int) -> AuditEvent | None:
    """The latest event that changed the claim row itself (who saved the current version)."""
    return session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.entity_type == "claim",
            AuditEvent.entity_id == str(claim_id),
            AuditEvent.action.like("claim.%"),
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    changes: list[FieldChange]


def verdict_history(events: list[AuditEvent]) -> list[HistoryEntry]:
    """The events (in the order given) that changed a verdict, confidence or rationale."""
    entries = []
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        picked = [
            FieldChange(name, changes[name].get("before"), changes[name].get("after"))
            for name in HISTORY_FIELDS
            if isinstance(changes.get(name), dict)
        ]
        if picked:
            entries.append(HistoryEntry(event, picked))
    return entries
