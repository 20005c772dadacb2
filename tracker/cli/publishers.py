"""`tracker publishers ...`: publishers and their AI flag."""

from __future__ import annotations

import click

from tracker.cli.support import domain_errors, emit, session_scope
from tracker.services.audit.log import Actor
from tracker.services.sources.publishers import get_publisher, publisher_stats, set_publisher_flag


@click.group()
def publishers() -> None:
    """Publishers: how many of their sources are AI-generated, and their AI flag."""


@publishers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def publishers_list(as_json: bool) -> None:
    """List publishers with their sources, the share AI-generated, and their flag."""
    with session_scope() as session:
        stats = publisher_stats(session)
    if as_json:
        emit(stats)
        return
    for p in stats:
        flag = "  [flagged]" if p["ai_flag"] else ""
        click.echo(
            f"{p['id']:>4}  {p['flagged_sources']:>3}/{p['sources']:<3} AI ({p['share']:.0%}), "
            f"{p['suspected']} suspected  {p['name']}{flag}"
        )


@publishers.command("flag")
@click.argument("publisher")
@click.option("--on/--off", "flag", default=None, help="Flag or unflag the publisher.")
@click.option("--reason", required=True, help="Why (required; recorded in the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def publishers_flag(publisher: str, flag: bool | None, reason: str, as_json: bool) -> None:
    """Flag PUBLISHER (id, name or domain) as a source of AI-generated text, or unflag it.

    New sources from a flagged publisher start "suspected"; stored sources keep their status."""
    if flag is None:
        raise click.UsageError("give --on or --off")
    with domain_errors(), session_scope() as session:
        found = get_publisher(session, publisher)
        stamp = found.ai_flag_at
        found = set_publisher_flag(session, found.id, flag, reason=reason, actor=Actor.cli())
        data = {
            "id": found.id,
            "name": found.name,
            "ai_flag": found.ai_flag,
            "reason": found.ai_flag_reason,
            "ai_flag_by": found.ai_flag_by,
            "ai_flag_at": found.ai_flag_at.isoformat() if found.ai_flag_at else None,
            "changed": found.ai_flag_at != stamp,
        }
    if as_json:
        emit(data)
    else:
        state_word = "flagged" if data["ai_flag"] else "not flagged"
        done = "now" if data["changed"] else "unchanged: already"
        click.echo(f"publisher {data['id']} ({data['name']}): {done} {state_word}")
