"""Every error under /api/ is an RFC 9457 problem, and bad input never reaches a 500."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers.api import (
    Api,
    api_for,
    bearer,
    fields,
    problem,
)
from tracker.models import AuditEvent, Claim
from tracker.services.audit.log import Actor


@pytest.fixture
def api_as(client: FlaskClient, session: Session, actor: Actor) -> Callable[..., Api]:
    return partial(api_for, client, session, actor)


@pytest.fixture
def editor(api_as: Callable[..., Api]) -> Api:
    return api_as("editor")


def _raw_post(api: Api, path: str, data: bytes | str, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return api.client.post(
        f"/api/v1{path}", data=data, content_type=content_type, headers=bearer(api.token)
    )


@pytest.mark.parametrize(
    "data",
    [b"{", b"not json", b'{"text": NaN}', b'{"text": Infinity}', b"\xff\xfe", b"", b"[" * 5000],
)
def test_unreadable_bodies_are_400(editor: Api, data: bytes) -> None:
    body = problem(_raw_post(editor, "/claims", data), 400)
    assert body["title"] == "Bad request"


def test_wrong_content_type_is_415(editor: Api) -> None:
    body = problem(_raw_post(editor, "/claims", "text=x", "application/x-www-form-urlencoded"), 415)
    assert "application/json" in body["detail"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "A claim", "colour": "red"}, "colour"),  # unknown field
        ({"text": 42}, "text"),  # wrong type
        ({"text": "A claim", "confidence": "0.5"}, "confidence"),  # a string is not a number
        ({"text": "A claim", "confidence": 1e300}, "confidence"),  # out of range
        ({"text": "A claim", "link_to": 10**40}, "link_to"),  # a huge number
        ({"text": "A claim", "verdict": "maybe"}, "verdict"),  # not one of the values
        ({"text": "A claim", "link_to": True}, "link_to"),  # a boolean is not an id
        ({"text": "   "}, "text"),  # nothing but white space
        ({"text": "null\u0000byte"}, "text"),  # databases cannot store NUL
        ({}, "text"),  # missing
        ({"text": "A claim", "evidence": {"source_id": 1, "stance": "loves"}}, "evidence.stance"),
    ],
)
def test_bad_fields_are_422_with_field_errors(
    editor: Api, session: Session, payload: dict[str, object], field: str
) -> None:
    body = problem(editor.post("/claims", payload), 422)
    assert body["type"] == "/api/v1/docs#problem-validation"
    assert field in fields(body)
    assert all(e["location"] == "body" for e in body["errors"])
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_big_and_odd_numbers_in_raw_json(editor: Api) -> None:
    for raw in (b'{"text": "x", "confidence": 1e400}', b'{"text": "x", "link_to": 1e3}'):
        problem(_raw_post(editor, "/claims", raw), 422)
    problem(_raw_post(editor, "/claims", b'{"text": "x", "text": "y"}'), 400)  # duplicate key
    problem(_raw_post(editor, "/claims", b'{"text": "\\ud800"}'), 422)  # lone surrogate
    problem(_raw_post(editor, "/claims", b'["text"]'), 422)  # not an object


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=5.0", "limit"),
        ("limit=abc", "limit"),
        ("verdict=maybe", "verdict"),
        ("include_merged=yes", "include_merged"),
        ("source_id=99999999999", "source_id"),
        ("colour=red", "colour"),
        ("limit=1&limit=2", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("language=%00", "(body)"),
    ],
)
def test_bad_query_parameters_are_422(editor: Api, query: str, field: str) -> None:
    body = problem(editor.get(f"/claims?{query}"), 422)
    if field != "(body)":
        assert field in fields(body)
    assert all(e["location"] == "query" for e in body["errors"])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/claims/0", 422),
        ("/claims/abc", 422),
        ("/claims/99999999999", 422),
        ("/claims/424242", 404),
        ("/sources/424242", 404),
        ("/excerpts/424242", 404),
        ("/audit/reports/no-such-report", 404),
        ("/no/such/path", 404),
    ],
)
def test_paths(editor: Api, path: str, status: int) -> None:
    problem(editor.get(path), status)


def test_405_keeps_the_allow_header(editor: Api) -> None:
    response = editor.client.put("/api/v1/claims", headers=bearer(editor.token))
    problem(response, 405)
    assert "POST" in response.headers["Allow"] and "GET" in response.headers["Allow"]


def test_413_for_a_body_over_the_limit(app: Flask, editor: Api, session: Session) -> None:
    app.config["MAX_SOURCE_BYTES"] = 1000  # bodies may be 2 x 1000 + 100,000 bytes
    body = problem(editor.post("/sources", {"text": "x " * 60_000}), 413)
    assert body["title"] == "Request body too large"
    # Under the body limit but over the source limit: the ingest check refuses it.
    refused = problem(editor.post("/sources", {"text": "x " * 2000}), 422)
    assert "too large" in refused["detail"]
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "source.create" not in actions


def test_the_web_app_still_answers_html(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.mimetype == "text/html"
