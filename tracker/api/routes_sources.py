"""/api/v1/sources and /api/v1/excerpts: read, add (reviewers), flag (editors)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app

from tracker.api.auth import api_actor
from tracker.api.pagination import decode_cursor, encode_cursor
from tracker.api.registry import Reply, api_url, operation
from tracker.api.schemas import (
    CaptureOut,
    ExcerptCreate,
    ExcerptListParams,
    ExcerptOut,
    ExcerptPage,
    ExcerptPath,
    SourceCreate,
    SourceDetail,
    SourceListParams,
    SourcePage,
    SourcePatch,
    SourcePath,
    SourceSummary,
)
from tracker.db import get_session
from tracker.models import Excerpt, Role, Source
from tracker.services.claims.intake import locate_span
from tracker.services.errors import Invalid
from tracker.services.sources.capture import capture_url, recapture
from tracker.services.sources.excerpts import (
    excerpt_at,
    excerpt_from_quote,
    excerpts_after,
    get_or_create_excerpt,
)
from tracker.services.sources.excerpts import get_excerpt as load_excerpt
from tracker.services.sources.flags import read_published, set_ai_status, set_published
from tracker.services.sources.ingest import SourceMeta, ingest_text
from tracker.services.sources.read import get_source, prepare_paste, source_detail, sources_after
from tracker.services.sources.read import source_summary as summary_dict
from tracker.web.capture import request_settings


def _links(source_id: int) -> dict[str, str]:
    return {
        "self": api_url("get_source_detail", source_id=source_id),
        "web": f"/sources/{source_id}",
    }


def source_summary(source: Source) -> SourceSummary:
    return SourceSummary.model_validate({**summary_dict(source), "links": _links(source.id)})


def source_out(source: Source) -> SourceDetail:
    return SourceDetail.model_validate({**source_detail(source), "links": _links(source.id)})


@operation(
    "GET",
    "/sources",
    summary="List sources",
    tag="sources",
    query=SourceListParams,
    responses={200: SourcePage},
)
def list_sources(query: SourceListParams) -> Reply:
    """Sources, oldest first, without their text; filters combine."""
    after = decode_cursor("sources", query.cursor, (int,))
    # The calendar's last day bounds nothing (and the day after it, which the filter uses,
    # does not exist).
    until = query.published_to if query.published_to != date.max else None
    rows = sources_after(
        get_session(),
        query.language,
        query.publisher,
        query.ai,
        query.published_from,
        until,
        after=after[0] if after is not None else None,
        limit=query.limit + 1,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor("sources", rows[-1].id) if more else None
    return Reply(SourcePage(items=[source_summary(s) for s in rows], next_cursor=cursor))


@operation(
    "GET",
    "/sources/{source_id}",
    summary="One source, with its text",
    tag="sources",
    path_model=SourcePath,
    responses={200: SourceDetail},
)
def get_source_detail(path: SourcePath) -> Reply:
    """Metadata, AI status and evidence, boilerplate and repeated spans, and the text."""
    return Reply(source_out(get_source(get_session(), path.source_id)))


@operation(
    "POST",
    "/sources",
    summary="Add a source (pasted text)",
    tag="sources",
    role=Role.REVIEWER,
    body=SourceCreate,
    responses={201: SourceDetail, 200: SourceDetail},
)
def create_source(body: SourceCreate) -> Reply:
    """Checked and stored as `tracker ingest` and the web form store it; audited as
    `source.create`. Identical text is not stored twice: the existing source answers 200.

    Without `text`, the page at `url` is fetched as `tracker sources fetch` does (http(s)
    only, public addresses only unless the server allows private ones, bounded time, size
    and redirects; HTML or plain text), its response archived and the page watched; audited
    as `source.fetch`. Any refusal is a 422 problem and stores nothing."""
    db, actor = get_session(), api_actor()
    limit = int(current_app.config["MAX_SOURCE_BYTES"])
    if body.text is None:
        source, created = _fetch(body)
    else:
        meta = SourceMeta(body.title, body.publisher, body.url, body.author, body.language)
        prepared = prepare_paste(body.text.replace("\r\n", "\n"), meta, limit)
        source, created = ingest_text(
            db, prepared.text, actor=actor, origin=prepared.origin, meta=prepared.meta,
            max_bytes=limit,
        )  # fmt: skip
    if created and body.published:
        given = read_published(body.published, source.language)
        reason = "publication date given when the source was added"
        set_published(db, source, given, actor=actor, reason=reason)
    out = source_out(get_source(db, source.id))
    location = {"Location": api_url("get_source_detail", source_id=source.id)}
    return Reply(out, 201 if created else 200, location)


def _fetch(body: SourceCreate) -> tuple[Source, bool]:
    if body.url is None:
        raise Invalid("give the text of the source, or the url of a page to fetch")
    db = get_session()
    meta = SourceMeta(body.title, body.publisher, None, body.author, body.language)
    result = capture_url(db, body.url, actor=api_actor(), settings=request_settings(), meta=meta)
    return get_source(db, result.source_id or 0), result.outcome == "created"


@operation(
    "POST",
    "/sources/{source_id}/recapture",
    summary="Fetch a source's page again",
    tag="sources",
    role=Role.REVIEWER,
    path_model=SourcePath,
    responses={200: CaptureOut},
)
def recapture_source(path: SourcePath) -> Reply:
    """As `tracker sources recapture`: unchanged pages record the check only; a changed page
    becomes a new version (a new source, `source_id`), every excerpt is re-anchored on it, and
    claims with a final verdict whose excerpt was edited or orphaned are marked for re-review.
    A fetch that fails is recorded and answers `outcome: failed`. A source not fetched by URL
    answers 422."""
    db = get_session()
    result = recapture(db, path.source_id, actor=api_actor(), settings=request_settings())
    return Reply(CaptureOut.model_validate(result.as_dict()))


@operation(
    "PATCH",
    "/sources/{source_id}",
    summary="Set a source's AI status",
    tag="sources",
    role=Role.EDITOR,
    path_model=SourcePath,
    body=SourcePatch,
    responses={200: SourceDetail},
)
def patch_source(path: SourcePath, body: SourcePatch) -> Reply:
    """As the source page's flag form: a status and a required reason, audited as
    `source.ai_flag`; the same status and reason again change nothing."""
    db = get_session()
    set_ai_status(db, path.source_id, body.ai_status, reason=body.reason, actor=api_actor())
    return Reply(source_out(get_source(db, path.source_id)))


# --- excerpts ----------------------------------------------------------------------------------


def excerpt_out(excerpt: Excerpt) -> ExcerptOut:
    data: dict[str, Any] = {
        "id": excerpt.id,
        "source_id": excerpt.source_id,
        "start": excerpt.start_offset,
        "end": excerpt.end_offset,
        "exact": excerpt.exact,
        "prefix": excerpt.prefix,
        "suffix": excerpt.suffix,
        "selectors": excerpt.selectors(),
        "claim_ids": sorted({link.claim_id for link in excerpt.evidence}),
        "created_by": excerpt.created_by,
        "created_at": excerpt.created_at,
    }
    return ExcerptOut.model_validate(data)


@operation(
    "GET",
    "/excerpts",
    summary="List excerpts",
    tag="excerpts",
    query=ExcerptListParams,
    responses={200: ExcerptPage},
)
def list_excerpts(query: ExcerptListParams) -> Reply:
    """Excerpts in id order, with their W3C selectors and the claims citing them."""
    after = decode_cursor("excerpts", query.cursor, (int,))
    rows = excerpts_after(
        get_session(),
        source_id=query.source_id,
        after=after[0] if after is not None else None,
        limit=query.limit + 1,
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor("excerpts", rows[-1].id) if more else None
    return Reply(ExcerptPage(items=[excerpt_out(e) for e in rows], next_cursor=cursor))


@operation(
    "GET",
    "/excerpts/{excerpt_id}",
    summary="One excerpt",
    tag="excerpts",
    path_model=ExcerptPath,
    responses={200: ExcerptOut},
)
def get_excerpt(path: ExcerptPath) -> Reply:
    """The excerpt, its selectors and the claims citing it."""
    return Reply(excerpt_out(load_excerpt(get_session(), path.excerpt_id)))


@operation(
    "POST",
    "/excerpts",
    summary="Anchor an excerpt",
    tag="excerpts",
    role=Role.REVIEWER,
    body=ExcerptCreate,
    responses={201: ExcerptOut, 200: ExcerptOut},
)
def create_excerpt(body: ExcerptCreate) -> Reply:
    """A quote (found exactly, or fuzzily with the score in the audit reason) or code-point
    offsets; audited as `excerpt.create`. The same span again answers 200 with it."""
    db, actor = get_session(), api_actor()
    span = locate_span(
        db, body.source_id, quote=body.quote, start=body.start, end=body.end,
        occurrence=body.occurrence,
    )  # fmt: skip
    existing = excerpt_at(db, span.source.id, span.start, span.end)
    if span.anchor is not None and body.quote is not None:
        excerpt, _ = excerpt_from_quote(
            db, span.source, body.quote, actor=actor, occurrence=body.occurrence
        )
    else:
        excerpt, _ = get_or_create_excerpt(db, span.source, span.start, span.end, actor=actor)
    location = {"Location": api_url("get_excerpt", excerpt_id=excerpt.id)}
    return Reply(excerpt_out(load_excerpt(db, excerpt.id)), 200 if existing else 201, location)
