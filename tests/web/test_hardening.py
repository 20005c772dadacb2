"""Headers and sessions (issue 16, finding 6): no-store on signed-in pages, a
Permissions-Policy, a sign-in identifier that changes at each sign-in, an absolute session
lifetime, deactivation that revokes API tokens for good, and client addresses and failed
sign-in names for admins only."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.helpers import PASSWORD, sign_in
from tests.helpers.api import bearer, make_token
from tracker import config
from tracker.models import User
from tracker.services.accounts import sign_in as accounts
from tracker.services.audit.log import Actor
from tracker.services.audit.query import ADMINS_ONLY

TYPED_AS_NAME = "Vq7-mauve-lantern-orbit-31"  # a password typed into the username field


def _cookie_user_id(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return str(serializer.loads(cookie.value)["_user_id"])


def test_signed_in_pages_are_not_stored_and_features_are_off(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anonymous = client.get("/login")
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "camera=()" in anonymous.headers["Permissions-Policy"]
    make_user("viewer", "alice")
    sign_in(client, "alice")
    for path in ("/", "/claims", "/audit", "/account/password"):
        page = client.get(path)
        assert page.headers["Cache-Control"] == "no-store", path
        assert "geolocation=()" in page.headers["Permissions-Policy"]
    static = client.get("/static/style.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_api_answers_are_not_stored(client: FlaskClient, session: Session, actor: Actor) -> None:
    token = make_token(session, actor, "viewer")
    assert client.get("/api/v1/me", headers=bearer(token)).headers["Cache-Control"] == "no-store"


def test_each_sign_in_gets_a_new_identifier(app: Flask, make_user: Callable[..., User]) -> None:
    make_user("viewer", "alice")
    first, second = app.test_client(), app.test_client()
    first.get("/login")  # an anonymous session first
    sign_in(first, "alice")
    sign_in(second, "alice")
    assert _cookie_user_id(app, first) != _cookie_user_id(app, second)
    sign_in(first, "alice")  # signing in again replaces the identifier
    assert first.get("/").status_code == 200


def test_a_session_ends_after_the_absolute_lifetime(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "alice")
    sign_in(client, "alice")
    assert client.get("/").status_code == 200
    max_age = app.config["SESSION_MAX_AGE"]
    assert max_age == 7 * 24 * 3600
    with client.session_transaction() as cookie:
        cookie["signed_in_at"] = int(time.time()) - max_age - 1  # active all along, still ends
    answer = client.get("/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_the_session_lifetime_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SESSION_MAX_AGE", "3600")
    assert config.session_max_age() == 3600
    for bad in ("abc", "-5", "30"):
        monkeypatch.setenv("TRACKER_SESSION_MAX_AGE", bad)
        with pytest.raises(ValueError, match="TRACKER_SESSION_MAX_AGE"):
            config.session_max_age()


def test_deactivation_revokes_tokens_for_good(
    client: FlaskClient, session: Session, actor: Actor, make_user: Callable[..., User]
) -> None:
    user = make_user("editor", "alice")
    token = make_token(session, actor, "editor", user="alice")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    accounts.set_active(session, user, False, actor=actor, reason="left the desk")
    session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    accounts.set_active(session, user, True, actor=actor, reason="came back")
    session.commit()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def _failed_sign_in_from(app: Flask) -> None:
    app.test_client().post(
        "/login",
        data={"username": TYPED_AS_NAME, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.23"},
    )


def _hidden_everywhere(client: FlaskClient, api_headers: dict[str, str]) -> list[str]:
    pages = [
        client.get("/audit").get_data(as_text=True),
        client.get("/audit/export.csv").get_data(as_text=True),
        client.get("/audit/export.ndjson").get_data(as_text=True),
        client.get("/audit/export.json").get_data(as_text=True),
        json.dumps(client.get("/api/v1/audit/events", headers=api_headers).get_json()),
    ]
    return pages


def test_addresses_and_sign_in_names_are_for_admins_only(
    app: Flask, session: Session, actor: Actor, make_user: Callable[..., User]
) -> None:
    make_user("editor", "ed")
    make_user("admin", "root")
    _failed_sign_in_from(app)
    editor, admin = app.test_client(), app.test_client()
    sign_in(editor, "ed")
    sign_in(admin, "root")
    for page in _hidden_everywhere(editor, bearer(make_token(session, actor, "editor"))):
        assert "user.login_failed" in page  # the event is there, its private parts are not
        assert TYPED_AS_NAME.lower() not in page
        assert "198.51.100.23" not in page
    shown = _hidden_everywhere(admin, bearer(make_token(session, actor, "admin")))
    for page in shown:
        assert TYPED_AS_NAME.lower() in page
    assert "198.51.100.23" in shown[0] and "198.51.100.23" in shown[1]
    assert ADMINS_ONLY in editor.get("/audit").get_data(as_text=True)
