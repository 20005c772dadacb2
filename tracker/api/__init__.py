"""The JSON API at /api/v1: bearer tokens, RFC 9457 problems, cursor pages, and an OpenAPI
3.1 document generated from the route registry (``tracker.api.registry``)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect

from tracker import config
from tracker.api import openapi, routes_claims, routes_more, routes_sources
from tracker.api.auth import LIMITER_KEY
from tracker.api.registry import bp
from tracker.rate_limit_store import SCHEME

# The route modules register their operations on ``bp`` when imported.
ROUTE_MODULES = (routes_sources, routes_claims, routes_more, openapi)
RATE_LIMIT_FILE = "rate_limits.sqlite3"


def _client_address() -> str:
    return request.remote_addr or "-"


def register_api(app: Flask, csrf: CSRFProtect) -> None:
    """Mount the API. Tokens are not cookies, so CSRF protection does not apply to it.

    The rate limit (requests a minute per token or client address, API_RATE_LIMIT; 0: off) is
    counted by Flask-Limiter in RATELIMIT_STORAGE_URI: TRACKER_RATE_LIMIT_STORAGE (Redis), else
    a SQLite file in the instance folder that every worker of this server shares."""
    app.config.setdefault("API_ANONYMOUS_READ", config.api_anonymous_read())
    app.config.setdefault("API_RATE_LIMIT", config.api_rate_limit())
    default_store = f"{SCHEME}:///{Path(app.instance_path) / RATE_LIMIT_FILE}"
    app.config.setdefault("RATELIMIT_STORAGE_URI", config.rate_limit_storage() or default_store)
    app.config.setdefault("RATELIMIT_STRATEGY", "fixed-window")
    limiter = Limiter(_client_address, default_limits=[])
    limiter.init_app(app)
    app.extensions[LIMITER_KEY] = limiter
    app.register_blueprint(bp)
    csrf.exempt(bp)
