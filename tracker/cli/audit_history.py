"""`tracker audit history ENTITY ID` and `tracker claims revert ID --to-version N`."""

from __future__ import annotations

import click

from tracker.cli.support import domain_errors, emit, session_scope
from tracker.services.audit.history import (
    ENTITY_TYPES,
    describe_changes,
    event_to_dict,
    history,
)
from tracker.services.audit.log import Actor
from tracker.services.claims.records import claim_to_dict, get_claim
from tracker.services.claims.revert import revert_claim


@click.command("history")
@click.argument("entity", type=click.Choice(ENTITY_TYPES))
@click.argument("entity_id", type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def audit_history(entity: str, entity_id: int, as_json: bool) -> None:
    """The timeline of ENTITY (claim, source, excerpt, user) ENTITY_ID: every event about
    it, and events of others that name it (merges into a claim, links to an excerpt...)."""
    with domain_errors(), session_scope() as session:
        rows = [event_to_dict(e) for e in history(session, entity, entity_id)]
    if as_json:
        emit({"entity": entity, "id": entity_id, "events": rows})
        return
    if not rows:
        click.echo(f"no audit events for {entity} {entity_id}")
        return
    for row in rows:
        about = ""
        if (row["entity_type"], row["entity_id"]) != (entity, str(entity_id)):
            about = f" [{row['entity_type']} {row['entity_id']}]"
        click.echo(f"{row['occurred_at']}  {row['actor']}  {row['action']}{about}")
        if row["changes"]:
            click.echo(f"    {describe_changes(row['changes'])}")
        if row["reason"]:
            click.echo(f"    reason: {row['reason']}")


@click.command("revert")
@click.argument("claim_id", type=int)
@click.option("--to-version", "to_version", type=click.IntRange(min=1), required=True)
@click.option("--reason", required=True, help="Why the claim goes back (kept in the audit log).")
@click.option(
    "--expected-version",
    type=int,
    help="Refuse if the claim is no longer at this version (default: its current one).",
)
@click.option(
    "--override-reason",
    help="Needed to restore a true/mostly-true verdict that rests only on AI-generated sources.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def claims_revert(
    claim_id: int,
    to_version: int,
    reason: str,
    expected_version: int | None,
    override_reason: str | None,
    as_json: bool,
) -> None:
    """Restore CLAIM_ID's text, language, verdicts, confidence and rationale as they were at
    a version (rebuilt from the audit log); audited as `claim.revert`."""
    with domain_errors(), session_scope() as session:
        current = get_claim(session, claim_id).version
        claim = revert_claim(
            session,
            claim_id,
            to_version,
            reason=reason,
            actor=Actor.cli(),
            expected_version=current if expected_version is None else expected_version,
            override_reason=override_reason,
        )
        data = claim_to_dict(claim)
        changed = claim.version != current
    if as_json:
        emit({"claim": data, "changed": changed})
    elif changed:
        now = data["version"]
        click.echo(f"reverted claim {claim_id} to version {to_version} (now version {now})")
    else:
        click.echo(f"claim {claim_id} already has version {to_version}'s fields: nothing changed")


def register(audit: click.Group, claims: click.Group) -> None:
    """Attach this module's commands."""
    audit.add_command(audit_history)
    claims.add_command(claims_revert)
