"""Claims through the API: create with evidence (then seen in the web app with its audit
trail), edit with version and reason, stale versions, role guards, pages and filters."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import sign_in
from tests.helpers.api import (
    QUOTE,
    Api,
    api_for,
    fields,
    make_source,
    problem,
)
from tracker import config
from tracker.models import AiStatus, AuditEvent, Claim, Source, User
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.sources.flags import set_ai_status


@pytest.fixture
def api_as(client: FlaskClient, session: Session, actor: Actor) -> Callable[..., Api]:
    return partial(api_for, client, session, actor)


@pytest.fixture
def add_source(session: Session, actor: Actor) -> Callable[..., Source]:
    return partial(make_source, session, actor)


def _create(api: Api, source: Source, **extra: Any) -> dict[str, Any]:
    payload = {
        "text": "North Korea's parliament ratified the defence treaty with Russia",
        "language": "en",
        "rationale": "State media report.",
        "evidence": {"source_id": source.id, "quote": QUOTE, "stance": "supports"},
        **extra,
    }
    response = api.post("/claims", payload)
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def test_create_with_evidence_then_visible_in_the_web_app(
    api_as: Callable[..., Api],
    add_source: Callable[..., Source],
    make_user: Callable[..., User],
    client: FlaskClient,
    session: Session,
) -> None:
    make_user("reviewer", "rae")
    api = api_as("reviewer", user="rae")
    source = add_source()
    created = _create(api, source, proposed_verdict="true", proposed_confidence=0.7)
    claim = created["claim"]
    assert created["linked"] is False and isinstance(created["candidates"], list)
    assert claim["version"] == 2 and claim["verdict"] == "unreviewed"  # created, proposed
    assert claim["proposed_verdict"] == "true" and claim["proposed_by"] == "user:rae"
    assert claim["confidence"] is None and claim["proposed_confidence"] == 0.7  # issue 16
    assert claim["provenance"]["class"] == "independent"
    [evidence] = claim["evidence"]
    assert evidence["exact"] == QUOTE and evidence["source_id"] == source.id
    position = next(s for s in evidence["selectors"] if s["type"] == "TextPositionSelector")
    assert source.text[position["start"] : position["end"]] == QUOTE
    assert claim["links"] == {
        "self": f"/api/v1/claims/{claim['id']}",
        "web": f"/claims/{claim['id']}",
    }
    # The audit trail names the token's user and the token.
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.actor == "user:rae").order_by(AuditEvent.id)
    ).all()
    actions = [e.action for e in events]
    assert actions == ["excerpt.create", "claim.create", "claim.propose_verdict", "evidence.link"]
    assert all(e.context["via"].startswith("api token ") for e in events)
    # The web app shows it, with its history.
    make_user("viewer", "vic")
    sign_in(client, "vic")
    page = client.get(f"/claims/{claim['id']}").get_data(as_text=True)
    assert "ratified the defence treaty" in page and "user:rae" in page and "claim.create" in page


def test_reviewer_cannot_set_a_verdict(
    api_as: Callable[..., Api], session: Session, add_source: Callable[..., Source]
) -> None:
    api = api_as("reviewer")
    body = problem(api.post("/claims", {"text": "A claim", "verdict": "false"}), 403)
    assert "editor" in body["detail"]
    assert session.scalars(select(Claim)).all() == []
    denied = session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    assert denied.changes["needed_role"]["after"] == "editor"


def test_patch_needs_version_and_reason(
    api_as: Callable[..., Api], add_source: Callable[..., Source], session: Session
) -> None:
    editor = api_as("editor")
    claim = _create(editor, add_source())["claim"]
    url = f"/claims/{claim['id']}"
    missing = problem(editor.patch(url, {"verdict": "true", "reason": "x"}), 422)
    assert "version" in fields(missing)
    no_reason = problem(editor.patch(url, {"version": 1, "verdict": "true"}), 422)
    assert "reason" in fields(no_reason) and "needs a reason" in no_reason["detail"]
    ok = editor.patch(url, {"version": 1, "verdict": "true", "reason": "Two outlets confirm"})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.get_json()["verdict"] == "true" and ok.get_json()["version"] == 2
    # The verdict is final now: a text edit needs a reason too (issue 16).
    unexplained = problem(editor.patch(url, {"version": 2, "text": "Parliament ratified"}), 422)
    assert "needs a reason" in unexplained["detail"]
    edited = editor.patch(
        url, {"version": 2, "text": "Parliament ratified the treaty", "reason": "wording"}
    )
    assert edited.get_json()["version"] == 3
    cleared = editor.patch(url, {"version": 3, "confidence": None, "reason": "unknown"})
    assert cleared.get_json()["confidence"] is None and cleared.get_json()["version"] == 3
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "claim.update").order_by(AuditEvent.id)
    ).first()
    assert event is not None and event.reason == "Two outlets confirm"
    assert event.changes["verdict"] == {"before": "unreviewed", "after": "true"}


def test_stale_version_is_409_and_nothing_is_overwritten(
    api_as: Callable[..., Api], add_source: Callable[..., Source], session: Session
) -> None:
    editor = api_as("editor")
    claim = _create(editor, add_source())["claim"]
    url = f"/claims/{claim['id']}"
    first = editor.patch(url, {"version": 1, "rationale": "First editor"})
    assert first.status_code == 200
    body = problem(editor.patch(url, {"version": 1, "rationale": "Second editor"}), 409)
    assert body["type"] == "/api/v1/docs#problem-stale-version"
    assert body["current_version"] == 2
    assert editor.get(url).get_json()["rationale"] == "First editor"


def test_reviewer_proposes_and_ai_only_guard(
    api_as: Callable[..., Api],
    add_source: Callable[..., Source],
    session: Session,
    actor: Actor,
) -> None:
    reviewer, editor = api_as("reviewer"), api_as("editor")
    source = add_source()
    claim = _create(reviewer, source)["claim"]
    url = f"/claims/{claim['id']}"
    problem(reviewer.patch(url, {"version": 1, "verdict": "false", "reason": "r"}), 403)
    proposed = reviewer.patch(url, {"version": 1, "proposed_verdict": "false", "reason": "r"})
    assert proposed.status_code == 200 and proposed.get_json()["proposed_verdict"] == "false"
    set_ai_status(session, source.id, AiStatus.AI_REVIEWER, reason="generated", actor=actor)
    session.commit()
    assert editor.get(url).get_json()["provenance"]["class"] == "ai_only"
    body = problem(editor.patch(url, {"version": 2, "verdict": "true", "reason": "ok"}), 422)
    assert "override_reason" in fields(body)
    ok = editor.patch(
        url, {"version": 2, "verdict": "true", "reason": "ok", "override_reason": "Checked"}
    )
    assert ok.status_code == 200 and ok.get_json()["verdict"] == "true"


def test_link_evidence_and_link_to(
    api_as: Callable[..., Api], add_source: Callable[..., Source]
) -> None:
    api = api_as("reviewer")
    source = add_source()
    claim = _create(api, source)["claim"]
    other = api.post(
        f"/claims/{claim['id']}/evidence",
        {"source_id": source.id, "quote": "Officials in Moscow welcomed the decision"},
    )
    assert other.status_code == 201, other.get_data(as_text=True)
    assert len(other.get_json()["evidence"]) == 2
    again = api.post(
        "/claims",
        {
            "text": "Anything",
            "link_to": claim["id"],
            "evidence": {"source_id": source.id, "start": 0, "end": 9, "stance": "mentions"},
        },
    )
    assert again.status_code == 200 and again.get_json()["linked"] is True
    assert len(api.get(f"/claims/{claim['id']}").get_json()["evidence"]) == 3
    missing = problem(api.post(f"/claims/{claim['id']}/evidence", {"source_id": 424242}), 422)
    assert "quote" in missing["detail"] or "offsets" in missing["detail"]
    problem(api.post("/claims/424242/evidence", {"source_id": source.id, "quote": QUOTE}), 404)
    problem(
        api.post(f"/claims/{claim['id']}/evidence", {"source_id": source.id, "quote": "zzz qqq"}),
        422,
    )


def test_list_pages_and_filters(
    api_as: Callable[..., Api], session: Session, actor: Actor, add_source: Callable[..., Source]
) -> None:
    for number in range(5):
        create_claim(
            session,
            text=f"Claim number {number} about the treaty",
            language="de" if number == 4 else "en-GB",
            verdict="false" if number % 2 else "unreviewed",
            actor=actor,
        )
    session.commit()
    api = api_as("viewer")
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = "/claims?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(query).get_json()
        seen += [c["id"] for c in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 5 and seen == sorted(seen)
    falses = api.get("/claims?verdict=false").get_json()["items"]
    assert [c["verdict"] for c in falses] == ["false", "false"]
    english = api.get("/claims?language=en").get_json()["items"]
    assert len(english) == 4
    source = add_source()
    with_source = _create(api_as("reviewer"), source)["claim"]
    only = api.get(f"/claims?source_id={source.id}").get_json()["items"]
    assert [c["id"] for c in only] == [with_source["id"]]
    other_list = api.get("/sources").get_json()
    problem(api.get(f"/claims?cursor={other_list['next_cursor'] or 'eyJrIjoic291cmNlcyJ9'}"), 422)


def test_claimreview_route(api_as: Callable[..., Api], add_source: Callable[..., Source]) -> None:
    api = api_as("viewer")
    claim = _create(api_as("reviewer"), add_source())["claim"]
    response = api.get(f"/claims/{claim['id']}/claimreview")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/ld+json"
    data = response.get_json(force=True)
    assert data["@type"] == "ClaimReview"
    assert data["url"] == f"{config.review_settings().public_url}/claims/{claim['id']}"
    assert data["claimReviewed"] == claim["text"]
    problem(api.get("/claims/424242/claimreview"), 404)
