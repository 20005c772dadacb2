"""Editing a claim's fields, guarded by its version counter (optimistic locking).

The caller sends the version it showed the user; a claim changed since is never overwritten
(Conflict). The role rules are checked here, for every caller: ``verdict`` and ``confidence``
are an editor's fields (a reviewer sends ``proposed_verdict`` and ``proposed_confidence``),
and the text of a claim with a final verdict changes only by an editor, with a reason. One
audit event per edit."""

from __future__ import annotations

import math
from collections.abc import Callable
from types import EllipsisType
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import Claim, Verdict
from tracker.services.audit import log as audit
from tracker.services.claims import rereview
from tracker.services.claims.provenance import AI_ONLY, provenance
from tracker.services.claims.records import check_confidence, check_text, check_verdict
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.analysis import normalize_claim_text
from tracker.services.dedup.token_index import index_claim
from tracker.services.dedup.vectors import store_vector
from tracker.services.errors import Conflict, Forbidden, Invalid, NotFound
from tracker.services.text.language import validate_language

# Changing one of these needs a reason (and the text, once the verdict is final).
NEEDS_REASON = ("verdict", "proposed_verdict", "confidence", "proposed_confidence")
EDITOR_FIELDS = ("verdict", "confidence")
FINAL_VERDICTS = frozenset(
    {Verdict.TRUE, Verdict.MOSTLY_TRUE, Verdict.MISLEADING, Verdict.FALSE, Verdict.UNVERIFIABLE}
)
PROPOSALS = ("proposed_verdict", "proposed_confidence")
MAX_REASON_CHARS = 1000


class FieldInvalid(Invalid):
    """An Invalid that belongs to one input field (so a form can show it next to the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def new_values(
    *,
    text: str | None,
    language: str | None,
    verdict: str | Verdict | None,
    proposed_verdict: str | Verdict | None,
    confidence: float | EllipsisType | None,
    proposed_confidence: float | EllipsisType | None,
    rationale: str | None,
) -> dict[str, Any]:
    """The checked new value of every field the caller gave (None: keep the field)."""
    values: dict[str, Any] = {}
    if text is not None:
        values["text"] = _checked("text", check_text, text)
    if language is not None:  # "" clears the language
        try:
            values["language"] = validate_language(language) if language.strip() else None
        except ValueError as exc:
            raise FieldInvalid("language", str(exc)) from exc
    if verdict is not None:
        values["verdict"] = _checked("verdict", check_verdict, verdict)
    if proposed_verdict is not None:
        values["proposed_verdict"] = _checked("proposed_verdict", check_verdict, proposed_verdict)
    if not isinstance(confidence, EllipsisType):  # None clears the confidence
        values["confidence"] = _checked("confidence", check_confidence, confidence)
    if not isinstance(proposed_confidence, EllipsisType):
        values["proposed_confidence"] = _checked(
            "proposed_confidence", check_confidence, proposed_confidence
        )
    if rationale is not None:
        if not isinstance(rationale, str):
            raise FieldInvalid("rationale", "the rationale must be a string")
        # A browser sends a textarea's line breaks as CRLF.
        values["rationale"] = rationale.replace("\r\n", "\n").replace("\r", "\n").strip()
    return values


def _checked(field: str, check: Callable[[Any], Any], value: Any) -> Any:
    try:
        return check(value)
    except Invalid as exc:
        raise FieldInvalid(field, str(exc)) from exc


def same_value(field: str, old: Any, new: Any) -> bool:
    if field in ("confidence", "proposed_confidence") and old is not None and new is not None:
        return math.isclose(old, new, rel_tol=0, abs_tol=1e-9)  # 0.123 from "12.3 %" is 0.123
    return bool(old == new)


def write_fields(session: Session, claim: Claim, changed: dict[str, Any]) -> None:
    """Assign ``changed`` to the claim and flush under its version check (Conflict when another
    writer got there first); a new text or language is normalized, indexed and embedded."""
    claim_id = claim.id  # read now: after a failed flush the instance cannot be refreshed
    aliases = alias_index(session)  # before the assignments: its query must not autoflush them
    for field, value in changed.items():
        setattr(claim, field, value)
    if "text" in changed or "language" in changed:
        claim.normalized_text = normalize_claim_text(claim.text, claim.language, aliases)
    try:
        session.flush()  # UPDATE ... WHERE version = expected_version (the ORM's version check)
    except StaleDataError as exc:  # another writer committed between our read and this write
        raise Conflict(f"claim {claim_id} was changed by someone else; reload it") from exc
    if "text" in changed or "language" in changed:
        index_claim(session, claim)
    if "text" in changed:
        store_vector(session, claim)


def update_claim(
    session: Session,
    claim_id: int,
    *,
    expected_version: int,
    actor: audit.Actor,
    reason: str | None,
    text: str | None = None,
    language: str | None = None,
    verdict: str | Verdict | None = None,
    proposed_verdict: str | Verdict | None = None,
    confidence: float | EllipsisType | None = ...,
    proposed_confidence: float | EllipsisType | None = ...,
    rationale: str | None = None,
    override_reason: str | None = None,
    editor: bool = True,
) -> Claim:
    """Change the given fields of a claim, if it is still at ``expected_version``.

    None (and ``...`` for confidence, where None clears it) means "leave the field as it is";
    language="" clears the language. A proposal also records ``proposed_by``. ``editor`` says
    whether the actor has the editor role (False: Forbidden for a verdict or confidence change,
    or a text change of a claim with a final verdict). Text or
    language changes re-normalize the text and update the token index. An edit that changes
    nothing writes nothing. Raises NotFound, Conflict (stale version), Invalid (bad value,
    a verdict/confidence change without reason, a merged claim).

    Setting (or proposing) "true" or "mostly true" on a claim whose supporting evidence comes
    only from AI-generated sources needs ``override_reason``; it is recorded in the event."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    if claim.merged_into_id is not None:
        raise Invalid(
            f"claim {claim_id} is merged into claim {claim.merged_into_id}: "
            "edit that claim, or unmerge this one first"
        )
    if expected_version != claim.version:
        raise Conflict(
            f"claim {claim_id} was changed by someone else (version {claim.version}, "
            f"your form had version {expected_version}); reload it and edit again"
        )
    values = new_values(
        text=text,
        language=language,
        verdict=verdict,
        proposed_verdict=proposed_verdict,
        confidence=confidence,
        proposed_confidence=proposed_confidence,
        rationale=rationale,
    )
    changed = {f: v for f, v in values.items() if not same_value(f, getattr(claim, f), v)}
    if not changed:
        return claim  # a no-op edit: no write, no event
    final_text = "text" in changed and claim.verdict in FINAL_VERDICTS
    _check_role(claim, changed, editor, final_text)
    clean_reason = reason.strip() if isinstance(reason, str) else ""
    if len(clean_reason) > MAX_REASON_CHARS:
        raise FieldInvalid("reason", f"the reason is longer than {MAX_REASON_CHARS} characters")
    needing = [f for f in NEEDS_REASON if f in changed]
    if final_text:
        needing.append("text of a claim with a final verdict")
    if needing and not clean_reason:
        names = " and ".join(f.replace("_", " ") for f in needing)
        raise FieldInvalid("reason", f"changing the {names} needs a reason")

    override = ai_only_override(session, claim, changed, override_reason)
    before = {f: getattr(claim, f) for f in changed}
    if any(field in changed for field in PROPOSALS):
        before["proposed_by"] = claim.proposed_by
        changed["proposed_by"] = actor.name
    write_fields(session, claim, changed)
    audit.record(
        session,
        actor,
        "claim.update",
        "claim",
        claim.id,
        audit.diff(before, changed)
        | override
        | {"version": {"before": expected_version, "after": claim.version}},
        reason=clean_reason or None,
    )
    if "verdict" in changed:  # an editor decided again: the marker has done its work
        rereview.clear_needs_review(session, claim.id, clean_reason, actor)
    return claim


def confirm_verdict(session: Session, claim_id: int, *, reason: str, actor: audit.Actor) -> Claim:
    """An editor confirms the verdict of a claim marked for re-review, with a reason: the
    marker is cleared (audited as rereview.clear). The caller checks the editor role."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    if claim.rereview is None:
        raise Invalid(f"claim {claim_id} is not marked for re-review: nothing to confirm")
    if claim.merged_into_id is not None:
        raise Invalid(f"claim {claim_id} is merged into claim {claim.merged_into_id}")
    rereview.clear_needs_review(session, claim.id, reason, actor, confirmed=True)
    return claim


def _check_role(claim: Claim, changed: dict[str, Any], editor: bool, final_text: bool) -> None:
    if editor:
        return
    if fields := [f for f in EDITOR_FIELDS if f in changed]:
        names = " and ".join(fields)
        raise Forbidden(
            f"only an editor sets the {names}: propose one instead (proposed_{fields[0]})"
        )
    if final_text:
        raise Forbidden(
            f"claim {claim.id} has a final verdict ({claim.verdict.value.replace('_', ' ')}): "
            "only an editor changes its text, with a reason"
        )


_SUPPORTIVE = (Verdict.TRUE, Verdict.MOSTLY_TRUE)


def check_new_claim_support(
    session: Session, claim: Claim, *, override_reason: str | None, actor: audit.Actor
) -> None:
    """The AI-only rule for a claim just created with its evidence: a true or mostly true
    verdict (or proposal) resting only on AI-generated sources needs ``override_reason``
    (FieldInvalid otherwise); a given override is audited as verdict.ai_only_override."""
    given = {f: getattr(claim, f) for f in ("verdict", "proposed_verdict")}
    override = ai_only_override(session, claim, given, override_reason, subject="the new claim")
    if override:
        why = override["ai_only_override"]["after"]
        audit.record(
            session, actor, "verdict.ai_only_override", "claim", claim.id, override, reason=why
        )


def ai_only_override(
    session: Session,
    claim: Claim,
    changed: dict[str, Any],
    override_reason: str | None,
    subject: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Refuse a true/mostly-true verdict resting only on AI-generated sources unless an
    override reason is given; the audit entry that records the override (or nothing)."""
    fields = [f for f in ("verdict", "proposed_verdict") if changed.get(f) in _SUPPORTIVE]
    if not fields or provenance(session, [claim.id])[claim.id].cls != AI_ONLY:
        return {}
    why = override_reason.strip() if isinstance(override_reason, str) else ""
    if not why:
        value = changed[fields[0]].value.replace("_", " ")
        raise FieldInvalid(
            "override_reason",
            f"{subject or f'claim {claim.id}'} rests only on AI-generated sources: give an "
            f"override reason to set it to {value}",
        )
    if len(why) > MAX_REASON_CHARS:
        raise FieldInvalid(
            "override_reason", f"the override reason is longer than {MAX_REASON_CHARS} characters"
        )
    return {"ai_only_override": {"before": None, "after": why}}
