"""Sign-in throttling by account and address, with the audit log as the shared store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD
from tracker.models import AuditEvent, User
from tracker.services.accounts import throttle as sign_in_throttle
from tracker.services.accounts.sign_in import authenticate
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid, Throttled


def _from(address: str) -> Actor:
    return Actor(name="anonymous", context={"ip": address, "path": "/login"})


def _fail(session: Session, username: str, address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Invalid):
            authenticate(session, username, "wrong password", actor=_from(address))


def _count(session: Session, action: str) -> int:
    return int(session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


def test_one_address_is_stopped_on_one_account_but_the_user_signs_in_elsewhere(
    session: Session, make_user: Callable[..., User]
) -> None:
    alice = make_user("reviewer", "alice")
    _fail(session, "Alice", "10.0.0.1", sign_in_throttle.PER_ACCOUNT_ADDRESS)
    with pytest.raises(Throttled) as refused:
        authenticate(session, "alice", PASSWORD, actor=_from("10.0.0.1"))  # even the right one
    assert refused.value.status == 429 and refused.value.retry_after > 0
    assert authenticate(session, "alice", PASSWORD, actor=_from("10.0.0.2")).id == alice.id
    assert _count(session, "user.login_failed") == sign_in_throttle.PER_ACCOUNT_ADDRESS
    assert _count(session, "user.login_throttled") == 1


def test_one_address_is_stopped_across_accounts(
    session: Session, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "bob")
    for i in range(sign_in_throttle.PER_ADDRESS):
        _fail(session, f"guess{i}", "10.0.0.9", 1)
    with pytest.raises(Throttled):
        authenticate(session, "bob", PASSWORD, actor=_from("10.0.0.9"))
    assert authenticate(session, "bob", PASSWORD, actor=_from("10.0.0.10")).username == "bob"


def test_old_failures_and_the_command_line_are_not_throttled(
    session: Session, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("viewer", "carol")
    _fail(session, "carol", "10.0.0.5", sign_in_throttle.PER_ACCOUNT_ADDRESS)
    monkeypatch.setattr(sign_in_throttle, "WINDOW", timedelta(0))  # the failures have expired
    assert authenticate(session, "carol", PASSWORD, actor=_from("10.0.0.5")).username == "carol"
    monkeypatch.undo()
    _fail(session, "carol", "10.0.0.6", sign_in_throttle.PER_ACCOUNT_ADDRESS)
    cli = Actor(name="cli:tester", context={"command": "tracker ..."})
    assert authenticate(session, "carol", PASSWORD, actor=cli).username == "carol"
