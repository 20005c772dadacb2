"""Sign-in throttling by account and address, with the audit log as the shared store."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import PASSWORD
from tests.helpers.live_server import live_server, prepare
from tests.helpers.live_server import sign_in as live_sign_in
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
    assert refused.value.retry_after > 0
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


def _spread(session: Session, username: str, failures: int, addresses: int = 6) -> None:
    """``failures`` wrong passwords for ``username``, taking turns over ``addresses``."""
    for i in range(failures):
        _fail(session, username, f"10.1.0.{i % addresses}", 1)


def test_guesses_from_many_addresses_lock_the_account(
    session: Session, make_user: Callable[..., User]
) -> None:
    make_user("admin", "root")
    _spread(session, "root", sign_in_throttle.PER_ACCOUNT)  # 4 per address: under 10
    [lock] = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.login_locked"))
    assert lock.changes["username"]["after"] == "root"
    assert lock.changes["locked_seconds"]["after"] == 15 * 60
    # From a new address, and with the right password: refused, saying when to come back.
    with pytest.raises(Throttled) as refused:
        authenticate(session, "root", PASSWORD, actor=_from("192.0.2.7"))
    assert 14 * 60 < refused.value.retry_after <= 15 * 60
    assert "this account is locked for 15 more minutes" in str(refused.value)
    assert _count(session, "user.login_locked") == 1  # one event per lock, not per refusal
    assert _count(session, "user.login_throttled") == 1


def test_a_lock_ends_and_the_next_one_is_longer(
    session: Session, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sign_in_throttle, "LOCK_BASE", timedelta(seconds=1))
    make_user("viewer", "dana")
    _spread(session, "dana", sign_in_throttle.PER_ACCOUNT)
    with pytest.raises(Throttled):
        authenticate(session, "dana", PASSWORD, actor=_from("10.1.0.1"))
    time.sleep(1.1)  # the lock has run out, and the failures before it no longer count
    assert authenticate(session, "dana", PASSWORD, actor=_from("10.1.0.1")).username == "dana"
    _spread(session, "dana", sign_in_throttle.PER_ACCOUNT)
    locks = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "user.login_locked")
        .order_by(AuditEvent.occurred_at)
    ).all()
    assert [lock.changes["locked_seconds"]["after"] for lock in locks] == [1, 2]
    with pytest.raises(Throttled, match="this account is locked"):
        authenticate(session, "dana", PASSWORD, actor=_from("10.1.0.9"))


def test_the_web_answers_a_locked_account_with_429_and_retry_after(
    client: object, session: Session, make_user: Callable[..., User]
) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    make_user("admin", "admin")
    for i in range(sign_in_throttle.PER_ACCOUNT):
        answer = client.post(
            "/login",
            data={"username": "admin", "password": "a wrong guess"},
            environ_base={"REMOTE_ADDR": f"10.2.0.{i % 6}"},
        )
        assert answer.status_code == 401
    real = client.post(
        "/login",
        data={"username": "admin", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.1"},
    )
    assert real.status_code == 429
    assert 0 < int(real.headers["Retry-After"]) <= 15 * 60
    assert "this account is locked" in real.get_data(as_text=True)


def test_the_account_lock_holds_across_two_workers(fresh_url: str, tmp_path: Path) -> None:
    """Guesses from five addresses at one account, answered by two worker processes."""
    prepare(fresh_url, {"admin": "admin"})
    statuses = []
    with live_server(tmp_path, fresh_url, workers=2, env={"TRACKER_PROXY_COUNT": "1"}) as base:
        for i in range(sign_in_throttle.PER_ACCOUNT + 5):
            headers = {"X-Forwarded-For": f"203.0.113.{i % 5 + 1}"}
            client, answer = live_sign_in(base, "admin", "a wrong guess", headers=headers)
            client.close()
            statuses.append(answer.status_code)
        client, real = live_sign_in(base, "admin", headers={"X-Forwarded-For": "198.51.100.9"})
        client.close()
    assert statuses.count(401) == sign_in_throttle.PER_ACCOUNT
    assert statuses[sign_in_throttle.PER_ACCOUNT :] == [429] * 5
    assert real.status_code == 429 and "this account is locked" in real.text
    assert int(real.headers["Retry-After"]) > 0
