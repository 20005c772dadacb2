"""`tracker users ...`: user accounts."""

from __future__ import annotations

import sys

import click

from tracker.cli.support import domain_errors, emit, session_scope
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor


@click.group()
def users() -> None:
    """Manage user accounts."""


def _read_password() -> str:
    if sys.stdin.isatty():
        value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return value
    return sys.stdin.readline().rstrip("\r\n")


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["viewer", "reviewer", "editor", "admin"]))
@click.option("--display-name", default="", help="Name shown in the app.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def users_create(username: str, role: str, display_name: str, as_json: bool) -> None:
    """Create a user; the password is prompted twice, or read from stdin when piped."""
    password = _read_password()
    with domain_errors(), session_scope() as session:
        user = create_user(
            session,
            username,
            role=role,
            password=password,
            display_name=display_name,
            actor=Actor.cli(),
        )
        data = {"id": user.id, "username": user.username, "role": user.role.value}
    if as_json:
        emit(data)
    else:
        click.echo(f"created {data['role']} {data['username']!r} (id {data['id']})")
