"""/api/v1 dedup match, aliases, the audit log and its reports, and the caller itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

from tracker.api.auth import api_actor, principal
from tracker.api.pagination import decode_cursor, encode_cursor
from tracker.api.problems import ApiProblem, field_error
from tracker.api.registry import Reply, operation
from tracker.api.routes_claims import language_param, match_results
from tracker.api.schemas import (
    AliasCreate,
    AliasDeleteParams,
    AliasListParams,
    AliasOut,
    AliasPage,
    AuditEventOut,
    AuditListParams,
    AuditPage,
    MatchList,
    MatchParams,
    Me,
    ReportInfo,
    ReportList,
    ReportPage,
    ReportParams,
    ReportPath,
)
from tracker.db import get_session
from tracker.models import Role
from tracker.services.audit import log as audit
from tracker.services.audit.query import AuditFilter, parse_entity, redacted, stream_events
from tracker.services.audit.reports import REPORTS, ReportFilter, get_report
from tracker.services.dedup.aliases import add_alias, alias_map, remove_alias
from tracker.services.dedup.matching import match
from tracker.services.errors import Invalid
from tracker.services.text.times import since_time, until_time

T = TypeVar("T")


def _times(read: Callable[[], T], field: str) -> T:
    """A typed time read for ``field``; any refusal is a 422 naming the field."""
    try:
        return read()
    except (Invalid, ValueError, OverflowError) as exc:  # past the year 9999, etc.
        detail = str(exc) if isinstance(exc, Invalid) else f"the time is out of range: {exc}"
        raise ApiProblem(422, detail, errors=[field_error("query", field, detail)]) from None


# --- dedup -------------------------------------------------------------------------------------


@operation(
    "GET",
    "/dedup/match",
    summary="Near-duplicates of a text",
    tag="dedup",
    query=MatchParams,
    responses={200: MatchList},
)
def dedup_match(query: MatchParams) -> Reply:
    """The stored claims most like `text`, best first, with score (0-100), level (auto,
    suggest, none) and guard warnings. Writes nothing."""
    try:
        language = language_param(query.language)
    except Invalid as exc:
        raise ApiProblem(
            422, str(exc), errors=[field_error("query", "language", str(exc))]
        ) from None
    found = match(
        get_session(),
        query.text,
        language=language,
        limit=query.limit,
        exclude_claim_id=query.exclude_claim_id,
    )
    return Reply(MatchList(items=match_results(found)))


# --- aliases -----------------------------------------------------------------------------------


@operation(
    "GET",
    "/aliases",
    summary="List entity aliases",
    tag="aliases",
    query=AliasListParams,
    responses={200: AliasPage},
)
def list_aliases(query: AliasListParams) -> Reply:
    """The alias table normalisation uses (the shipped list while the table is empty), by
    surface form."""
    after = decode_cursor("aliases", query.cursor, (str,))
    table = alias_map(get_session())
    part = query.q.casefold() if query.q else None
    rows = sorted(
        (surface, canonical)
        for surface, canonical in table.items()
        if (query.canonical is None or canonical == query.canonical)
        and (part is None or part in surface)
        and (after is None or surface > after[0])
    )
    page = rows[: query.limit]
    more = len(rows) > query.limit
    cursor = encode_cursor("aliases", page[-1][0]) if more else None
    items = [AliasOut(surface=s, canonical=c) for s, c in page]
    return Reply(AliasPage(items=items, next_cursor=cursor))


@operation(
    "POST",
    "/aliases",
    summary="Add an alias",
    tag="aliases",
    role=Role.ADMIN,
    body=AliasCreate,
    responses={201: AliasOut},
    errors=(409,),
)
def create_alias(body: AliasCreate) -> Reply:
    """Admins; claims mentioning the surface are re-normalised. Audited as `alias.add`."""
    alias = add_alias(get_session(), body.surface, body.canonical, actor=api_actor())
    out = AliasOut(surface=alias.surface, canonical=alias.canonical)
    return Reply(out, 201)


@operation(
    "DELETE",
    "/aliases",
    summary="Remove an alias",
    tag="aliases",
    role=Role.ADMIN,
    query=AliasDeleteParams,
    responses={204: None},
    errors=(404,),
)
def delete_alias(query: AliasDeleteParams) -> Reply:
    """Admins, with a reason; audited as `alias.remove`."""
    remove_alias(get_session(), query.surface, actor=api_actor(), reason=query.reason.strip())
    return Reply(None, 204)


# --- the audit log -----------------------------------------------------------------------------


def _event_cursor(values: list[Any] | None) -> tuple[datetime, int] | None:
    if values is None:
        return None
    try:
        return datetime.fromisoformat(values[0]), int(values[1])
    except ValueError:
        detail = "the cursor is not one this list gave out"
        raise ApiProblem(422, detail, errors=[field_error("query", "cursor", detail)]) from None


@operation(
    "GET",
    "/audit/events",
    summary="The audit log",
    tag="audit",
    query=AuditListParams,
    responses={200: AuditPage},
    anonymous=False,
)
def list_audit_events(query: AuditListParams) -> Reply:
    """Events newest first, filtered as `tracker audit query`: actor, action (a prefix ends
    in "."), entity (TYPE or TYPE:ID), since/until ("7d", "2024-05-28", ...), text in the
    reason. Secret-looking fields are masked."""
    last = _event_cursor(decode_cursor("audit", query.cursor, (str, int)))
    entity_type, entity_id = parse_entity(query.entity)
    where = AuditFilter(
        actor=query.actor,
        action=query.action,
        entity_type=entity_type,
        entity_id=entity_id,
        since=_times(lambda: since_time(query.since), "since"),
        until=_times(lambda: until_time(query.until), "until"),
        text=query.text,
    )
    rows = list(stream_events(get_session(), where, limit=query.limit + 1, after=last))
    if principal().role is not Role.ADMIN:  # addresses and sign-in names: admins only
        rows = [redacted(row) for row in rows]
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = None
    if more:
        cursor = encode_cursor("audit", rows[-1]["occurred_at"].isoformat(), rows[-1]["id"])
    items = [AuditEventOut.model_validate(row) for row in rows]
    return Reply(AuditPage(items=items, next_cursor=cursor))


@operation(
    "GET",
    "/audit/reports",
    summary="The audit reports",
    tag="audit",
    responses={200: ReportList},
    anonymous=False,
)
def list_reports() -> Reply:
    """Each report's name, title, description and columns."""
    items = [
        ReportInfo(name=r.name, title=r.title, description=r.description, columns=list(r.columns))
        for r in REPORTS.values()
    ]
    return Reply(ReportList(items=items))


@operation(
    "GET",
    "/audit/reports/{name}",
    summary="Run an audit report",
    tag="audit",
    path_model=ReportPath,
    query=ReportParams,
    responses={200: ReportPage},
    anonymous=False,
)
def run_report(path: ReportPath, query: ReportParams) -> Reply:
    """The report's rows, a page at a time, as `tracker audit report NAME`."""
    report = get_report(path.name)
    offset = decode_cursor(f"report:{report.name}", query.cursor, (int,))
    start = offset[0] if offset else 0
    rf = ReportFilter(
        since=_times(lambda: since_time(query.since), "since"),
        until=_times(lambda: until_time(query.until), "until"),
        actor=query.actor,
        points=query.points,
        after_link_only=query.after_link_only,
    )
    rows = [
        {key: audit.jsonable(value) for key, value in row.items()}
        for row in islice(report.run(get_session(), rf), start, start + query.limit + 1)
    ]
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor(f"report:{report.name}", start + len(rows)) if more else None
    out = ReportPage(
        report=report.name, columns=list(report.columns), items=rows, next_cursor=cursor
    )
    return Reply(out)


# --- the caller --------------------------------------------------------------------------------


@operation("GET", "/me", summary="Who is calling", tag="meta", responses={200: Me})
def me() -> Reply:
    """The actor the audit log records for this token, and the role it acts with."""
    who = principal()
    out = Me(
        actor=who.actor_name,
        role=who.role,
        anonymous=who.token_id is None,
        token_id=who.token_id,
        username=who.username,
        expires_at=who.expires_at,
    )
    return Reply(out)
