"""Plumbing shared by the CLI modules: the database state, sessions, output.

Imported by `tracker --help`, so SQLAlchemy and Alembic are imported inside the methods that
use them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from tracker.services.errors import DomainError

if TYPE_CHECKING:  # SQLAlchemy and Alembic load when a command first needs the database
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker


@dataclass
class CliState:
    database_url: str
    _engine: Engine | None = field(default=None, repr=False)
    # Tests inject a factory bound to a savepoint-isolated connection.
    session_factory: sessionmaker[Session] | None = field(default=None, repr=False)
    _owns_engine: bool = field(default=False, repr=False)
    _checked: bool = field(default=False, repr=False)

    def engine(self) -> Engine:
        from sqlalchemy.exc import ArgumentError

        from tracker.db import make_engine

        if self._engine is None:
            try:
                self._engine = make_engine(self.database_url)
            except ArgumentError as exc:
                raise click.ClickException(f"bad database URL: {exc}") from exc
            self._owns_engine = True
        return self._engine

    def require_head(self) -> None:
        """Refuse to work on a database that is empty or behind the code's migrations."""
        from sqlalchemy.exc import OperationalError

        from tracker import migrate

        if self._checked:
            return
        try:
            at_head = migrate.is_at_head(self.engine())
        except OperationalError as exc:
            raise click.ClickException(f"cannot open the database: {exc.orig}") from exc
        if not at_head:
            raise click.ClickException(
                "the database is not at the current migration: run `tracker db upgrade`"
            )
        self._checked = True

    def close(self) -> None:
        """Dispose of an engine this state created (an injected one belongs to its owner)."""
        if self._engine is not None and self._owns_engine:
            self._engine.dispose()
            self._engine = None

    def sessions(self) -> sessionmaker[Session]:
        from tracker import config
        from tracker.db import make_sessionmaker
        from tracker.services.dedup import vector_index

        if self.session_factory is None:
            # Commands that match claims map the vector index saved in the instance folder
            # (by `tracker dedup embed` or the server) instead of rebuilding it.
            vector_index.configure(config.instance_path())
            self.session_factory = make_sessionmaker(self.engine())
        return self.session_factory


def state() -> CliState:
    ctx = click.get_current_context()
    state = ctx.find_object(CliState)
    if state is None:  # running as `flask --app tracker ...`: use the app's engine
        from flask import current_app  # only there: `tracker ...` never loads Flask

        app_state = current_app.extensions["tracker"]
        state = CliState(database_url=current_app.config["DATABASE_URL"], _engine=app_state.engine)
    return state


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session whose work is committed once at the end, or rolled back on any error."""
    current = state()
    current.require_head()
    with current.sessions()() as session, session.begin():
        yield session


def emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a service's refusal into a one-line CLI error (exit status 1)."""
    try:
        yield
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
