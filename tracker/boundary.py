"""The transaction boundary of a request: the one place where the web pages and the API commit
or roll back.

As indico's ``RH.process`` does: when the view returns, the request's session
(``tracker.db.get_session``, opened lazily) is committed; when it raises anything, the session is
rolled back and the exception goes on to the error handlers. A view that answers a refusal with a
page (a failed sign-in and its audit event, a form shown again with its error) returns it, so
what it wrote is committed; only a raised exception discards the request's writes. Views, API
routes and their hooks never call ``commit`` or ``rollback`` (tests/test_boundary.py checks it);
what they need beyond the rule is here:

- ``savepoint(*errors)``: a block whose refusal re-renders a form; its writes are rolled back to
  a savepoint on one of ``errors``, which it hands back;
- ``audit_refusal(record)``: a refusal about to be raised that is still audited (a denied role);
- ``apart()``: a unit of work in a session of its own (the last use of an API token).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import Flask, current_app
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from tracker.db import begin_read_only, get_session, request_session

E = TypeVar("E", bound=Exception)


class TrackerFlask(Flask):
    """Flask with the boundary around every view (web pages and API alike)."""

    def dispatch_request(self) -> ResponseReturnValue:
        try:
            response = super().dispatch_request()
        except BaseException:
            rollback_request()
            raise
        commit_request()
        return response


def commit_request() -> None:
    """Commit the request's session, if it was opened; a failing commit is rolled back."""
    session = request_session()
    if session is None:
        return
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise


def rollback_request() -> None:
    """Roll back the request's session, if it was opened. Error pages may still read (the
    signed-in user): a GET's next transaction stays read-only."""
    session = request_session()
    if session is None:
        return
    session.rollback()
    begin_read_only(session)


@dataclass
class Refusal(Generic[E]):
    """What ``savepoint`` hands back: the refusal, or None when the block went through."""

    error: E | None = None


@contextmanager
def savepoint(*errors: type[E]) -> Iterator[Refusal[E]]:
    """Run a block whose refusal re-renders a form instead of failing the request.

    The block runs in a savepoint of the request's transaction. When it raises one of
    ``errors``, its writes are rolled back to the savepoint (objects it changed are expired, so
    the page shows the stored state) and the error is kept in the yielded Refusal; the view
    then answers with its form and the boundary commits what came before (normally nothing).
    Any other exception also rolls the savepoint back, then propagates."""
    refusal: Refusal[E] = Refusal()
    try:
        with get_session().begin_nested():
            yield refusal
    except errors as exc:
        refusal.error = exc


def audit_refusal(record: Callable[[Session], object]) -> None:
    """Audit a refusal that is about to be raised (an access denial).

    Nothing of the refused request may land, and on SQLite a POST already holds the write lock:
    the request's transaction is rolled back, then ``record`` writes the refusal in a
    transaction of its own, which is committed. The exception the caller raises next rolls back
    what is left, which is nothing."""
    session = get_session()
    session.rollback()
    with session.begin():
        record(session)
    begin_read_only(session)


@contextmanager
def apart() -> Iterator[Session]:
    """A unit of work in a session of its own, outside the request's transaction: committed when
    the block ends, rolled back if it raises."""
    sessions = current_app.extensions["tracker"].sessions
    session: Session = sessions()
    with session, session.begin():
        yield session
