"""The needs-re-review marker: when the ground under a verdict changes, the claim is marked
with the reason, and only an editor clears it by confirming or changing the verdict.

Marked when a source a claim cites becomes AI-generated (any route), when a publisher of a
cited source is flagged as AI, when evidence leaves a claim with a final verdict, and when a
true / mostly true claim's support becomes AI-only. Setting (``rereview.mark``) and clearing
(``rereview.clear``) are audited on the claim."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, contains_eager

from tracker.models import Claim, ClaimRereview, Evidence, Excerpt, Source, Verdict
from tracker.services.audit import log as audit
from tracker.services.claims.provenance import AI_ONLY, provenance
from tracker.services.errors import Invalid, NotFound

Actor = audit.Actor

# Verdicts that rest on evidence: a change of ground sends them back for review.
FINAL_VERDICTS = (
    Verdict.TRUE,
    Verdict.MOSTLY_TRUE,
    Verdict.MISLEADING,
    Verdict.FALSE,
    Verdict.UNVERIFIABLE,
)
SUPPORTIVE = (Verdict.TRUE, Verdict.MOSTLY_TRUE)
MAX_REASON = 500

SOURCE_BECAME_AI = "source #{source} is now {status}"
PUBLISHER_FLAGGED = "publisher {publisher} is now flagged as a source of AI-generated text"
EVIDENCE_UNLINKED = "evidence (excerpt {excerpt}) was unlinked from the claim"
AI_ONLY_SUPPORT = "its support became AI-only while it is rated {verdict}"


def _reason(reason: str) -> str:
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not text:
        raise Invalid("a needs-re-review marker needs a reason")
    return text[:MAX_REASON]


def _claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def mark_needs_review(session: Session, claim_id: int, reason: str, actor: Actor) -> bool:
    """Mark the claim as needing re-review for ``reason``; True if it was newly marked or the
    reason is new, False when it already carries this reason (nothing recorded)."""
    why = _reason(reason)
    claim = _claim(session, claim_id)
    marker = claim.rereview
    before = list(marker.reasons) if marker is not None else []
    if why in before:
        return False
    if marker is None:
        marker = ClaimRereview(claim_id=claim.id, reasons=[why], marked_by=actor.name)
        claim.rereview = marker
    else:
        marker.reasons = [*before, why]  # a new list: JSON columns track assignment only
    session.flush()
    audit.record(
        session,
        actor,
        "rereview.mark",
        "claim",
        claim.id,
        {"needs_review": {"before": before or None, "after": list(marker.reasons)}},
        reason=why,
    )
    return True


def clear_needs_review(
    session: Session, claim_id: int, reason: str, actor: Actor, *, confirmed: bool = False
) -> bool:
    """Clear the marker: an editor confirmed (``confirmed``) or changed the verdict, for
    ``reason``. True if the claim was marked; False (nothing recorded) if it was not. The event
    lists the reasons cleared and, for a confirmation, the verdict confirmed (as
    ``confirmed_verdict``: the verdict itself did not change, so it is no ``verdict`` change).
    Callers check the role."""
    why = audit.required_reason(reason, "to confirm the verdict")
    claim = _claim(session, claim_id)
    marker = claim.rereview
    if marker is None:
        return False
    before = list(marker.reasons)
    claim.rereview = None
    session.flush()
    audit.record(
        session,
        actor,
        "rereview.clear",
        "claim",
        claim.id,
        {"needs_review": {"before": before, "after": None}}
        | ({"confirmed_verdict": {"before": None, "after": claim.verdict}} if confirmed else {}),
        reason=why,
    )
    return True


def reasons_by_claim(session: Session, claim_ids: Iterable[int]) -> dict[int, list[str]]:
    """Claim id -> its re-review reasons, for the marked claims among ``claim_ids``."""
    ids = sorted(set(claim_ids))
    found: dict[int, list[str]] = {}
    for offset in range(0, len(ids), 500):
        rows = session.execute(
            select(ClaimRereview.claim_id, ClaimRereview.reasons).where(
                ClaimRereview.claim_id.in_(ids[offset : offset + 500])
            )
        )
        found.update({claim_id: list(reasons) for claim_id, reasons in rows})
    return found


def marked_claims(session: Session, limit: int | None = None) -> list[Claim]:
    """Unmerged claims that need re-review (their markers loaded), the longest waiting first."""
    query = (
        select(Claim)
        .join(ClaimRereview, ClaimRereview.claim_id == Claim.id)
        .options(contains_eager(Claim.rereview))
        .where(Claim.merged_into_id.is_(None))
        .order_by(ClaimRereview.marked_at, Claim.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def marked_count(session: Session) -> int:
    """How many unmerged claims need re-review."""
    query = (
        select(func.count(ClaimRereview.claim_id))
        .join(Claim, Claim.id == ClaimRereview.claim_id)
        .where(Claim.merged_into_id.is_(None))
    )
    return int(session.scalar(query) or 0)


# --- what sets the marker --------------------------------------------------------------------


def _final_claims_citing(session: Session, source_condition: ColumnElement[bool]) -> list[int]:
    query = (
        select(Evidence.claim_id)
        .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
        .join(Source, Source.id == Excerpt.source_id)
        .join(Claim, Claim.id == Evidence.claim_id)
        .where(source_condition, Claim.verdict.in_(FINAL_VERDICTS))
        .distinct()
    )
    return sorted(session.scalars(query))


def _mark_ai_only(session: Session, claim_ids: list[int], actor: Actor) -> None:
    """True / mostly true claims among ``claim_ids`` whose support is now AI-only."""
    support = provenance(session, claim_ids)
    for claim_id in claim_ids:
        claim = session.get(Claim, claim_id)
        if claim is not None and claim.verdict in SUPPORTIVE and support[claim_id].cls == AI_ONLY:
            verdict = claim.verdict.value.replace("_", " ")
            mark_needs_review(session, claim_id, AI_ONLY_SUPPORT.format(verdict=verdict), actor)


def source_became_ai(session: Session, source: Source, actor: Actor) -> list[int]:
    """A source turned AI-generated: every claim with a final verdict citing it is marked.
    Returns the ids of the claims marked."""
    claim_ids = _final_claims_citing(session, Source.id == source.id)
    why = SOURCE_BECAME_AI.format(source=source.id, status=source.ai_status.label)
    for claim_id in claim_ids:
        mark_needs_review(session, claim_id, why, actor)
    _mark_ai_only(session, claim_ids, actor)
    return claim_ids


def publisher_flagged(session: Session, publisher_id: int, name: str, actor: Actor) -> list[int]:
    """A publisher was flagged as AI: claims with a final verdict citing its sources are marked."""
    claim_ids = _final_claims_citing(session, Source.publisher_id == publisher_id)
    why = PUBLISHER_FLAGGED.format(publisher=name)
    for claim_id in claim_ids:
        mark_needs_review(session, claim_id, why, actor)
    return claim_ids


def evidence_unlinked(session: Session, claim: Claim, excerpt_id: int, actor: Actor) -> bool:
    """Evidence left ``claim``: marked when its verdict is final."""
    if claim.verdict not in FINAL_VERDICTS:
        return False
    return mark_needs_review(session, claim.id, EVIDENCE_UNLINKED.format(excerpt=excerpt_id), actor)
