"""The password rule (issue 16, finding 3; OWASP ASVS 5.0 V6): at least 12 characters, no
common or breached password (zxcvbn), nothing that contains the username; on every path that
sets a password: `tracker users create`, the own change, the admin's create and reset, the
demo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import PASSWORD
from tracker.models import AuditEvent, User
from tracker.services.accounts.users import check_password_strength, create_user, random_password
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid
from tracker.services.ops.demo import reset_demo_user

WEAK = ["password1234", "123456789012", "qwertyuiopas", "Password123!"]


@pytest.mark.parametrize("password", WEAK)
def test_common_and_patterned_passwords_are_refused(password: str) -> None:
    with pytest.raises(Invalid, match="too easy to guess"):
        check_password_strength(password, "alice")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Vq7-mauve-3", "at least 12"),
        ("x" * 1025, "at most 1024"),
        ("my name is Alice-Mauve-lantern-9", "must not contain the username"),
    ],
)
def test_short_long_and_username_passwords_are_refused(password: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        check_password_strength(password, "alice")


def test_strong_passwords_pass() -> None:
    for password in (PASSWORD, "Vq7-mauve-lantern-orbit-31", random_password("demo")):
        check_password_strength(password, "alice")


@pytest.mark.parametrize("password", [*WEAK, "alice-Vq7-mauve-lantern"])
def test_users_create_refuses_a_weak_password(
    run_cli: Callable[..., object], session: Session, password: str
) -> None:
    result = run_cli("users", "create", "alice", "--role", "viewer", input=f"{password}\n")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "password" in result.stderr  # type: ignore[attr-defined]
    assert session.scalar(select(User).where(User.username == "alice")) is None


@pytest.mark.parametrize("password", WEAK)
def test_the_own_password_change_refuses_a_weak_password(
    signed_in: Callable[[str], FlaskClient], session: Session, password: str
) -> None:
    client = signed_in("viewer")
    response = client.post("/account/password", data={"current": PASSWORD, "new": password})
    assert response.status_code == 422
    assert "too easy to guess" in response.get_data(as_text=True)
    assert (
        session.scalars(select(AuditEvent).where(AuditEvent.action == "user.password")).all() == []
    )


def test_the_admin_cannot_create_or_reset_with_a_weak_password(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    admin = signed_in("admin")
    created = admin.post(
        "/users/new", data={"username": "bob", "role": "viewer", "password": "Password123!"}
    )
    assert created.status_code == 422
    assert session.scalar(select(User).where(User.username == "bob")) is None
    target = create_user(session, "carol", role="viewer", password=PASSWORD, actor=actor)
    session.commit()
    old_hash = target.password_hash
    reset = admin.post(
        f"/users/{target.id}/password",
        data={"new_password": "carol-Vq7-mauve-lantern", "reset_reason": "lost it"},
    )
    assert reset.status_code == 422
    session.refresh(target)
    assert target.password_hash == old_hash


def test_the_demo_password_passes_the_rule(session: Session, actor: Actor) -> None:
    for _ in range(3):
        username, password = reset_demo_user(session, actor=actor)
        check_password_strength(password, username)
