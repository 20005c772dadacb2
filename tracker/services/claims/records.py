"""Claims and their evidence links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Claim, Evidence, Excerpt, Stance, Verdict
from tracker.services.audit import log as audit
from tracker.services.claims import rereview
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.analysis import normalize_claim_text
from tracker.services.dedup.token_index import index_claim
from tracker.services.dedup.vectors import store_vector
from tracker.services.errors import Invalid, NotFound
from tracker.services.text.language import detect_claim_language, validate_language
from tracker.services.text.storable import is_id

MAX_CLAIM_CHARS = 2000


def check_verdict(value: str | Verdict) -> Verdict:
    try:
        return Verdict(value)
    except ValueError as exc:
        allowed = ", ".join(v.value for v in Verdict)
        raise Invalid(f"unknown verdict {value!r} (use one of: {allowed})") from exc


def check_stance(value: str | Stance) -> Stance:
    try:
        return Stance(value)
    except ValueError as exc:
        allowed = ", ".join(s.value for s in Stance)
        raise Invalid(f"unknown stance {value!r} (use one of: {allowed})") from exc


def check_confidence(value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise Invalid(f"confidence must be a number from 0 to 1, not {value!r}")
    return float(value)


def check_text(value: str) -> str:
    if not isinstance(value, str):
        raise Invalid("the claim text must be a string")
    text = " ".join(value.split())
    if not text:
        raise Invalid("the claim text is empty")
    if len(text) > MAX_CLAIM_CHARS:
        raise Invalid(f"the claim text is longer than {MAX_CLAIM_CHARS} characters")
    return text


def create_claim(
    session: Session,
    *,
    text: str,
    actor: audit.Actor,
    language: str | None = None,
    verdict: str | Verdict = Verdict.UNREVIEWED,
    confidence: float | None = None,
    rationale: str = "",
) -> Claim:
    clean = check_text(text)
    if not isinstance(rationale, str):
        raise Invalid("the rationale must be a string")
    try:
        lang = validate_language(language) if language else None
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    if lang is None:  # none given: detected from the text (None when too short to tell)
        lang = detect_claim_language(clean)
    claim = Claim(
        text=clean,
        normalized_text=normalize_claim_text(clean, lang, alias_index(session)),
        language=lang,
        verdict=check_verdict(verdict),
        confidence=check_confidence(confidence),
        rationale=rationale.strip(),
        created_by=actor.name,
    )
    session.add(claim)
    session.flush()
    index_claim(session, claim)
    store_vector(session, claim)
    audit.record(
        session,
        actor,
        "claim.create",
        "claim",
        claim.id,
        audit.created(
            {
                "text": claim.text,
                "language": claim.language,
                "verdict": claim.verdict,
                "confidence": claim.confidence,
                "rationale": claim.rationale,
            }
        ),
    )
    return claim


def link_evidence(
    session: Session, claim: Claim, excerpt: Excerpt, stance: str | Stance, *, actor: audit.Actor
) -> Evidence:
    existing = session.scalar(
        select(Evidence).where(Evidence.claim_id == claim.id, Evidence.excerpt_id == excerpt.id)
    )
    if existing is not None:
        raise Invalid(f"excerpt {excerpt.id} is already linked to claim {claim.id}")
    link = Evidence(claim=claim, excerpt=excerpt, stance=check_stance(stance), linked_by=actor.name)
    session.add(link)
    session.flush()
    audit.record(
        session,
        actor,
        "evidence.link",
        "claim",
        claim.id,
        audit.created({"evidence_id": link.id, "excerpt_id": excerpt.id, "stance": link.stance}),
    )
    return link


def unlink_evidence(
    session: Session, claim_id: int, evidence_id: int, *, reason: str, actor: audit.Actor
) -> Claim:
    """Remove one evidence link from a claim, with a reason (audited as evidence.unlink); the
    excerpt stays. A claim with a final verdict loses ground and is marked for re-review."""
    why = audit.required_reason(reason, "to unlink evidence")
    claim = get_claim(session, claim_id)
    if claim.merged_into_id is not None:
        raise Invalid(f"claim {claim_id} is merged into claim {claim.merged_into_id}")
    link = next((e for e in claim.evidence if e.id == evidence_id), None)
    if link is None:
        raise NotFound(f"evidence {evidence_id} is not linked to claim {claim_id}")
    excerpt_id = link.excerpt_id
    before = {"evidence_id": link.id, "excerpt_id": excerpt_id, "stance": link.stance}
    claim.evidence.remove(link)
    session.flush()
    audit.record(
        session,
        actor,
        "evidence.unlink",
        "claim",
        claim.id,
        {name: {"before": value, "after": None} for name, value in before.items()},
        reason=why,
    )
    rereview.evidence_unlinked(session, claim, excerpt_id, actor)
    return claim


def find_by_normalized(session: Session, text: str, language: str | None = None) -> Claim | None:
    normalized = normalize_claim_text(text, language, alias_index(session))
    return session.scalar(select(Claim).where(Claim.normalized_text == normalized).limit(1))


def list_claims(session: Session) -> list[Claim]:
    query = (
        select(Claim)
        .options(selectinload(Claim.evidence), selectinload(Claim.rereview))
        .order_by(Claim.id)
    )
    return list(session.scalars(query))


def get_claim(session: Session, claim_id: int) -> Claim:
    if not is_id(claim_id):
        raise NotFound(f"claim {claim_id} does not exist")
    claim = session.get(Claim, claim_id, options=[selectinload(Claim.evidence)])
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "text": claim.text,
        "normalized_text": claim.normalized_text,
        "language": claim.language,
        "verdict": claim.verdict.value,
        "confidence": claim.confidence,
        "proposed_verdict": claim.proposed_verdict.value if claim.proposed_verdict else None,
        "proposed_confidence": claim.proposed_confidence,
        "proposed_by": claim.proposed_by,
        "rationale": claim.rationale,
        "version": claim.version,
        "merged_into": claim.merged_into_id,
        "needs_review": claim.needs_review,
        "needs_review_reasons": claim.needs_review_reasons,
        "evidence": [
            {
                "excerpt_id": link.excerpt_id,
                "source_id": link.excerpt.source_id,
                "stance": link.stance.value,
                "selectors": link.excerpt.selectors(),
            }
            for link in claim.evidence
        ],
    }
