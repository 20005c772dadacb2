"""Hostile input against every endpoint of the JSON API (issue 8, scenario 5).

Bodies are drawn from the corpus and sent as JSON (lone surrogates as \\u escapes), sometimes
as bytes that are not UTF-8 or not JSON at all; query and path parameters carry the same
payloads. Every request goes through ``Probe.check`` with ``problem=True``: no 5xx, a refusal
is an RFC 9457 problem (400, 413, 415 or 422, or the status named) with a detail and no
database change; what is accepted is then looked at on its web page, which must be inert."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from tests.helpers.api import QUOTE, bearer, make_token
from tests.hostile import corpus
from tests.hostile.strategies import (
    ANY_TEXT,
    full_run,
    hostile_settings,
    query_string,
    texts,
    urls,
    weighted,
    wire,
)
from tests.hostile.web import Desk, make_desk
from tracker.models import AiStatus, Stance, User, Verdict
from tracker.services.audit.log import Actor
from tracker.services.audit.reports import REPORTS

REFUSED = (400, 413, 415, 422)
VERDICTS = [v.value for v in Verdict]
JSON = "application/json"


@pytest.fixture
def desk(
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    actor: Actor,
    make_user: Callable[..., User],
) -> Iterator[Desk]:
    found = make_desk("api", engine, session_factory, session, actor, make_user)
    found.extra["token"] = make_token(session, actor, "admin")
    yield found


# --- strategies ---------------------------------------------------------------------------------

SCALARS: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(corpus.JSON_NUMBERS),
    texts(),
)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=6,
)


def value(*plain: Any, big: bool = False) -> st.SearchStrategy[Any]:
    """A field's value: ``plain`` ones that pass, hostile text, or any other JSON."""
    options: list[tuple[int, st.SearchStrategy[Any]]] = (
        [(4, st.sampled_from(plain))] if plain else []
    )
    return weighted(*options, (4, texts(big=big)), (1, JSON_VALUES))


@st.composite
def body(
    draw: st.DrawFn, /, required: dict[str, st.SearchStrategy[Any]], **optional: Any
) -> dict[str, Any]:
    """A JSON object: the ``required`` fields and any subset of the ``optional`` ones; one
    time in eight a required field is left out, and one in eight an unknown field is added
    (on the largest draw: hypothesis draws small numbers first)."""
    data: dict[str, Any] = draw(st.fixed_dictionaries(required, optional=optional))
    if required and draw(st.integers(0, 7)) == 7:
        del data[draw(st.sampled_from(sorted(required)))]
    if draw(st.integers(0, 7)) == 7:
        data[draw(ANY_TEXT)] = draw(JSON_VALUES)
    return data


def encodings() -> st.SearchStrategy[str]:
    return weighted((8, st.just("json")), (1, st.just("raw-utf8")), (1, st.just("nan")))


def encode(data: Any, how: str) -> bytes:
    """JSON as sent: escaped (the usual), raw (lone surrogates as invalid UTF-8), or with
    NaN and Infinity written as Python writes them (not JSON)."""
    if how == "raw-utf8":
        return wire(json.dumps(data, ensure_ascii=False))
    if how == "nan":
        return json.dumps(_with_nan(data)).encode()
    return json.dumps(data).encode()


def _with_nan(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _with_nan(v) for k, v in data.items()} | {"confidence": float("nan")}
    return data


def _send(desk: Desk, method: str, path: str, data: bytes, kind: str = JSON) -> TestResponse:
    headers = bearer(desk.extra["token"])
    return desk.client.open(
        f"/api/v1{path}", method=method, data=data, content_type=kind, headers=headers
    )


def call(
    desk: Desk,
    method: str,
    path: str,
    data: Any = None,
    *,
    how: str = "json",
    refusals: tuple[int, ...] = REFUSED,
    query: dict[str, Any] | None = None,
) -> TestResponse:
    raw = b"" if data is None else encode(data, how)
    qs = query_string(query) if query else ""

    def send() -> TestResponse:
        return desk.client.open(
            f"/api/v1{path}",
            method=method,
            data=raw,
            content_type=JSON if data is not None else None,
            headers=bearer(desk.extra["token"]),
            environ_overrides={"QUERY_STRING": qs},
        )

    what = f"{method} {path}?{qs[:200]} {raw[:300]!r}"
    return desk.probe.check(
        send, what=what, refusals=refusals, problem=True, may_write=method != "GET"
    )


def shown(desk: Desk, response: TestResponse, what: str) -> None:
    """An accepted write: its web page (and the lists showing it) are inert."""
    if response.status_code >= 300 or not response.is_json:
        return
    data = response.get_json()
    links = (data.get("claim") or data).get("links") if isinstance(data, dict) else None
    pages = [links["web"]] if isinstance(links, dict) and "web" in links else []
    desk.shows(what, *pages, "/", "/claims", "/sources", "/audit")


# --- sources and excerpts -----------------------------------------------------------------------

SOURCE = {
    "title": value("A title"),
    "publisher": value("Daily Example", "Other Desk"),
    "url": weighted((3, urls()), (1, JSON_VALUES)),
    "author": value("A. Writer"),
    "language": value("en", "de", "en-GB"),
    "published": value("2024-05-28", "yesterday"),
}


@hostile_settings(0.04)
@given(
    data=body(
        {"text": value("The mayor said the bridge reopens in May.", big=full_run())}, **SOURCE
    ),
    how=encodings(),
)
@example(data={"text": corpus.big_text(), "title": corpus.SCRIPTS[1]}, how="json")
def test_create_source(desk: Desk, data: dict[str, Any], how: str) -> None:
    response = call(desk, "POST", "/sources", data, how=how)
    shown(desk, response, f"source {data!r:.200}")


@hostile_settings(0.02)
@given(
    data=body(
        {
            "ai_status": value(*(s.value for s in AiStatus)),
            "reason": value("checked with the author", big=True),
        }
    ),
    source=st.sampled_from(["1", "2", "999999", "abc", "-1", "\u00b2", "1%00"]),
)
def test_patch_source(desk: Desk, data: dict[str, Any], source: str) -> None:
    response = call(desk, "PATCH", f"/sources/{source}", data, refusals=(*REFUSED, 404))
    shown(desk, response, f"source flag {data!r:.200}")


SPAN = {
    "source_id": value(1, 2, 3, 0, -1, 2**31, 10**20),
    "quote": value(QUOTE, QUOTE[:15], "ratifed the defense treaty", big=True),
    "occurrence": value(1, 2, 0, 10**6),
    "start": value(0, 4, 20, -1),
    "end": value(10, 40, 10**9),
}


STANCE = value(*(s.value for s in Stance))


def _without(fields: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: strategy for key, strategy in fields.items() if key != name}


@hostile_settings(0.03)
@given(data=body({"source_id": value(1, 2)}, **_without(SPAN, "source_id")), how=encodings())
def test_create_excerpt(desk: Desk, data: dict[str, Any], how: str) -> None:
    call(desk, "POST", "/excerpts", data, how=how, refusals=(*REFUSED, 404))


# --- claims -------------------------------------------------------------------------------------

CLAIM = {
    "language": value("en", "de", "nb"),
    "verdict": value(*VERDICTS),
    "proposed_verdict": value(*VERDICTS),
    "confidence": value(0.5, 0, 1, 0.999),
    "rationale": value("Checked against the record.", big=True),
    "evidence": weighted(
        (3, body({"source_id": value(1, 2)}, stance=STANCE, **_without(SPAN, "source_id"))),
        (1, JSON_VALUES),
    ),
    "link_to": value(1, 2, 3, 10**20),
}


@hostile_settings(0.05)
@given(
    data=body({"text": value("The parliament ratified the treaty", big=True)}, **CLAIM),
    how=encodings(),
)
def test_create_claim(desk: Desk, data: dict[str, Any], how: str) -> None:
    response = call(desk, "POST", "/claims", data, how=how, refusals=(*REFUSED, 404))
    shown(desk, response, f"claim {data!r:.200}")


@hostile_settings(0.05)
@given(
    data=body(
        {"version": value(1, 2, 0, -1, 10**20)},
        text=value("A reworded claim text", big=True),
        reason=value("new evidence"),
        override_reason=value("reviewed by hand"),
        **{k: CLAIM[k] for k in ("language", "verdict", "proposed_verdict", "confidence")},
        rationale=CLAIM["rationale"],
    ),
    which=st.integers(0, 2),
    current=st.booleans(),
    how=encodings(),
)
def test_patch_claim(desk: Desk, data: dict[str, Any], which: int, current: bool, how: str) -> None:
    claim_id = desk.claim_ids[which]
    if current:
        data = {**data, "version": desk.claim(claim_id).version}
    response = call(desk, "PATCH", f"/claims/{claim_id}", data, how=how, refusals=(*REFUSED, 409))
    shown(desk, response, f"claim edit {data!r:.200}")


@hostile_settings(0.02)
@given(
    data=body({"source_id": value(1, 2)}, stance=STANCE, **_without(SPAN, "source_id")),
    claim=st.sampled_from(["1", "2", "3", "0", "99999", "x", "1.0"]),
)
def test_add_evidence(desk: Desk, data: dict[str, Any], claim: str) -> None:
    response = call(desk, "POST", f"/claims/{claim}/evidence", data, refusals=(*REFUSED, 404))
    shown(desk, response, f"evidence {data!r:.200}")


@hostile_settings(0.02)
@given(
    add=st.booleans(),
    data=body({"surface": value("DPRK", "Pjöngjang"), "canonical": value("north_korea", "x")}),
    query=st.fixed_dictionaries(
        {},
        optional={
            "surface": texts(plain=["dprk", "pjöngjang"]),
            "reason": texts(plain=["wrong entity"]),
        },
    ),
)
def test_aliases(desk: Desk, add: bool, data: dict[str, Any], query: dict[str, Any]) -> None:
    if add:
        response = call(desk, "POST", "/aliases", data, refusals=(*REFUSED, 409))
        if response.status_code == 201:
            desk.shows("alias", "/aliases")
    else:
        call(desk, "DELETE", "/aliases", query=query, refusals=(*REFUSED, 404))


# --- reading: query and path parameters -------------------------------------------------------

TEXTS = texts(plain=["en", "root", "claim.", "parliament"])
NUMBERS = weighted((3, st.sampled_from(corpus.NUMBER_TEXTS)), (2, st.sampled_from(["1", "5"])))
PAGE = {
    "cursor": weighted((2, TEXTS), (1, st.sampled_from(["eyJrIjoiY2xhaW1zIiwidiI6WzFdfQ"]))),
    "limit": NUMBERS,
}
READS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "/sources": PAGE
    | {"language": TEXTS, "publisher": TEXTS, "ai": TEXTS}
    | {"published_from": TEXTS, "published_to": TEXTS},
    "/excerpts": PAGE | {"source_id": NUMBERS},
    "/claims": PAGE
    | {"verdict": TEXTS, "language": TEXTS, "include_merged": TEXTS}
    | {"source_id": NUMBERS},
    "/dedup/match": {"text": TEXTS, "language": TEXTS, "limit": NUMBERS}
    | {"exclude_claim_id": NUMBERS},
    "/aliases": PAGE | {"canonical": TEXTS, "q": TEXTS},
    "/audit/events": PAGE
    | {"actor": TEXTS, "action": TEXTS, "entity": TEXTS, "since": TEXTS}
    | {"until": TEXTS, "text": TEXTS},
    "/audit/reports": {},
    **{
        f"/audit/reports/{name}": PAGE
        | {"since": TEXTS, "until": TEXTS, "actor": TEXTS}
        | {"points": NUMBERS, "after_link_only": TEXTS}
        for name in REPORTS
    },
    "/me": {},
}
PATHS = ["/sources/{}", "/excerpts/{}", "/claims/{}", "/claims/{}/claimreview", "/audit/reports/{}"]


@hostile_settings(0.08)
@given(path=st.sampled_from(sorted(READS)), data=st.data())
def test_list_parameters(desk: Desk, path: str, data: st.DataObject) -> None:
    query = data.draw(st.fixed_dictionaries({}, optional={**READS[path], "junk": TEXTS}))
    call(desk, "GET", path, query=query, refusals=(*REFUSED, 404))


@hostile_settings(0.02)
@given(template=st.sampled_from(PATHS), part=weighted((3, TEXTS), (2, NUMBERS)))
def test_path_parameters(desk: Desk, template: str, part: str) -> None:
    path = template.format(quote_from_bytes(wire(part), safe="") or "%20")
    call(desk, "GET", path, refusals=(*REFUSED, 404, 405))


# --- raw requests -----------------------------------------------------------------------------

RAW_BODIES = [
    b"",
    b"{",
    b"null",
    b"[]",
    b'"text"',
    b"\xff\xfe{}",
    b'{"text": "a", "text": "b"}',
    b'{"text": "\\ud800"}',
    b'{"text": "\\u0000"}',
    *(b'{"text": "a", "confidence": ' + n.encode() + b"}" for n in corpus.RAW_JSON_NUMBERS),
    corpus.deep_json(50).encode(),
    corpus.deep_json(100_000).encode(),
    corpus.deep_json(100_000, "{").encode(),
    corpus.huge_json(20_000).encode(),
]
WRITES = [
    ("POST", "/sources"),
    ("PATCH", "/sources/1"),
    ("POST", "/excerpts"),
    ("POST", "/claims"),
    ("PATCH", "/claims/1"),
    ("POST", "/claims/1/evidence"),
    ("POST", "/aliases"),
]


@hostile_settings(0.04)
@given(
    target=st.sampled_from(WRITES),
    raw=weighted((3, st.sampled_from(range(len(RAW_BODIES))).map(str)), (1, st.just("bin"))),
    blob=st.binary(max_size=100),
    kind=st.sampled_from([JSON, "application/merge-patch+json", "text/plain", "", "multipart/x"]),
)
def test_raw_bodies(desk: Desk, target: tuple[str, str], raw: str, blob: bytes, kind: str) -> None:
    method, path = target
    data = blob if raw == "bin" else RAW_BODIES[int(raw)]
    desk.probe.check(
        lambda: _send(desk, method, path, data, kind),
        what=f"{method} {path} {kind} {data[:100]!r} ({len(data)} bytes)",
        refusals=(*REFUSED, 404, 409),
        problem=True,
    )


def test_a_body_over_the_limit_is_413(desk: Desk) -> None:
    size = 2 * desk.app.config["MAX_SOURCE_BYTES"] + 200_000
    data = b'{"text": "' + b"a" * size + b'"}'
    response = desk.probe.check(
        lambda: _send(desk, "POST", "/sources", data),
        what="a body over the limit",
        refusals=(413,),
        problem=True,
    )
    assert response.status_code == 413


@hostile_settings(0.01)
@given(
    header=weighted(
        (3, st.sampled_from(["Bearer", "Bearer ", "Basic x", "bearer trk_x"])),
        (2, texts().map(lambda t: "Bearer " + t.encode("utf-8", "replace").decode("latin-1"))),
    )
)
def test_authorization_headers(desk: Desk, header: str) -> None:
    header = "".join(ch for ch in header if ch not in "\r\n")
    desk.probe.check(
        lambda: desk.client.get("/api/v1/claims", headers={"Authorization": header}),
        what=f"Authorization: {header!r:.100}",
        refusals=(400, 401),
        problem=True,
        may_write=False,
    )


def test_query_bytes_that_are_not_utf8(desk: Desk) -> None:
    for raw in corpus.INVALID_UTF8:
        qs = "text=" + raw.decode("latin-1")
        desk.probe.check(
            lambda qs=qs: desk.client.get(  # type: ignore[misc]
                "/api/v1/dedup/match",
                headers=bearer(desk.extra["token"]),
                environ_overrides={"QUERY_STRING": qs},
            ),
            what=f"GET /dedup/match?{qs!r}",
            refusals=(400, 422),
            problem=True,
            may_write=False,
        )
