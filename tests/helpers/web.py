"""Web-app helpers: an app on the test database with extra configuration, the CSRF token of a
page, and every rule of the web app (read from a throwaway app at import)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker import create_app
from tracker.models import Role

SECRET = "test-secret-key-for-pytest-only"
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")([^"]+)(")')


def build_app(engine: Engine, session_factory: sessionmaker[Session], **config: Any) -> Flask:
    """An app like the ``app`` fixture's (same database and sessions), with ``config`` on top."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "ENGINE": engine,
            "SESSION_FACTORY": session_factory,
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    match = CSRF_VALUE.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(2)


def collect_rules() -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """(rule, endpoint, required role, methods) for every rule, read from a throwaway app.

    Parametrizes the route tests at collection time; they look each rule up again in the app
    they run against."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": SECRET, "DATABASE_URL": "sqlite://", "AUTO_UPGRADE": False}
    )
    try:
        rules = []
        for rule in app.url_map.iter_rules():
            needed = getattr(app.view_functions[rule.endpoint], "required_role", None)
            role = Role(needed).value if needed is not None else None
            rules.append((rule.rule, rule.endpoint, role, tuple(sorted(rule.methods or ()))))
        return rules
    finally:
        app.extensions["tracker"].engine.dispose()


# The web app's rules. The JSON API authenticates by token, not cookie: tests/api/test_auth.py
# covers its routes.
RULES = [r for r in collect_rules() if not r[1].startswith("api.")]
