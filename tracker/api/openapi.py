"""The OpenAPI 3.1 document, generated from the route registry and the Pydantic models, and
the docs page that renders it (a server-side template: no scripts, no CDN)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from flask import current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from markdown_it import MarkdownIt
from markupsafe import Markup
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from tracker.api.problems import DESCRIPTIONS, KINDS, MEDIA_TYPE, STALE_VERSION
from tracker.api.registry import BASE, OPERATIONS, PUBLIC_ENDPOINTS, Operation, bp
from tracker.api.schemas import Problem

API_VERSION = "1.0.0"
REF = "#/components/schemas/{model}"
SCHEME = "bearerAuth"
INTRO = (
    "The claim tracker's JSON API. Every request but these documents needs a personal API "
    "token (`tracker tokens create`) in `Authorization: Bearer <token>`; the token's role "
    "(viewer, reviewer, editor, admin) limits what it may do, as in the web app. Writes go "
    "through the same services, guards and audit log as the web forms. Lists are paged "
    "with an opaque `cursor` (the previous page's `next_cursor`) and `limit`. Every error "
    "is an RFC 9457 problem (`application/problem+json`)."
)


def _models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    found: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(Problem, "serialization"): None}
    for op in OPERATIONS:
        for model in (op.path_model, op.query_model, op.body_model):
            if model is not None:
                found[(model, "validation")] = None
        for out in op.responses.values():
            if out is not None:
                found[(out, "serialization")] = None
    return list(found)


def _plain(schema: dict[str, Any]) -> dict[str, Any]:
    """A parameter's schema without its title and without the null of an optional value."""
    schema = {k: v for k, v in schema.items() if k not in ("title", "description")}
    if schema.get("default", 0) is None:
        del schema["default"]
    options = schema.get("anyOf")
    if isinstance(options, list):
        kept = [s for s in options if s != {"type": "null"}]
        if len(kept) == 1:
            rest = {k: v for k, v in schema.items() if k != "anyOf"}
            return {**kept[0], **rest}
        schema["anyOf"] = kept
    return schema


def _parameters(schema: dict[str, Any], where: str) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
            "schema": _plain(prop),
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _problem_response(status: int, ref: dict[str, Any]) -> dict[str, Any]:
    slug, title = KINDS[status]
    text = DESCRIPTIONS[slug]
    if status == 409:
        text += f" Or `{STALE_VERSION[0]}`: {DESCRIPTIONS[STALE_VERSION[0]]}"
    return {"description": f"{title}: {text}", "content": {MEDIA_TYPE: {"schema": ref}}}


def _operation(
    op: Operation,
    refs: Mapping[Any, dict[str, Any]],  # (model, mode) -> {"$ref": ...}
    schemas: dict[str, Any],
    anonymous_read: bool,
) -> dict[str, Any]:
    params: list[dict[str, Any]] = []
    for model, where in ((op.path_model, "path"), (op.query_model, "query")):
        if model is not None:
            params += _parameters(schemas[_name(refs[(model, "validation")])], where)
    responses: dict[str, Any] = {}
    for status, out in sorted(op.responses.items()):
        if out is None:
            responses[str(status)] = {"description": "Done; no content."}
        else:
            content = {op.media_type: {"schema": refs[(out, "serialization")]}}
            responses[str(status)] = {"description": out.__name__, "content": content}
    problem = refs[(Problem, "serialization")]
    for status in op.errors:
        responses[str(status)] = _problem_response(status, problem)
    role = f"\n\nRole: {op.role.value}."
    item: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": op.description + role,
        "tags": [op.tag],
        "parameters": params,
        "responses": responses,
    }
    if op.body_model is not None:
        schema = refs[(op.body_model, "validation")]
        item["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    if anonymous_read and op.anonymous:
        item["security"] = [{SCHEME: []}, {}]
    item["x-required-role"] = op.role.value
    return item


def _name(ref: dict[str, Any]) -> str:
    return str(ref["$ref"]).rsplit("/", 1)[-1]


@cache
def build_spec(anonymous_read: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every registered operation."""
    refs, defs = models_json_schema(_models(), ref_template=REF)
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(
            op, refs, schemas, anonymous_read
        )
    for op in OPERATIONS:  # parameter models live in the parameters, not as schemas
        for model in (op.path_model, op.query_model):
            if model is not None:
                schemas.pop(_name(refs[(model, "validation")]), None)
    tags = sorted({op.tag for op in OPERATIONS})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Claim tracker API", "version": API_VERSION, "description": INTRO},
        "servers": [{"url": BASE}],
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from `tracker tokens create`.",
                }
            },
        },
        "security": [{SCHEME: []}],
    }


def current_spec() -> dict[str, Any]:
    return build_spec(bool(current_app.config["API_ANONYMOUS_READ"]))


# --- the views ---------------------------------------------------------------------------------

PUBLIC_ENDPOINTS.update({"openapi_document", "docs_page"})


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    """The OpenAPI 3.1 document (public: it holds no data)."""
    return jsonify(current_spec())


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


# CommonMark with raw HTML off: descriptions are text from the code, rendered, never trusted.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown(text: str | None) -> Markup:
    """A description's Markdown as HTML (raw HTML in the text is escaped)."""
    return Markup(_MARKDOWN.render(text or ""))


def markdown_inline(text: str | None) -> Markup:
    """One line of Markdown without the surrounding paragraph."""
    return Markup(_MARKDOWN.renderInline(text or ""))


def schema_summary(schema: Mapping[str, Any]) -> str:
    """A short reading of a small inline schema: "integer, 1 to 200", "one of: a, b"."""
    if "anyOf" in schema:
        return " or ".join(schema_summary(part) for part in schema["anyOf"])
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    bits = [str(schema.get("type", "any"))]
    if "enum" in schema:
        bits = ["one of: " + ", ".join(str(v) for v in schema["enum"])]
    if "const" in schema:
        bits = [f"always {schema['const']}"]
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        bits.append(f"{'' if low is None else low} to {'' if high is None else high}".strip())
    if "maxLength" in schema:
        bits.append(f"at most {schema['maxLength']} characters")
    if "format" in schema:
        bits.append(str(schema["format"]))
    if "pattern" in schema:
        bits.append(f"pattern {schema['pattern']}")
    if schema.get("type") == "array" and isinstance(schema.get("items"), Mapping):
        bits.append("of " + schema_summary(schema["items"]))
    if "default" in schema and schema["default"] is not None:
        bits.append(f"default {schema['default']}")
    return ", ".join(bits)


@bp.get("/docs")
def docs_page() -> ResponseReturnValue:
    """The document as an HTML page (public, server-rendered, no scripts)."""
    spec = current_spec()
    operations = [
        {"path": path, "method": method.upper(), **item}
        for path, methods in spec["paths"].items()
        for method, item in methods.items()
    ]
    problems = [(slug, title, DESCRIPTIONS[slug]) for slug, title in KINDS.values()]
    problems.append((*STALE_VERSION, DESCRIPTIONS[STALE_VERSION[0]]))
    return render_template(
        "api_docs.html",
        spec=spec,
        operations=operations,
        schemas=sorted(spec["components"]["schemas"].items()),
        problems=problems,
        pretty=_pretty,
        markdown=markdown,
        markdown_inline=markdown_inline,
        summary=schema_summary,
        base=BASE,
    )
