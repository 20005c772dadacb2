"""The JSON API at /api/v1: bearer tokens, RFC 9457 problems, cursor pages, and an OpenAPI
3.1 document generated from the route registry (``tracker.api.registry``)."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from tracker import config
from tracker.api import openapi, routes_claims, routes_more, routes_sources
from tracker.api.auth import LIMITER_KEY, RateLimiter
from tracker.api.registry import bp

# The route modules register their operations on ``bp`` when imported.
ROUTE_MODULES = (routes_sources, routes_claims, routes_more, openapi)
DEFAULT_RATE_LIMIT = 600  # requests a minute per token (or client address); 0: no limit


def register_api(app: Flask, csrf: CSRFProtect) -> None:
    """Mount the API. Tokens are not cookies, so CSRF protection does not apply to it."""
    app.config.setdefault("API_ANONYMOUS_READ", config.api_anonymous_read())
    app.config.setdefault("API_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    app.extensions[LIMITER_KEY] = RateLimiter()  # per app: its counts live in this process
    app.register_blueprint(bp)
    csrf.exempt(bp)
