"""Sources by URL on the web: the "Add by URL" form, the recapture button, and the versions,
checks, diff and excerpt statuses that the source and claim pages show."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from tracker import config
from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Role, Source
from tracker.services.errors import Invalid
from tracker.services.sources.capture import capture_url, recapture
from tracker.services.sources.ingest import SourceMeta
from tracker.services.sources.versions import (
    anchors_on,
    diff_versions,
    interval_of,
    latest_anchors,
    source_history,
)
from tracker.web.auth import require_role, web_actor
from tracker.web.forms.capture import (
    UrlForm,
)
from tracker.web.forms.sources import NewSourceForm

bp = Blueprint("capture", __name__)


def fetch_enabled() -> bool:
    return bool(current_app.config.get("FETCH_ENABLED", True))


def request_settings() -> config.FetchSettings:
    """The fetch settings for this app: refused when FETCH_ENABLED is off; the size limit is
    the app's MAX_SOURCE_BYTES."""
    if not fetch_enabled():
        raise Invalid("fetching pages by URL is turned off on this server")
    try:
        settings = config.fetch_settings()
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    return config.FetchSettings(
        settings.timeout,
        settings.max_redirects,
        int(current_app.config["MAX_SOURCE_BYTES"]),
        settings.allow_private,
    )


def _new_page(form: UrlForm) -> ResponseReturnValue:
    blank = NewSourceForm(formdata=None)
    return render_template("source_new.html", form=blank, url_form=form), 422


@bp.app_template_global()
def new_url_form() -> UrlForm:
    return UrlForm(formdata=None)


@bp.post("/sources/new/url")
@require_role(Role.REVIEWER)
def add_by_url() -> ResponseReturnValue:
    form = UrlForm()
    if not form.validate_on_submit():
        return _new_page(form)
    meta = SourceMeta(publisher=form.url_publisher.data or None)
    with savepoint(Invalid) as refused:
        result = capture_url(
            get_session(),
            form.page_url.data,
            actor=web_actor(),
            settings=request_settings(),
            meta=meta,
        )
    if refused.error is not None:
        form.page_url.errors.append(str(refused.error))
        return _new_page(form)
    if result.outcome == "created":
        flash(f"Source {result.source_id} fetched and added.", "success")
    else:
        flash(f"The page holds the same text as source {result.source_id}: nothing new.", "info")
    return redirect(url_for("sources.source_page", source_id=result.source_id))


@bp.post("/sources/<int:source_id>/recapture")
@require_role(Role.REVIEWER)
def recapture_source(source_id: int) -> ResponseReturnValue:
    result = recapture(get_session(), source_id, actor=web_actor(), settings=request_settings())
    if result.outcome == "failed":
        flash(f"The page could not be fetched: {result.error}", "error")
    elif result.outcome == "unchanged":
        flash("Checked: the page is unchanged.", "info")
    else:
        changed = sum(a["status"] in ("edited", "orphaned") for a in result.anchors)
        flash(
            f"The page changed: version {result.version_no} is source {result.source_id}"
            f" ({changed} excerpt{'s' if changed != 1 else ''} edited or orphaned).",
            "warning",
        )
    shown = result.source_id if result.outcome == "changed" else source_id
    return redirect(url_for("sources.source_page", source_id=shown, _anchor="versions"))


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@bp.app_template_global()
def capture_panel(source: Source) -> dict[str, Any] | None:
    """What the source page shows about versions: the history, a diff (``?a=&b=``, by
    default the version before this one against this one) and re-anchored excerpts."""
    db = get_session()
    history = source_history(db, source.id)
    if history is None:
        return None
    a, b = _int_arg("a"), _int_arg("b")
    if a is None or b is None or history.row(a) is None or history.row(b) is None:
        a, b = history.this.previous_source_id, source.id
    diff = diff_versions(db, a, b) if a is not None and a != b else None
    own = latest_anchors(db, [x.id for x in source.excerpts])
    return {
        "history": history,
        "interval": interval_of(history.watch),
        "diff": diff,
        "a": a,
        "b": b,
        "own_anchors": own,
        "carried": anchors_on(db, source.id),
    }


@bp.app_template_global()
def excerpt_anchors(excerpt_ids: list[int]) -> dict[int, Any]:
    """Each excerpt's status on the newest version of its page (claim page)."""
    return latest_anchors(get_session(), excerpt_ids)
