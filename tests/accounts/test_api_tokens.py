"""Personal API tokens: the service, the CLI, and their use on the API (expiry, revocation,
role caps, last use)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers.api import (
    bearer,
    make_token,
    problem,
)
from tracker.models import ApiToken, AuditEvent, Role, User
from tracker.services.accounts import sign_in as accounts
from tracker.services.accounts.api_tokens import (
    check_token,
    issue_token,
    parse_expiry,
    revoke_token,
    token_state,
)
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid, NotFound


@pytest.fixture
def issue(session: Session, actor: Actor) -> Callable[..., str]:
    return partial(make_token, session, actor)


NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


# --- the service ---------------------------------------------------------------------------------


def test_only_the_hash_is_stored_and_the_issue_is_audited(session: Session, actor: Actor) -> None:
    token, raw = issue_token(session, role="editor", actor=actor, name="  CMS  sync ")
    assert raw.startswith("trk_") and len(raw) >= 40
    row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {row.token_hash, row.prefix, row.name}
    assert row.prefix == raw[:12] and row.name == "CMS sync" and row.created_by == actor.name
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.create")).one()
    assert event.entity_id == str(token.id)
    assert event.changes["role"]["after"] == "editor"
    assert raw not in json.dumps(event.changes) and row.token_hash not in json.dumps(event.changes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", NOW + timedelta(days=30)),
        ("12h", NOW + timedelta(hours=12)),
        ("2w", NOW + timedelta(weeks=2)),
        ("6m", datetime(2026, 11, 1, 12, 0, tzinfo=UTC)),
        ("1y", datetime(2027, 5, 1, 12, 0, tzinfo=UTC)),
        ("2027-01-31", datetime(2027, 1, 31, tzinfo=UTC)),
        ("2027-01-31 18:00", datetime(2027, 1, 31, 18, 0, tzinfo=UTC)),
        ("never", None),
        (None, None),
    ],
)
def test_expiry_forms(text: str | None, expected: datetime | None) -> None:
    assert parse_expiry(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["2020-01-01", "0d", "yesterday", "soon", "9999y", "31.02.2027"])
def test_expiry_refused(text: str) -> None:
    with pytest.raises(Invalid):
        parse_expiry(text, now=NOW)


def test_a_users_token_cannot_exceed_the_users_role(
    session: Session, actor: Actor, make_user: Callable[..., User]
) -> None:
    make_user("reviewer", "rita")
    with pytest.raises(Invalid, match="reviewer role"):
        issue_token(session, role="editor", actor=actor, username="rita")
    with pytest.raises(NotFound):
        issue_token(session, role="viewer", actor=actor, username="nobody")
    with pytest.raises(Invalid, match="unknown role"):
        issue_token(session, role="root", actor=actor)
    token, _ = issue_token(session, role="reviewer", actor=actor, username="rita")
    assert token.user is not None and token.user.username == "rita"


def test_check_token_states(session: Session, actor: Actor, make_user: Callable[..., User]) -> None:
    user = make_user("editor", "ed")
    token, raw = issue_token(session, role="editor", actor=actor, username="ed", expires="1d")
    use = check_token(session, raw)
    assert use is not None and use.actor_name == "user:ed" and use.role is Role.EDITOR
    assert check_token(session, raw + "x") is None
    assert check_token(session, "") is None
    assert token.expires_at is not None
    assert check_token(session, raw, now=token.expires_at + timedelta(seconds=1)) is None
    # The user's role went down: the token follows it.
    accounts.set_role(session, user, "viewer", actor=actor, reason="moved desk")
    use = check_token(session, raw)
    assert use is not None and use.role is Role.VIEWER
    accounts.set_active(session, user, False, actor=actor, reason="left")
    assert check_token(session, raw) is None
    _, service = issue_token(session, role="admin", actor=actor)
    use = check_token(session, service)
    assert use is not None and use.actor_name.startswith("system:api-token-")


def test_revoke_is_audited_once(session: Session, actor: Actor) -> None:
    token, raw = issue_token(session, role="viewer", actor=actor)
    _, changed = revoke_token(session, token.id, actor=actor, reason="leaked")
    assert changed and token_state(token) == "revoked" and token.revoked_by == actor.name
    _, again = revoke_token(session, token.id, actor=actor)
    assert not again
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "api_token.revoke")
    ).all()
    assert [e.reason for e in events] == ["leaked"]
    assert check_token(session, raw) is None
    with pytest.raises(NotFound):
        revoke_token(session, 999_999, actor=actor)


# --- on the API --------------------------------------------------------------------------------


def test_token_lifecycle_on_the_api(
    client: FlaskClient, session: Session, actor: Actor, issue: Callable[..., str]
) -> None:
    raw = issue("reviewer")
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    me = response.get_json()
    assert me["role"] == "reviewer" and me["anonymous"] is False
    row = session.get(ApiToken, me["token_id"])
    assert row is not None
    session.refresh(row)
    assert row.last_used_at is not None  # recorded on use
    revoke_token(session, row.id, actor=actor)
    session.commit()
    body = problem(client.get("/api/v1/me", headers=bearer(raw)), 401)
    assert "revoked" in body["detail"]


def test_expired_token_is_refused(
    client: FlaskClient, session: Session, issue: Callable[..., str]
) -> None:
    raw = issue("viewer", expires="1h")
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    row = session.scalars(select(ApiToken)).one()
    row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    response = client.get("/api/v1/me", headers=bearer(raw))
    problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


# --- the CLI -------------------------------------------------------------------------------------


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_cli_create_list_revoke(
    run_cli: Callable[..., Any], make_user: Callable[..., User], client: FlaskClient
) -> None:
    make_user("editor", "erin")
    created = _json(
        run_cli(
            "tokens", "create", "--role", "editor", "--user", "erin", "--expires", "30d",
            "--name", "bot", "--json",
        )
    )  # fmt: skip
    raw = created["token"]
    assert created["role"] == "editor" and created["user"] == "erin" and created["expires_at"]
    assert client.get("/api/v1/me", headers=bearer(raw)).get_json()["actor"] == "user:erin"
    listed = _json(run_cli("tokens", "list", "--json"))
    assert [t["id"] for t in listed] == [created["id"]]
    assert raw not in json.dumps(listed) and listed[0]["state"] == "active"
    plain = run_cli("tokens", "list")
    assert created["prefix"] in plain.output and raw not in plain.output
    revoked = _json(run_cli("tokens", "revoke", str(created["id"]), "--json"))
    assert revoked["state"] == "revoked" and revoked["changed"] is True
    again = run_cli("tokens", "revoke", str(created["id"]))
    assert again.exit_code == 0 and "already revoked" in again.output
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_cli_prints_the_token_once_and_refuses_bad_input(run_cli: Callable[..., Any]) -> None:
    result = run_cli("tokens", "create", "--role", "viewer")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert sum(line.startswith("trk_") for line in lines) == 1
    assert "not shown again" in result.output
    bad = run_cli("tokens", "create", "--role", "viewer", "--expires", "last year")
    assert bad.exit_code == 1 and "expiry" in bad.output
    missing = run_cli("tokens", "revoke", "424242")
    assert missing.exit_code == 1 and "does not exist" in missing.output
    assert _json(run_cli("tokens", "list", "--json"))[0]["role"] == "viewer"
