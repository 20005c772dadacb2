"""`tracker audit query` and `tracker audit report NAME`: the audit log filtered, and the
built-in reports, written as text, JSON, CSV or NDJSON while the rows are read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click

from tracker.cli.support import domain_errors, session_scope
from tracker.services.audit.query import (
    EXPORT_COLUMNS,
    export_chunks,
    filter_from_text,
    stream_events,
)
from tracker.services.audit.reports import REPORTS, Report, ReportFilter
from tracker.services.text.times import since_time, until_time

TIME_HELP = "e.g. 2024-05-28, 28.05.2024, 'May 28', '2024-05-28 12:00', 7d, 2w, 3m, yesterday"


def _format_options(formats: Sequence[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for fmt in reversed(formats):
            command = click.option(
                f"--{fmt}",
                "fmt",
                flag_value=fmt,
                help=f"Write {fmt.upper()} (streamed).",
            )(command)
        return command

    return decorate


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _text_lines(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One tab-separated line per row, with a header."""
    yield "\t".join(columns) + "\n"
    for row in rows:
        yield "\t".join(_cell(row.get(name)) for name in columns) + "\n"


def _write(fmt: str | None, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    chunks = export_chunks(fmt, columns, rows) if fmt else _text_lines(columns, rows)
    for chunk in chunks:
        click.echo(chunk, nl=False)


def _time_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--until", help=f"Before this time (a day counts whole); {TIME_HELP}.")(
        command
    )
    command = click.option("--since", help=f"From this time; {TIME_HELP}.")(command)
    return command


def _report_command(report: Report) -> click.Command:
    def run(
        since: str | None,
        until: str | None,
        actor: str | None,
        fmt: str | None,
        points: float = 20.0,
        after_link_only: bool = False,
    ) -> None:
        with domain_errors(), session_scope() as session:
            where = ReportFilter(
                since=since_time(since),
                until=until_time(until),
                actor=actor,
                points=points,
                after_link_only=after_link_only,
            )
            _write(fmt, report.columns, report.run(session, where))

    command: Callable[..., Any] = run
    if report.name == "confidence-jumps":
        command = click.option(
            "--points",
            type=click.FloatRange(0, 100),
            default=20.0,
            show_default=True,
            help="Show changes larger than this many points (confidence 0-1 as 0-100).",
        )(command)
    if report.name == "sources-reflagged":
        command = click.option(
            "--after-link-only", is_flag=True, help="Only changes made after claims were linked."
        )(command)
    command = _format_options(("json", "csv"))(command)
    command = click.option("--actor", help="Only this actor (user name, user:name, cli:...).")(
        command
    )
    command = _time_options(command)
    return click.command(report.name, help=report.description)(command)


def register(audit: click.Group, claims: click.Group) -> None:
    """Attach `audit query` and `audit report ...`."""

    @audit.command("query")
    @click.option("--actor", help="A user name (or user:name, cli:..., system:...).")
    @click.option("--action", help="An action, or a prefix ending in '.' (claim.).")
    @click.option("--entity", help="An entity type, or TYPE:ID (claim:42).")
    @_time_options
    @click.option("--text", help="Words found in the reason (any case).")
    @click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
    @click.option("--oldest-first", is_flag=True, help="Oldest first (default: newest first).")
    @_format_options(("json", "csv", "ndjson"))
    def audit_query(
        actor: str | None,
        action: str | None,
        entity: str | None,
        since: str | None,
        until: str | None,
        text: str | None,
        limit: int | None,
        oldest_first: bool,
        fmt: str | None,
    ) -> None:
        """The audit log, filtered; written while it is read (never all held in memory)."""
        with domain_errors(), session_scope() as session:
            where = filter_from_text(
                actor=actor, action=action, entity=entity, since=since, until=until, text=text
            )
            rows = stream_events(session, where, oldest_first=oldest_first, limit=limit)
            _write(fmt, EXPORT_COLUMNS, rows)

    @audit.group("report")
    def report() -> None:
        """Built-in reports on the audit log and the claims."""

    for built_in in REPORTS.values():
        report.add_command(_report_command(built_in))
