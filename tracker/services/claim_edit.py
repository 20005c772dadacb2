"""Editing a claim's fields, guarded by its version counter (optimistic locking).

The caller sends the version it showed the user; a claim changed since is never overwritten
(Conflict). Who may set ``verdict`` and who only ``proposed_verdict`` is the caller's
decision (the web view passes one or the other by role); this module records whatever it is
given, with one audit event per edit."""

from __future__ import annotations

import math
from collections.abc import Callable
from types import EllipsisType
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.models import Claim, Verdict
from tracker.services import audit
from tracker.services.aliases import alias_index
from tracker.services.claim_vectors import store_vector
from tracker.services.claims import _text, check_confidence, check_verdict
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.services.language import validate_language
from tracker.services.normalize import normalize_claim_text
from tracker.services.provenance import AI_ONLY, provenance
from tracker.services.token_index import index_claim

# Changing one of these needs a reason.
NEEDS_REASON = ("verdict", "proposed_verdict", "confidence")
MAX_REASON_CHARS = 1000


class FieldInvalid(Invalid):
    """An Invalid that belongs to one input field (so a form can show it next to the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _new_values(
    *,
    text: str | None,
    language: str | None,
    verdict: str | Verdict | None,
    proposed_verdict: str | Verdict | None,
    confidence: float | EllipsisType | None,
    rationale: str | None,
) -> dict[str, Any]:
    """The checked new value of every field the caller gave (None: keep the field)."""
    values: dict[str, Any] = {}
    if text is not None:
        values["text"] = _checked("text", _text, text)
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


def _same(field: str, old: Any, new: Any) -> bool:
    if field == "confidence" and old is not None and new is not None:
        return math.isclose(old, new, rel_tol=0, abs_tol=1e-9)  # 0.123 from "12.3 %" is 0.123
    return bool(old == new)


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
    rationale: str | None = None,
    override_reason: str | None = None,
) -> Claim:
    """Change the given fields of a claim, if it is still at ``expected_version``.

    None (and ``...`` for confidence, where None clears it) means "leave the field as it is";
    language="" clears the language. A proposed verdict also records ``proposed_by``. Text or
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
    values = _new_values(
        text=text,
        language=language,
        verdict=verdict,
        proposed_verdict=proposed_verdict,
        confidence=confidence,
        rationale=rationale,
    )
    changed = {f: v for f, v in values.items() if not _same(f, getattr(claim, f), v)}
    if not changed:
        return claim  # a no-op edit: no write, no event
    clean_reason = reason.strip() if isinstance(reason, str) else ""
    if len(clean_reason) > MAX_REASON_CHARS:
        raise FieldInvalid("reason", f"the reason is longer than {MAX_REASON_CHARS} characters")
    needing = [f for f in NEEDS_REASON if f in changed]
    if needing and not clean_reason:
        names = " and ".join(f.replace("_", " ") for f in needing)
        raise FieldInvalid("reason", f"changing the {names} needs a reason")

    override = _ai_only_override(session, claim, changed, override_reason)
    before = {f: getattr(claim, f) for f in changed}
    if "proposed_verdict" in changed:
        before["proposed_by"] = claim.proposed_by
        changed["proposed_by"] = actor.name
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
    return claim


_SUPPORTIVE = (Verdict.TRUE, Verdict.MOSTLY_TRUE)


def _ai_only_override(
    session: Session, claim: Claim, changed: dict[str, Any], override_reason: str | None
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
            f"claim {claim.id} rests only on AI-generated sources: give an override reason "
            f"to set it to {value}",
        )
    if len(why) > MAX_REASON_CHARS:
        raise FieldInvalid(
            "override_reason", f"the override reason is longer than {MAX_REASON_CHARS} characters"
        )
    return {"ai_only_override": {"before": None, "after": why}}
