"""Claims and their evidence links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Claim, Evidence, Excerpt, Stance, Verdict
from tracker.services import audit
from tracker.services.aliases import alias_index
from tracker.services.claim_vectors import store_vector
from tracker.services.errors import Invalid, NotFound
from tracker.services.language import validate_language
from tracker.services.normalize import normalize_claim_text
from tracker.services.storable import is_id
from tracker.services.token_index import index_claim

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


def _text(value: str) -> str:
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
    clean = _text(text)
    if not isinstance(rationale, str):
        raise Invalid("the rationale must be a string")
    try:
        lang = validate_language(language) if language else None
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
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


def find_by_normalized(session: Session, text: str, language: str | None = None) -> Claim | None:
    normalized = normalize_claim_text(text, language, alias_index(session))
    return session.scalar(select(Claim).where(Claim.normalized_text == normalized).limit(1))


def list_claims(session: Session) -> list[Claim]:
    query = select(Claim).options(selectinload(Claim.evidence)).order_by(Claim.id)
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
        "rationale": claim.rationale,
        "version": claim.version,
        "merged_into": claim.merged_into_id,
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
