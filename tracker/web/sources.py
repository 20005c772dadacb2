"""Source pages: the filtered list, one source with its marks, adding a source (preview, then
save), and the editor's AI flag."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Role, Source
from tracker.services.errors import Invalid
from tracker.services.pagination import page_number
from tracker.services.sources.flags import read_published, set_ai_status, set_published
from tracker.services.sources.ingest import (
    IngestRefused,
    PreparedText,
    ingest_bytes,
    ingest_text,
    prepare_bytes,
)
from tracker.services.sources.read import (
    filter_sources,
    get_source_page,
    known_languages,
    known_publishers,
    prepare_paste,
    preview_source,
    upload_name,
)
from tracker.web.auth import require_role, web_actor
from tracker.web.forms.sources import (
    FlagForm,
    NewSourceForm,
    SourceFilterForm,
)
from tracker.web.render import cut_segments, highlight_segments, preview_marks

bp = Blueprint("sources", __name__)


# --- the list -------------------------------------------------------------------------------


@bp.get("/sources")
def source_list() -> ResponseReturnValue:
    db = get_session()
    form = SourceFilterForm(formdata=request.args)
    languages = known_languages(db)
    if form.language.data and form.language.data not in languages:
        languages.append(form.language.data)
    form.language.choices = [SelectChoice("", "any"), *map(SelectChoice, languages)]
    context: dict[str, Any] = {"form": form, "publishers": known_publishers(db), "page": None}
    if not form.validate():
        return render_template("sources.html", **context), 422
    context["page"] = filter_sources(
        db,
        language=form.language.data or None,
        publisher=form.publisher.data or None,
        ai=form.ai.data or None,
        date_from=date.fromisoformat(form.date_from.data) if form.date_from.data else None,
        date_to=date.fromisoformat(form.date_to.data) if form.date_to.data else None,
        page=page_number(request.args.get("page")),
    )
    return render_template("sources.html", filter_args=form.args(), **context)


# --- one source -----------------------------------------------------------------------------


def new_claim_url() -> str:
    """The new-claim page (built by the intake blueprint)."""
    if "intake.new_claim" in current_app.view_functions:
        return url_for("intake.new_claim")
    return "/claims/new"


def _source_page(source: Source, flag_form: FlagForm) -> str:
    return render_template(
        "source.html",
        source=source,
        segments=highlight_segments(source),
        flag_form=flag_form,
        new_claim_url=new_claim_url(),
    )


@bp.get("/sources/<int:source_id>")
def source_page(source_id: int) -> ResponseReturnValue:
    source = get_source_page(get_session(), source_id)
    return _source_page(source, FlagForm(formdata=None, status=source.ai_status.value))


@bp.post("/sources/<int:source_id>/flag")
@require_role(Role.EDITOR)
def flag_source(source_id: int) -> ResponseReturnValue:
    db = get_session()
    source = get_source_page(db, source_id)
    form = FlagForm()
    if not form.validate_on_submit():
        return _source_page(source, form), 422
    stamp = source.ai_flag_at
    with savepoint(Invalid) as refused:
        set_ai_status(db, source_id, form.status.data, reason=form.reason.data, actor=web_actor())
    if refused.error is not None:
        form.reason.errors.append(str(refused.error))
        return _source_page(get_source_page(db, source_id), form), 422
    if source.ai_flag_at == stamp:
        flash("Nothing changed: the flag and the reason are already set.", "info")
    else:
        flash(f"AI status set to “{source.ai_status.label}”.", "success")
    return redirect(url_for(".source_page", source_id=source_id, _anchor="ai-flag"))


# --- adding a source ------------------------------------------------------------------------


def _limits(max_bytes: int) -> None:
    """Room for the text, the carried upload (base64) and a new upload in one request."""
    request.max_form_memory_size = max_bytes * 2 + 100_000
    request.max_content_length = max_bytes * 4 + 1_000_000


def _upload(form: NewSourceForm, max_bytes: int) -> tuple[bytes, str] | None:
    """The uploaded file (new, or carried from the preview) and its name, or None."""
    storage = form.upload.data
    if storage:
        data = storage.stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise IngestRefused(f"file is too large (over {max_bytes} bytes, the limit)")
        return data, upload_name(storage.filename)
    if form.content_b64.data:
        try:
            data = base64.b64decode(form.content_b64.data, validate=True)
        except (binascii.Error, ValueError):
            raise IngestRefused("the carried file is damaged: upload it again") from None
        return data, upload_name(form.filename.data)
    return None


def _prepare(form: NewSourceForm, max_bytes: int) -> tuple[PreparedText, bytes | None]:
    upload = _upload(form, max_bytes)
    # Browsers send a textarea's line breaks as CRLF whatever was pasted: store them as LF.
    text = (form.text.data or "").replace("\r\n", "\n")
    if upload is not None and text.strip():
        raise Invalid("Paste a text or upload a file, not both (start over to switch).")
    if upload is not None:
        data, name = upload
        form.content_b64.data = form.filename.data = ""  # carried only once it is accepted
        prepared = prepare_bytes(data, name, form.source_meta(), max_bytes)
        form.content_b64.data = base64.b64encode(data).decode("ascii")
        form.filename.data = name
        return prepared, data
    if not text.strip():
        raise Invalid("Paste a text or choose a file.")
    return prepare_paste(text, form.source_meta(), max_bytes), None


def _save(
    form: NewSourceForm, prepared: PreparedText, data: bytes | None, limit: int
) -> tuple[int, bool]:
    """Ingest as the CLI does, then apply a publication date the user gave (read in the
    source's language, as the preview did); returns (source id, created)."""
    db, actor = get_session(), web_actor()
    if data is not None:
        result = ingest_bytes(
            db, data, name=prepared.origin, actor=actor, meta=form.source_meta(), max_bytes=limit
        )
        if result.status == "refused" or result.source_id is None:
            raise IngestRefused(result.reason or "the file was refused")
        source = db.get(Source, result.source_id)
        created = result.status == "created"
    else:
        source, created = ingest_text(
            db,
            prepared.text,
            actor=actor,
            origin=prepared.origin,
            meta=prepared.meta,
            max_bytes=limit,
        )
    assert source is not None
    if created and form.published.data:
        given = read_published(form.published.data, source.language)
        reason = "publication date given when the source was added"
        set_published(db, source, given, actor=actor, reason=reason)
    return source.id, created


def _new_page(form: NewSourceForm, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template("source_new.html", form=form, **context), status


@bp.route("/sources/new", methods=["GET", "POST"])
@require_role(Role.REVIEWER)
def new_source() -> ResponseReturnValue:
    max_bytes = int(current_app.config["MAX_SOURCE_BYTES"])
    if request.method == "POST":
        _limits(max_bytes)
    form = NewSourceForm()
    if request.method == "GET":
        return _new_page(form)
    if not form.validate_on_submit():
        return _new_page(form, 422)
    saved: tuple[int, bool] | None = None
    with savepoint(Invalid) as refused:
        prepared, data = _prepare(form, max_bytes)
        if form.action.data == "save" and form.checked_sha256.data == prepared.sha256:
            saved = _save(form, prepared, data, max_bytes)
        else:
            preview = preview_source(get_session(), prepared, form.published.data)
    if refused.error is not None:
        return _new_page(form, 422, problem=str(refused.error))
    if saved is not None:
        source_id, created = saved
        if not created:  # the same text is stored already: nothing was written
            return _duplicate(form, source_id)
        flash(f"Source {source_id} added.", "success")
        return redirect(url_for(".source_page", source_id=source_id))
    if preview.duplicate is not None:
        return _duplicate(form, preview.duplicate.id)
    # A save whose text differs from the one previewed shows the new preview instead.
    changed = form.action.data == "save" and bool(form.checked_sha256.data)
    form.checked_sha256.data = preview.sha256
    segments = cut_segments(preview.text, preview_marks(preview.spans, preview.ai_signals))
    return _new_page(form, preview=preview, segments=segments, changed=changed)


def _duplicate(form: NewSourceForm, source_id: int) -> ResponseReturnValue:
    return _new_page(form, 409, duplicate_id=source_id)
