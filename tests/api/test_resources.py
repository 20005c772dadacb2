"""Sources, excerpts, dedup match, aliases and the audit log through the API."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers.api import (
    ARTICLE,
    QUOTE,
    Api,
    api_for,
    fields,
    make_source,
    problem,
)
from tracker.models import AuditEvent, EntityAlias, Source
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim


@pytest.fixture
def api_as(client: FlaskClient, session: Session, actor: Actor) -> Callable[..., Api]:
    return partial(api_for, client, session, actor)


@pytest.fixture
def add_source(session: Session, actor: Actor) -> Callable[..., Source]:
    return partial(make_source, session, actor)


def _all(api: Api, path: str) -> list[dict[str, Any]]:
    """Every item of a list, page by page (two a page)."""
    items: list[dict[str, Any]] = []
    cursor = None
    sep = "&" if "?" in path else "?"
    while True:
        body = api.get(f"{path}{sep}limit=2" + (f"&cursor={cursor}" if cursor else "")).get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_add_a_source_then_read_flag_and_filter(
    api_as: Callable[..., Api], session: Session
) -> None:
    reviewer, editor = api_as("reviewer"), api_as("editor")
    payload = {
        "text": ARTICLE.replace("\n", "\r\n"),
        "title": "Treaty ratified",
        "publisher": "Daily Planet",
        "url": "https://dailyplanet.example/treaty",
        "language": "en",
        "published": "2024-06-19",
    }
    created = reviewer.post("/sources", payload)
    assert created.status_code == 201, created.get_data(as_text=True)
    source = created.get_json()
    assert source["text"] == ARTICLE and source["published_at"] == "2024-06-19"
    assert source["publisher"] == "Daily Planet" and source["ai_status"] == "unknown"
    assert created.headers["Location"] == f"/api/v1/sources/{source['id']}"
    same = reviewer.post("/sources", payload)
    assert same.status_code == 200 and same.get_json()["id"] == source["id"]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "source")
    ).all()
    assert actions == ["source.create", "source.published"]
    # Editors flag; reviewers may not.
    url = f"/sources/{source['id']}"
    problem(reviewer.patch(url, {"ai_status": "ai_reviewer", "reason": "generated"}), 403)
    no_reason = problem(editor.patch(url, {"ai_status": "ai_reviewer"}), 422)
    assert "reason" in fields(no_reason)
    flagged = editor.patch(url, {"ai_status": "ai_reviewer", "reason": "chatbot leftovers"})
    assert flagged.status_code == 200 and flagged.get_json()["ai_generated"] == "yes"
    reviewer.post("/sources", {"text": "Ein anderer Text über den Vertrag.", "language": "de"})
    listed = _all(reviewer, "/sources")
    assert len(listed) == 2 and "text" not in listed[0]
    assert [s["id"] for s in _all(reviewer, "/sources?ai=yes")] == [source["id"]]
    assert [s["language"] for s in _all(reviewer, "/sources?language=de")] == ["de"]
    dated = _all(reviewer, "/sources?published_from=2024-06-01&published_to=2024-06-30")
    assert [s["id"] for s in dated] == [source["id"]]
    problem(reviewer.get("/sources?published_from=2024-07-01&published_to=2024-06-01"), 422)
    problem(reviewer.get("/sources?published_from=0"), 422)
    detail = reviewer.get(url).get_json()
    assert detail["length"] == len(ARTICLE) and detail["ai_flag_reason"] == "chatbot leftovers"


def test_bad_source_input(api_as: Callable[..., Api]) -> None:
    api = api_as("reviewer")
    assert "url" in fields(problem(api.post("/sources", {"text": "x", "url": "ftp://x"}), 422))
    problem(api.post("/sources", {"text": "bin\u0001\u0002\u0003" * 50}), 422)
    problem(api.post("/sources", {"text": "A text", "language": "not a tag!"}), 422)


def test_excerpts(api_as: Callable[..., Api], add_source: Callable[..., Source]) -> None:
    api = api_as("reviewer")
    source = add_source()
    made = api.post("/excerpts", {"source_id": source.id, "quote": QUOTE})
    assert made.status_code == 201, made.get_data(as_text=True)
    excerpt = made.get_json()
    assert excerpt["exact"] == QUOTE and excerpt["claim_ids"] == []
    quote, position = excerpt["selectors"]
    assert quote["type"] == "TextQuoteSelector" and position["start"] == excerpt["start"]
    again = api.post(
        "/excerpts", {"source_id": source.id, "start": excerpt["start"], "end": excerpt["end"]}
    )
    assert again.status_code == 200 and again.get_json()["id"] == excerpt["id"]
    fuzzy = api.post("/excerpts", {"source_id": source.id, "quote": "Officials in Moscow welcomd"})
    assert fuzzy.status_code == 201
    both = api.post("/excerpts", {"source_id": source.id, "quote": "x", "start": 0, "end": 3})
    assert "not both" in problem(both, 422)["detail"]
    problem(api.post("/excerpts", {"source_id": source.id, "start": 5, "end": 5}), 422)
    problem(api.post("/excerpts", {"source_id": 424242, "quote": QUOTE}), 404)
    assert len(_all(api, f"/excerpts?source_id={source.id}")) == 2
    assert api.get(f"/excerpts/{excerpt['id']}").get_json()["exact"] == QUOTE


def test_dedup_match(api_as: Callable[..., Api], session: Session, actor: Actor) -> None:
    claim = create_claim(
        session, text="North Korea ratified the defence treaty with Russia", actor=actor
    )
    create_claim(session, text="South Korea ratified the defence treaty", actor=actor)
    session.commit()
    api = api_as("viewer")
    found = api.get("/dedup/match?text=DPRK ratifies the defence treaty with Russia").get_json()
    assert found["items"][0]["claim_id"] == claim.id
    assert found["items"][0]["level"] in ("auto", "suggest")
    best = found["items"][0]  # what each tier gave
    assert 0 < best["semantic"] <= 1 and best["lexical"] <= best["score"]
    assert best["tiers"] == f"semantic {best['semantic']:.2f} · lexical {best['lexical']:g}"
    german = api.get("/dedup/match?text=Nordkorea ratifiziert Verteidigungsabkommen mit Russland")
    assert german.get_json()["items"][0]["claim_id"] == claim.id
    skip = api.get(f"/dedup/match?text=North Korea treaty&exclude_claim_id={claim.id}")
    assert claim.id not in [m["claim_id"] for m in skip.get_json()["items"]]
    problem(api.get("/dedup/match?text=%20%20"), 422)
    problem(api.get("/dedup/match"), 422)
    bad_language = problem(api.get("/dedup/match?text=x&language=!!"), 422)
    assert [(e["location"], e["field"]) for e in bad_language["errors"]] == [("query", "language")]


def test_aliases(api_as: Callable[..., Api], session: Session) -> None:
    admin, viewer = api_as("admin"), api_as("viewer")
    seeded = viewer.get("/aliases?limit=200").get_json()
    assert seeded["items"] and seeded["items"] == sorted(
        seeded["items"], key=lambda a: a["surface"]
    )
    made = admin.post("/aliases", {"surface": "Rossiya", "canonical": "russia"})
    assert made.status_code == 201 and made.get_json() == {
        "surface": "rossiya",
        "canonical": "russia",
    }
    problem(admin.post("/aliases", {"surface": "rossiya", "canonical": "russia"}), 409)
    problem(admin.post("/aliases", {"surface": "x", "canonical": "Not Valid"}), 422)
    mine = viewer.get("/aliases?q=rossi").get_json()["items"]
    assert {"surface": "rossiya", "canonical": "russia"} in mine
    problem(viewer.delete("/aliases?surface=rossiya&reason=typo"), 403)
    problem(admin.delete("/aliases?surface=rossiya"), 422)  # the reason is required
    gone = admin.delete("/aliases?surface=rossiya&reason=a typo")
    assert gone.status_code == 204 and gone.data == b""
    assert session.scalars(select(EntityAlias).where(EntityAlias.surface == "rossiya")).all() == []
    problem(admin.delete("/aliases?surface=rossiya&reason=again"), 404)
    removal = session.scalars(select(AuditEvent).where(AuditEvent.action == "alias.remove")).one()
    assert removal.reason == "a typo" and removal.actor.startswith("system:api-token-")
    everything = _all(viewer, "/aliases?canonical=north_korea")
    assert everything and {a["canonical"] for a in everything} == {"north_korea"}


def test_audit_events_and_reports(
    api_as: Callable[..., Api], session: Session, actor: Actor
) -> None:
    for number in range(3):
        create_claim(session, text=f"Audited claim {number}", actor=actor)
    create_claim(session, text="Another desk's claim", actor=Actor(name="cli:other"))
    session.commit()
    api = api_as("viewer")
    events = _all(api, "/audit/events?action=claim.")
    assert [e["action"] for e in events] == ["claim.create"] * 4
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    one = api.get(f"/audit/events?entity=claim:{events[-1]['entity_id']}").get_json()["items"]
    assert [e["id"] for e in one] == [events[-1]["id"]]
    assert api.get("/audit/events?since=7d&actor=cli:tester").get_json()["items"]
    assert api.get("/audit/events?until=2000-01-01").get_json()["items"] == []
    for bad in ("since=whenever", "since=9999y", "until=9999-12-31"):
        body = problem(api.get(f"/audit/events?{bad}"), 422)
        assert bad.split("=")[0] in fields(body)
    reports = api.get("/audit/reports").get_json()["items"]
    assert "activity" in [r["name"] for r in reports]
    rows = _all(api, "/audit/reports/activity")  # one row per actor and day
    assert sorted(row["actor"] for row in rows) == ["cli:other", "cli:tester"]
    first = api.get("/audit/reports/activity?limit=1").get_json()
    assert first["report"] == "activity" and set(first["items"][0]) <= set(first["columns"])
    assert first["items"] == rows[:1] and first["next_cursor"] is not None
    mine = api.get("/audit/reports/activity?actor=cli:other").get_json()["items"]
    assert [row["actor"] for row in mine] == ["cli:other"]
    problem(api.get("/audit/reports/activity?points=500"), 422)
