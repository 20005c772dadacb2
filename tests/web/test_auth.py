"""Sign-in, sessions and access control, tested from the outside (adversarially).

Every test runs on both engines. Most use the CSRF-free ``app`` fixture; the CSRF tests build
the same app with CSRF switched on, and the role tests add probe routes guarded by
``require_role`` to an app of their own, besides checking every guarded route of the app.

Password hashes here use cheap argon2 parameters (the logic is under test, not argon2's cost);
the re-hash test switches back to the real defaults.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import IntegerConverter, Rule
from werkzeug.test import TestResponse

from tests.helpers import PASSWORD, sign_in
from tests.helpers.web import CSRF_VALUE, RULES, build_app, csrf_token
from tracker import migrate
from tracker.db import make_engine
from tracker.models import AuditEvent, Role, User
from tracker.services.accounts import sign_in as accounts
from tracker.services.accounts import users
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.web.auth import require_role, safe_next

REFUSED = accounts.SIGN_IN_REFUSED
NAV = '<nav aria-label="Main">'


# --- helpers ---------------------------------------------------------------------------------

_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def _fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "password_hasher", _FAST_HASHER)
    monkeypatch.setattr(accounts, "password_hasher", _FAST_HASHER)


def without_csrf(body: str) -> str:
    return CSRF_VALUE.sub(r"\1TOKEN\3", body)


def location(response: TestResponse) -> str:
    """The redirect target's path (with its query), asserting it stays on this site."""
    parts = urlsplit(str(response.headers["Location"]))
    assert parts.scheme in ("", "http") and parts.netloc in ("", "localhost"), parts
    return parts.path + (f"?{parts.query}" if parts.query else "")


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return str(cookie.value)


def replay(app: Flask, cookie_value: str) -> FlaskClient:
    """A second browser holding a copy of ``cookie_value``."""
    other = app.test_client()
    other.set_cookie("session", cookie_value)
    return other


def events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.scalars(query))


def is_signed_in(client: FlaskClient) -> bool:
    """Probed on the password page: any signed-in user may see it, and auth.py renders it."""
    response = client.get("/account/password")
    if response.status_code == 302:
        assert location(response).startswith("/login")
        return False
    assert response.status_code == 200
    return True


def _rule_url(rule: Rule) -> str:
    """A URL for ``rule``: int converters get 1, any other converter "1"."""
    values: dict[str, Any] = {
        name: 1 if isinstance(conv, IntegerConverter) else "1"
        for name, conv in rule._converters.items()
    }
    built = rule.build(values)
    assert built is not None, rule
    return built[1]


GUARDED_GET_RULES = [r[:2] for r in RULES if "GET" in r[3] and r[1] not in ("auth.login", "static")]
POST_ONLY_RULES = [r[:2] for r in RULES if "GET" not in r[3]]
ROLE_RULES = [r for r in RULES if r[2] is not None and r[2] != Role.VIEWER.value]


def find_rule(app: Flask, rule_text: str, endpoint: str) -> Rule:
    for rule in app.url_map.iter_rules():
        if rule.rule == rule_text and rule.endpoint == endpoint:
            return rule
    raise AssertionError(f"{rule_text} ({endpoint}) is not in the app's url_map")


# --- signing in ------------------------------------------------------------------------------


def test_sign_in_redirects_to_the_dashboard_with_a_safe_session_cookie(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user("viewer", "alice")
    assert not is_signed_in(client)
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/"
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    flags = [part.strip().lower() for part in cookies[0].split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "secure" not in flags  # TRACKER_SECURE_COOKIES is not set
    assert any(f.startswith("expires=") for f in flags)  # a permanent (12 h) session
    assert not any(c.startswith("remember_token=") for c in response.headers.getlist("Set-Cookie"))
    page = client.get("/account/password")
    assert page.status_code == 200
    assert '<span class="who">alice' in page.get_data(as_text=True) and user.active


def test_session_cookie_is_secure_when_configured(
    monkeypatch: pytest.MonkeyPatch,
    engine: Engine,
    session_factory: sessionmaker[Session],
    make_user: Callable[..., User],
) -> None:
    monkeypatch.setenv("TRACKER_SECURE_COOKIES", "1")
    app = build_app(engine, session_factory)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    make_user("viewer", "alice")
    response = app.test_client().post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    cookie = next(c for c in cookies if c.startswith("__Host-session="))  # issue 16
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= set(flags)
    assert not any(flag.startswith("domain=") for flag in flags)


def test_username_is_matched_case_insensitively_but_the_password_is_not(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "alice")
    wrong_case = client.post("/login", data={"username": "alice", "password": PASSWORD.upper()})
    assert wrong_case.status_code == 401
    sign_in(client, "  Alice ")
    assert is_signed_in(client)


def test_unknown_user_wrong_password_and_deactivated_account_look_the_same(
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    make_user: Callable[..., User],
    actor: Actor,
) -> None:
    app = build_app(engine, session_factory, WTF_CSRF_ENABLED=True)

    def attempt(password: str) -> tuple[int, str]:
        client = app.test_client()
        token = csrf_token(client)
        data = {"username": "mallory", "password": password, "csrf_token": token}
        response = client.post("/login", data=data)
        return response.status_code, without_csrf(response.get_data(as_text=True))

    unknown = attempt(PASSWORD)  # no such user yet
    user = make_user("viewer", "mallory")
    wrong = attempt(PASSWORD + "x")
    accounts.set_active(session, user, False, actor=actor, reason="left the desk")
    session.commit()
    deactivated = attempt(PASSWORD)  # the right password, but the account is off

    assert unknown[0] == wrong[0] == deactivated[0] == 401
    assert REFUSED in unknown[1]
    assert unknown[1] == wrong[1] == deactivated[1]
    assert PASSWORD not in unknown[1]  # the password field is never echoed back
    assert "TOKEN" in unknown[1]  # the comparison really ran modulo a token


def test_sign_in_attempts_are_audited_and_the_password_is_never_recorded(
    client: FlaskClient,
    session: Session,
    make_user: Callable[..., User],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    user = make_user("viewer", "alice")
    secret_typo = PASSWORD + " typo"
    assert (
        client.post("/login", data={"username": "ghost", "password": PASSWORD}).status_code == 401
    )
    bad = client.post("/login", data={"username": "alice", "password": secret_typo})
    assert bad.status_code == 401
    sign_in(client, "alice")

    failed = events(session, "user.login_failed")
    assert [(e.entity_id, e.changes["username"]["after"]) for e in failed] == [
        ("-", "ghost"),
        (str(user.id), "alice"),
    ]
    assert all(e.actor == "anonymous" and e.context["path"] == "/login" for e in failed)
    [login] = events(session, "user.login")
    assert login.entity_id == str(user.id)
    session.refresh(user)
    assert user.last_login_at is not None

    everything = list(session.scalars(select(AuditEvent)))
    for event in everything:
        dumped = json.dumps([event.changes, event.context, event.reason, event.actor])
        assert PASSWORD not in dumped and secret_typo not in dumped, event.action
        assert "argon2" not in dumped, event.action  # nor the hash
    assert PASSWORD not in caplog.text and secret_typo not in caplog.text


def test_an_old_argon2_hash_is_rehashed_at_sign_in(
    client: FlaskClient,
    session: Session,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = PasswordHasher()  # the defaults the app uses outside these tests
    monkeypatch.setattr(users, "password_hasher", real)
    monkeypatch.setattr(accounts, "password_hasher", real)
    user = make_user("viewer", "alice")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    old_hash = weak.hash(PASSWORD)
    user.password_hash = old_hash
    session.commit()
    current = PasswordHasher()
    assert current.check_needs_rehash(old_hash)
    assert not current.check_needs_rehash(users.hash_password(PASSWORD))  # the real defaults

    failed = client.post("/login", data={"username": "alice", "password": "wrong password!"})
    assert failed.status_code == 401
    session.refresh(user)
    assert user.password_hash == old_hash  # a failed attempt changes nothing

    sign_in(client, "alice")
    session.refresh(user)
    assert user.password_hash != old_hash
    assert not current.check_needs_rehash(user.password_hash)
    assert current.verify(user.password_hash, PASSWORD)
    again = client.application.test_client()
    sign_in(again, "alice")  # the new hash works
    assert is_signed_in(again)


# --- where sign-in sends you -----------------------------------------------------------------

HOSTILE_NEXT = [
    "https://evil.example",
    "https://evil.example/",
    "http://evil.example/sources",
    "HTTPS://EVIL.EXAMPLE/",
    "http://localhost.evil.example/",
    "ftp://evil.example/",
    "//evil.example",
    "///evil.example",
    "//evil.example/sources",
    "/\\evil.example",
    "\\/\\/evil",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\r\nLocation: https://evil.example",
    "/%0d%0aLocation:x",
    "/%2F%2Fevil.example",
    "",
    "sources",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_hostile_next_lands_on_the_dashboard(
    client: FlaskClient, make_user: Callable[..., User], target: str
) -> None:
    make_user("viewer", "alice")
    # The login form only carries what the GET sanitised...
    form = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "evil" not in form and "javascript" not in form.lower()
    # ...but an attacker can post anything: the POST is checked again.
    data = {"username": "alice", "password": PASSWORD, "next": target}
    response = client.post("/login", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # Already signed in: GET /login?next=... is checked the same way.
    again = client.get("/login", query_string={"next": target})
    assert again.status_code == 302 and again.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    [t for t in HOSTILE_NEXT if isinstance(t, str)],
)
def test_safe_next_refuses_anything_that_could_leave_the_site(target: str) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/sources", "/claims/1", "/sources?page=2", "/a/b#c"])
def test_relative_next_paths_are_followed(
    client: FlaskClient, make_user: Callable[..., User], target: str
) -> None:
    make_user("viewer", "alice")
    assert safe_next(target) == target
    data = {"username": "alice", "password": PASSWORD, "next": target}
    response = client.post("/login", data=data)
    assert response.status_code == 302 and response.headers["Location"] == target


def test_the_redirect_to_sign_in_remembers_the_page_and_goes_back_to_it(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "alice")
    bounced = client.get("/sources?page=1")
    assert bounced.status_code == 302
    login_url = location(bounced)
    assert urlsplit(login_url).path == "/login"
    form = client.get(login_url).get_data(as_text=True)
    match = re.search(r'name="next" type="hidden" value="([^"]*)"', form) or re.search(
        r'name="next"[^>]*value="([^"]*)"', form
    )
    assert match, form
    next_value = match.group(1).replace("&amp;", "&")
    assert next_value == "/sources?page=1"
    data = {"username": "alice", "password": PASSWORD, "next": next_value}
    response = client.post("/login", data=data)
    assert response.headers["Location"] == "/sources?page=1"


def test_next_is_escaped_in_the_login_form(client: FlaskClient) -> None:
    target = '/x"><script>alert(1)</script>'
    body = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body or "&#34;&gt;&lt;script" in body


# --- signing out and ending sessions ---------------------------------------------------------


def test_logout_is_post_only(signed_in: Callable[[str], FlaskClient]) -> None:
    client = signed_in("viewer")
    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)  # the GET did not sign anyone out
    response = client.post("/logout")
    assert response.status_code == 302 and location(response) == "/login"
    assert not is_signed_in(client)


def test_a_cookie_captured_before_logout_is_refused_after_it(
    app: Flask, client: FlaskClient, session: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("viewer", "alice")
    sign_in(client, "alice")
    stolen = session_cookie(client)
    assert is_signed_in(replay(app, stolen))  # control: the copy works before log-out

    client.post("/logout")
    assert not is_signed_in(client)
    thief = replay(app, stolen)
    response = thief.get("/sources")
    assert response.status_code == 302 and urlsplit(location(response)).path == "/login"
    assert thief.post("/account/password").status_code == 302
    [logout] = events(session, "user.logout")
    assert logout.entity_id == str(user.id) and logout.actor == "user:alice"


def test_signing_in_again_after_logout_works(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "alice")
    sign_in(client, "alice")
    client.post("/logout")
    sign_in(client, "alice")
    assert is_signed_in(client)


def test_a_password_change_ends_other_sessions_but_not_this_one(
    app: Flask, session: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("viewer", "alice")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "alice")
    sign_in(elsewhere, "alice")
    before_change = session_cookie(here)
    new_password = "a much better passphrase 42"

    response = here.post("/account/password", data={"current": PASSWORD, "new": new_password})
    assert response.status_code == 302 and location(response) == "/"
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(replay(app, before_change))  # this session's old cookie too

    [changed] = events(session, "user.password")
    assert changed.entity_id == str(user.id)
    assert new_password not in json.dumps(changed.changes)
    stale = app.test_client().post("/login", data={"username": "alice", "password": PASSWORD})
    assert stale.status_code == 401
    sign_in(app.test_client(), "alice", new_password)


def test_a_wrong_current_password_changes_nothing(
    app: Flask, session: Session, make_user: Callable[..., User]
) -> None:
    user = make_user("viewer", "alice")
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, "alice")
    sign_in(elsewhere, "alice")
    old_hash = user.password_hash
    response = here.post(
        "/account/password", data={"current": "not my password", "new": "another passphrase 7"}
    )
    assert response.status_code != 302
    assert "the current password is wrong" in response.get_data(as_text=True)
    session.refresh(user)
    assert user.password_hash == old_hash
    assert is_signed_in(here) and is_signed_in(elsewhere)
    assert events(session, "user.password") == []


def test_a_refused_password_change_answers_422(signed_in: Callable[[str], FlaskClient]) -> None:
    client = signed_in("viewer")
    response = client.post(
        "/account/password", data={"current": "not my password", "new": "another passphrase 7"}
    )
    assert response.status_code == 422


def test_a_too_short_new_password_is_refused(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("viewer")
    response = client.post("/account/password", data={"current": PASSWORD, "new": "short"})
    assert response.status_code != 302
    assert events(session, "user.password") == []
    assert is_signed_in(client)


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(
    app: Flask,
    client: FlaskClient,
    session: Session,
    make_user: Callable[..., User],
    actor: Actor,
) -> None:
    make_user("admin", "boss")  # so alice is not the last admin (she is a viewer anyway)
    user = make_user("viewer", "alice")
    sign_in(client, "alice")
    stolen = session_cookie(client)
    accounts.set_active(session, user, False, actor=actor, reason="left the desk")
    session.commit()
    assert not is_signed_in(client)
    refused = app.test_client().post("/login", data={"username": "alice", "password": PASSWORD})
    assert refused.status_code == 401

    accounts.set_active(session, user, True, actor=actor, reason="back again")
    session.commit()
    assert not is_signed_in(replay(app, stolen))
    sign_in(client, "alice")
    assert is_signed_in(client)


def test_an_admin_password_reset_ends_the_users_sessions(
    client: FlaskClient, session: Session, make_user: Callable[..., User], actor: Actor
) -> None:
    user = make_user("viewer", "alice")
    sign_in(client, "alice")
    accounts.reset_password(session, user, "reset by the admin 99", actor=actor, reason="lost")
    session.commit()
    assert not is_signed_in(client)


def test_a_forged_session_id_is_refused(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """The cookie is signed; and even a validly signed cookie needs the current token."""
    user = make_user("viewer", "alice")
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = f"{user.id}:{'0' * 64}"
        cookie_session["_fresh"] = True
    assert not is_signed_in(client)
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = str(user.id)
    assert not is_signed_in(client)
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = f"{accounts.session_id(user)}:sign-in"
    assert not is_signed_in(client)  # no sign-in time: the session's age is unknown
    with client.session_transaction() as cookie_session:
        cookie_session["signed_in_at"] = int(time.time())
    assert is_signed_in(client)  # control: the real id works
    tampered = session_cookie(client)[:-2] + "xx"
    assert not is_signed_in(replay(app, tampered))


# --- every route needs a signed-in user ------------------------------------------------------


def test_the_rule_list_covers_the_known_pages() -> None:
    guarded = {rule for rule, _ in GUARDED_GET_RULES}
    for rule in ("/", "/sources", "/sources/<int:source_id>", "/claims", "/claims/<int:claim_id>"):
        assert rule in guarded
    assert "/account/password" in guarded
    assert ("/logout", "auth.logout") in POST_ONLY_RULES
    assert "/login" not in guarded and "/static/<path:filename>" not in guarded


@pytest.mark.parametrize(("rule_text", "endpoint"), GUARDED_GET_RULES)
def test_an_anonymous_get_is_sent_to_sign_in(
    app: Flask, client: FlaskClient, rule_text: str, endpoint: str
) -> None:
    url = _rule_url(find_rule(app, rule_text, endpoint))
    response = client.get(url)
    assert response.status_code == 302, url
    target = urlsplit(location(response))
    assert target.path == "/login"


@pytest.mark.parametrize(("rule_text", "endpoint"), POST_ONLY_RULES)
def test_an_anonymous_post_to_a_post_only_route_is_sent_to_sign_in(
    app: Flask, client: FlaskClient, rule_text: str, endpoint: str
) -> None:
    url = _rule_url(find_rule(app, rule_text, endpoint))
    response = client.post(url)
    assert response.status_code == 302 and urlsplit(location(response)).path == "/login"


def test_the_login_page_and_static_files_are_public(client: FlaskClient) -> None:
    assert client.get("/login").status_code == 200
    static = client.get("/static/style.css")
    static.close()  # a file response: close it, or its file handle leaks
    assert static.status_code == 200


# --- CSRF ------------------------------------------------------------------------------------


@pytest.fixture
def csrf_app(engine: Engine, session_factory: sessionmaker[Session]) -> Flask:
    return build_app(engine, session_factory, WTF_CSRF_ENABLED=True)


def test_a_post_without_a_csrf_token_is_refused(
    csrf_app: Flask, session: Session, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "alice")
    client = csrf_app.test_client()
    no_token = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert no_token.status_code == 400
    assert events(session, "user.login") == []
    assert not is_signed_in(client)

    token = csrf_token(client)
    data = {"username": "alice", "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data).status_code == 302  # control: with the token
    assert is_signed_in(client)

    assert client.post("/logout").status_code == 400
    assert is_signed_in(client)
    changed = client.post("/account/password", data={"current": PASSWORD, "new": "x" * 20})
    assert changed.status_code == 400
    assert events(session, "user.password") == []
    body = changed.get_data(as_text=True)
    assert NAV in body and "Traceback" not in body


def test_a_csrf_token_from_another_session_is_refused(
    csrf_app: Flask, make_user: Callable[..., User]
) -> None:
    make_user("viewer", "alice")
    attacker, victim = csrf_app.test_client(), csrf_app.test_client()
    foreign = csrf_token(attacker)
    token = csrf_token(victim)
    sign_in_data = {"username": "alice", "password": PASSWORD, "csrf_token": token}
    assert victim.post("/login", data=sign_in_data).status_code == 302
    assert victim.post("/logout", data={"csrf_token": foreign}).status_code == 400
    assert is_signed_in(victim)
    logout_token = csrf_token(victim, "/")
    assert victim.post("/logout", data={"csrf_token": logout_token}).status_code == 302
    assert not is_signed_in(victim)


# --- roles -----------------------------------------------------------------------------------


def _probe(kind: str) -> str:
    return f"{kind}-ok"


@pytest.fixture
def probe_app(engine: Engine, session_factory: sessionmaker[Session]) -> Flask:
    """The real app plus POST routes that need the reviewer, the editor and the admin role."""
    app = build_app(engine, session_factory)
    for role in (Role.REVIEWER, Role.EDITOR, Role.ADMIN):

        def view(kind: str = role.value) -> str:
            return _probe(kind)

        app.add_url_rule(
            f"/probe/{role.value}",
            f"probe_{role.value}",
            require_role(role)(view),
            methods=["POST"],
        )
    return app


def probe_client(app: Flask, make_user: Callable[..., User], role: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_user(role, f"{role}-probe").username)
    return client


def test_a_viewer_posting_to_a_reviewer_route_gets_a_403_in_the_site_layout(
    probe_app: Flask, make_user: Callable[..., User]
) -> None:
    client = probe_client(probe_app, make_user, "viewer")
    response = client.post("/probe/reviewer", data={"x": "1"})
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "reviewer-ok" not in body
    assert NAV in body and 'class="brand"' in body  # the site layout, signed in
    assert "Error 403" in body and "This needs the reviewer role." in body
    assert "Traceback" not in body and "File &#34;" not in body and 'File "' not in body


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_refusal_is_audited_with_the_user_and_the_route(
    backend: str,
    fresh_url: str,
    actor: Actor,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    method: str,
) -> None:
    """On a database of its own (real commits): deny() commits the event in its own session."""
    if backend == "sqlite":
        monkeypatch.setattr("tracker.db.SQLITE_BUSY_TIMEOUT_MS", 300)  # a lock fails fast
    engine = make_engine(fresh_url)
    try:
        migrate.upgrade(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with factory() as db:
            create_user(db, "vic", role="viewer", password=PASSWORD, actor=actor)
            db.commit()
        app = build_app(engine, factory)
        app.add_url_rule(
            "/probe/reviewer",
            "probe_reviewer",
            require_role(Role.REVIEWER)(lambda: "reviewer-ok"),
            methods=["GET", "POST"],
        )
        client = app.test_client()
        sign_in(client, "vic")
        response = client.open("/probe/reviewer", method=method)
        assert response.status_code == 403
        assert NAV in response.get_data(as_text=True)
        with factory() as db:
            [denied] = db.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied"))
            assert denied.actor == "user:vic"
            assert denied.entity_type == "route" and denied.entity_id == "probe_reviewer"
            assert denied.context["path"] == "/probe/reviewer"
            assert denied.context["method"] == method
            assert denied.changes == {"needed_role": {"before": None, "after": "reviewer"}}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("viewer", set()),
        ("reviewer", {"reviewer"}),
        ("editor", {"reviewer", "editor"}),
        ("admin", {"reviewer", "editor", "admin"}),
    ],
)
def test_roles_are_ordered(
    probe_app: Flask, make_user: Callable[..., User], role: str, allowed: set[str]
) -> None:
    client = probe_client(probe_app, make_user, role)
    for needed in ("reviewer", "editor", "admin"):
        response = client.post(f"/probe/{needed}")
        if needed in allowed:
            assert response.status_code == 200, needed
            assert response.get_data(as_text=True) == f"{needed}-ok"
        else:
            assert response.status_code == 403, needed


def test_an_anonymous_post_to_a_role_route_is_sent_to_sign_in(probe_app: Flask) -> None:
    response = probe_app.test_client().post("/probe/admin")
    assert response.status_code == 302 and urlsplit(location(response)).path == "/login"


def test_a_role_change_applies_to_the_running_session(
    probe_app: Flask, session: Session, make_user: Callable[..., User], actor: Actor
) -> None:
    client = probe_client(probe_app, make_user, "editor")
    assert client.post("/probe/editor").status_code == 200
    user = session.scalar(select(User).where(User.username == "editor-probe"))
    assert user is not None
    accounts.set_role(session, user, Role.VIEWER, actor=actor, reason="demoted")
    session.commit()
    assert client.post("/probe/editor").status_code == 403
    assert client.post("/probe/reviewer").status_code == 403


@pytest.mark.parametrize(
    ("rule_text", "endpoint", "role"), [(r[0], r[1], r[2]) for r in ROLE_RULES]
)
def test_every_role_restricted_route_refuses_a_viewer(
    app: Flask,
    signed_in: Callable[[str], FlaskClient],
    session: Session,
    rule_text: str,
    endpoint: str,
    role: str,
) -> None:
    client = signed_in("viewer")
    rule = find_rule(app, rule_text, endpoint)
    url = _rule_url(rule)
    method = "POST" if "POST" in (rule.methods or ()) else "GET"
    response = client.open(url, method=method)
    assert response.status_code == 403, f"{method} {url} needs {role}"
    assert NAV in response.get_data(as_text=True)
    # The access.denied event is checked on a database of its own (see the next test): here
    # it would vanish with the request's savepoint.


# POST routes any signed-in user may use: they change only the user's own account or cookie.
VIEWER_POSTS = {
    "auth.login",
    "auth.logout",
    "auth.change_password",
    "dedup_pages.skip",  # hides a group for this browser session; writes nothing
    "dedup_pages.unskip",
}


@pytest.mark.parametrize(
    ("rule_text", "endpoint"),
    [r[:2] for r in RULES if "POST" in r[3] and r[1] not in VIEWER_POSTS],
)
def test_every_write_route_needs_more_than_the_viewer_role(rule_text: str, endpoint: str) -> None:
    """Viewers read everything and change nothing: a POST route without ``require_role`` is
    open to them. (A new viewer-level POST must be added to VIEWER_POSTS on purpose.)"""
    [role] = [r[2] for r in RULES if r[:2] == (rule_text, endpoint)]
    assert role is not None and role != Role.VIEWER.value, f"{rule_text} ({endpoint}): {role}"


# --- error pages -----------------------------------------------------------------------------


def test_the_404_page_uses_the_layout(signed_in: Callable[[str], FlaskClient]) -> None:
    client = signed_in("viewer")
    for url in ("/no/such/page", "/claims/999999", "/sources/999999"):
        response = client.get(url)
        assert response.status_code == 404, url
        body = response.get_data(as_text=True)
        assert NAV in body and "Error 404" in body, url
        assert "Traceback" not in body


def test_an_anonymous_404_shows_the_layout_without_the_nav(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert 'class="brand"' in body and "Error 404" in body
    assert NAV not in body
