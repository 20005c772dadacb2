"""`tracker sources ...`: read sources and set their AI status."""

from __future__ import annotations

import json

import click

from tracker.cli.support import domain_errors, emit, session_scope
from tracker.models.types import AiStatus
from tracker.services.audit.log import Actor
from tracker.services.sources.flags import AI_STATUS_ALIASES, AI_STATUSES, set_ai_status
from tracker.services.sources.read import get_source, list_sources, source_detail
from tracker.services.text.display import format_published


@click.group()
def sources() -> None:
    """Read sources, set their AI status, and fetch, watch and archive pages by URL."""


AI_CHOICES = click.Choice([*AI_STATUSES, *AI_STATUS_ALIASES], case_sensitive=False)


@sources.command("list")
@click.option(
    "--ai", type=AI_CHOICES, help="Only sources with this AI status (yes/no: the derived flag)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sources_list(ai: str | None, as_json: bool) -> None:
    """List every source (with its AI status)."""
    with domain_errors(), session_scope() as session:
        items = list_sources(session, ai=ai.lower() if ai else None)
        if as_json:
            emit([{k: v for k, v in source_detail(s).items() if k != "text"} for s in items])
            return
        for s in items:
            ai_mark = " [AI]" if s.ai_generated.value == "yes" else ""
            if s.ai_status.value != "unknown":
                ai_mark += f" ({s.ai_status.label})"
            published = format_published(s) or "-"
            click.echo(f"{s.id:>4}  {s.language or '?':5} {published:22}  {s.title}{ai_mark}")


@sources.command("show")
@click.argument("source_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sources_show(source_id: int, as_json: bool) -> None:
    """Show one source with its metadata, marks and text."""
    with domain_errors(), session_scope() as session:
        data = source_detail(get_source(session, source_id))
    if as_json:
        emit(data)
        return
    for key, value in data.items():
        if key != "text":
            click.echo(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    click.echo("\n" + data["text"])


@sources.command("flag")
@click.argument("source_id", type=int)
@click.option(
    "--status",
    required=True,
    type=AI_CHOICES,
    help="AI status (yes = ai_reviewer, no = human_reviewer are accepted too).",
)
@click.option("--reason", required=True, help="Why (required; recorded in the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sources_flag(source_id: int, status: str, reason: str, as_json: bool) -> None:
    """Set by hand the AI status of source SOURCE_ID, with a reason (audited)."""
    with domain_errors(), session_scope() as session:
        before = get_source(session, source_id)
        was, was_generated, stamp = (
            before.ai_status.value,
            before.ai_generated.value,
            before.ai_flag_at,
        )
        source = set_ai_status(session, source_id, status, reason=reason, actor=Actor.cli())
        data = {
            "id": source.id,
            "ai_status": source.ai_status.value,
            "ai_status_label": source.ai_status.label,
            "ai_generated": source.ai_generated.value,
            "previous": was,
            "previous_ai_generated": was_generated,
            "ai_flag_reason": source.ai_flag_reason,
            "ai_flag_by": source.ai_flag_by,
            "ai_flag_at": source.ai_flag_at.isoformat() if source.ai_flag_at else None,
            "changed": source.ai_flag_at != stamp,
        }
    if as_json:
        emit(data)
    elif data["changed"]:
        label, was_label = source.ai_status.label, AiStatus(was).label
        click.echo(f"source {source_id}: AI status {label} (was {was_label})")
    else:
        click.echo(f"source {source_id}: unchanged (already {was} with this reason)")
