"""The desk the hostile web and API tests attack: an app with CSRF on and no API rate limit,
a signed-in admin, and a few sources, claims, a merge, a publisher and a second user."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import TestResponse, encode_multipart

from tests.helpers import PASSWORD
from tests.helpers.api import ARTICLE, QUOTE
from tests.hostile.checks import Probe, engine_name
from tests.hostile.strategies import Value, form_body, query_string
from tracker import create_app
from tracker.models import Claim, Source
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim
from tracker.services.sources.ingest import SourceMeta, ingest_text

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
SECRET = "test-secret-key-for-pytest-only"
MAX_SOURCE_BYTES = 1_500_000  # a 1 MB field fits; the oversized uploads stay small
FORM = "application/x-www-form-urlencoded"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OTHER_ARTICLE = (
    "Berlin, Tuesday. The city council approved the new budget after a long debate about the "
    "libraries. The opposition criticised the planned cuts sharply, officials said.\n"
)


def hostile_app(engine: Engine, session_factory: sessionmaker[Session]) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "ENGINE": engine,
            "SESSION_FACTORY": session_factory,
            "WTF_CSRF_ENABLED": True,
            "API_RATE_LIMIT": 0,
            "MAX_SOURCE_BYTES": MAX_SOURCE_BYTES,
        }
    )


def csrf_of(client: FlaskClient, path: str = "/login") -> str:
    found = _CSRF.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    token = csrf_of(client)
    data = {"username": username, "password": password, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return csrf_of(client, "/account/password")


def _utf8(value: str) -> str:
    """What a multipart encoder can send: lone surrogates become U+FFFD (the urlencoded
    tests send them as raw bytes)."""
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@dataclass
class Desk:
    app: Flask
    client: FlaskClient  # signed in as the admin "root"
    token: str  # its CSRF token
    probe: Probe
    session: Session
    source_id: int
    other_source_id: int
    claim_ids: list[int]  # [with evidence, plain, merged into the plain one]
    publisher_id: int
    victim_id: int  # a viewer the admin forms act on
    extra: dict[str, Any] = field(default_factory=dict)

    def post(
        self,
        path: str,
        fields: Mapping[str, Value | list[Value]],
        *,
        client: FlaskClient | None = None,
        token: str | None = None,
    ) -> TestResponse:
        """A form POST, byte for byte, with the CSRF token unless ``fields`` has one."""
        data = dict(fields)
        data.setdefault("csrf_token", token or self.token)
        return (client or self.client).post(path, data=form_body(data), content_type=FORM)

    def upload(
        self, path: str, fields: Mapping[str, str], content: bytes, name: str
    ) -> TestResponse:
        """A multipart POST with ``content`` as the file ``upload`` (encoded here: the test
        client's own encoder leaves a temporary file open for big bodies)."""
        data: MultiDict[str, Any] = MultiDict(
            {k: _utf8(v) for k, v in fields.items()} | {"csrf_token": self.token}
        )
        data["upload"] = FileStorage(io.BytesIO(content), _utf8(name))
        boundary, body = encode_multipart(data)
        kind = f"multipart/form-data; boundary={boundary}"
        return self.client.post(path, data=body, content_type=kind)

    def get(
        self, path: str, fields: Mapping[str, Value], client: FlaskClient | None = None
    ) -> TestResponse:
        return (client or self.client).get(
            path, environ_overrides={"QUERY_STRING": query_string(fields)}
        )

    def submit(
        self,
        what: str,
        path: str,
        fields: Mapping[str, Value | list[Value]],
        refusals: Iterable[int] = (400, 413, 422),
        **kw: Any,
    ) -> TestResponse:
        return self.probe.check(lambda: self.post(path, fields), what=what, refusals=refusals, **kw)

    def read(
        self,
        what: str,
        path: str,
        fields: Mapping[str, Value],
        refusals: Iterable[int] = (400, 422),
    ) -> TestResponse:
        return self.probe.check(
            lambda: self.get(path, fields), what=what, refusals=refusals, may_write=False
        )

    def shows(self, what: str, *paths: str) -> None:
        self.probe.pages(self.client, paths, what)

    def claim(self, claim_id: int) -> Claim:
        self.session.expire_all()
        found = self.session.get(Claim, claim_id)
        assert found is not None
        return found

    def new_client(self) -> FlaskClient:
        return self.app.test_client()


def seed(session: Session, actor: Actor) -> dict[str, Any]:
    """Sources, claims (one merged) and a second user, committed."""
    meta = SourceMeta(
        language="en", publisher="Daily Example", url="https://daily.example/a", title="Seed"
    )
    source, _ = ingest_text(session, ARTICLE, actor=actor, origin="seed", meta=meta)
    other, _ = ingest_text(
        session, OTHER_ARTICLE, actor=actor, origin="seed", meta=SourceMeta(language="en")
    )
    first = intake_claim(
        session,
        "The parliament ratified the defence treaty with Russia",
        actor=actor,
        language="en",
        source_id=source.id,
        quote=QUOTE,
    ).claim
    plain = create_claim(session, text="The council approved the budget", actor=actor)
    merged = create_claim(session, text="Analysts expect closer cooperation", actor=actor)
    merge_claims(session, merged.id, plain.id, reason="seed merge", actor=actor)
    victim = create_user(session, "victim", role="viewer", password=PASSWORD, actor=actor)
    session.commit()
    assert isinstance(source, Source) and source.publisher_id is not None
    return {
        "source_id": source.id,
        "other_source_id": other.id,
        "claim_ids": [first.id, plain.id, merged.id],
        "publisher_id": source.publisher_id,
        "victim_id": victim.id,
    }


def make_desk(
    suite: str,
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    actor: Actor,
    make_user: Callable[..., Any],
) -> Desk:
    make_user("admin", "root")
    ids = seed(session, actor)
    app = hostile_app(engine, session_factory)
    client = app.test_client()
    token = sign_in(client, "root")
    probe = Probe(session, suite, engine_name(engine))
    return Desk(app=app, client=client, token=token, probe=probe, session=session, **ids)
