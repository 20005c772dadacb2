"""Taking in a claim: show the team's near-duplicates first, then link or create.

The candidates are computed before anything is written, so the caller can link the new
excerpt to an existing claim instead of creating a duplicate."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.models import Claim, Excerpt, Stance, Verdict
from tracker.services import audit
from tracker.services.anchoring import Anchor, excerpt_from_quote
from tracker.services.claims import create_claim, get_claim, link_evidence
from tracker.services.dedup import DEFAULT_THRESHOLDS, Match, Thresholds, match
from tracker.services.errors import Invalid
from tracker.services.sources import get_source


@dataclass
class Intake:
    claim: Claim
    candidates: list[Match]
    linked: bool  # True: the excerpt went to an existing claim; no claim was created
    excerpt: Excerpt | None = None
    anchor: Anchor | None = None


def resolve_redirects(session: Session, claim: Claim) -> Claim:
    """Follow ``merged_into`` to the claim that now holds the evidence."""
    seen = {claim.id}
    while claim.merged_into_id is not None:
        claim = get_claim(session, claim.merged_into_id)
        if claim.id in seen:
            raise Invalid(f"claim {claim.id} is in a merge cycle")
        seen.add(claim.id)
    return claim


def intake_claim(
    session: Session,
    text: str,
    *,
    actor: audit.Actor,
    language: str | None = None,
    source_id: int | None = None,
    quote: str | None = None,
    occurrence: int | None = None,
    stance: str | Stance = Stance.SUPPORTS,
    verdict: str | Verdict = Verdict.UNREVIEWED,
    confidence: float | None = None,
    rationale: str = "",
    link_to: int | None = None,
    limit: int = 5,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    candidates: list[Match] | None = None,
) -> Intake:
    """Candidates for ``text``; then the excerpt (if a source and quote are given) is linked to
    ``link_to`` or to a new claim. Everything happens in one savepoint."""
    if (source_id is None) != (quote is None):
        raise Invalid("give both a source and a quote, or neither")
    if candidates is None:  # a caller that already showed them passes them in
        candidates = match(session, text, language=language, limit=limit, thresholds=thresholds)
    with session.begin_nested():
        excerpt = anchor = None
        if source_id is not None and quote is not None:
            source = get_source(session, source_id)
            excerpt, anchor = excerpt_from_quote(
                session, source, quote, actor=actor, occurrence=occurrence
            )
        if link_to is not None:
            target = resolve_redirects(session, get_claim(session, link_to))
            if excerpt is None:
                raise Invalid("linking to an existing claim needs a source and a quote")
            link_evidence(session, target, excerpt, stance, actor=actor)
            return Intake(target, candidates, True, excerpt, anchor)
        claim = create_claim(
            session,
            text=text,
            language=language,
            verdict=verdict,
            confidence=confidence,
            rationale=rationale,
            actor=actor,
        )
        if excerpt is not None:
            link_evidence(session, claim, excerpt, stance, actor=actor)
    return Intake(claim, candidates, False, excerpt, anchor)
