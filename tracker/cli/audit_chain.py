"""`tracker audit verify` and `tracker audit head`: the integrity of the audit log's chain."""

from __future__ import annotations

import os
import re

import click

from tracker.cli.support import emit, session_scope
from tracker.db import READ_ONLY
from tracker.services.audit.chain import head, verify

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _hash_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().lower()
    if not _HEX64.fullmatch(value):
        raise click.BadParameter("a head hash is 64 hexadecimal digits")
    return value


def _events(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"


def register(audit: click.Group, claims: click.Group) -> None:
    """Attach this module's commands."""

    @audit.command("verify")
    @click.option(
        "--expect-head",
        metavar="HASH",
        callback=_hash_option,
        help="A head hash seen earlier (`tracker audit head`): it must still be in the log.",
    )
    @click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=lambda: os.cpu_count() or 1,
        show_default="the CPU count",
        help="Processes that check parts of a long log (100,000 events or more) at once.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def audit_verify(expect_head: str | None, workers: int, as_json: bool) -> None:
        """Check every link of the audit log's hash chain; exit status 1 when it is broken."""
        with session_scope() as session:
            # Read-only: on SQLite this does not take the write lock for the whole walk.
            session.connection(execution_options={READ_ONLY: True})
            report = verify(session, expect_head=expect_head, workers=workers)
        if as_json:
            emit(report.to_dict())
        elif report.ok:
            click.echo(f"ok: {_events(report.count)}, head {report.head}")
        else:
            click.echo(
                f"BROKEN at index {report.index}: {report.reason} ({report.detail}); "
                f"{_events(report.count)}, head {report.head}"
            )
        if not report.ok:
            click.get_current_context().exit(1)

    @audit.command("head")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def audit_head(as_json: bool) -> None:
        """Print the hash of the last audit event and the number of events."""
        with session_scope() as session:
            session.connection(execution_options={READ_ONLY: True})
            current = head(session)
        if as_json:
            emit({"head": current.hash, "count": current.count})
        else:
            click.echo(f"{current.hash}  {_events(current.count)}")
