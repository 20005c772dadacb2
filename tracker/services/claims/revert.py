"""Reverting a claim's editable fields to an earlier version, with the edit rules of
services/claims/edit.py (version check, reasons, the AI-only verdict guard, re-normalizing)
and one ``claim.revert`` audit event. The earlier values come from the audit log
(services/claims/as_of.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.services.audit import log as audit
from tracker.services.claims.as_of import EDITABLE, Version, claim_versions
from tracker.services.claims.edit import (
    MAX_REASON_CHARS,
    FieldInvalid,
    ai_only_override,
    new_values,
    same_value,
    write_fields,
)
from tracker.services.errors import Conflict, Invalid, NotFound


def version_state(session: Session, claim_id: int, version: int) -> Version:
    """The latest state in which the claim had ``version``. Unmerges recorded before they
    moved the counter on restored the pre-merge number, so in such a history a number can
    name two states; the latest wins."""
    found = [v for v in claim_versions(session, claim_id) if v.version == version]
    if not found:
        raise Invalid(f"claim {claim_id} never had version {version}")
    return found[-1]


def _target_values(fields: dict[str, Any]) -> dict[str, Any]:
    """The checked values of an old version, as the claim's attributes hold them."""
    values = new_values(
        text=fields["text"],
        language=fields["language"] or "",
        verdict=fields["verdict"],
        proposed_verdict=fields["proposed_verdict"],
        confidence=fields["confidence"],
        proposed_confidence=fields.get("proposed_confidence"),
        rationale=fields["rationale"] or "",
    )
    values.setdefault("proposed_verdict", None)  # None here clears a later proposal
    return values


def revert_claim(
    session: Session,
    claim_id: int,
    to_version: int,
    *,
    reason: str | None,
    actor: audit.Actor,
    expected_version: int,
    override_reason: str | None = None,
) -> Claim:
    """Restore text, language, verdict, proposed verdict, confidence and rationale as they
    were at ``to_version``, if the claim is still at ``expected_version``. The reason is
    required. A revert that changes nothing writes nothing. Raises NotFound, Conflict,
    Invalid (no reason, unknown version, merged claim, AI-only guard without override)."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    if claim.merged_into_id is not None:
        raise Invalid(
            f"claim {claim_id} is merged into claim {claim.merged_into_id}: unmerge it first"
        )
    if expected_version != claim.version:
        raise Conflict(
            f"claim {claim_id} was changed by someone else (version {claim.version}, "
            f"your form had version {expected_version}); reload it and try again"
        )
    clean_reason = reason.strip() if isinstance(reason, str) else ""
    if not clean_reason:
        raise FieldInvalid("reason", "a revert needs a reason")
    if len(clean_reason) > MAX_REASON_CHARS:
        raise FieldInvalid("reason", f"the reason is longer than {MAX_REASON_CHARS} characters")
    values = _target_values(version_state(session, claim_id, to_version).fields)
    changed = {f: values[f] for f in EDITABLE if not same_value(f, getattr(claim, f), values[f])}
    if not changed:
        return claim  # already as it was at that version: no write, no event
    override = ai_only_override(session, claim, changed, override_reason)
    before = {f: getattr(claim, f) for f in changed}
    if "proposed_verdict" in changed or "proposed_confidence" in changed:
        before["proposed_by"] = claim.proposed_by
        proposing = any(
            changed.get(f) is not None for f in ("proposed_verdict", "proposed_confidence")
        )
        changed["proposed_by"] = actor.name if proposing else None
    write_fields(session, claim, changed)
    audit.record(
        session,
        actor,
        "claim.revert",
        "claim",
        claim.id,
        audit.diff(before, changed)
        | override
        | {
            "reverted_to_version": {"before": expected_version, "after": to_version},
            "version": {"before": expected_version, "after": claim.version},
        },
        reason=clean_reason,
    )
    return claim
