"""Claim intake (the form with live duplicate suggestions) and claim search.

``GET /claims/new`` shows the form, prefilled from a source and a span (``start``/``end``
code-point offsets, or a ``quote``). Without scripts the first POST checks for duplicates and
asks whether to link the excerpt to one of them or to create a new claim; with scripts,
``static/js/claim_form.js`` shows the candidates from ``GET /claims/candidates`` while the
reviewer types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import Claim, Role, Source, Verdict
from tracker.services.claims.intake import Span, intake_claim, locate_span
from tracker.services.claims.records import MAX_CLAIM_CHARS
from tracker.services.claims.search import search_claims
from tracker.services.dedup.matching import Match, match
from tracker.services.errors import Invalid, NotFound
from tracker.services.pagination import page_number
from tracker.services.sources.read import get_source
from tracker.services.text.display import format_percent, verdict_label
from tracker.services.text.language import validate_language
from tracker.web.auth import can, deny, require_role, web_actor
from tracker.web.errors import status_of
from tracker.web.forms.intake import (
    ClaimForm,
    SearchForm,
)

bp = Blueprint("intake", __name__)

CANDIDATE_LIMIT = 5
CONTEXT_CHARS = 160  # characters of source text shown either side of the excerpt
ACTIONS = ("check", "create", "link")


# --- helpers -----------------------------------------------------------------------------------


@dataclass
class SpanView:
    """What the page shows about the excerpt: the source, the span in context, or an error."""

    source: Source | None = None
    span: Span | None = None
    error: str | None = None
    status: int = 200

    def context(self) -> dict[str, Any]:
        """The excerpt and up to CONTEXT_CHARS of text either side (cut: more text there)."""
        assert self.span is not None
        text, start, end = self.span.source.text, self.span.start, self.span.end
        return {
            "before": text[max(0, start - CONTEXT_CHARS) : start],
            "exact": text[start:end],
            "after": text[end : end + CONTEXT_CHARS],
            "cut_before": start > CONTEXT_CHARS,
            "cut_after": end + CONTEXT_CHARS < len(text),
        }


def _span_view(form: ClaimForm) -> SpanView:
    args = form.span_args()
    if args["source_id"] is None:
        return SpanView()
    db = get_session()
    try:
        source = get_source(db, args["source_id"])
    except NotFound as exc:
        return SpanView(error=str(exc), status=status_of(exc))
    if args["quote"] is None and args["start"] is None and args["end"] is None:
        return SpanView(source)  # the reviewer still has to give a quote
    try:
        return SpanView(source, locate_span(db, **args))
    except Invalid as exc:
        return SpanView(source, error=str(exc), status=status_of(exc))


# How a match level reads on the form.
LEVEL_WORDS = {"auto": "very likely the same claim", "suggest": "similar"}


def _candidate(found: Match, claim: Claim | None) -> dict[str, Any]:
    verdict = claim.verdict.value if claim is not None else None
    confidence = claim.confidence if claim is not None else None
    return {
        "id": found.claim_id,
        "text": found.text,
        "score": round(found.score, 1),
        "tiers": found.tiers,
        "level": found.level,
        "level_text": LEVEL_WORDS.get(found.level, found.level),
        "verdict": verdict,
        "verdict_label": verdict_label(verdict),
        "confidence": confidence,
        "confidence_text": format_percent(confidence),
        "warnings": [w.code for w in found.warnings],
        "url": url_for("claims.claim_page", claim_id=found.claim_id),
    }


def _candidates(text: str, language: str | None) -> list[dict[str, Any]]:
    """The near-duplicates worth showing (auto or suggest level), best first, each with its
    claim's verdict and confidence (read in one query)."""
    db = get_session()
    found = match(db, text, language=language, limit=CANDIDATE_LIMIT)
    shown = [m for m in found if m.level != "none"]
    ids = [m.claim_id for m in shown]
    claims = {c.id: c for c in db.scalars(select(Claim).where(Claim.id.in_(ids)))} if ids else {}
    return [_candidate(m, claims.get(m.claim_id)) for m in shown]


def _language(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return validate_language(raw)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc


def _render(
    form: ClaimForm,
    *,
    status: int = 200,
    error: str | None = None,
    candidates: list[dict[str, Any]] | None = None,
) -> ResponseReturnValue:
    view = _span_view(form)
    if view.error and status < 400:
        status = view.status
    hidden = [
        f"{name.replace('_', ' ')}: {message}"
        for name in ("source_id", "start", "end", "link_to")
        for message in getattr(form, name).errors
    ]
    page = render_template(
        "claim_new.html",
        form=form,
        view=view,
        error=None if error == view.error else error,
        hidden_errors=hidden,
        candidates=candidates,
        checked=candidates is not None,
        is_editor=can(Role.EDITOR),
    )
    return page, status


# --- views -------------------------------------------------------------------------------------


@bp.get("/claims/new")
@require_role(Role.REVIEWER)
def new_claim() -> ResponseReturnValue:
    args = request.args
    form = ClaimForm(
        formdata=None,
        data={
            "text": args.get("text", ""),
            "language": args.get("language", ""),
            "quote": args.get("quote", ""),
        },
    )
    for name in ("source_id", "start", "end", "occurrence"):
        field = getattr(form, name)
        raw = args.get(name, "").strip()
        if raw:
            try:
                field.data = int(raw)
            except ValueError:
                return _render(form, status=422, error=f"{name} must be a whole number")
    return _render(form)


@bp.post("/claims/new")
@require_role(Role.REVIEWER)
def submit_claim() -> ResponseReturnValue:
    form = ClaimForm()
    editor = can(Role.EDITOR)
    verdict_given = request.form.get("verdict", "").strip() not in ("", Verdict.UNREVIEWED.value)
    if not editor and verdict_given:
        deny(Role.EDITOR)  # reviewers propose a verdict; only editors rate; refusals are audited
    if not form.validate():
        return _render(form, status=422, error="Check the fields marked below.")
    raw_action = request.form.get("action", "")
    action = raw_action or ("link" if form.link_to.data else "check")
    if action not in ACTIONS:
        return _render(form, status=422, error=f"unknown action {raw_action!r}")
    with savepoint(Invalid, NotFound) as refused:
        language = _language(form.language.data)
        if action == "check":
            return _render(form, candidates=_candidates(form.text.data, language))
        if action == "link" and form.link_to.data is None:
            raise Invalid("choose the claim to link the excerpt to")
        pct = form.confidence.data
        confidence = pct / 100 if pct is not None else None
        result = intake_claim(
            get_session(),
            form.text.data,
            actor=web_actor(),
            language=language,
            **form.span_args(),
            stance=form.stance.data,
            verdict=form.verdict.data if editor else Verdict.UNREVIEWED,
            proposed_verdict=None if editor else (form.proposed_verdict.data or None),
            confidence=confidence if editor else None,
            proposed_confidence=None if editor else confidence,  # a reviewer proposes
            rationale=form.rationale.data or "",
            override_reason=(form.override_reason.data or None) if editor else None,
            link_to=form.link_to.data if action == "link" else None,
            candidates=[],  # the reviewer has seen them already
        )
    if refused.error is not None:
        return _render(form, status=status_of(refused.error), error=str(refused.error))
    if result.linked:
        flash(f"The excerpt is now evidence for claim {result.claim.id}.", "success")
    else:
        flash(f"Claim {result.claim.id} is created.", "success")
    return redirect(url_for("claims.claim_page", claim_id=result.claim.id))


@bp.get("/claims/candidates")
def candidates() -> ResponseReturnValue:
    """Near-duplicates of ``text`` as JSON, for the form's live panel. Writes nothing."""
    text = request.args.get("text", "")
    if len(text) > MAX_CLAIM_CHARS:
        error = f"the text is longer than {MAX_CLAIM_CHARS} characters"
        return jsonify(error=error), 422
    if not text.strip():
        return jsonify(candidates=[])
    try:
        language = _language(request.args.get("language", "").strip())
    except Invalid as exc:
        return jsonify(error=str(exc)), status_of(exc)
    return jsonify(candidates=_candidates(text, language))


@bp.get("/search")
def search() -> ResponseReturnValue:
    form = SearchForm(formdata=request.args)
    page = None
    error = None
    status = 200
    if form.validate():
        low, high = form.min_conf.data, form.max_conf.data
        try:
            page = search_claims(
                get_session(),
                text=form.text.data or None,
                verdict=form.verdict.data or None,
                min_conf=low / 100 if low is not None else None,
                max_conf=high / 100 if high is not None else None,
                language=form.language.data or None,
                source_id=form.source_id.data,
                ai_only=bool(form.ai_only.data),
                page=page_number(request.args.get("page")),
            )
        except Invalid as exc:
            error, status = str(exc), status_of(exc)
    else:
        error, status = "Check the filters marked below.", 422
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "search.html", form=form, page=page, error=error, args=args, ranked=bool(form.text.data)
    ), status
