"""`tracker tokens ...`: personal API tokens (issue, revoke, list)."""

from __future__ import annotations

import click

from tracker.cli.support import domain_errors, emit, session_scope
from tracker.models import Role
from tracker.services.accounts.api_tokens import (
    issue_token,
    list_tokens,
    revoke_token,
    token_to_dict,
)
from tracker.services.audit.log import Actor

ROLES = click.Choice([role.value for role in Role])


@click.group()
def tokens() -> None:
    """Personal API tokens (Authorization: Bearer ...) for /api/v1."""


@tokens.command("create")
@click.option("--role", required=True, type=ROLES, help="The most the token may do.")
@click.option("--user", "username", help="Act as this user (never above the user's role).")
@click.option("--expires", help='30d, 12h, 2w, 6m (months), 1y, a date or "never" (default).')
@click.option("--name", default="", help="What the token is for.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tokens_create(
    role: str, username: str | None, expires: str | None, name: str, as_json: bool
) -> None:
    """Issue a token; it is printed once and only its hash is stored."""
    with domain_errors(), session_scope() as session:
        token, raw = issue_token(
            session, role=role, actor=Actor.cli(), username=username, expires=expires, name=name
        )
        data = token_to_dict(token)
    if as_json:
        emit({"token": raw, **data})
        return
    who = f"user {data['user']}" if data["user"] else "no user"
    until = data["expires_at"] or "never"
    click.echo(f"token {data['id']} ({data['role']}, {who}, expires {until}):")
    click.echo(raw)
    click.echo("Store it now: it is not shown again.")


@tokens.command("revoke")
@click.argument("token_id", type=int)
@click.option("--reason", help="Why (kept in the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tokens_revoke(token_id: int, reason: str | None, as_json: bool) -> None:
    """Revoke a token at once."""
    with domain_errors(), session_scope() as session:
        token, changed = revoke_token(session, token_id, actor=Actor.cli(), reason=reason)
        data = token_to_dict(token)
    if as_json:
        emit({**data, "changed": changed})
    elif changed:
        click.echo(f"token {token_id} is revoked")
    else:
        click.echo(f"token {token_id} was already revoked at {data['revoked_at']}")


@tokens.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def tokens_list(as_json: bool) -> None:
    """Every token: id, prefix, role, user, state, expiry and last use (never the secret)."""
    with domain_errors(), session_scope() as session:
        rows = [token_to_dict(token) for token in list_tokens(session)]
    if as_json:
        emit(rows)
        return
    if not rows:
        click.echo("no tokens")
    for row in rows:
        click.echo(
            f"{row['id']:>5}  {row['prefix']}…  {row['role']:8}  {row['user'] or '-':16}  "
            f"{row['state']:7}  expires {row['expires_at'] or 'never'}  "
            f"last used {row['last_used_at'] or 'never'}  {row['name']}"
        )
