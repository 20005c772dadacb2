"""The web layer: blueprints, error mapping and the per-request session."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from werkzeug.exceptions import HTTPException

from tracker.services.errors import DomainError
from tracker.web.claims import bp as claims_bp
from tracker.web.db import close_session
from tracker.web.render import highlight_segments
from tracker.web.sources import bp as sources_bp


def _render_error(status: int, message: str) -> tuple[str, int]:
    return render_template("error.html", status=status, message=message), status


def _schema_guard() -> tuple[str, int] | None:
    """Refuse every request while the database is behind the code's migrations."""
    problem: str | None = current_app.extensions["tracker"].schema_error
    return _render_error(503, problem) if problem else None


def _domain_error(exc: DomainError) -> tuple[str, int]:
    return _render_error(exc.status, str(exc))


def _http_error(exc: HTTPException) -> tuple[str, int]:
    return _render_error(exc.code or 500, exc.description or exc.name)


def register(app: Flask) -> None:
    app.register_blueprint(sources_bp)
    app.register_blueprint(claims_bp)
    app.teardown_appcontext(close_session)
    app.before_request(_schema_guard)
    app.jinja_env.globals["highlight_segments"] = highlight_segments
    # Domain errors map to HTTP status codes here, and only here.
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
