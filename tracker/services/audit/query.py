"""Reading the audit log: filtered, newest first, a page at a time or streamed in batches;
events per day for the chart; CSV, NDJSON and JSON writers; and a compact, secret-free form
of each event's field changes for display."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, and_, cast, func, or_, select
from sqlalchemy.orm import Session, defer

from tracker.models import AuditEvent
from tracker.services.interop import import_events
from tracker.services.pagination import Page, paginate
from tracker.services.text.times import since_time, until_time

PER_PAGE = 50
BATCH = 500  # rows per query when streaming
FORMATS = ("csv", "ndjson", "json")
EXPORT_COLUMNS = (
    "id",
    "occurred_at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "changes",
    "reason",
    "request_id",
    "ip",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_VALUE_CHARS = 160
# Field names whose values are never shown, whatever an event holds.
SECRET_MARKERS = ("password", "hash", "token", "secret")


@dataclass(frozen=True)
class AuditFilter:
    """Every part is optional. ``actor`` matches the actor name or ``user:<actor>``;
    ``action`` ending in "." matches every action starting with it (``claim.``); ``text``
    is found anywhere in the reason (any case). ``since`` is inclusive and ``until``
    exclusive; a plain date means its whole UTC day."""

    actor: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: datetime | date | None = None
    until: datetime | date | None = None
    text: str | None = None


def parse_entity(value: str | None) -> tuple[str | None, str | None]:
    """``TYPE`` or ``TYPE:ID`` as (type, id)."""
    kind, _, ident = (value or "").strip().partition(":")
    return _clean(kind), _clean(ident)


def filter_from_text(
    *,
    actor: str | None = None,
    action: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    text: str | None = None,
    now: datetime | None = None,
) -> AuditFilter:
    """A filter from what a person typed; Invalid names a time it cannot read."""
    entity_type, entity_id = parse_entity(entity)
    return AuditFilter(
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        since=since_time(since, now=now),
        until=until_time(until, now=now),
        text=text,
    )


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _lower_bound(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else _day_start(value)


def _upper_bound(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else _day_start(value + timedelta(days=1))


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filter_clauses(where: AuditFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a filter, for any query on audit_events."""
    clauses: list[ColumnElement[bool]] = []
    actor, action = _clean(where.actor), _clean(where.action)
    if actor:
        clauses.append(AuditEvent.actor.in_([actor, f"user:{actor}"]))
    if action and action.endswith("."):
        clauses.append(AuditEvent.action.like(_like_escape(action) + "%", escape="\\"))
    elif action:
        clauses.append(AuditEvent.action == action)
    if entity_type := _clean(where.entity_type):
        clauses.append(AuditEvent.entity_type == entity_type)
    if entity_id := _clean(where.entity_id):
        clauses.append(AuditEvent.entity_id == entity_id)
    if where.since:
        clauses.append(AuditEvent.occurred_at >= _lower_bound(where.since))
    if where.until:
        clauses.append(AuditEvent.occurred_at < _upper_bound(where.until))
    if text := _clean(where.text):
        clauses.append(AuditEvent.reason.ilike(f"%{_like_escape(text)}%", escape="\\"))
    return clauses


def audit_query(where: AuditFilter) -> Select[Any]:
    query = select(AuditEvent).where(*filter_clauses(where))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def list_events(
    session: Session, where: AuditFilter, page: int = 1, per_page: int = PER_PAGE
) -> Page[AuditEvent]:
    """One page of matching events, newest first (one COUNT, one SELECT, and one for their
    changes without import chunks' field lists)."""
    found = paginate(session, audit_query(where).options(defer(AuditEvent.changes)), page, per_page)
    import_events.light_events(session, found.items)
    return found


def _show(value: Any) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def field_changes(changes: dict[str, Any] | None) -> list[FieldChange]:
    """The event's changes as (field, before, after) strings, long values cut short.

    Secret-looking fields (passwords, hashes, tokens) only say that they changed."""
    rows = []
    for name, change in sorted((changes or {}).items()):
        if any(marker in name.lower() for marker in SECRET_MARKERS):
            rows.append(FieldChange(name, None, "(changed; not shown)"))
        elif isinstance(change, dict) and ("before" in change or "after" in change):
            rows.append(FieldChange(name, _show(change.get("before")), _show(change.get("after"))))
        else:
            rows.append(FieldChange(name, None, _show(change)))
    return rows


def event_origin(event: AuditEvent) -> dict[str, str]:
    """What the page shows of an event's context: the request id and client address only."""
    origin = {}
    if event.request_id:
        origin["request"] = event.request_id
    ip = (event.context or {}).get("ip")
    if isinstance(ip, str) and ip:
        origin["ip"] = ip
    return origin


# Only admins see where a request came from, and the names typed at failed sign-ins (a
# password typed into the username field would otherwise be readable by every viewer).
SIGN_IN_ACTIONS = frozenset({"user.login_failed", "user.login_throttled", "user.login_locked"})
ADMINS_ONLY = "(shown to admins only)"


def private_changes(action: str, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` as a non-admin sees them: the attempted name of a sign-in event hidden."""
    if action not in SIGN_IN_ACTIONS or "username" not in changes:
        return changes
    return {**changes, "username": {"before": None, "after": ADMINS_ONLY}}


def public_origin(origin: dict[str, str]) -> dict[str, str]:
    """An event's origin (event_origin) as a non-admin sees it: without the client address."""
    return {name: value for name, value in origin.items() if name != "ip"}


def redacted(row: dict[str, Any]) -> dict[str, Any]:
    """An export row (stream_events) as a non-admin sees it."""
    return {**row, "ip": None, "changes": private_changes(row["action"], row["changes"])}


def _masked(changes: dict[str, Any] | None) -> dict[str, Any]:
    return {
        name: "(changed; not shown)"
        if any(marker in name.lower() for marker in SECRET_MARKERS)
        else change
        for name, change in (changes or {}).items()
    }


_STREAM_COLUMNS = (
    AuditEvent.id,
    AuditEvent.occurred_at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity_type,
    AuditEvent.entity_id,
    AuditEvent.changes,
    AuditEvent.reason,
    AuditEvent.request_id,
    AuditEvent.context,
)


def stream_events(
    session: Session,
    where: AuditFilter,
    *,
    oldest_first: bool = False,
    limit: int | None = None,
    batch: int = BATCH,
    extra: Sequence[ColumnElement[bool]] = (),
    after: tuple[datetime, int] | None = None,
) -> Iterator[dict[str, Any]]:
    """Matching events as export rows (secrets masked, the client address from the context),
    newest first; ``extra`` adds conditions; ``after`` (occurred_at, id) starts past that
    event, in the order read (a keyset page). Read in keyset batches of ``batch`` rows:
    memory stays flat however many rows match, and no cursor stays open between batches."""
    at, ident = AuditEvent.occurred_at, AuditEvent.id
    order = (at.asc(), ident.asc()) if oldest_first else (at.desc(), ident.desc())
    clauses = [*filter_clauses(where), *extra]
    left = limit
    last = after
    while left is None or left > 0:
        size = batch if left is None else min(batch, left)
        query = select(*_STREAM_COLUMNS).where(*clauses)
        if last is not None:
            beyond = (
                (at > last[0], ident > last[1]) if oldest_first else (at < last[0], ident < last[1])
            )
            query = query.where(or_(beyond[0], and_(at == last[0], beyond[1])))
        rows = session.execute(query.order_by(*order).limit(size)).all()
        for row in rows:
            ip = (row.context or {}).get("ip")
            yield {
                "id": row.id,
                "occurred_at": row.occurred_at,
                "actor": row.actor,
                "action": row.action,
                "entity_type": row.entity_type,
                "entity_id": row.entity_id,
                "changes": _masked(row.changes),
                "reason": row.reason,
                "request_id": row.request_id,
                "ip": ip if isinstance(ip, str) else None,
            }
        if len(rows) < size:
            return
        last = (rows[-1].occurred_at, rows[-1].id)
        if left is not None:
            left -= len(rows)


def day_column(session: Session) -> ColumnElement[Any]:
    """The UTC day of an event (times are stored as naive UTC on both engines)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.date(AuditEvent.occurred_at)
    return cast(AuditEvent.occurred_at, Date)


def as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True)
class DayChart:
    """Events per day: one series per frequent action, the rest as "other"."""

    days: list[date]
    series: list[tuple[str, list[int]]]

    @property
    def total(self) -> int:
        return sum(sum(counts) for _, counts in self.series)


def events_per_day(
    session: Session, where: AuditFilter, start: date, end: date, top: int = 5
) -> DayChart:
    """Counts of matching events per UTC day from ``start`` to ``end`` (both inclusive, and
    within the filter's own range) by action: the ``top`` most frequent actions, then
    "other". One GROUP BY query."""
    day = day_column(session)
    days_only = (
        AuditEvent.occurred_at >= _day_start(start),
        AuditEvent.occurred_at < _day_start(end + timedelta(days=1)),
    )
    query = (
        select(day, AuditEvent.action, func.count())
        .where(*filter_clauses(where), *days_only)
        .group_by(day, AuditEvent.action)
    )
    counts: dict[tuple[date, str], int] = {}
    per_action: dict[str, int] = {}
    for raw_day, action, count in session.execute(query):
        counts[as_date(raw_day), action] = int(count)
        per_action[action] = per_action.get(action, 0) + int(count)
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    ranked = sorted(per_action, key=lambda a: (-per_action[a], a))
    series = [(a, [counts.get((d, a), 0) for d in days]) for a in ranked[:top]]
    if rest := ranked[top:]:
        series.append(("other", [sum(counts.get((d, a), 0) for a in rest) for d in days]))
    return DayChart(days, series)


# --- writers: each yields text a piece at a time, so output starts before the rows end ---


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def csv_cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading quote."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(name)) for name in columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():  # the header of an empty result
        yield buffer.getvalue()


def ndjson_chunks(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        line = json.dumps({name: _plain(row.get(name)) for name in columns}, ensure_ascii=False)
        yield line + "\n"


def json_chunks(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON array, written a row at a time."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(
            {name: _plain(row.get(name)) for name in columns}, ensure_ascii=False
        )
        separator = ",\n"
    yield "\n]\n"


WRITERS = {"csv": csv_chunks, "ndjson": ndjson_chunks, "json": json_chunks}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "json": "application/json",
}


def export_chunks(
    fmt: str, columns: Sequence[str], rows: Iterable[dict[str, Any]]
) -> Iterator[str]:
    return WRITERS[fmt](columns, rows)
