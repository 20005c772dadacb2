"""Helpers of the API tests (``from tests.helpers.api import ...``)."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from tracker.models import Source
from tracker.services.accounts.api_tokens import issue_token
from tracker.services.audit.log import Actor
from tracker.services.sources.ingest import SourceMeta, ingest_text

ARTICLE = (
    "Pyongyang, Monday. The parliament ratified the defence treaty with Russia on Monday, "
    "state media said. Officials in Moscow welcomed the decision the same evening. Analysts "
    "expect closer military cooperation between the two countries this year.\n"
)
QUOTE = "The parliament ratified the defence treaty with Russia on Monday"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def problem(response: TestResponse, status: int) -> dict[str, Any]:
    """The problem body of ``response``, checked: status, media type and members."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/docs#problem-")
    return body


def fields(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body.get("errors", [])}


def make_token(
    session: Session, actor: Actor, role: str, user: str | None = None, expires: str | None = None
) -> str:
    """A committed token's secret."""
    _, raw = issue_token(session, role=role, actor=actor, username=user, expires=expires)
    session.commit()
    return raw


class Api:
    """The test client with a bearer token on every request."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, path: str, **kw: Any) -> TestResponse:
        return self.client.get(f"/api/v1{path}", headers=bearer(self.token), **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> TestResponse:
        return self.client.post(f"/api/v1{path}", json=body, headers=bearer(self.token), **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> TestResponse:
        return self.client.patch(f"/api/v1{path}", json=body, headers=bearer(self.token), **kw)

    def delete(self, path: str, **kw: Any) -> TestResponse:
        return self.client.delete(f"/api/v1{path}", headers=bearer(self.token), **kw)


def api_for(
    client: FlaskClient, session: Session, actor: Actor, role: str, user: str | None = None
) -> Api:
    """The client with a new token of ``role`` (``partial`` it into an ``api_as`` fixture)."""
    return Api(client, make_token(session, actor, role, user=user))


def make_source(session: Session, actor: Actor, text: str = ARTICLE, **meta: str) -> Source:
    """A committed English source (language given, so no detection runs)."""
    source, _ = ingest_text(
        session, text, actor=actor, origin="test", meta=SourceMeta(language="en", **meta)
    )
    session.commit()
    return source
