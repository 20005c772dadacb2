"""One database session per request, opened lazily and closed at teardown.

GET and HEAD requests never write, so on SQLite their transaction is a plain deferred BEGIN
that does not wait for, or block, writers; every other request takes BEGIN IMMEDIATE.
"""

from __future__ import annotations

from flask import current_app, g, request
from sqlalchemy.orm import Session

from tracker.db import READ_ONLY

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
