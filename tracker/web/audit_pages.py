"""The audit log page (viewer and up): newest first, filtered, 50 events a page, a chart of
events per day, CSV/NDJSON downloads of the filtered log; and the built-in reports.

Also the template helpers that show an event (entity link, field changes, origin), used by
this page and the dashboard's recent activity."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from tracker.db import get_session, streamed
from tracker.models import AuditEvent, Role
from tracker.services.audit.query import (
    EXPORT_COLUMNS,
    FORMATS,
    MEDIA_TYPES,
    AuditFilter,
    DayChart,
    FieldChange,
    event_origin,
    events_per_day,
    export_chunks,
    field_changes,
    list_events,
    private_changes,
    public_origin,
    redacted,
    stream_events,
)
from tracker.services.audit.reports import REPORTS, ReportFilter, get_report
from tracker.services.audit.sentences import describe
from tracker.services.errors import Invalid
from tracker.services.pagination import page_number
from tracker.services.text.display import format_date
from tracker.services.text.times import since_time, until_time
from tracker.web.auth import can
from tracker.web.forms.audit_pages import (
    AuditFilterForm,
    ReportForm,
)

bp = Blueprint("audit_pages", __name__)

FILTERS = ("actor", "action", "entity_type", "entity_id", "since", "until", "text")
REPORT_FILTERS = ("since", "until", "actor", "points", "after_link_only")
CHART_DAYS = 30  # the chart's range when the filter gives none
MAX_CHART_DAYS = 366
REPORT_ROWS_SHOWN = 500
# Entity types that have a page of their own: (endpoint, its id argument).
ENTITY_PAGES = {
    "claim": ("claims.claim_page", "claim_id"),
    "source": ("sources.source_page", "source_id"),
}
TIME_HINT = "2024-05-28, 28.05.2024, May 28, 2024-05-28 12:00, 7d, 2w, 3m, yesterday… (UTC)"


@bp.app_template_global("audit_entity_url")
def entity_url(event: AuditEvent) -> str | None:
    """The page of the event's entity, when it has one (claims and sources)."""
    target = ENTITY_PAGES.get(event.entity_type)
    if target is None or not event.entity_id.isdigit():
        return None
    endpoint, argument = target
    values: dict[str, Any] = {argument: int(event.entity_id)}
    return url_for(endpoint, **values)


@bp.app_template_global("audit_changes")
def changes_of(event: AuditEvent) -> list[FieldChange]:
    if can(Role.ADMIN):
        return field_changes(event.changes)
    return field_changes(private_changes(event.action, event.changes or {}))


@bp.app_template_global("audit_origin")
def origin_of(event: AuditEvent) -> dict[str, str]:
    origin = event_origin(event)
    return origin if can(Role.ADMIN) else public_origin(origin)


def _export_rows(where: AuditFilter) -> Generator[dict[str, Any], None, None]:
    """The filtered log for this user: addresses and sign-in names for admins only."""
    if can(Role.ADMIN):
        return streamed(lambda session: stream_events(session, where))
    return streamed(lambda session: map(redacted, stream_events(session, where)))


def _good(form: FlaskForm, names: tuple[str, ...]) -> list[str]:
    """The filters without an error (a malformed one is left out and shown with its message)."""
    return [name for name in names if not form[name].errors]


def _audit_filter(form: AuditFilterForm) -> tuple[AuditFilter, dict[str, str]]:
    good = _good(form, FILTERS)
    values = {name: form[name].data for name in good}
    values["since"] = since_time(values.get("since"))
    values["until"] = until_time(values.get("until"))
    args = {name: request.args[name] for name in good if request.args.get(name, "").strip()}
    return AuditFilter(**values), args


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


def chart_range(where: AuditFilter) -> tuple[date, date]:
    """The chart's days: the filter's range (at most a year, the latest part), else 30 days."""
    now = datetime.now(UTC)
    until = where.until if isinstance(where.until, datetime) else now
    end = (min(until, now + timedelta(days=1)) - timedelta(microseconds=1)).date()
    since = where.since if isinstance(where.since, datetime) else None
    start = since.date() if since else end - timedelta(days=CHART_DAYS - 1)
    return min(end, max(start, end - timedelta(days=MAX_CHART_DAYS - 1))), end


def chart_bars(chart: DayChart, width: int = 720, height: int = 180) -> dict[str, Any]:
    """Stacked bars, one per day, in SVG user units; labels are escaped by the template."""
    totals = [sum(counts[i] for _, counts in chart.series) for i in range(len(chart.days))]
    top = max(totals, default=0) or 1
    step = width / max(1, len(chart.days))
    bars = []
    for i, day in enumerate(chart.days):
        base = float(height)
        for series, (action, counts) in enumerate(chart.series):
            if counts[i]:
                h = counts[i] * height / top
                base -= h
                label = f"{format_date(day)}: {counts[i]} × {action}"
                bars.append(Bar(i * step + 1, base, max(step - 2, 1), h, series, label))
    ticks = [(i * step, format_date(day)) for i, day in enumerate(chart.days)]
    every = max(1, len(ticks) // 6)
    return {"width": width, "height": height, "bars": bars, "top": top, "ticks": ticks[::every]}


@bp.get("/audit")
def audit_list() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    valid = form.validate()
    where, args = _audit_filter(form)
    session = get_session()
    page = list_events(session, where, page_number(request.args.get("page")))
    start, end = chart_range(where)
    chart = events_per_day(session, where, start, end)
    body = render_template(
        "audit.html",
        form=form,
        page=page,
        described=describe(session, page.items, for_admin=can(Role.ADMIN)),
        args=args,
        chart=chart,
        bars=chart_bars(chart),
        time_hint=TIME_HINT,
    )
    return body, 200 if valid else 422


def _chunks(
    fmt: str, columns: tuple[str, ...], rows: Generator[dict[str, Any], None, None]
) -> Iterator[str]:
    """The export's text; closing it (the client went away) closes the rows' session at once."""
    try:
        yield from export_chunks(fmt, columns, rows)
    finally:
        rows.close()


def _stream(
    fmt: str, columns: tuple[str, ...], rows: Generator[dict[str, Any], None, None], name: str
) -> Response:
    return Response(
        _chunks(fmt, columns, rows),
        mimetype=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


@bp.get("/audit/export.<fmt>")
def audit_export(fmt: str) -> ResponseReturnValue:
    """The filtered log as CSV, NDJSON or JSON, newest first, streamed in batches."""
    if fmt not in FORMATS:
        abort(404)
    form = AuditFilterForm(request.args)
    if not form.validate():
        raise Invalid("; ".join(e for errors in form.errors.values() for e in errors))
    where, _ = _audit_filter(form)
    return _stream(fmt, EXPORT_COLUMNS, _export_rows(where), "audit")


@bp.get("/audit/reports")
def report_list() -> ResponseReturnValue:
    return render_template("audit_reports.html", reports=REPORTS.values())


def _report_filter(form: ReportForm) -> tuple[ReportFilter, dict[str, str]]:
    good = _good(form, REPORT_FILTERS)
    points = form.points.data if "points" in good and form.points.data is not None else 20
    where = ReportFilter(
        since=since_time(form.since.data) if "since" in good else None,
        until=until_time(form.until.data) if "until" in good else None,
        actor=form.actor.data if "actor" in good else None,
        points=float(points),
        after_link_only=bool(form.after_link_only.data),
    )
    args = {name: request.args[name] for name in good if request.args.get(name, "").strip()}
    return where, args


@bp.get("/audit/reports/<name>")
def report_page(name: str) -> ResponseReturnValue:
    report = get_report(name)
    form = ReportForm(request.args)
    valid = form.validate()
    where, args = _report_filter(form)
    rows = list(islice(report.run(get_session(), where), REPORT_ROWS_SHOWN + 1))
    body = render_template(
        "audit_report.html",
        report=report,
        form=form,
        rows=rows[:REPORT_ROWS_SHOWN],
        more=len(rows) > REPORT_ROWS_SHOWN,
        args=args,
        time_hint=TIME_HINT,
    )
    return body, 200 if valid else 422


@bp.get("/audit/reports/<name>/export.<fmt>")
def report_export(name: str, fmt: str) -> ResponseReturnValue:
    report = get_report(name)
    if fmt not in FORMATS:
        abort(404)
    form = ReportForm(request.args)
    if not form.validate():
        raise Invalid("; ".join(e for errors in form.errors.values() for e in errors))
    where, _ = _report_filter(form)
    rows = streamed(lambda session: report.run(session, where))
    return _stream(fmt, report.columns, rows, report.name)
