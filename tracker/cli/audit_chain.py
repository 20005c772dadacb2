"""`tracker audit verify`, `tracker audit head` and `tracker audit anchor`: the integrity of the
audit log's chain, checked against the key and anchors in the instance folder."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import click

from tracker import anchors
from tracker.cli.support import emit, session_scope
from tracker.cli.support import state as cli_state
from tracker.db import READ_ONLY
from tracker.services.audit.chain import VerifyReport, head, load_trust, verify
from tracker.services.audit.state import StateReport, check_state

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


def _say_chain(report: VerifyReport) -> None:
    if report.ok:
        anchored = (
            f" (anchored up to seq {report.anchored_seq})"
            if report.anchored_seq is not None
            else ""
        )
        click.echo(f"ok: {_events(report.count)}, head {report.head}{anchored}")
    else:
        click.echo(
            f"BROKEN at index {report.index}: {report.reason} ({report.detail}); "
            f"{_events(report.count)}, head {report.head}"
        )
    for warning in report.warnings:
        click.echo(f"note: {warning}", err=True)


def _say_state(state: StateReport) -> None:
    checked = ", ".join(f"{n} {entity}" for entity, n in state.checked.items())
    if state.ok:
        click.echo(f"state ok: the rows match the log ({checked})")
    else:
        click.echo(f"STATE DIFFERS: {len(state.differences)} differences ({checked} checked)")
    for d in state.differences:
        click.echo(f"  {d.entity} {d.id} {d.field}: now {d.current!r}, log {d.logged!r}")
    for line in state.not_rebuildable:
        click.echo(f"note: not rebuildable: {line}", err=True)


def _anchor(output: Path | None, as_json: bool) -> None:
    trust = load_trust(database=cli_state().engine().url)  # before the database: see load_trust
    with session_scope() as session:
        session.connection(execution_options={READ_ONLY: True})
        report = verify(session, trust=trust)
    if not report.ok:
        raise click.ClickException(
            f"the audit chain is broken at index {report.index} ({report.reason}): "
            "`tracker audit verify` tells more; nothing was anchored"
        )
    ring = anchors.keyring(database=cli_state().engine().url)
    try:
        ring.ensure_started(report.count, report.head)
        record = ring.signed(ring.add("manual", report.count, report.head))
    except (OSError, anchors.AnchorError) as exc:
        raise click.ClickException(f"cannot write the anchor: {exc}") from exc
    if output is not None:
        try:
            with open(output, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, sort_keys=True) + "\n")
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror}") from exc
    if as_json:
        emit(record)
    else:
        click.echo(
            f"anchored seq {record['seq']} head {record['hash']} at {record['at']}; "
            f"signature {record['sig']}"
        )


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
    @click.option(
        "--state",
        "with_state",
        is_flag=True,
        help="Also compare the claims, evidence, excerpts and sources with the state the log "
        "rebuilds, and list the rows that differ.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def audit_verify(
        expect_head: str | None, workers: int, with_state: bool, as_json: bool
    ) -> None:
        """Check every link of the audit log's hash chain, each event's MAC and the heads
        anchored in the instance folder; exit status 1 when something is broken."""
        trust = load_trust(database=cli_state().engine().url)  # before the database
        state: StateReport | None = None
        with session_scope() as session:
            # Read-only: on SQLite this does not take the write lock for the whole walk.
            session.connection(execution_options={READ_ONLY: True})
            report = verify(session, expect_head=expect_head, workers=workers, trust=trust)
            if with_state:
                state = check_state(session)
        if as_json:
            out: dict[str, Any] = report.to_dict()
            if state is not None:
                out["state"] = state.to_dict()
            emit(out)
        else:
            _say_chain(report)
            if state is not None:
                _say_state(state)
        if not report.ok or (state is not None and not state.ok):
            click.get_current_context().exit(1)

    @audit.command("anchor")
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also append the signed head, as one JSON line, to this file (for storage "
        "outside this machine).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def audit_anchor(output: Path | None, as_json: bool) -> None:
        """Verify the log, then anchor its head in the instance folder and print it signed."""
        _anchor(output, as_json)

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
