"""`tracker db ...`: database migrations."""

from __future__ import annotations

from collections.abc import Callable

import click
from alembic.util import CommandError as AlembicCommandError
from sqlalchemy import Engine

from tracker import migrate
from tracker.cli.support import emit, state


@click.group()
def db() -> None:
    """Database migrations."""


def _migrate(step: Callable[[Engine, str], None], revision: str, as_json: bool) -> None:
    engine = state().engine()
    try:
        step(engine, revision)
    except AlembicCommandError as exc:
        raise click.ClickException(str(exc)) from exc
    current = migrate.current_revision(engine)
    if current == migrate.head_revision():
        _anchor_start(engine)
    if as_json:
        emit({"current": current, "head": migrate.head_revision()})
    else:
        click.echo(f"database at {current or 'base'}")


def _anchor_start(engine: Engine) -> None:
    """Create the audit key and anchor the head found now, unless done already: events from
    before the upgrade carry no MAC, and this anchor is what vouches for them from here on."""
    from sqlalchemy.orm import Session

    from tracker import anchors
    from tracker.db import READ_ONLY
    from tracker.services.audit.chain import head

    ring = anchors.keyring(database=engine.url)
    if ring.started():
        return
    with Session(engine) as session:
        session.connection(execution_options={READ_ONLY: True})
        current = head(session)
    ring.ensure_started(current.count, current.hash)


@db.command("upgrade")
@click.argument("revision", default="head")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_upgrade(revision: str, as_json: bool) -> None:
    """Upgrade the database to REVISION (default: head)."""
    _migrate(migrate.upgrade, revision, as_json)


@db.command("downgrade")
@click.argument("revision")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.confirmation_option("--yes", prompt="Downgrading can drop tables and their data. Continue?")
def db_downgrade(revision: str, as_json: bool) -> None:
    """Downgrade the database to REVISION ("base" removes every table and its data)."""
    _migrate(migrate.downgrade, revision, as_json)


@db.command("current")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_current(as_json: bool) -> None:
    """Show the database's migration and the code's head migration."""
    current, head = migrate.current_revision(state().engine()), migrate.head_revision()
    if as_json:
        emit({"current": current, "head": head, "at_head": current == head})
    else:
        click.echo(f"current: {current or 'none'}\nhead:    {head}")
        if current != head:
            click.echo("the database is behind: run `tracker db upgrade`")
