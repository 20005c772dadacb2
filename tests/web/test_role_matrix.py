"""Role rules (issue 16, finding 2): one matrix of every write route of the web app and the
API against the four roles (and tokens), and the field rules inside the claim edit: verdict
and confidence are an editor's fields (a reviewer proposes), and the text of a claim with a
final verdict changes only by an editor, with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import sign_in
from tests.helpers.api import bearer, make_token
from tracker.models import AuditEvent, Claim, Role, User
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.ingest import ingest_text

ROLES = ("viewer", "reviewer", "editor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}

# Every web write route and the least role it needs ("viewer": any signed-in user). A route
# missing here fails test_the_matrix_lists_every_write_route.
WEB_WRITES: dict[str, str] = {
    "/account/password": "viewer",
    "/duplicates/skip": "viewer",  # hides a group in this browser session; writes nothing
    "/duplicates/unskip": "viewer",
    "/claims/new": "reviewer",
    "/claims/<int:claim_id>/edit": "reviewer",
    "/sources/new": "reviewer",
    "/sources/new/url": "reviewer",
    "/sources/<int:source_id>/recapture": "reviewer",
    "/duplicates/distinct": "reviewer",
    "/claims/<int:claim_id>/merge": "editor",
    "/claims/<int:claim_id>/unmerge": "editor",
    "/claims/<int:claim_id>/revert": "editor",
    "/claims/<int:claim_id>/confirm": "editor",
    "/claims/<int:claim_id>/evidence/<int:evidence_id>/unlink": "editor",
    "/duplicates/merge": "editor",
    "/publishers/flag": "editor",
    "/sources/<int:source_id>/flag": "editor",
    "/aliases/add": "admin",
    "/aliases/remove": "admin",
    "/users/new": "admin",
    "/users/<int:user_id>/role": "admin",
    "/users/<int:user_id>/deactivate": "admin",
    "/users/<int:user_id>/reactivate": "admin",
    "/users/<int:user_id>/password": "admin",
}
NOT_ROLE_GATED = {"/login", "/logout"}  # signing in and out: tested in test_auth.py

API_WRITES: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/claims"): "reviewer",
    ("PATCH", "/api/v1/claims/<claim_id>"): "reviewer",
    ("POST", "/api/v1/claims/<claim_id>/evidence"): "reviewer",
    ("POST", "/api/v1/excerpts"): "reviewer",
    ("POST", "/api/v1/sources"): "reviewer",
    ("POST", "/api/v1/sources/<source_id>/recapture"): "reviewer",
    ("POST", "/api/v1/claims/<claim_id>/confirm"): "editor",
    ("POST", "/api/v1/claims/<claim_id>/evidence/<evidence_id>/unlink"): "editor",
    ("PATCH", "/api/v1/sources/<source_id>"): "editor",
    ("POST", "/api/v1/aliases"): "admin",
    ("DELETE", "/api/v1/aliases"): "admin",
}


def _write_rules(app: Flask) -> dict[tuple[str, str], str]:
    found = {}
    for rule in app.url_map.iter_rules():
        for method in (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}:
            found[(method, rule.rule)] = rule.endpoint
    return found


def test_the_matrix_lists_every_write_route(app: Flask) -> None:
    rules = _write_rules(app)
    web = {path for method, path in rules if not path.startswith("/api/")}
    api = {key for key in rules if key[1].startswith("/api/")}
    assert web == set(WEB_WRITES) | NOT_ROLE_GATED
    assert api == set(API_WRITES)


@pytest.fixture
def targets(session: Session, actor: Actor, make_user: Callable[..., User]) -> dict[str, int]:
    source, _ = ingest_text(session, "A source text for the matrix.", actor=actor, origin="t")
    claim = create_claim(session, text="The matrix claim", actor=actor)
    other = make_user("viewer", "matrix-target")
    excerpt, _ = get_or_create_excerpt(session, source, 0, 8, actor=actor)
    evidence = link_evidence(session, claim, excerpt, "supports", actor=actor)
    session.commit()
    return {
        "claim_id": claim.id,
        "source_id": source.id,
        "user_id": other.id,
        "evidence_id": evidence.id,
    }


def _fill(path: str, ids: dict[str, int]) -> str:
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return path


def _changes(session: Session) -> int:
    query = select(func.count()).where(AuditEvent.action != "access.denied")
    return int(session.scalar(query) or 0)


def _denials(session: Session) -> int:
    query = select(func.count()).where(AuditEvent.action == "access.denied")
    return int(session.scalar(query) or 0)


@pytest.mark.parametrize("role", ROLES)
def test_web_writes_by_role(
    app: Flask,
    session: Session,
    role: str,
    targets: dict[str, int],
    make_user: Callable[..., User],
) -> None:
    make_user(role, f"matrix-{role}")
    client = app.test_client()
    sign_in(client, f"matrix-{role}")
    for path, needed in WEB_WRITES.items():
        before, denied = _changes(session), _denials(session)
        answer = client.post(_fill(path, targets), data={})
        if RANK[role] < RANK[needed]:
            assert answer.status_code == 403, (role, path, answer.status_code)
            assert _changes(session) == before, (role, path)  # nothing but the denial
            assert _denials(session) == denied + 1, (role, path)
        else:
            assert answer.status_code != 403, (role, path)
            assert "/login" not in answer.headers.get("Location", ""), (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_api_writes_by_token_role(
    client: FlaskClient,
    session: Session,
    actor: Actor,
    role: str,
    targets: dict[str, int],
    make_user: Callable[..., User],
) -> None:
    make_user(role, f"token-{role}")
    headers = bearer(make_token(session, actor, role, user=f"token-{role}"))
    for (method, path), needed in API_WRITES.items():
        before = _changes(session)
        answer = client.open(_fill(path, targets), method=method, json={}, headers=headers)
        if RANK[role] < RANK[needed]:
            assert answer.status_code == 403, (role, method, path, answer.status_code)
            assert _changes(session) == before
        else:
            assert answer.status_code not in (401, 403), (role, method, path)


def test_a_token_never_does_more_than_its_own_role(
    client: FlaskClient, session: Session, actor: Actor, make_user: Callable[..., User]
) -> None:
    make_user("admin", "boss")
    headers = bearer(make_token(session, actor, "viewer", user="boss"))
    for method, path in API_WRITES:
        answer = client.open(path.replace("<", "").replace(">", ""), method=method, json={})
        assert answer.status_code == 401  # no token at all
        answer = client.open(
            _fill(path, {"claim_id": 1, "source_id": 1}), method=method, json={}, headers=headers
        )
        assert answer.status_code == 403, (method, path)


# --- the field rules -------------------------------------------------------------------------


@pytest.fixture
def rated(session: Session, actor: Actor) -> Claim:
    claim = create_claim(
        session,
        text="The bridge opened in 1932",
        actor=actor,
        verdict="mostly_true",
        confidence=0.85,
    )
    session.commit()
    return claim


def _edit(client: FlaskClient, claim: Claim, **fields: Any) -> Any:
    data = {
        "text": claim.text,
        "language": claim.language or "",
        "verdict": claim.verdict.value,
        "confidence": "" if claim.confidence is None else str(round(claim.confidence * 100, 6)),
        "rationale": claim.rationale,
        "version": str(claim.version),
        "reason": "",
    } | fields
    return client.post(f"/claims/{claim.id}/edit", data=data)


def test_a_reviewer_proposes_a_confidence_in_the_web_form(
    signed_in: Callable[[str], FlaskClient], session: Session, rated: Claim
) -> None:
    client = signed_in("reviewer")
    answer = _edit(client, rated, confidence="3", reason="the photo is from 1931")
    assert answer.status_code == 302, answer.get_data(as_text=True)
    session.refresh(rated)
    assert rated.confidence == pytest.approx(0.85)  # the editor's value stands
    assert rated.proposed_confidence == pytest.approx(0.03)
    assert rated.proposed_by == "user:reviewer-user"
    page = client.get(f"/claims/{rated.id}").get_data(as_text=True)
    assert "Proposed confidence" in page and "3 %" in page
    form = client.get(f"/claims/{rated.id}/edit").get_data(as_text=True)
    assert "Propose a confidence" in form


def test_a_reviewer_cannot_rewrite_a_rated_claim(
    signed_in: Callable[[str], FlaskClient], session: Session, rated: Claim
) -> None:
    client = signed_in("reviewer")
    cheese = "The moon is made of cheese, officials confirmed."
    answer = _edit(client, rated, text=cheese, reason="better wording")
    assert answer.status_code == 403
    session.refresh(rated)
    assert rated.text == "The bridge opened in 1932"
    assert _denials(session) == 1


def test_an_editor_rewrites_a_rated_claim_only_with_a_reason(
    signed_in: Callable[[str], FlaskClient], session: Session, rated: Claim
) -> None:
    client = signed_in("editor")
    answer = _edit(client, rated, text="The bridge opened in May 1932")
    assert answer.status_code == 422
    assert "needs a reason" in answer.get_data(as_text=True)
    answer = _edit(client, rated, text="The bridge opened in May 1932", reason="the month")
    assert answer.status_code == 302
    session.refresh(rated)
    assert rated.text == "The bridge opened in May 1932"


def test_a_reviewer_edits_the_text_of_an_unrated_claim(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    claim = create_claim(session, text="Taxes rose twice", actor=actor)
    session.commit()
    client = signed_in("reviewer")
    assert _edit(client, claim, text="Taxes rose twice in 2023").status_code == 302


def test_a_reviewer_proposes_a_confidence_when_creating(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("reviewer")
    answer = client.post(
        "/claims/new",
        data={"text": "Rents fell by half", "confidence": "99", "action": "create"},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    claim = session.scalar(select(Claim).where(Claim.text == "Rents fell by half"))
    assert claim is not None
    assert claim.confidence is None and claim.proposed_confidence == pytest.approx(0.99)


def test_the_api_keeps_confidence_and_rated_text_for_editors(
    client: FlaskClient,
    session: Session,
    actor: Actor,
    rated: Claim,
    make_user: Callable[..., User],
) -> None:
    make_user("reviewer", "rev")
    make_user("editor", "ed")
    reviewer = bearer(make_token(session, actor, "reviewer", user="rev"))
    editor = bearer(make_token(session, actor, "editor", user="ed"))
    url = f"/api/v1/claims/{rated.id}"
    base = {"version": rated.version, "reason": "checked again"}
    assert client.patch(url, json=base | {"confidence": 0.99}, headers=reviewer).status_code == 403
    cheese = {"text": "The moon is made of cheese, officials confirmed."}
    assert client.patch(url, json=base | cheese, headers=reviewer).status_code == 403
    proposed = client.patch(url, json=base | {"proposed_confidence": 0.5}, headers=reviewer)
    assert proposed.status_code == 200, proposed.get_json()
    body = proposed.get_json()
    assert body["confidence"] == pytest.approx(0.85)
    assert body["proposed_confidence"] == pytest.approx(0.5)
    no_reason = {"version": body["version"], "text": "The bridge opened in May 1932"}
    assert client.patch(url, json=no_reason, headers=editor).status_code == 422
    done = client.patch(url, json=no_reason | {"reason": "the month"}, headers=editor)
    assert done.status_code == 200 and done.get_json()["text"] == no_reason["text"]
    created = client.post(
        "/api/v1/claims", json={"text": "Wages rose", "confidence": 0.4}, headers=reviewer
    )
    assert created.status_code == 403
    created = client.post(
        "/api/v1/claims", json={"text": "Wages rose", "proposed_confidence": 0.4}, headers=reviewer
    )
    assert created.status_code == 201
    claim = created.get_json()["claim"]
    assert claim["confidence"] is None and claim["proposed_confidence"] == pytest.approx(0.4)
    session.refresh(rated)
    assert rated.text == no_reason["text"]
    assert Role.EDITOR.value == "editor"
