"""Audit queries: typed times, every filter, CSV/NDJSON/JSON output that streams, the CLI
`tracker audit query`, the /audit page's new filters, downloads and chart."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.services.audit.query import (
    EXPORT_COLUMNS,
    AuditFilter,
    csv_cell,
    events_per_day,
    export_chunks,
    filter_from_text,
    list_events,
    stream_events,
)
from tracker.services.errors import Invalid
from tracker.services.text.times import parse_time, since_time, until_time

Invoke = Callable[..., Any]
NOW = datetime(2024, 6, 10, 15, 30, tzinfo=UTC)
BASE = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# --- time parsing -----------------------------------------------------------------------------

DAYS = [
    ("2024-05-28", _at(2024, 5, 28)),
    ("28.05.2024", _at(2024, 5, 28)),
    ("May 28", _at(2024, 5, 28)),
    ("28 May 2024", _at(2024, 5, 28)),
    ("28. mai 2024", _at(2024, 5, 28)),  # Norwegian (and German, French)
    ("28. März 2024", _at(2024, 3, 28)),  # German
    ("28 mei 2024", _at(2024, 5, 28)),  # Dutch
    ("1er août 2024", _at(2024, 8, 1)),  # French
    ("3. desember 2023", _at(2023, 12, 3)),  # Norwegian
    ("yesterday", _at(2024, 6, 9)),
    ("since yesterday", _at(2024, 6, 9)),
    ("today", _at(2024, 6, 10)),
    ("Dec 1", _at(2023, 12, 1)),  # a day without a year is never in the future
]
MOMENTS = [
    ("2024-05-28 12:00", _at(2024, 5, 28, 12)),
    ("2024-05-28T12:00:00+02:00", _at(2024, 5, 28, 10)),
    ("28.05.2024 09:15", _at(2024, 5, 28, 9, 15)),
    ("7d", NOW - timedelta(days=7)),
    ("2w", NOW - timedelta(weeks=2)),
    ("3m", _at(2024, 3, 10, 15, 30)),  # months, not minutes
    ("1y", _at(2023, 6, 10, 15, 30)),
    ("24h", NOW - timedelta(hours=24)),
    ("last 2 weeks", NOW - timedelta(weeks=2)),
    ("last week", NOW - timedelta(weeks=1)),
    ("3 days ago", NOW - timedelta(days=3)),
]


@pytest.mark.parametrize(("text", "day"), DAYS)
def test_days_cover_the_whole_utc_day(text: str, day: datetime) -> None:
    span = parse_time(text, now=NOW)
    assert (span.start, span.end) == (day, day + timedelta(days=1))
    assert since_time(text, now=NOW) == day
    assert until_time(text, now=NOW) == day + timedelta(days=1)


@pytest.mark.parametrize(("text", "moment"), MOMENTS)
def test_moments_and_relative_times(text: str, moment: datetime) -> None:
    span = parse_time(text, now=NOW)
    assert span.start == span.end == moment and moment.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "someday",
        "2024-13-01",
        "12:00 CET",
        "7 fortnights",
        "x" * 80,
        "9999y",
        "9999-12-31",
        "5000000d",
    ],
)
def test_unreadable_times_list_the_accepted_forms(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_time(text, now=NOW)
    message = str(caught.value)
    assert "cannot read" in message
    for form in ("2024-05-28", "28.05.2024", "May 28", "7d", "last 2 weeks", "yesterday"):
        assert form in message


def test_empty_bounds_are_no_bounds() -> None:
    assert since_time("", now=NOW) is None and until_time("  ", now=NOW) is None
    with pytest.raises(Invalid):
        parse_time("   ", now=NOW)


# --- filters ----------------------------------------------------------------------------------


def _event(session: Session, hours: int, **fields: Any) -> None:
    values: dict[str, Any] = {
        "occurred_at": BASE + timedelta(hours=hours),
        "actor": "user:alice",
        "action": "claim.update",
        "entity_type": "claim",
        "entity_id": "7",
        "changes": {},
    }
    session.add(AuditEvent(**(values | fields)))


@pytest.fixture
def log(session: Session) -> None:
    _event(session, 0, reason="Fixed a typo")
    _event(session, 1, actor="cli:bob", action="claim.merge", entity_id="8", reason="DUPLICATE")
    _event(session, 2, action="source.ai_flag", entity_type="source", entity_id="3")
    _event(session, 30, action="claims.other", reason="100% sure_ish")
    _event(session, 50, entity_id="70", changes={"password_hash": {"before": "x", "after": "y"}})
    session.flush()


def _ids(session: Session, where: AuditFilter) -> list[tuple[str, str]]:
    return [(e.action, e.entity_id) for e in list_events(session, where).items]


@pytest.mark.usefixtures("log")
def test_each_filter(session: Session) -> None:
    assert len(_ids(session, AuditFilter())) == 5
    assert _ids(session, AuditFilter(actor="bob")) == []
    assert _ids(session, AuditFilter(actor="cli:bob")) == [("claim.merge", "8")]
    assert len(_ids(session, AuditFilter(actor="alice"))) == 4
    assert _ids(session, AuditFilter(action="claim.merge")) == [("claim.merge", "8")]
    prefix = _ids(session, AuditFilter(action="claim."))
    assert ("claims.other", "7") not in prefix and len(prefix) == 3
    assert _ids(session, AuditFilter(entity_type="source")) == [("source.ai_flag", "3")]
    entity = filter_from_text(entity="claim:8")
    assert _ids(session, entity) == [("claim.merge", "8")]
    assert len(_ids(session, filter_from_text(entity="claim"))) == 4
    # Free text in reasons: any case; % and _ are literal.
    assert _ids(session, AuditFilter(text="duplicate")) == [("claim.merge", "8")]
    assert _ids(session, AuditFilter(text="100% sure_")) == [("claims.other", "7")]
    assert _ids(session, AuditFilter(text="0%s")) == []
    # Time range: since inclusive, until exclusive; a day counts whole.
    ranged = filter_from_text(since="2024-03-01 13:00", until="2024-03-01 14:00")
    assert _ids(session, ranged) == [("claim.merge", "8")]
    day = filter_from_text(since="01.03.2024", until="March 1 2024")
    assert len(_ids(session, day)) == 3
    with pytest.raises(Invalid, match="cannot read 'soon'"):
        filter_from_text(since="soon")


@pytest.mark.usefixtures("log")
def test_stream_orders_limits_and_masks(session: Session) -> None:
    newest = [row["entity_id"] for row in stream_events(session, AuditFilter(), batch=2)]
    assert newest == ["70", "7", "3", "8", "7"]
    oldest = [r["entity_id"] for r in stream_events(session, AuditFilter(), oldest_first=True)]
    assert oldest == newest[::-1]
    limited = list(stream_events(session, AuditFilter(), limit=3, batch=2))
    assert [r["entity_id"] for r in limited] == ["70", "7", "3"]
    assert limited[0]["changes"] == {"password_hash": "(changed; not shown)"}


def test_stream_reads_in_batches_and_yields_before_the_end(
    session: Session, count_queries: Callable[[], Any]
) -> None:
    for n in range(7):
        _event(session, n, entity_id=str(n))
    # Same time for two events: the keyset must not skip or repeat either.
    _event(session, 3, entity_id="3b")
    session.flush()
    counter = count_queries()
    rows = stream_events(session, AuditFilter(), batch=2)
    chunks = export_chunks("csv", EXPORT_COLUMNS, rows)
    first = next(chunks)
    assert "occurred_at" in first and counter.count == 1  # one batch read, output started
    rest = list(chunks)
    assert counter.count == 5  # 8 rows in batches of 2, then an empty read
    ids = [row["entity_id"] for row in csv.DictReader(io.StringIO(first + "".join(rest)))]
    assert sorted(ids) == sorted(["0", "1", "2", "3", "3b", "4", "5", "6"]) and len(ids) == 8


# --- output formats ---------------------------------------------------------------------------


def test_csv_guard_against_formulas() -> None:
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for risky in ("+1", "-1", "@SUM(A1)", "\tx"):
        assert csv_cell(risky) == "'" + risky
    assert csv_cell("plain") == "plain" and csv_cell(-3) == -3 and csv_cell(None) == ""
    assert csv_cell({"a": 1}) == '{"a": 1}'


def test_formats_parse(session: Session) -> None:
    _event(session, 0, reason="=cmd|' /C calc'!A0", changes={"verdict": {"after": "false"}})
    _event(session, 1, reason='line\nbreak, and "quotes"')
    session.flush()

    def out(fmt: str) -> str:
        return "".join(export_chunks(fmt, EXPORT_COLUMNS, stream_events(session, AuditFilter())))

    rows = list(csv.DictReader(io.StringIO(out("csv"))))
    assert [r["reason"] for r in rows] == ['line\nbreak, and "quotes"', "'=cmd|' /C calc'!A0"]
    assert json.loads(rows[1]["changes"]) == {"verdict": {"after": "false"}}
    lines = out("ndjson").splitlines()
    assert [json.loads(line)["reason"] for line in lines][1] == "=cmd|' /C calc'!A0"
    array = json.loads(out("json"))
    assert [r["occurred_at"] for r in array] == [
        "2024-03-01T13:00:00+00:00",
        "2024-03-01T12:00:00+00:00",
    ]
    assert json.loads("".join(export_chunks("json", ["id"], iter([])))) == []
    assert "".join(export_chunks("csv", ["id", "actor"], iter([]))) == "id,actor\r\n"


# --- CLI --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("log")
def test_cli_query_formats_and_filters(run_cli: Invoke) -> None:
    as_json = run_cli("audit", "query", "--action", "claim.", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert [e["entity_id"] for e in json.loads(as_json.stdout)] == ["70", "8", "7"]
    as_csv = run_cli("audit", "query", "--entity", "source:3", "--csv").stdout
    assert [r["action"] for r in csv.DictReader(io.StringIO(as_csv))] == ["source.ai_flag"]
    ndjson = run_cli(
        "audit", "query", "--actor", "alice", "--limit", "2", "--oldest-first", "--ndjson"
    ).stdout
    assert [json.loads(line)["entity_id"] for line in ndjson.splitlines()] == ["7", "3"]
    text = run_cli(
        "audit", "query", "--text", "typo", "--since", "2024-03-01", "--until", "2024-03-01"
    ).stdout
    assert text.splitlines()[0].startswith("id\toccurred_at") and len(text.splitlines()) == 2
    bad = run_cli("audit", "query", "--since", "someday")
    assert bad.exit_code == 1 and "cannot read 'someday'" in bad.output and "7d" in bad.output


# --- web --------------------------------------------------------------------------------------


def test_web_filters_download_and_bad_time(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("viewer")
    _event(session, 0, reason="=1+1, wrong Source")
    _event(session, 1, actor="cli:bob", reason="other")
    session.commit()
    page = client.get("/audit?text=wrong+source&since=2024-03-01").get_data(as_text=True)
    assert "1 event," in page and "cli:bob" not in page
    assert 'href="/audit/export.csv?since=2024-03-01&amp;text=wrong+source"' in page
    assert 'href="/audit/export.ndjson?' in page
    download = client.get("/audit/export.csv?text=wrong+source&since=2024-03-01")
    assert download.status_code == 200 and download.is_streamed
    assert (
        download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [r["reason"] for r in rows] == ["'=1+1, wrong Source"]
    lines = client.get("/audit/export.ndjson?actor=cli:bob").get_data(as_text=True).splitlines()
    assert [json.loads(line)["actor"] for line in lines] == ["cli:bob"]
    bad = client.get("/audit?since=someday")
    assert bad.status_code == 422 and "cannot read" in bad.get_data(as_text=True)
    assert client.get("/audit/export.csv?until=someday").status_code == 422
    assert client.get("/audit/export.xls").status_code == 404


def test_chart_counts_top_actions_and_escapes(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("viewer")
    today = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    actions = ["a.one"] * 7 + ["a.two"] * 6 + ["a.three"] * 5 + ["a.four"] * 4
    actions += ["<script>alert(1)</script>"] * 3 + ["a.six"] * 2 + ["a.seven"]
    for n, action in enumerate(actions):
        session.add(
            AuditEvent(
                occurred_at=today - timedelta(days=n % 3),
                actor="user:carol",
                action=action,
                entity_type="claim",
                entity_id=str(n),
                changes={},
            )
        )
    session.commit()
    chart = events_per_day(
        session, AuditFilter(actor="carol"), today.date() - timedelta(days=29), today.date()
    )
    assert len(chart.days) == 30 and chart.total == len(actions)
    labels = [label for label, _ in chart.series]
    assert labels[:4] == ["a.one", "a.two", "a.three", "a.four"] and labels[-1] == "other"
    assert dict(chart.series)["other"][-1] + dict(chart.series)["other"][-2] > 0
    assert sum(dict(chart.series)["other"]) == 3  # a.six and a.seven

    page = client.get("/audit?actor=carol").get_data(as_text=True)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert svg.count("<rect") >= 6
    assert "The numbers as a table" in page
    ranged = client.get("/audit?actor=carol&since=2024-02-27&until=01.03.2024").get_data(
        as_text=True
    )
    assert "Events per day, 27 Feb 2024 to 1 Mar 2024" in ranged
    future = client.get("/audit?since=2099-01-01")
    assert future.status_code == 200 and "No events in this range." in future.get_data(as_text=True)
    quiet = client.get("/audit?actor=nobody").get_data(as_text=True)
    assert "<svg" not in quiet and "No events in this range." in quiet


def test_list_pages_leave_out_import_field_lists(session: Session) -> None:
    from tracker.services.audit.chain import verify
    from tracker.services.audit.log import Actor
    from tracker.services.claims.dashboard import recent_activity
    from tracker.services.interop.bulk_import import import_claims

    import_claims(session, [{"text": "One"}, {"text": "Two"}], actor=Actor.system("t"))
    session.commit()
    session.expunge_all()  # a fresh page load
    found = list_events(session, AuditFilter(action="claim.import")).items
    shown = [e for e in recent_activity(session) if e.action == "claim.import"]
    for event in (*found, *shown):
        assert "claims" not in event.changes and len(event.changes["ids"]["after"]) == 2
    assert not session.dirty
    session.commit()
    assert verify(session).ok  # nothing was written back
