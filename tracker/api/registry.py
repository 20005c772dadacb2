"""The API blueprint and its route registry.

``@operation(...)`` registers a Flask route and records what the OpenAPI document needs:
method, path, role, parameter and body models, responses. The same record drives the
request handling, so the document cannot drift from the code: the caller is authenticated
(blueprint ``before_request``), its role checked, path, query and body parsed into their
models (bad input answers 400/415/422 problems), and the handler's reply serialized."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from tracker.api import problems
from tracker.api.auth import authenticate, caller_key, rate_limit, require
from tracker.api.problems import ApiProblem, field_error
from tracker.models import Role
from tracker.services.errors import DomainError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
BASE = "/api/v1"
MAX_JSON_DEPTH = 32


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI form, below /api/v1: "/claims/{claim_id}"
    endpoint: str
    summary: str
    description: str
    tag: str
    role: Role  # the least role a caller needs
    anonymous: bool  # a GET anyone may read when TRACKER_API_ANONYMOUS_READ is on
    path_model: type[BaseModel] | None
    query_model: type[BaseModel] | None
    body_model: type[BaseModel] | None
    responses: dict[int, type[BaseModel] | None]  # success status -> body (None: empty)
    errors: tuple[int, ...]
    media_type: str = "application/json"


OPERATIONS: list[Operation] = []
BY_ENDPOINT: dict[str, Operation] = {}
# Plain routes anyone may read (the OpenAPI document and the docs page).
PUBLIC_ENDPOINTS: set[str] = set()


@dataclass
class Reply:
    body: BaseModel | None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


H = TypeVar("H", bound=Callable[..., Reply])


def _error_statuses(path_model: Any, body: Any, more: tuple[int, ...]) -> tuple[int, ...]:
    """The problems an operation may answer with, for its OpenAPI responses."""
    found = {400, 401, 403, 422, 429, *more}
    if path_model is not None or body is not None:  # a body may name other resources
        found.add(404)
    if body is not None:
        found |= {413, 415}
    return tuple(sorted(found))


def operation(
    method: str,
    path: str,
    *,
    summary: str,
    tag: str,
    responses: dict[int, type[BaseModel] | None],
    role: Role = Role.VIEWER,
    anonymous: bool = True,
    path_model: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    body: type[BaseModel] | None = None,
    errors: tuple[int, ...] = (),
    media_type: str = "application/json",
) -> Callable[[H], H]:
    """Register ``handler`` as ``method path``; it gets ``path=``, ``query=`` and ``body=``
    (the parsed models it declared) and returns a Reply. Its docstring describes it."""

    def decorate(handler: H) -> H:
        doc = (handler.__doc__ or "").strip()
        op = Operation(
            method=method,
            path=path,
            endpoint=handler.__name__,
            summary=summary,
            description=doc,
            tag=tag,
            role=role,
            anonymous=anonymous and method == "GET",
            path_model=path_model,
            query_model=query,
            body_model=body,
            responses=responses,
            errors=_error_statuses(path_model, body, errors),
            media_type=media_type,
        )

        @wraps(handler)
        def view(**path_args: str) -> ResponseReturnValue:
            require(op.role)
            kwargs: dict[str, Any] = {}
            if op.path_model is not None:
                kwargs["path"] = _validate(op.path_model, path_args, "path")
            kwargs_query = _parse_query(op.query_model)
            if kwargs_query is not None:
                kwargs["query"] = kwargs_query
            if op.body_model is not None:
                kwargs["body"] = _parse_body(op.body_model)
            return _render(op, handler(**kwargs))

        view.required_role = op.role  # type: ignore[attr-defined]  # as web.auth.require_role
        rule = path.replace("{", "<").replace("}", ">")
        bp.add_url_rule(rule, endpoint=op.endpoint, view_func=view, methods=[method])
        OPERATIONS.append(op)
        BY_ENDPOINT[op.endpoint] = op
        return handler

    return decorate


# --- requests ----------------------------------------------------------------------------------


def _check_text(value: Any, where: str, location: str, depth: int = 0) -> None:
    """No NUL characters or lone surrogates in any string (the databases cannot store them)."""
    if depth > MAX_JSON_DEPTH:
        raise ApiProblem(400, f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        if "\x00" in value or any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            detail = "text may not hold NUL characters or unpaired surrogates"
            raise ApiProblem(422, detail, errors=[field_error(location, where or "(body)", detail)])
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, where, location, depth + 1)
            _check_text(item, f"{where}.{key}" if where else str(key), location, depth + 1)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _check_text(item, f"{where}.{number}" if where else str(number), location, depth + 1)


def _validate(model: type[BaseModel], data: Any, location: str) -> BaseModel:
    _check_text(data, "", location)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = problems.validation_errors(exc, location)
        raise ApiProblem(422, _summary(errors), errors=errors) from None


def _summary(errors: list[dict[str, str]]) -> str:
    first = errors[0] if errors else {"field": "?", "detail": "invalid"}
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first['location']} {first['field']}: {first['detail']}{more}"


def _parse_query(model: type[BaseModel] | None) -> BaseModel | None:
    args = request.args
    repeated = [name for name in args if len(args.getlist(name)) > 1]
    if repeated:
        errors = [field_error("query", name, "given more than once") for name in repeated]
        raise ApiProblem(422, _summary(errors), errors=errors)
    if model is None:
        if args:
            errors = [field_error("query", name, "unknown parameter") for name in args]
            raise ApiProblem(422, _summary(errors), errors=errors)
        return None
    return _validate(model, args.to_dict(), "query")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} appears twice")
        found[key] = value
    return found


def _parse_body(model: type[BaseModel]) -> BaseModel:
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiProblem(415, "send the body as JSON with Content-Type: application/json")
    raw = request.get_data(cache=False)  # over MAX_CONTENT_LENGTH: 413
    try:
        text = raw.decode("utf-8")
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise ApiProblem(400, "the body is not UTF-8") from None
    except RecursionError:
        raise ApiProblem(400, "the JSON body nests too deeply") from None
    except ValueError as exc:
        raise ApiProblem(400, f"the body is not valid JSON: {exc}") from None
    _check_text(data, "", "body")
    try:
        return model.model_validate_json(text, strict=True)
    except ValidationError as exc:
        errors = problems.validation_errors(exc, "body")
        raise ApiProblem(422, _summary(errors), errors=errors) from None


# --- replies -----------------------------------------------------------------------------------


def _render(op: Operation, reply: Reply) -> ResponseReturnValue:
    if reply.body is None:
        response = Response(status=reply.status)
    else:
        payload = reply.body.model_dump(mode="json", by_alias=True)
        response = Response(json.dumps(payload), status=reply.status, mimetype=op.media_type)
    response.headers.update(reply.headers)
    return response


def api_url(endpoint: str, **values: Any) -> str:
    return url_for(f"api.{endpoint}", **values)


# --- hooks -------------------------------------------------------------------------------------


@bp.before_request
def _authenticate() -> None:
    """Every operation but the public ones needs a caller; all are rate limited."""
    name = (request.endpoint or "").removeprefix("api.")
    if name in PUBLIC_ENDPOINTS:
        return
    op = BY_ENDPOINT.get(name)
    try:
        who = authenticate(op is not None and op.anonymous)
    except ApiProblem:
        rate_limit(caller_key(None))  # failed attempts count against the address
        raise
    rate_limit(caller_key(who))


@bp.before_request
def _limit_body() -> None:
    """JSON bodies carry at most a source text of MAX_SOURCE_BYTES (escaped, hence twice)."""
    request.max_content_length = 2 * int(current_app.config["MAX_SOURCE_BYTES"]) + 100_000


bp.register_error_handler(ApiProblem, problems.from_api_problem)
bp.register_error_handler(DomainError, problems.from_domain_error)
bp.register_error_handler(HTTPException, problems.from_http_exception)
