"""Claim pages: the list, one claim (evidence, provenance, history), editing, merge/unmerge,
the claim as it was at a moment (rebuilt from the audit log) and reverting to a version.

Role logic lives here: an editor's verdict select sets ``verdict``; a reviewer's sets
``proposed_verdict`` (services/claims/edit.py records whichever it is given)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Claim, Role, Verdict
from tracker.services.claims import as_of as claim_asof
from tracker.services.claims import read as claim_history
from tracker.services.claims.edit import FINAL_VERDICTS, FieldInvalid, confirm_verdict, update_claim
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.provenance import claim_provenance, provenance
from tracker.services.claims.records import unlink_evidence
from tracker.services.claims.rereview import reasons_by_claim
from tracker.services.claims.revert import revert_claim
from tracker.services.errors import Conflict, Forbidden, Invalid, NotFound
from tracker.services.pagination import page_number
from tracker.web.auth import can, deny, require_role, web_actor
from tracker.web.errors import status_of
from tracker.web.forms.claims import (
    AsOfForm,
    ClaimEditForm,
    ConfirmForm,
    FilterForm,
    MergeForm,
    RevertForm,
    UnmergeForm,
)

bp = Blueprint("claims", __name__)

PER_PAGE = 50


@bp.app_template_filter("confidence_pct")
def confidence_pct(value: float | None) -> str:
    """0.855 -> "85.5 %"; None -> "—"."""
    if value is None:
        return "—"
    return f"{round(value * 100, 1):g} %"


def _percent_value(value: float | None) -> float | int | None:
    """The number the confidence input shows: 0.9 -> 90, 0.123 -> 12.3."""
    if value is None:
        return None
    pct = round(value * 100, 4)
    return int(pct) if pct == int(pct) else pct


# --- the list ---------------------------------------------------------------------------------


@bp.get("/claims")
def claim_list() -> ResponseReturnValue:
    form = FilterForm(formdata=request.args)
    form.validate()
    verdict = form.verdict.data if not form.verdict.errors else ""
    language = (form.language.data or "").strip() if not form.language.errors else ""
    filters = claim_history.ClaimFilters(
        verdict=Verdict(verdict) if verdict else None,
        language=language or None,
        include_merged=bool(form.merged.data),
        needs_review=bool(form.needs_review.data),
    )
    result = claim_history.list_page(
        get_session(), filters, page_number(request.args.get("page")), PER_PAGE
    )
    args: dict[str, str] = {}
    if verdict:
        args["verdict"] = verdict
    if language:
        args["language"] = language
    if filters.include_merged:
        args["merged"] = "y"
    if filters.needs_review:
        args["needs_review"] = "y"
    return render_template(
        "claims.html",
        form=form,
        page=result.page,
        evidence_counts=result.evidence_counts,
        support=provenance(get_session(), [c.id for c in result.page.items]),
        rereview=reasons_by_claim(get_session(), [c.id for c in result.page.items]),
        args=args,
        filtered=bool(args),
    )


# --- one claim --------------------------------------------------------------------------------


def _render_claim(
    claim_id: int,
    *,
    merge_form: MergeForm | None = None,
    unmerge_form: UnmergeForm | None = None,
    revert_form: RevertForm | None = None,
    confirm_form: ConfirmForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    db = get_session()
    claim = claim_history.load_claim(db, claim_id)
    events = claim_history.audit_events(db, claim_id)
    found = claim_provenance(claim)
    return render_template(
        "claim.html",
        problems=_form_problems(merge_form, unmerge_form, revert_form, confirm_form),
        claim=claim,
        provenance=found,
        support=found.summary,
        history=claim_history.verdict_history(events),
        events=events,
        versions=claim_asof.version_rows(db, claim_id, known=events),
        merge_form=merge_form or MergeForm(formdata=None),
        unmerge_form=unmerge_form or UnmergeForm(formdata=None),
        revert_form=revert_form or RevertForm(formdata=None),
        confirm_form=confirm_form or ConfirmForm(formdata=None),
        as_of_form=AsOfForm(formdata=None),
    ), status


def _form_problems(*forms: FlaskForm | None) -> list[str]:
    """Every error of a refused form, for the top of the page: some of its fields are hidden,
    or not shown at all for this claim (an unmerge form on a claim that is not merged)."""
    return [
        f"{form[name].label.text}: {message}"
        for form in forms
        if form is not None
        for name, messages in form.errors.items()
        for message in messages
    ]


@bp.get("/claims/<int:claim_id>")
def claim_page(claim_id: int) -> ResponseReturnValue:
    return _render_claim(claim_id)


@bp.post("/claims/<int:claim_id>/merge")
@require_role(Role.EDITOR)
def claim_merge(claim_id: int) -> ResponseReturnValue:
    form = MergeForm()
    if not form.validate():
        return _render_claim(claim_id, merge_form=form, status=422)
    with savepoint(Invalid, Conflict, NotFound) as refused:  # re-shown next to the form
        record = merge_claims(
            get_session(), claim_id, form.target_id.data, reason=form.reason.data, actor=web_actor()
        )
    if refused.error is not None:
        form.target_id.errors.append(str(refused.error))
        return _render_claim(claim_id, merge_form=form, status=status_of(refused.error))
    into_id = record.into_id
    flash(f"Claim #{claim_id} is merged into claim #{into_id}.", "success")
    return redirect(url_for(".claim_page", claim_id=into_id))


@bp.post("/claims/<int:claim_id>/unmerge")
@require_role(Role.EDITOR)
def claim_unmerge(claim_id: int) -> ResponseReturnValue:
    form = UnmergeForm()
    if not form.validate():
        return _render_claim(claim_id, unmerge_form=form, status=422)
    with savepoint(Conflict, NotFound) as refused:  # NotFound: the claim is not merged
        unmerge_claim(get_session(), claim_id, actor=web_actor(), reason=form.reason.data.strip())
    if refused.error is not None:
        form.reason.errors.append(str(refused.error))
        return _render_claim(claim_id, unmerge_form=form, status=status_of(refused.error))
    flash(f"Claim #{claim_id} is unmerged and has its evidence back.", "success")
    return redirect(url_for(".claim_page", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/confirm")
@require_role(Role.EDITOR)
def claim_confirm(claim_id: int) -> ResponseReturnValue:
    """An editor confirms the verdict of a claim marked for re-review (clears the marker)."""
    form = ConfirmForm()
    if not form.validate():
        return _render_claim(claim_id, confirm_form=form, status=422)
    with savepoint(Invalid) as refused:
        confirm_verdict(get_session(), claim_id, reason=form.reason.data, actor=web_actor())
    if refused.error is not None:
        form.reason.errors.append(str(refused.error))
        return _render_claim(claim_id, confirm_form=form, status=status_of(refused.error))
    flash(
        f"The verdict of claim #{claim_id} is confirmed; it no longer needs re-review.", "success"
    )
    return redirect(url_for(".claim_page", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/evidence/<int:evidence_id>/unlink")
@require_role(Role.EDITOR)
def claim_unlink(claim_id: int, evidence_id: int) -> ResponseReturnValue:
    """An editor removes one evidence link, with a reason (a final verdict needs re-review)."""
    reason = request.form.get("reason", "")
    # NotFound (no such claim or evidence) is raised on: the 404 page, nothing kept.
    with savepoint(Invalid) as refused:
        claim = unlink_evidence(
            get_session(), claim_id, evidence_id, reason=reason, actor=web_actor()
        )
    if refused.error is not None:
        flash(f"Nothing was unlinked: {refused.error}", "error")
        return _render_claim(claim_id, status=status_of(refused.error))
    marked = claim.needs_review
    note = " The verdict needs re-review." if marked else ""
    flash(f"Evidence {evidence_id} is unlinked from claim #{claim_id}.{note}", "success")
    return redirect(url_for(".claim_page", claim_id=claim_id))


@bp.get("/claims/<int:claim_id>/as-of")
def claim_as_of_page(claim_id: int) -> ResponseReturnValue:
    """The claim as it was at a moment: read-only, rebuilt from the audit log."""
    form = AsOfForm(formdata=request.args)
    state, status = None, 422
    if form.validate():
        try:
            when = claim_asof.parse_when(form.at.data)
        except Invalid as exc:  # re-shown next to the time field
            form.at.errors.append(str(exc))
        else:
            state, status = claim_asof.claim_as_of(get_session(), claim_id, when), 200
            form.at.data = when.strftime("%Y-%m-%dT%H:%M:%S")  # what datetime-local shows
    return render_template("claim_asof.html", claim_id=claim_id, form=form, state=state), status


@bp.post("/claims/<int:claim_id>/revert")
@require_role(Role.EDITOR)
def claim_revert(claim_id: int) -> ResponseReturnValue:
    form = RevertForm()
    if not form.validate():
        return _render_claim(claim_id, revert_form=form, status=422)
    with savepoint(Invalid, Conflict) as refused:  # re-shown next to the version's form
        claim = revert_claim(
            get_session(),
            claim_id,
            form.to_version.data,
            reason=form.reason.data,
            actor=web_actor(),
            expected_version=form.version.data,
            override_reason=form.override_reason.data or None,
        )
    if refused.error is not None:
        name = getattr(refused.error, "field", "reason")
        target = form.override_reason if name == "override_reason" else form.reason
        target.errors = [*target.errors, str(refused.error)]
        return _render_claim(claim_id, revert_form=form, status=status_of(refused.error))
    changed = claim.version != form.version.data
    if changed:
        flash(f"Claim #{claim_id} is reverted to version {form.to_version.data}.", "success")
    else:
        flash(f"Claim #{claim_id} already has the fields of that version.", "info")
    return redirect(url_for(".claim_page", claim_id=claim_id))


# --- editing ----------------------------------------------------------------------------------


def _shown_verdict(claim: Claim, editor: bool) -> str:
    """What the verdict select starts at: the verdict, or for a reviewer their proposal."""
    if editor or claim.proposed_verdict is None:
        return claim.verdict.value
    return claim.proposed_verdict.value


def _shown_confidence(claim: Claim, editor: bool) -> float | None:
    """What the confidence input starts at: the confidence, or a reviewer's proposal."""
    if editor or claim.proposed_confidence is None:
        return claim.confidence
    return claim.proposed_confidence


def _changes(form: ClaimEditForm, claim: Claim, editor: bool) -> dict[str, Any]:
    pct = form.confidence.data
    confidence = None if pct is None else round(pct / 100, 6)
    changes: dict[str, Any] = {
        "text": form.text.data,
        "language": form.language.data or "",
        "rationale": form.rationale.data or "",
    }
    if editor:
        changes["verdict"] = form.verdict.data
        changes["confidence"] = confidence
        return changes
    if form.verdict.data != _shown_verdict(claim, editor):
        changes["proposed_verdict"] = form.verdict.data  # a reviewer proposes
    if pct != _percent_value(_shown_confidence(claim, editor)) and confidence is not None:
        changes["proposed_confidence"] = confidence
    return changes


def _show_error(form: ClaimEditForm, exc: Invalid) -> str | None:
    """Put a service error next to its field; returns it when it belongs to no field."""
    name = getattr(exc, "field", None)
    if name in ("proposed_verdict", "proposed_confidence"):
        name = name.removeprefix("proposed_")
    target = getattr(form, name, None) if isinstance(exc, FieldInvalid) and name else None
    if target is None:
        return str(exc)
    target.errors = [*target.errors, str(exc)]
    return None


def _conflict_page(claim_id: int, form: ClaimEditForm, editor: bool) -> ResponseReturnValue:
    db = get_session()
    claim = claim_history.load_claim(db, claim_id)
    return render_template(
        "claim_conflict.html",
        claim=claim,
        form=form,
        editor=editor,
        last=claim_history.last_change(db, claim_id),
    ), 409


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
@require_role(Role.REVIEWER)
def claim_edit(claim_id: int) -> ResponseReturnValue:
    db = get_session()
    claim = db.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    editor = can(Role.EDITOR)
    form = ClaimEditForm()
    if not editor:
        form.verdict.label.text = "Propose a verdict"
        form.confidence.label.text = "Propose a confidence (%)"
    if request.method == "GET":
        form.text.data = claim.text
        form.language.data = claim.language or ""
        form.verdict.data = _shown_verdict(claim, editor)
        form.confidence.data = _percent_value(_shown_confidence(claim, editor))
        form.rationale.data = claim.rationale
        form.version.data = claim.version
        return render_template(
            "claim_edit.html", claim=claim, form=form, editor=editor, final_verdicts=FINAL_VERDICTS
        )
    error = None
    if not form.validate():
        token = getattr(form, "csrf_token", None)
        if form.version.errors or (token is not None and token.errors):  # hidden fields
            error = "This form is incomplete or has expired: reload the edit form."
    else:
        old_version = claim.version
        with savepoint(Forbidden, Conflict, Invalid) as refused:
            update_claim(
                db,
                claim_id,
                expected_version=form.version.data,
                actor=web_actor(),
                reason=form.reason.data,
                override_reason=form.override_reason.data or None,
                editor=editor,
                **_changes(form, claim, editor),
            )
        if isinstance(refused.error, Forbidden):
            deny(Role.EDITOR)  # a reviewer and the text of a claim with a final verdict
        elif isinstance(refused.error, Conflict):
            return _conflict_page(claim_id, form, editor)
        elif isinstance(refused.error, Invalid):
            error = _show_error(form, refused.error)
        else:
            changed = claim.version != old_version
            if changed:
                flash(f"Claim #{claim_id} is saved.", "success")
            else:
                flash("Nothing changed.", "info")
            return redirect(url_for(".claim_page", claim_id=claim_id))
    return render_template(
        "claim_edit.html",
        claim=claim,
        form=form,
        editor=editor,
        error=error,
        final_verdicts=FINAL_VERDICTS,
    ), 422
