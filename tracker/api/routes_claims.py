"""/api/v1/claims: read with evidence, create through intake, edit with the version guard,
link evidence, and the ClaimReview export."""

from __future__ import annotations

from collections.abc import Sequence
from types import EllipsisType
from typing import Any

from sqlalchemy.orm import Session

from tracker import config
from tracker.api.auth import allows, api_actor, principal, require
from tracker.api.pagination import decode_cursor, encode_cursor
from tracker.api.problems import STALE_VERSION, ApiProblem
from tracker.api.registry import Reply, api_url, operation
from tracker.api.schemas import (
    ClaimCreate,
    ClaimCreated,
    ClaimListParams,
    ClaimOut,
    ClaimPage,
    ClaimPatch,
    ClaimPath,
    ClaimReview,
    ConfirmIn,
    EvidenceIn,
    EvidencePath,
    MatchOut,
)
from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Claim, Evidence, Role, Verdict
from tracker.services.claims.edit import FieldInvalid, confirm_verdict, update_claim
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.provenance import provenance
from tracker.services.claims.read import claim_version, claim_with_evidence, claims_after
from tracker.services.claims.records import unlink_evidence
from tracker.services.claims.rereview import reasons_by_claim
from tracker.services.dedup.matching import Match
from tracker.services.errors import Conflict, Forbidden
from tracker.services.interop.claimreview import claim_review
from tracker.services.text.language import validate_language


def _evidence(link: Evidence) -> dict[str, Any]:
    return {
        "id": link.id,
        "excerpt_id": link.excerpt_id,
        "source_id": link.excerpt.source_id,
        "source_ai_status": link.excerpt.source.ai_status,
        "source_ai_status_label": link.excerpt.source.ai_status.label,
        "stance": link.stance,
        "exact": link.excerpt.exact,
        "selectors": link.excerpt.selectors(),
        "linked_by": link.linked_by,
        "linked_at": link.linked_at,
    }


def claim_outs(session: Session, claims: Sequence[Claim]) -> list[ClaimOut]:
    """Claims with their evidence and provenance (one provenance query for all)."""
    support = provenance(session, [c.id for c in claims])
    marked = reasons_by_claim(session, [c.id for c in claims])
    return [
        ClaimOut.model_validate(
            {
                "id": claim.id,
                "text": claim.text,
                "language": claim.language,
                "verdict": claim.verdict,
                "proposed_verdict": claim.proposed_verdict,
                "proposed_by": claim.proposed_by,
                "confidence": claim.confidence,
                "proposed_confidence": claim.proposed_confidence,
                "rationale": claim.rationale,
                "version": claim.version,
                "merged_into": claim.merged_into_id,
                "created_by": claim.created_by,
                "created_at": claim.created_at,
                "updated_at": claim.updated_at,
                "provenance": support[claim.id].as_dict(),
                "needs_review": claim.id in marked,
                "needs_review_reasons": marked.get(claim.id, []),
                "evidence": [_evidence(link) for link in claim.evidence],
                "links": {
                    "self": api_url("get_claim", claim_id=claim.id),
                    "web": f"/claims/{claim.id}",
                },
            }
        )
        for claim in claims
    ]


def _claim_reply(session: Session, claim_id: int, status: int = 200) -> Reply:
    out = claim_outs(session, [claim_with_evidence(session, claim_id)])[0]
    return Reply(out, status, {"Location": api_url("get_claim", claim_id=claim_id)})


def language_param(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return validate_language(value)
    except ValueError as exc:
        raise FieldInvalid("language", str(exc)) from exc


@operation(
    "GET",
    "/claims",
    summary="List claims",
    tag="claims",
    query=ClaimListParams,
    responses={200: ClaimPage},
)
def list_claims(query: ClaimListParams) -> Reply:
    """Claims in id order with their evidence (W3C selectors) and provenance. Merged claims
    are left out unless `include_merged`; "en" also finds "en-GB"."""
    after = decode_cursor("claims", query.cursor, (int,))
    db = get_session()
    rows = claims_after(
        db,
        include_merged=query.include_merged,
        verdict=query.verdict,
        language=query.language,
        source_id=query.source_id,
        needs_review=query.needs_review,
        after=after[0] if after is not None else None,
        limit=query.limit + 1,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor("claims", rows[-1].id) if more else None
    return Reply(ClaimPage(items=claim_outs(db, rows), next_cursor=cursor))


@operation(
    "GET",
    "/claims/{claim_id}",
    summary="One claim",
    tag="claims",
    path_model=ClaimPath,
    responses={200: ClaimOut},
)
def get_claim(path: ClaimPath) -> Reply:
    """The claim with its evidence, provenance and `version` (send it back with a PATCH)."""
    return _claim_reply(get_session(), path.claim_id)


def _span_kwargs(evidence: EvidenceIn | None) -> dict[str, Any]:
    if evidence is None:
        return {}
    return {
        "source_id": evidence.source_id,
        "quote": evidence.quote,
        "occurrence": evidence.occurrence,
        "start": evidence.start,
        "end": evidence.end,
        "stance": evidence.stance,
    }


def match_results(found: list[Match]) -> list[MatchOut]:
    return [
        MatchOut.model_validate(
            {
                "claim_id": m.claim_id,
                "text": m.text,
                "score": m.score,
                "lexical": m.lexical,
                "semantic": m.semantic,
                "tiers": m.tiers,
                "level": m.level,
                "warnings": [{"code": w.code, "detail": w.detail} for w in m.warnings],
            }
        )
        for m in found
    ]


@operation(
    "POST",
    "/claims",
    summary="Create a claim (or link evidence to an existing one)",
    tag="claims",
    role=Role.REVIEWER,
    body=ClaimCreate,
    responses={201: ClaimCreated, 200: ClaimCreated},
    errors=(409,),
)
def create_claim(body: ClaimCreate) -> Reply:
    """As the new-claim form: the near-duplicates are computed first and returned as
    `candidates`; the evidence (a quote or offsets in a source) is anchored and linked. A
    verdict other than unreviewed, or a confidence, needs an editor (reviewers send
    `proposed_verdict` and `proposed_confidence`); the refusal is audited. With `link_to` the
    evidence goes to that claim instead (200)."""
    if body.verdict is not Verdict.UNREVIEWED or body.confidence is not None:
        require(Role.EDITOR)
    db = get_session()
    result = intake_claim(
        db,
        body.text,
        actor=api_actor(),
        language=language_param(body.language),
        **_span_kwargs(body.evidence),
        verdict=body.verdict,
        proposed_verdict=body.proposed_verdict,
        confidence=body.confidence,
        proposed_confidence=body.proposed_confidence,
        rationale=body.rationale,
        override_reason=body.override_reason,
        link_to=body.link_to,
    )
    claim_id, candidates = result.claim.id, match_results(result.candidates)
    claim = claim_outs(db, [claim_with_evidence(db, claim_id)])[0]
    status = 200 if result.linked else 201
    out = ClaimCreated(claim=claim, linked=result.linked, candidates=candidates)
    return Reply(out, status, {"Location": api_url("get_claim", claim_id=claim_id)})


def _patch_values(body: ClaimPatch) -> dict[str, Any]:
    """The fields the client sent, as update_claim takes them (absent: unchanged)."""
    sent = body.model_fields_set
    confidence: float | EllipsisType | None = body.confidence if "confidence" in sent else ...
    proposal: float | EllipsisType | None = ...
    if body.proposed_confidence is not None:  # a proposal is replaced, not cleared
        proposal = body.proposed_confidence
    language = None
    if "language" in sent:
        language = language_param(body.language) or ""  # null or "" clears it
    return {
        "text": body.text,
        "language": language,
        "verdict": body.verdict,
        "proposed_verdict": body.proposed_verdict,
        "confidence": confidence,
        "proposed_confidence": proposal,
        "rationale": body.rationale,
    }


@operation(
    "PATCH",
    "/claims/{claim_id}",
    summary="Edit a claim",
    tag="claims",
    role=Role.REVIEWER,
    path_model=ClaimPath,
    body=ClaimPatch,
    responses={200: ClaimOut},
    errors=(409,),
)
def patch_claim(path: ClaimPath, body: ClaimPatch) -> Reply:
    """As the edit form, through the same service and guards: `version` must be the current
    one (else 409 with `current_version`; nothing is overwritten), a verdict, proposal or
    confidence change needs `reason`, an AI-only claim needs `override_reason` for true or
    mostly true; `verdict` and `confidence` need an editor, and so does the text of a claim
    with a final verdict. Audited as `claim.update`."""
    if body.verdict is not None or "confidence" in body.model_fields_set:
        require(Role.EDITOR)
    editor = allows(principal(), Role.EDITOR)
    db = get_session()
    try:
        with savepoint(Conflict) as stale:
            update_claim(
                db,
                path.claim_id,
                expected_version=body.version,
                actor=api_actor(),
                reason=body.reason,
                override_reason=body.override_reason,
                editor=editor,
                **_patch_values(body),
            )
    except Forbidden:
        require(Role.EDITOR)  # the text of a claim with a final verdict: audited, 403
        raise
    if stale.error is not None:
        raise ApiProblem(
            409,
            str(stale.error),
            kind=STALE_VERSION,
            extra={"current_version": claim_version(db, path.claim_id)},
        )
    return _claim_reply(db, path.claim_id)


@operation(
    "POST",
    "/claims/{claim_id}/confirm",
    summary="Confirm the verdict of a claim marked for re-review",
    tag="claims",
    role=Role.EDITOR,
    path_model=ClaimPath,
    body=ConfirmIn,
    responses={200: ClaimOut},
)
def confirm_claim(path: ClaimPath, body: ConfirmIn) -> Reply:
    """Clears the needs-re-review marker (`needs_review`) with a reason; a PATCH that changes
    the verdict clears it too. Audited as `rereview.clear`; 422 when the claim is not marked."""
    db = get_session()
    confirm_verdict(db, path.claim_id, reason=body.reason, actor=api_actor())
    return _claim_reply(db, path.claim_id)


@operation(
    "POST",
    "/claims/{claim_id}/evidence",
    summary="Link evidence to a claim",
    tag="claims",
    role=Role.REVIEWER,
    path_model=ClaimPath,
    body=EvidenceIn,
    responses={201: ClaimOut},
)
def add_evidence(path: ClaimPath, body: EvidenceIn) -> Reply:
    """Anchor a quote (or offsets) and link it with a stance; a merged claim passes the link
    on to the claim it was merged into. Audited as `excerpt.create` and `evidence.link`."""
    db = get_session()
    claim = claim_with_evidence(db, path.claim_id)
    result = intake_claim(
        db,
        claim.text,
        actor=api_actor(),
        **_span_kwargs(body),
        link_to=claim.id,
        candidates=[],
    )
    target = result.claim.id
    return _claim_reply(db, target, 201)


@operation(
    "POST",
    "/claims/{claim_id}/evidence/{evidence_id}/unlink",
    summary="Unlink evidence from a claim",
    tag="claims",
    role=Role.EDITOR,
    path_model=EvidencePath,
    body=ConfirmIn,
    responses={200: ClaimOut},
)
def unlink_claim_evidence(path: EvidencePath, body: ConfirmIn) -> Reply:
    """Remove one evidence link, with `reason` (the excerpt stays). A claim with a final
    verdict is marked for re-review. Audited as `evidence.unlink`."""
    db = get_session()
    unlink_evidence(db, path.claim_id, path.evidence_id, reason=body.reason, actor=api_actor())
    return _claim_reply(db, path.claim_id)


@operation(
    "GET",
    "/claims/{claim_id}/claimreview",
    summary="The claim as schema.org ClaimReview",
    tag="claims",
    path_model=ClaimPath,
    responses={200: ClaimReview},
    media_type="application/ld+json",
)
def get_claim_review(path: ClaimPath) -> Reply:
    """JSON-LD for publishing the review, with the organisation from the configuration."""
    data = claim_review(get_session(), path.claim_id, config.review_settings())
    return Reply(ClaimReview(data))
