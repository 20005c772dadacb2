"""One database session per request, opened lazily and closed at teardown; and read-only
sessions of their own for streamed responses.

GET and HEAD requests never write, so on SQLite their transaction is a plain deferred BEGIN
that does not wait for, or block, writers; every other request takes BEGIN IMMEDIATE.

A streamed body is produced after the view has returned and the request's session is closed,
so it reads through a session of its own: read-only on both engines (a deferred BEGIN on
SQLite, a READ ONLY transaction on PostgreSQL) and closed when the stream ends, fails or is
abandoned by the client (the server closes the response iterable, which closes the generator).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import TypeVar

from flask import current_app, g, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker.db import READ_ONLY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


def get_session() -> Session:
    if "db_session" not in g:
        session: Session = current_app.extensions["tracker"].sessions()
        if request.method in SAFE_METHODS:
            session.connection(execution_options={READ_ONLY: True})
        g.db_session = session
    db_session: Session = g.db_session
    return db_session


def close_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def read_only_session(sessions: sessionmaker[Session]) -> Session:
    """A new session whose transaction can only read (see the module's docstring)."""
    session = sessions()
    options: dict[str, object] = {READ_ONLY: True}
    bind = session.get_bind()
    # A session bound to one connection (the tests' outer transaction) cannot switch it.
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    session.connection(execution_options=options)
    return session


def streamed(produce: Callable[[Session], Iterable[T]]) -> Generator[T, None, None]:
    """The items ``produce`` reads through a read-only session of their own, for a streamed
    response. The session opens when the stream starts and closes when it ends, fails or is
    closed early; a stream never started holds no connection."""
    sessions: sessionmaker[Session] = current_app.extensions["tracker"].sessions

    def items() -> Generator[T, None, None]:
        session = read_only_session(sessions)
        try:
            yield from produce(session)
        finally:
            session.close()

    return items()
