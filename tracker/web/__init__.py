"""The web layer: blueprints, sign-in, CSRF, and the pages for domain errors (web/errors.py)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_wtf.csrf import CSRFProtect

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
from tracker.web.errors import domain_error_page
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


def _nav() -> dict[str, Any]:
    links = [item for item in NAV_EXTRA if item[0] in current_app.view_functions]
    return {"nav_extra": links}


def register(app: Flask) -> None:
    """The pages, sign-in, CSRF protection and the pages for domain errors (the app factory
    mounts the API beside them)."""
    bounded_ids(app, app.extensions["tracker"].engine.dialect.name)
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
    # A domain error raised by a page's service: the API blueprint has its own handler.
    app.register_error_handler(DomainError, domain_error_page)
