"""The web layer: blueprints, sign-in, CSRF, error mapping and the per-request session."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from tracker.api.problems import from_http_exception, is_api_request, problem_response
from tracker.db import close_session
from tracker.models import Role
from tracker.services.ai.labels import evidence_phrase, status_label
from tracker.services.errors import DomainError
from tracker.web import (
    admin,
    audit_pages,
    capture,
    claims,
    dashboard,
    dedup_pages,
    exports,
    intake,
    publishers,
    sources,
)
from tracker.web.auth import register_auth
from tracker.web.converters import bounded_ids
from tracker.web.display import register_display
from tracker.web.render import highlight_segments
from tracker.web.security import register_security

csrf = CSRFProtect()

# Navigation links beyond Dashboard, Claims and Sources: (endpoint, label, role needed).
# A link shows only when its blueprint is registered and the user has the role.
NAV_EXTRA = [
    ("intake.search", "Search", Role.VIEWER),
    ("intake.new_claim", "New claim", Role.REVIEWER),
    ("dedup_pages.duplicates", "Duplicates", Role.VIEWER),
    ("publishers.publisher_list", "Publishers", Role.VIEWER),
    ("admin.aliases", "Aliases", Role.VIEWER),
    ("audit_pages.audit_list", "Audit", Role.VIEWER),
    ("admin.users", "Users", Role.ADMIN),
]


def _render_error(status: int, message: str) -> ResponseReturnValue:
    if is_api_request():  # everything under /api/ answers with RFC 9457 problems
        return problem_response(status, message)
    return render_template("error.html", status=status, message=message), status


def _schema_guard() -> ResponseReturnValue | None:
    """Refuse every request while the database is behind the code's migrations."""
    problem: str | None = current_app.extensions["tracker"].schema_error
    return _render_error(503, problem) if problem else None


def _domain_error(exc: DomainError) -> ResponseReturnValue:
    return _render_error(exc.status, str(exc))


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    if is_api_request():  # keeps the Allow header of a 405, and the like
        return from_http_exception(exc)
    return _render_error(exc.code or 500, exc.description or exc.name)


def _unexpected_error(exc: Exception) -> ResponseReturnValue:
    current_app.logger.exception("unhandled error", exc_info=exc)
    return _render_error(500, "Something went wrong on our side. The error is logged.")


def _nav() -> dict[str, Any]:
    links = [item for item in NAV_EXTRA if item[0] in current_app.view_functions]
    return {"nav_extra": links}


def register(app: Flask) -> None:
    """The pages, sign-in, CSRF protection and the app-wide error pages (the app factory mounts
    the API beside them)."""
    bounded_ids(app, app.extensions["tracker"].engine.dialect.name)
    app.before_request(_schema_guard)
    register_security(app)
    csrf.init_app(app)
    register_auth(app)
    modules = (
        dashboard,
        sources,
        capture,
        claims,
        intake,
        dedup_pages,
        publishers,
        admin,
        audit_pages,
        exports,
    )
    for module in modules:
        app.register_blueprint(module.bp)
    app.teardown_appcontext(close_session)
    app.context_processor(_nav)
    register_display(app)
    app.jinja_env.globals["highlight_segments"] = highlight_segments
    app.jinja_env.filters["ai_status_label"] = status_label
    app.jinja_env.filters["ai_evidence_phrase"] = evidence_phrase
    # Domain errors map to HTTP status codes here, and only here.
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    if not app.testing:
        app.register_error_handler(Exception, _unexpected_error)
