"""Error pages, and the web's one mapping of domain errors to HTTP status codes (the API has its
own, in tracker/api/problems.py; the services know nothing of HTTP)."""

from __future__ import annotations

from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from tracker.services.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Throttled

STATUS: dict[type[DomainError], int] = {
    Invalid: 422,
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Throttled: 429,
}
OTHER_REFUSAL = 400  # a DomainError of no class above


def status_of(exc: DomainError) -> int:
    """The status a page answers ``exc`` with (its nearest class in STATUS)."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return OTHER_REFUSAL


def retry_headers(exc: DomainError) -> dict[str, str]:
    """Retry-After for a Throttled refusal; nothing for the others."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else {}


def error_page(status: int, message: str) -> ResponseReturnValue:
    return render_template("error.html", status=status, message=message), status


def domain_error_page(exc: DomainError) -> ResponseReturnValue:
    status = status_of(exc)
    return (
        render_template("error.html", status=status, message=str(exc)),
        status,
        retry_headers(exc),
    )


def http_error_page(exc: HTTPException) -> ResponseReturnValue:
    return error_page(exc.code or 500, exc.description or exc.name)


def unexpected_error_page(exc: Exception) -> ResponseReturnValue:
    current_app.logger.exception("unhandled error", exc_info=exc)
    return error_page(500, "Something went wrong on our side. The error is logged.")
