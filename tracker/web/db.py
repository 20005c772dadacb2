"""One database session per request, opened lazily and closed at teardown."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["tracker"].sessions()
    session: Session = g.db_session
    return session


def close_session(_exc: BaseException | None = None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
