"""RFC 9457 problem details: the one error format of everything under /api/.

A problem is ``{"type", "title", "status", "detail"}`` plus, for bad input, ``errors``: one
``{"location", "field", "detail"}`` per field (location: body, query, path or header). The
``type`` of each kind of problem points at its explanation on the API docs page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Response, current_app, json, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from tracker.services.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Throttled

API_PREFIX = "/api/"
DOCS_PATH = "/api/v1/docs"
MEDIA_TYPE = "application/problem+json"

# status -> (slug of the problem type, title)
KINDS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation", "Invalid input"),
    429: ("rate-limited", "Too many requests"),
    500: ("server-error", "Server error"),
    501: ("not-implemented", "Not implemented"),
    503: ("unavailable", "Service unavailable"),
}
# Problem types with a slug of their own, beyond the per-status ones.
STALE_VERSION = ("stale-version", "Stale version")
DESCRIPTIONS: dict[str, str] = {
    "bad-request": "The request could not be read: the body is not JSON, or not UTF-8.",
    "unauthorized": "No token, or one that is unknown, revoked or expired. Send "
    "`Authorization: Bearer <token>`.",
    "forbidden": "The token's role does not allow this; the refusal is audited.",
    "not-found": "No such resource (or path).",
    "method-not-allowed": "The path exists but not with this method; see the Allow header.",
    "not-acceptable": "The client does not accept JSON.",
    "conflict": "The request conflicts with the current state (e.g. a duplicate).",
    "stale-version": "The resource changed since the `version` you sent: read it again and "
    "resend your change. Nothing was overwritten.",
    "payload-too-large": "The request body is over the limit.",
    "unsupported-media-type": "A request body must be sent as application/json.",
    "validation": "A field or parameter is missing, of the wrong type, out of range or "
    "unknown, or the domain refused the value; `errors` lists each field.",
    "rate-limited": "Too many requests for this token or address; retry after the number "
    "of seconds in Retry-After.",
    "server-error": "Something went wrong on the server; it is logged.",
    "not-implemented": "This operation is not available yet.",
    "unavailable": "The database is not at the code's migration.",
}


# The API's one mapping of domain errors to statuses (the web pages have their own, in
# tracker/web/errors.py; the services know nothing of HTTP).
STATUS: dict[type[DomainError], int] = {
    Invalid: 422,
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Throttled: 429,
}
OTHER_REFUSAL = 400  # a DomainError of no class above
UNEXPECTED = "Something went wrong on our side. The error is logged."


def status_of(exc: DomainError) -> int:
    """The status of the problem that answers ``exc`` (its nearest class in STATUS)."""
    for kind in type(exc).__mro__:
        if kind in STATUS:
            return STATUS[kind]
    return OTHER_REFUSAL


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


class ApiProblem(Exception):
    """Raised anywhere under /api/ to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        kind: tuple[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors or [])
        self.headers = dict(headers or {})
        self.kind = kind
        self.extra = dict(extra or {})


def field_error(location: str, field: str, detail: str) -> dict[str, str]:
    return {"location": location, "field": field, "detail": detail}


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    kind: tuple[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    slug, title = kind or KINDS.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": f"{DOCS_PATH}#problem-{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = list(errors)
    body.update(extra or {})
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_api_problem(exc: ApiProblem) -> Response:
    return problem_response(
        exc.status,
        exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        kind=exc.kind,
        extra=exc.extra,
    )


def from_domain_error(exc: DomainError) -> Response:
    """A service's refusal; a FieldInvalid names its field."""
    field = getattr(exc, "field", None)
    errors = [field_error("body", field, str(exc))] if isinstance(field, str) else None
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
    return problem_response(status_of(exc), str(exc), errors=errors, headers=headers)


def from_http_exception(exc: HTTPException) -> Response:
    """Werkzeug's errors (404, 405 with Allow, 413, ...) as problems, keeping their headers."""
    status = exc.code or 500
    headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    return problem_response(status, exc.description or exc.name, headers=headers)


def from_unexpected(exc: Exception) -> Response:
    """A bug: logged, and answered with a 500 problem that tells nothing of it."""
    current_app.logger.exception("unhandled error", exc_info=exc)
    return problem_response(500, UNEXPECTED)


def validation_errors(exc: ValidationError, location: str) -> list[dict[str, str]]:
    """Pydantic's errors as field errors: "evidence.quote", "limit", ..."""
    found = []
    for error in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in error["loc"]) or "(body)"
        found.append(field_error(location, field, str(error["msg"])))
    return found
