"""Hardening: security headers on every response, CSRF on every write route, no writes on
GET, and sign-in throttling through the web form (issue 8)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import PASSWORD
from tests.helpers.web import RULES, build_app, csrf_token
from tracker.models import AuditEvent, User
from tracker.services.accounts import throttle as sign_in_throttle

WRITE_RULES = [r[:2] for r in RULES if "POST" in r[3]]
READ_RULES = [r[:2] for r in RULES if "GET" in r[3] and r[1] != "static"]


def _path(rule: str) -> str:
    """The rule with every variable filled in with 1."""
    parts = []
    for piece in rule.split("<"):
        parts.append(piece.split(">", 1)[1] if ">" in piece else piece)
        if ">" in piece:
            parts.insert(len(parts) - 1, "1")
    return "".join(parts)


def _events(session: Session) -> int:
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)


@pytest.fixture
def csrf_admin(
    engine: Engine, session_factory: sessionmaker[Session], make_user: Callable[..., User]
) -> FlaskClient:
    """An admin signed in (with a CSRF token) to an app that checks CSRF tokens."""
    make_user("admin", "root")
    client = build_app(engine, session_factory, WTF_CSRF_ENABLED=True).test_client()
    data = {"username": "root", "password": PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/login", data=data).status_code == 302
    return client


def test_the_path_filler() -> None:
    assert _path("/claims/<int:claim_id>/edit") == "/claims/1/edit"
    assert _path("/audit") == "/audit"


@pytest.mark.parametrize(("rule", "endpoint"), WRITE_RULES)
def test_every_write_route_refuses_a_post_without_csrf(
    csrf_admin: FlaskClient, session: Session, rule: str, endpoint: str
) -> None:
    before = _events(session)
    response = csrf_admin.post(_path(rule), data={"reason": "x"})
    assert response.status_code == 400, f"{rule} ({endpoint})"
    assert "CSRF" in response.get_data(as_text=True)
    assert _events(session) == before


@pytest.mark.parametrize(("rule", "endpoint"), READ_RULES)
def test_no_get_request_changes_anything(
    signed_in: Callable[[str], FlaskClient], session: Session, rule: str, endpoint: str
) -> None:
    client = signed_in("admin")
    before = _events(session)
    response = client.get(_path(rule))
    assert response.status_code < 500, f"{rule} ({endpoint})"
    assert _events(session) == before, f"GET {rule} wrote to the audit log"


@pytest.mark.parametrize("path", ["/login", "/static/style.css", "/no-such-page", "/claims"])
def test_security_headers_on_every_response(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    response.close()  # a static file is streamed from disk
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    for part in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in csp
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers


def test_hsts_only_with_tls(engine: Engine, session_factory: sessionmaker[Session]) -> None:
    app: Flask = build_app(engine, session_factory, SESSION_COOKIE_SECURE=True)
    headers = app.test_client().get("/login").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_sign_in_is_throttled_per_address_and_the_user_gets_in_from_another(
    app: Flask, session: Session, make_user: Callable[..., User]
) -> None:
    make_user("editor", "dana")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    wrong = {"username": "dana", "password": "not her password"}
    codes = [
        attacker.post("/login", data=wrong).status_code
        for _ in range(sign_in_throttle.PER_ACCOUNT_ADDRESS + 3)
    ]
    assert codes == [401] * sign_in_throttle.PER_ACCOUNT_ADDRESS + [429] * 3
    blocked = attacker.post("/login", data={"username": "dana", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert "too many failed sign-ins" in blocked.get_data(as_text=True)
    user = app.test_client()
    user.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert user.post("/login", data={"username": "dana", "password": PASSWORD}).status_code == 302
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("user.login_failed") == sign_in_throttle.PER_ACCOUNT_ADDRESS
    assert actions.count("user.login_throttled") == 4 and actions[-1] == "user.login"


@pytest.mark.parametrize(("proxies", "expected"), [(0, "127.0.0.1"), (1, "198.51.100.9")])
def test_client_address_behind_a_proxy(
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    proxies: int,
    expected: str,
) -> None:
    app = build_app(engine, session_factory, PROXY_COUNT=proxies)
    client = app.test_client()
    headers = {"X-Forwarded-For": "198.51.100.9"}
    client.post("/login", data={"username": "x", "password": "y"}, headers=headers)
    context = session.scalars(
        select(AuditEvent.context).where(AuditEvent.action == "user.login_failed")
    ).one()
    assert context["ip"] == expected
