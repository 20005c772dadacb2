"""The OpenAPI document is valid, generated from every route, and rendered as a docs page."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tracker.api.registry import OPERATIONS


def _spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec: dict[str, Any] = response.get_json()
    return spec


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    spec = _spec(client)
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # raises on any error


def test_every_api_route_is_documented(app: Flask, client: FlaskClient) -> None:
    spec = _spec(client)
    documented = {
        (method.upper(), "/api/v1" + path)
        for path, item in spec["paths"].items()
        for method in item
    }
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint in (
            "api.openapi_document",
            "api.docs_page",
        ):
            continue
        path = re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule.rule)
        routed |= {(m, path) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert routed == documented
    assert len(documented) == len(OPERATIONS) >= 20


def test_operations_describe_auth_errors_and_bodies(client: FlaskClient) -> None:
    spec = _spec(client)
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert spec["security"] == [{"bearerAuth": []}]
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    for item in (op for ops in spec["paths"].values() for op in ops.values()):
        for status in ("400", "401", "403", "422", "429"):
            content = item["responses"][status]["content"]
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
        assert item["x-required-role"] in ("viewer", "reviewer", "editor", "admin")
    patch = spec["paths"]["/claims/{claim_id}"]["patch"]
    body_ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = spec["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]
    assert body["required"] == ["version"] and body["additionalProperties"] is False
    assert "409" in patch["responses"] and patch["x-required-role"] == "reviewer"
    claim = spec["components"]["schemas"]["ClaimOut"]
    assert "version" in claim["required"] and "evidence" in claim["properties"]
    params = {p["name"]: p for p in spec["paths"]["/claims"]["get"]["parameters"]}
    assert params["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
        "default": 50,
    }
    assert params["cursor"]["required"] is False
    path_param = spec["paths"]["/claims/{claim_id}"]["get"]["parameters"][0]
    assert path_param["in"] == "path" and path_param["required"] is True


def test_docs_page_renders_without_scripts(client: FlaskClient) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<script" not in page and " style=" not in page and "<style" not in page
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)  # local assets only
    for op in OPERATIONS:
        assert f'id="op-{op.endpoint}"' in page
    for slug in ("validation", "stale-version", "unauthorized", "rate-limited"):
        assert f'id="problem-{slug}"' in page
    assert "Authorization: Bearer" in page and "tracker tokens create" in page
    assert 'id="schema-ClaimOut"' in page


def test_docs_page_renders_markdown_and_folds_the_schemas(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)
    text = re.sub(r"<pre>.*?</pre>", "", page, flags=re.S)  # the raw JSON Schemas aside
    assert "`" not in re.sub(r"<[^>]+>", "", text)  # Markdown backticks are rendered
    assert "<code>tracker tokens create</code>" in page
    toc = page.split('<nav class="toc card"', 1)[1].split("</nav>", 1)[0]
    assert 'href="#authentication"' in toc and 'href="#schemas"' in toc
    assert all(f'href="#op-{op.endpoint}"' in toc for op in OPERATIONS)
    schemas = re.findall(r'<details class="schema" id="schema-(\w+)">', page)
    assert "ClaimOut" in schemas and len(schemas) == page.count('<details class="schema"')
    assert '<details class="schema" id="schema-ClaimOut" open' not in page  # folded
    # The JSON only sits inside the folded schemas.
    outside = re.sub(r'<details class="schema".*?</details>\s*</details>', "", page, flags=re.S)
    assert '"properties"' not in outside


def test_docs_markdown_escapes_html() -> None:
    from tracker.api.openapi import markdown, markdown_inline

    assert str(markdown_inline("use `x` <b>now</b>")) == "use <code>x</code> &lt;b&gt;now&lt;/b&gt;"
    assert "<script>" not in str(markdown("<script>alert(1)</script>"))
