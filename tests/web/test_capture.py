"""Sources by URL in the web app and the API: the "Add by URL" form, the recapture button,
versions and diff on the source page, excerpt statuses on the claim page, POST
/api/v1/sources with a url, the recapture call, and the "sources changed after verdict"
report. Pages come from the loopback server of tests/helpers/local_web.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers.api import Api, api_for, problem
from tests.helpers.local_web import LocalWeb
from tracker.config import FetchSettings
from tracker.models import Source, SourceCapture
from tracker.services.audit.log import Actor
from tracker.services.audit.reports import ReportFilter, get_report
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.claims.rereview import reasons_by_claim
from tracker.services.sources.capture import REREVIEW_REASON, capture_url, recapture
from tracker.services.sources.excerpts import excerpt_from_quote
from tracker.services.text.diff import diff_texts

EDITED = "The bridge will cost 12 million pounds and is expected to open in the spring"
MOVED = "The city council voted on Tuesday to approve a new pedestrian bridge"


@pytest.fixture
def api_as(client: FlaskClient, session: Session, actor: Actor) -> Callable[..., Api]:
    return partial(api_for, client, session, actor)


def _sources(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Source)) or 0)


def _edited_story(
    session: Session, actor: Actor, web: LocalWeb, settings: FetchSettings
) -> tuple[int, int, list[int]]:
    """A fetched article with a claim resting on two excerpts, then edited and recaptured:
    (first source id, new version's id, [claim with final verdict, claim in review])."""
    first = capture_url(session, web.page("/story", "en.html"), actor=actor, settings=settings)
    source = session.get(Source, first.source_id)
    assert source is not None
    edited, _ = excerpt_from_quote(session, source, EDITED, actor=actor)
    moved, _ = excerpt_from_quote(session, source, MOVED, actor=actor)
    final = create_claim(
        session, text="The new bridge costs 12 million pounds.", verdict="true", actor=actor
    )
    link_evidence(session, final, edited, "supports", actor=actor)
    moved_only = create_claim(
        session, text="The council approved a pedestrian bridge.", verdict="true", actor=actor
    )
    link_evidence(session, moved_only, moved, "supports", actor=actor)
    session.commit()
    web.page("/story", "en_edited.html")
    result = recapture(session, source.id, actor=actor, settings=settings)
    session.commit()
    assert result.outcome == "changed" and result.source_id is not None
    return source.id, result.source_id, [final.id, moved_only.id]


def test_diff_marks_changed_paragraphs() -> None:
    kept = "\nKept A.\nKept B.\nKept C.\nKept D.\nKept E.\nKept F.\n"
    old = "Title\nOne two three." + kept + "Gone away, all of it."
    new = "Title\nOne two four." + kept + "1234 xyz"
    rows = diff_texts(old, new).rows
    kinds = [row.kind for row in rows]
    assert kinds == [
        "same",
        "changed",
        "same",
        "same",
        "folded",
        "same",
        "same",
        "removed",
        "added",
    ]
    changed = rows[1]
    assert [(s.kind, s.text) for s in changed.segments if s.kind != "same"] == [
        ("removed", "three."),
        ("added", "four."),
    ]
    assert rows[4].folded == 2
    assert diff_texts("Same\ntext", "Same\ntext").changed == 0


def test_add_by_url_form(
    signed_in: Callable[[str], FlaskClient], session: Session, local_web: LocalWeb
) -> None:
    client = signed_in("reviewer")
    page = client.get("/sources/new").get_data(as_text=True)
    assert "Add by URL" in page and 'name="page_url"' in page
    url = local_web.page("/de", "de.html")
    response = client.post("/sources/new/url", data={"page_url": url, "url_publisher": ""})
    assert response.status_code == 302
    source_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Stadtrat beschließt neue Brücke" in source_page and "Versions of the page" in source_page
    )
    assert "Der Stadtkurier" in source_page and "Recapture now" in source_page
    before = _sources(session)
    local_web.redirect("/evil", "http://169.254.169.254/latest/")
    refused = client.post("/sources/new/url", data={"page_url": local_web.url("/evil")})
    assert refused.status_code == 422
    assert "link-local" in refused.get_data(as_text=True)
    empty = client.post("/sources/new/url", data={"page_url": "  "})
    assert empty.status_code == 422 and "Give the address" in empty.get_data(as_text=True)
    assert _sources(session) == before


def test_viewers_cannot_fetch(signed_in: Callable[[str], FlaskClient], local_web: LocalWeb) -> None:
    client = signed_in("viewer")
    response = client.post("/sources/new/url", data={"page_url": local_web.page("/x", "en.html")})
    assert response.status_code == 403
    assert local_web.requests == []


def test_source_and_claim_pages_show_versions_diff_and_statuses(
    signed_in: Callable[[str], FlaskClient],
    session: Session,
    actor: Actor,
    local_web: LocalWeb,
    settings: FetchSettings,
) -> None:
    first_id, new_id, (final_id, _) = _edited_story(session, actor, local_web, settings)
    client = signed_in("reviewer")
    page = client.get(f"/sources/{new_id}").get_data(as_text=True)
    assert "v1" in page and "v2" in page and "latest" in page
    assert 'class="diff-changed"' in page and "<del>12</del>" in page and "<ins>18</ins>" in page
    assert 'class="diff-removed"' in page and "Opponents argued" in page
    assert 'class="diff-added"' in page and "A spokesperson for the council" in page
    assert "anchor-edited" in page and "anchor-moved" in page
    old_page = client.get(f"/sources/{first_id}").get_data(as_text=True)
    assert "edited in the latest version" in old_page and "moved in the latest version" in old_page
    # Any two versions: v2 -> v1 shows the change the other way.
    back = client.get(f"/sources/{new_id}?a={new_id}&b={first_id}").get_data(as_text=True)
    assert "<del>18</del>" in back and "<ins>12</ins>" in back
    claim = client.get(f"/claims/{final_id}").get_data(as_text=True)
    assert "edited in the latest version of the page" in claim
    # The button: unchanged now, only the check is recorded.
    checks = session.scalar(select(func.count()).select_from(SourceCapture))
    response = client.post(f"/sources/{new_id}/recapture")
    assert response.status_code == 302 and response.headers["Location"].endswith("#versions")
    assert session.scalar(select(func.count()).select_from(SourceCapture)) == (checks or 0) + 1
    assert "the page is unchanged" in client.get(f"/sources/{new_id}").get_data(as_text=True)


def test_report_sources_changed_after_verdict(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    first_id, new_id, (final_id, moved_id) = _edited_story(session, actor, local_web, settings)
    rows = list(get_report("sources-changed-after-verdict").run(session, ReportFilter()))
    assert [(r["claim_id"], r["status"], r["source_id"]) for r in rows] == [
        (final_id, "edited", first_id)
    ]
    assert rows[0]["version_source_id"] == new_id and rows[0]["verdict"] == "true"
    assert moved_id not in {r["claim_id"] for r in rows}  # only moved: not listed


def test_api_fetch_and_recapture(
    api_as: Callable[..., Api], session: Session, local_web: LocalWeb
) -> None:
    api = api_as("reviewer")
    url = local_web.page("/nl", "nl.html")
    created = api.post("/sources", {"url": url})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body["publisher"] == "De Stadskrant" and body["language"] == "nl"
    assert body["url"] == url and "Gemeenteraad" in body["text"]
    assert api.post("/sources", {"url": url}).status_code == 200  # the same text again
    again = api.post(f"/sources/{body['id']}/recapture")
    assert again.status_code == 200 and again.get_json()["outcome"] == "unchanged"
    before = _sources(session)
    local_web.redirect("/private", "http://192.168.1.1/")
    refused = problem(api.post("/sources", {"url": local_web.url("/private")}), 422)
    assert "private" in refused["detail"]
    problem(api.post("/sources", {"title": "Only a title"}), 422)
    problem(api.post("/sources", {"url": "ftp://example.org/x"}), 422)
    pasted = api.post(
        "/sources", {"text": "A pasted note about the bridge vote.", "language": "en"}
    )
    problem(api.post(f"/sources/{pasted.get_json()['id']}/recapture"), 422)
    problem(api.post("/sources/999999/recapture"), 404)
    assert _sources(session) == before + 1
    viewer = api_as("viewer", user=None)
    problem(viewer.post("/sources", {"url": url}), 403)


def test_fetching_can_be_turned_off(
    app: Flask, api_as: Callable[..., Api], local_web: LocalWeb
) -> None:
    app.config["FETCH_ENABLED"] = False
    api = api_as("reviewer")
    body = problem(api.post("/sources", {"url": local_web.page("/en", "en.html")}), 422)
    assert "turned off" in body["detail"] and local_web.requests == []


def test_openapi_documents_url_or_text(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["components"]["schemas"]["SourceCreate"]
    assert schema["anyOf"] == [{"required": ["text"]}, {"required": ["url"]}]
    assert "/sources/{source_id}/recapture" in document["paths"]


def test_claims_resting_on_edited_excerpts_need_re_review(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    """The final verdict supported by the edited excerpt is marked with the reason; the one
    whose excerpt only moved is not; a claim still in review is never marked."""
    first = capture_url(session, local_web.page("/s", "en.html"), actor=actor, settings=settings)
    source = session.get(Source, first.source_id)
    assert source is not None
    edited, _ = excerpt_from_quote(session, source, EDITED, actor=actor)
    moved, _ = excerpt_from_quote(session, source, MOVED, actor=actor)
    claims = {}
    for name, verdict, excerpt, stance in (
        ("final", "false", edited, "refutes"),
        ("moved", "true", moved, "supports"),
        ("in_review", "in_review", edited, "supports"),
        ("mentions", "true", edited, "mentions"),
    ):
        claim = create_claim(session, text=f"Claim {name} about the bridge.", verdict=verdict,
                             actor=actor)  # fmt: skip
        link_evidence(session, claim, excerpt, stance, actor=actor)
        claims[name] = claim.id
    local_web.page("/s", "en_edited.html")
    result = recapture(session, source.id, actor=actor, settings=settings)
    assert result.marked_claims == [claims["final"]]
    reasons = reasons_by_claim(session, claims.values())
    assert reasons.get(claims["final"]) == [REREVIEW_REASON]
    assert all(not reasons.get(claims[name]) for name in ("moved", "in_review", "mentions"))
    assert REREVIEW_REASON == "source changed after the verdict"
    # Recapturing the same edited page again marks nothing new.
    assert recapture(session, source.id, actor=actor, settings=settings).marked_claims == []
