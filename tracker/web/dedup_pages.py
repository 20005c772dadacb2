"""The duplicates page: candidate groups from the bounded dedup scan, with Merge (editor),
Keep distinct (reviewer) and Skip (anyone; remembered in this browser session only)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from tracker.db import get_session
from tracker.models import Role
from tracker.services.claims.dashboard import DUPLICATE_WINDOW, claims_of_groups, pending_duplicates
from tracker.services.claims.merge import merge_claims
from tracker.services.dedup.matching import record_decision
from tracker.web.auth import require_role, web_actor
from tracker.web.forms.dedup_pages import (
    DistinctForm,
    MergeForm,
    SkipForm,
)

bp = Blueprint("dedup_pages", __name__)

SHOWN_GROUPS = 100
SKIP_KEY = "dedup_skipped"
MAX_SKIPPED = 100  # the session cookie holds them (as short digests): keep it small


def group_key(group: dict[str, Any]) -> str:
    return "-".join(str(claim_id) for claim_id in group["claims"])


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def _skipped() -> list[str]:
    value = session.get(SKIP_KEY, [])
    return [key for key in value if isinstance(key, str)] if isinstance(value, list) else []


def _page(status: int = 200, error: str | None = None) -> ResponseReturnValue:
    db = get_session()
    skipped = set(_skipped())
    groups = pending_duplicates(db, DUPLICATE_WINDOW)
    shown = [group for group in groups if _digest(group_key(group)) not in skipped]
    body = render_template(
        "duplicates.html",
        groups=shown[:SHOWN_GROUPS],
        total=len(shown),
        hidden=len(groups) - len(shown),
        claims=claims_of_groups(db, shown[:SHOWN_GROUPS]),
        window=DUPLICATE_WINDOW,
        group_key=group_key,
        error=error,
    )
    return body, status


def _form_error(form: FlaskForm) -> str:
    messages = [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()]
    return "Nothing was changed. " + "; ".join(messages)


@bp.get("/duplicates")
def duplicates() -> ResponseReturnValue:
    return _page()


@bp.post("/duplicates/merge")
@require_role(Role.EDITOR)
def merge() -> ResponseReturnValue:
    form = MergeForm()
    if not form.validate_on_submit():
        return _page(422, _form_error(form))
    older, newer = sorted((form.claim_id.data, form.other_id.data))
    # Newer into older unless the editor chose to keep the newer claim.
    source, target = (newer, older) if form.keep.data == "older" else (older, newer)
    merge_claims(get_session(), source, target, reason=form.reason.data.strip(), actor=web_actor())
    flash(f"Claim #{source} is merged into claim #{target}.", "success")
    return redirect(url_for("dedup_pages.duplicates"))


@bp.post("/duplicates/distinct")
@require_role(Role.REVIEWER)
def keep_distinct() -> ResponseReturnValue:
    form = DistinctForm()
    if not form.validate_on_submit():
        return _page(422, _form_error(form))
    decision = record_decision(
        get_session(),
        form.claim_id.data,
        form.other_id.data,
        "distinct",
        actor=web_actor(),
        reason=form.reason.data.strip(),
    )
    flash(
        f"Claims #{decision.claim_id} and #{decision.other_id} are kept distinct; "
        "the pair will not be suggested again.",
        "success",
    )
    return redirect(url_for("dedup_pages.duplicates"))


@bp.post("/duplicates/skip")
def skip() -> ResponseReturnValue:
    """Hide a group for the rest of this browser session (nothing is written)."""
    form = SkipForm()
    if not form.validate_on_submit():
        return _page(422, _form_error(form))
    digest = _digest(form.group.data)
    session[SKIP_KEY] = [*(key for key in _skipped() if key != digest), digest][-MAX_SKIPPED:]
    flash("Group skipped for this session.", "info")
    return redirect(url_for("dedup_pages.duplicates"))


@bp.post("/duplicates/unskip")
def unskip() -> ResponseReturnValue:
    form = FlaskForm()
    if not form.validate_on_submit():
        return _page(422, "Nothing was changed. The form expired: try again.")
    session.pop(SKIP_KEY, None)
    flash("Skipped groups are shown again.", "info")
    return redirect(url_for("dedup_pages.duplicates"))
