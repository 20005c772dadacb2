"""Who may call the API: bearer tokens only (never the cookie), anonymous reading when
configured, role limits (audited refusals), no CSRF, and the rate limit."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import sign_in
from tests.helpers.api import (
    Api,
    api_for,
    bearer,
    make_token,
    problem,
)
from tracker import create_app
from tracker.models import AuditEvent, User
from tracker.services.audit.log import Actor


@pytest.fixture
def api_as(client: FlaskClient, session: Session, actor: Actor) -> Callable[..., Api]:
    return partial(api_for, client, session, actor)


@pytest.fixture
def issue(session: Session, actor: Actor) -> Callable[..., str]:
    return partial(make_token, session, actor)


def _app(engine: Engine, factory: sessionmaker[Session], **config: object) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-for-pytest-only",
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "ENGINE": engine,
            "SESSION_FACTORY": factory,
            **config,
        }
    )


@pytest.mark.parametrize(
    ("header", "error"),
    [
        (None, None),
        ("Bearer", "invalid_request"),
        ("Basic dXNlcjpwYXNz", "invalid_request"),
        ("Bearer trk_not-a-real-token", "invalid_token"),
    ],
)
def test_no_valid_token_is_401(client: FlaskClient, header: str | None, error: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/claims", headers=headers)
    body = problem(response, 401)
    assert body["type"] == "/api/v1/docs#problem-unauthorized"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer")
    assert (f'error="{error}"' in challenge) if error else ("error=" not in challenge)


def test_the_session_cookie_is_not_accepted(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user("admin", "cookie-admin")
    sign_in(client, user.username)
    assert client.get("/claims").status_code == 200  # the web app knows the cookie
    problem(client.get("/api/v1/claims"), 401)
    problem(client.post("/api/v1/claims", json={"text": "A claim"}), 401)


def test_role_limits_are_enforced_and_audited(
    api_as: Callable[..., Api], session: Session, make_user: Callable[..., User]
) -> None:
    make_user("reviewer", "rev")
    viewer = api_as("viewer", user="rev")  # a reviewer's viewer token: viewer rights only
    assert viewer.get("/claims").status_code == 200
    body = problem(viewer.post("/claims", {"text": "Russia ratified the treaty"}), 403)
    assert "reviewer" in body["detail"]
    admin_only = problem(viewer.post("/aliases", {"surface": "rf", "canonical": "russia"}), 403)
    assert "admin" in admin_only["detail"]
    denied = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)
    ).all()
    assert [e.actor for e in denied] == ["user:rev", "user:rev"]
    assert [e.changes["needed_role"]["after"] for e in denied] == ["reviewer", "admin"]
    assert denied[0].context["via"].startswith("api token ")
    from tracker.models import Claim

    assert session.scalars(select(Claim)).all() == []  # nothing of the refused request landed


def test_anonymous_reading_when_configured(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    closed = _app(engine, session_factory).test_client()
    problem(closed.get("/api/v1/claims"), 401)
    app = _app(engine, session_factory, API_ANONYMOUS_READ=True)
    client = app.test_client()
    assert client.get("/api/v1/claims").status_code == 200
    me = client.get("/api/v1/me").get_json()
    assert me == {
        "actor": "anonymous",
        "role": "viewer",
        "anonymous": True,
        "token_id": None,
        "username": None,
        "expires_at": None,
    }
    problem(client.get("/api/v1/audit/events"), 401)  # the audit log needs a token
    problem(client.post("/api/v1/claims", json={"text": "Anything"}), 401)
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {} in spec["paths"]["/claims"]["get"]["security"]
    assert "security" not in spec["paths"]["/claims"]["post"]


def test_anonymous_read_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker import config

    monkeypatch.setenv("TRACKER_API_ANONYMOUS_READ", "1")
    assert config.api_anonymous_read() is True
    monkeypatch.setenv("TRACKER_API_ANONYMOUS_READ", "0")
    assert config.api_anonymous_read() is False
    monkeypatch.delenv("TRACKER_API_ANONYMOUS_READ")
    assert config.api_anonymous_read() is False


def test_no_csrf_token_needed_with_csrf_on(
    engine: Engine, session_factory: sessionmaker[Session], issue: Callable[..., str]
) -> None:
    app = _app(engine, session_factory, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = issue("admin")
    response = client.post(
        "/api/v1/aliases",
        json={"surface": "Rossiya", "canonical": "russia"},
        headers=bearer(token),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    # The web forms still need it.
    assert client.post("/login", data={"username": "x", "password": "y"}).status_code == 400


def test_rate_limit_answers_429(
    engine: Engine, session_factory: sessionmaker[Session], issue: Callable[..., str]
) -> None:
    app = _app(engine, session_factory, API_RATE_LIMIT=3)
    client = app.test_client()
    token = issue("viewer")
    statuses = [client.get("/api/v1/me", headers=bearer(token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/api/v1/me", headers=bearer(token))
    body = problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1 and "3 requests" in body["detail"]
    other = issue("viewer")  # another token has its own window
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_docs_and_document_are_public(client: FlaskClient, tmp_path: Path) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200
