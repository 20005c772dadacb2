"""Security headers on every response (issue 8 hardening).

The pages use only the site's own scripts and stylesheets (no inline script or style), so the
Content-Security-Policy allows nothing else; the audit chart is inline SVG markup, which a CSP
does not restrict. HSTS is sent only when the app is configured for TLS (Secure cookies).

Before any view runs, a query string or form that is not UTF-8 (Werkzeug raises on reading
it) or a web form holding a NUL character (PostgreSQL cannot store one) is refused with a 400."""

from __future__ import annotations

from flask import Flask, Response, abort, current_app, request, session
from flask_login import current_user

from tracker.api.problems import is_api_request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
HSTS = "max-age=63072000; includeSubDomains"
# The app uses none of these browser features; no page (or injected frame) may ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
NUL_REFUSED = "The request holds a NUL character, which cannot be stored: remove it and try again."


def _refuse_unreadable() -> None:
    try:
        values = list(request.args.items(multi=True))
        if request.method not in SAFE_METHODS and not is_api_request():
            values += request.form.items(multi=True)
            values += [(name, f.filename or "") for name, f in request.files.items(multi=True)]
    except UnicodeDecodeError:
        abort(400, description="The request is not valid UTF-8.")
    if is_api_request():
        return  # the API checks every field itself and names it (422 problems)
    if any("\x00" in name or "\x00" in value for name, value in values):
        abort(400, description=NUL_REFUSED)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if _private():
        # Pages for a signed-in user (or a token's answers) stay out of every cache.
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _private() -> bool:
    if request.endpoint == "static":
        return False
    if request.headers.get("Authorization"):
        return True
    return bool(current_user.is_authenticated) or "_user_id" in session


def register_security(app: Flask) -> None:
    app.before_request(_refuse_unreadable)
    app.after_request(_add_headers)
