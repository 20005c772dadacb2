"""The Flask application factory (without CLI registration; see ``tracker.create_app``): the
configuration, the engine, the transaction boundary (tracker/boundary.py), the web pages and the
API (mounted side by side, neither imports the other's registration), and the errors that reach
neither (unknown paths, the schema guard, bugs): problems under /api/, pages elsewhere."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask.typing import ResponseReturnValue
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException, ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import config, migrate
from tracker.api import problems, register_api
from tracker.boundary import TrackerFlask
from tracker.db import READ_ONLY, make_engine, make_sessionmaker
from tracker.services.dedup import vector_index
from tracker.services.ops.health import weak_secret
from tracker.web import csrf, errors
from tracker.web import register as register_web

log = logging.getLogger(__name__)


@dataclass
class TrackerState:
    """What the app holds per process: the engine and the session factory."""

    engine: Engine
    sessions: sessionmaker[Session]
    schema_error: str | None = None


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    app.config.from_mapping(
        MAX_SOURCE_BYTES=config.DEFAULT_MAX_SOURCE_BYTES,
        AUTO_UPGRADE=True,
        FETCH_ENABLED=True,  # sources may be fetched by URL (off: refused with a 422)
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies(),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        # CSRF tokens live as long as the sign-in session, not one hour: forms stay open long.
        WTF_CSRF_TIME_LIMIT=None,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config["DATABASE_URL"] = config.database_url(
            None, Path(app.instance_path), configured=app.config.get("DATABASE_URL")
        )
        app.config["MAX_SOURCE_BYTES"] = config.max_source_bytes()
        if (hosts := config.trusted_hosts()) is not None:
            app.config["TRUSTED_HOSTS"] = hosts
        app.config.setdefault("PROXY_COUNT", config.proxy_count())
    else:
        app.config.from_mapping(test_config)
        app.config.setdefault("DATABASE_URL", config.default_database_url(Path(app.instance_path)))
        # One test app, one count: nothing shared with other tests through the instance folder.
        app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    # Form bodies carry pasted sources (or an upload as base64 between preview and save).
    limit = int(app.config["MAX_SOURCE_BYTES"])
    app.config["MAX_FORM_MEMORY_SIZE"] = 2 * limit + 100_000
    app.config["MAX_CONTENT_LENGTH"] = 4 * limit + 1_000_000
    app.config.setdefault("SESSION_MAX_AGE", config.session_max_age())
    # The cookie lasts 12 hours past the last request, and never past the absolute lifetime.
    app.config["PERMANENT_SESSION_LIFETIME"] = min(
        app.config["PERMANENT_SESSION_LIFETIME"], timedelta(seconds=app.config["SESSION_MAX_AGE"])
    )
    if app.config.get("SESSION_COOKIE_SECURE") and app.config["SESSION_COOKIE_NAME"] == "session":
        # Secure, Path=/ and no Domain: the browser refuses it from http or from a sibling host.
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_or_create_secret_key(Path(app.instance_path))
    # Test apps pass their own (short) keys; a configured deployment must not run on a weak one.
    if test_config is None and (problem := weak_secret(str(app.config["SECRET_KEY"]))):
        raise RuntimeError(f"refusing to start: the secret key is too weak: {problem}")
    if proxies := int(app.config.get("PROXY_COUNT") or 0):
        # The client address, scheme and host as the outermost of N trusted proxies saw them.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def check_schema(engine: Engine, auto_upgrade: bool) -> str | None:
    """Upgrade a new, empty database; describe one that is behind (None when all is well).

    A database that has Alembic's version table but no revision was downgraded on purpose:
    it is reported, not upgraded behind the user's back."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        tables = set(inspect(conn).get_table_names())
    if not tables:
        if auto_upgrade:
            log.info("empty database: upgrading to the head migration")
            migrate.upgrade(engine)
            return None
        return "the database is empty: run `tracker db upgrade`"
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        return (
            f"the database is at migration {current or 'none'} but this code needs {head}: "
            "run `tracker db upgrade`"
        )
    return None


def _schema_guard() -> None:
    """Refuse every request while the database is behind the code's migrations."""
    problem: str | None = current_app.extensions["tracker"].schema_error
    if problem:
        raise ServiceUnavailable(problem)


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    if problems.is_api_request():  # keeps the Allow header of a 405, and the like
        return problems.from_http_exception(exc)
    return errors.http_error_page(exc)


def _unexpected_error(exc: Exception) -> ResponseReturnValue:
    if problems.is_api_request():
        return problems.from_unexpected(exc)
    return errors.unexpected_error_page(exc)


def _register_errors(app: Flask) -> None:
    """What no blueprint handles: a path that matches no route, a refused method, the schema
    guard's 503 and, outside tests, a bug (the API blueprint and the pages map domain errors
    themselves)."""
    app.register_error_handler(HTTPException, _http_error)
    if not app.testing:
        app.register_error_handler(Exception, _unexpected_error)


def build_app(
    test_config: dict[str, Any] | None = None, *, overrides: dict[str, Any] | None = None
) -> Flask:
    """The app; ``test_config`` replaces the instance/environment configuration, ``overrides``
    are applied on top of it (the CLI's --database-url)."""
    app = TrackerFlask(
        "tracker",
        instance_relative_config=True,
        instance_path=str(config.instance_path()),
        root_path=str(Path(__file__).parent / "web"),
    )
    _configure(app, test_config)
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    vector_index.configure(Path(app.instance_path))
    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    sessions = app.config.get("SESSION_FACTORY") or make_sessionmaker(engine)
    state = TrackerState(engine=engine, sessions=sessions)
    state.schema_error = check_schema(engine, bool(app.config["AUTO_UPGRADE"]))
    if state.schema_error:
        log.warning("%s", state.schema_error)
    app.extensions["tracker"] = state
    app.before_request(_schema_guard)
    register_web(app)
    register_api(app, csrf)
    _register_errors(app)
    return app
