"""An entity's audit timeline (services/audit_history, `tracker audit history`), the CLI's
`claims show --as-of` and `claims revert`, and the claim page's as-of view and revert form."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim
from tracker.services.accounts.users import create_user
from tracker.services.audit.history import history
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import update_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.errors import Invalid
from tracker.services.interop.bulk_import import import_claims
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.ingest import SourceMeta, ingest_text

EDITOR = Actor(name="user:ed")
TEXT = "The harbour reopened on Friday after the storm. Ferries run every hour again."


@pytest.fixture
def world(session: Session, actor: Actor) -> dict[str, Any]:
    """A source with an excerpt, a claim linked to it (verdict changed once), another claim
    merged into the first."""
    source, _ = ingest_text(session, TEXT, actor=actor, origin="h", meta=SourceMeta(language="en"))
    excerpt, _ = get_or_create_excerpt(session, source, 0, 20, actor=actor)
    claim = create_claim(session, text="The harbour reopened", language="en", actor=actor)
    link_evidence(session, claim, excerpt, "supports", actor=actor)
    update_claim(
        session, claim.id, expected_version=1, actor=EDITOR, reason="port says so", verdict="true"
    )
    other = create_claim(session, text="Harbour open again", language="en", actor=actor)
    merge_claims(session, other.id, claim.id, reason="same claim", actor=EDITOR)
    session.commit()
    return {"source": source, "excerpt": excerpt, "claim": claim, "other": other}


def _actions(events: list[AuditEvent]) -> list[str]:
    return [e.action for e in events]


def test_claim_history_has_its_events_and_merges_into_it_in_order(
    session: Session, world: dict[str, Any]
) -> None:
    claim, other = world["claim"], world["other"]
    events = history(session, "claim", claim.id)
    assert _actions(events) == [
        "claim.create",
        "evidence.link",
        "claim.update",
        "dedup.merged",
        "claim.merge",
    ]
    assert [e.id for e in events] == sorted(e.id for e in events)
    merge = events[-1]
    assert (merge.entity_id, merge.reason) == (str(other.id), "same claim")
    assert _actions(history(session, "claim", other.id)) == [
        "claim.create",
        "dedup.merged",
        "claim.merge",
    ]


def test_source_excerpt_and_user_histories(
    session: Session, actor: Actor, world: dict[str, Any]
) -> None:
    source, excerpt = world["source"], world["excerpt"]
    assert _actions(history(session, "source", source.id)) == ["source.create", "excerpt.create"]
    assert _actions(history(session, "excerpt", excerpt.id)) == ["excerpt.create", "evidence.link"]
    user = create_user(
        session, "hist-user", role="viewer", password="correct horse battery", actor=actor
    )
    assert _actions(history(session, "user", str(user.id))) == ["user.create"]
    assert history(session, "source", 999_999) == []


def test_history_of_an_imported_claim_shows_its_import_chunk(
    session: Session, actor: Actor
) -> None:
    import_claims(session, [{"text": "Imported one"}, {"text": "Imported two"}], actor=actor)
    last = session.scalar(select(Claim.id).order_by(Claim.id.desc()).limit(1))
    assert last is not None
    [event] = history(session, "claim", last)
    assert event.action == "claim.import"
    # Only this claim's own entry is shown, not the whole chunk's list.
    assert event.changes["claim"]["after"]["text"] == "Imported two"
    assert "claims" not in event.changes


@pytest.mark.parametrize(
    ("entity", "entity_id", "message"),
    [("dedup", 1, "unknown entity 'dedup'"), ("claim", "x1", "is not an id"), ("user", 0, "id")],
)
def test_history_refuses_unknown_entities_and_bad_ids(
    session: Session, entity: str, entity_id: Any, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        history(session, entity, entity_id)


# --- the CLI ----------------------------------------------------------------------------------


def test_cli_history_prints_a_timeline_and_json(
    run_cli: Callable[..., Any], world: dict[str, Any]
) -> None:
    claim = world["claim"]
    result = run_cli("audit", "history", "claim", str(claim.id))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "cli:tester  claim.create" in lines[0]
    assert "    verdict: unreviewed -> true; version: 1 -> 2" in lines
    assert "    reason: port says so" in lines
    assert any(f"claim.merge [claim {world['other'].id}]" in line for line in lines)
    data = json.loads(run_cli("audit", "history", "claim", str(claim.id), "--json").output)
    assert [e["action"] for e in data["events"]][:3] == [
        "claim.create",
        "evidence.link",
        "claim.update",
    ]
    assert data["events"][2]["changes"]["verdict"] == {"before": "unreviewed", "after": "true"}


def test_cli_history_refuses_an_unknown_entity(run_cli: Callable[..., Any]) -> None:
    result = run_cli("audit", "history", "publisherz", "1")
    assert result.exit_code != 0
    assert "'publisherz' is not one of 'claim', 'source', 'excerpt', 'user'" in result.output


def test_cli_show_as_of(run_cli: Callable[..., Any], session: Session, actor: Actor) -> None:
    claim = create_claim(session, text="Ferries run hourly", verdict="in_review", actor=actor)
    session.commit()
    created = session.scalar(
        select(AuditEvent.occurred_at).where(
            AuditEvent.action == "claim.create", AuditEvent.entity_id == str(claim.id)
        )
    )
    assert created is not None
    update_claim(session, claim.id, expected_version=1, actor=EDITOR, reason="r", verdict="false")
    session.commit()
    at = created.isoformat()
    data = json.loads(run_cli("claims", "show", str(claim.id), "--as-of", at, "--json").output)
    assert (data["verdict"], data["version"], data["evidence"]) == ("in_review", 1, [])
    now = run_cli("claims", "show", str(claim.id), "--json")
    assert json.loads(now.output)["verdict"] == "false"
    early = run_cli("claims", "show", str(claim.id), "--as-of", "2001-01-01 00:00")
    assert early.exit_code == 1 and "did not exist yet on 2001-01-01 00:00:00 UTC" in early.output
    bad = run_cli("claims", "show", str(claim.id), "--as-of", "last tuesday")
    assert bad.exit_code == 1
    assert "cannot read the time 'last tuesday'" in bad.output and "2024-05-01 12:00" in bad.output


def test_cli_revert(run_cli: Callable[..., Any], session: Session, actor: Actor) -> None:
    claim = create_claim(session, text="Ferries run hourly", verdict="in_review", actor=actor)
    update_claim(session, claim.id, expected_version=1, actor=EDITOR, reason="r", verdict="false")
    session.commit()
    missing = run_cli("claims", "revert", str(claim.id), "--to-version", "1")
    assert missing.exit_code == 2 and "--reason" in missing.output
    result = run_cli(
        "claims", "revert", str(claim.id), "--to-version", "1", "--reason", "misread", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["changed"] is True
    assert (data["claim"]["verdict"], data["claim"]["version"]) == ("in_review", 3)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.revert")).one()
    assert (event.reason, event.actor.startswith("cli:")) == ("misread", True)
    stale = run_cli(
        "claims", "revert", str(claim.id), "--to-version", "2", "--reason", "x",
        "--expected-version", "2",
    )  # fmt: skip
    assert stale.exit_code == 1 and "changed by someone else" in stale.output
    again = run_cli("claims", "revert", str(claim.id), "--to-version", "1", "--reason", "x")
    assert again.exit_code == 0 and "nothing changed" in again.output


# --- the web ----------------------------------------------------------------------------------


def test_claim_page_shows_versions_and_the_as_of_form(
    signed_in: Callable[[str], FlaskClient], world: dict[str, Any]
) -> None:
    claim = world["claim"]
    page = signed_in("editor").get(f"/claims/{claim.id}").get_data(as_text=True)
    versions = page[page.index('id="versions-h"') : page.index('id="audit-h"')]
    assert 'type="datetime-local"' in versions and "View as of (UTC)" in versions
    assert versions.count("Revert to this version") == 1  # version 1; version 2 is current
    assert 'name="to_version" value="1"' in versions and 'name="version" value="2"' in versions
    assert "Audit history" in page  # the full event table stays


def test_viewer_sees_no_revert_form(
    signed_in: Callable[[str], FlaskClient], world: dict[str, Any]
) -> None:
    page = signed_in("viewer").get(f"/claims/{world['claim'].id}").get_data(as_text=True)
    assert "View as of" in page and "Revert to this version" not in page


def test_as_of_page_shows_the_rebuilt_state_read_only(
    signed_in: Callable[[str], FlaskClient], session: Session, world: dict[str, Any]
) -> None:
    claim, excerpt = world["claim"], world["excerpt"]
    linked = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.link")).one()
    client = signed_in("viewer")
    response = client.get(f"/claims/{claim.id}/as-of", query_string={"at": linked.occurred_at})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"Claim #{claim.id} as it was on" in page and "read-only" in page
    assert '<span class="verdict verdict-unreviewed">unreviewed</span>' in page
    assert f"<mark>{excerpt.exact}</mark>" in page
    assert "<form" in page and 'method="post"' not in page.split("<main", 1)[-1]


@pytest.mark.parametrize(
    ("at", "status", "text"),
    [("soon", 422, "cannot read the time"), ("", 422, "This field is required"),
     ("2001-01-01T00:00", 404, "did not exist yet")],
)  # fmt: skip
def test_as_of_page_errors(
    signed_in: Callable[[str], FlaskClient], world: dict[str, Any], at: str, status: int, text: str
) -> None:
    response = signed_in("viewer").get(f"/claims/{world['claim'].id}/as-of?at={at}")
    assert response.status_code == status
    assert text in response.get_data(as_text=True)


def _revert(client: FlaskClient, claim_id: int, **data: Any) -> Any:
    return client.post(f"/claims/{claim_id}/revert", data=data)


def test_web_revert_is_for_editors_needs_a_reason_and_is_audited(
    signed_in: Callable[[str], FlaskClient], session: Session, world: dict[str, Any]
) -> None:
    claim = world["claim"]
    reviewer = signed_in("reviewer")
    assert _revert(reviewer, claim.id, to_version=1, version=2, reason="r").status_code == 403
    reviewer.post("/logout")
    editor = signed_in("editor")
    no_reason = _revert(editor, claim.id, to_version=1, version=2, reason="")
    assert no_reason.status_code == 422
    assert "This field is required" in no_reason.get_data(as_text=True)
    stale = _revert(editor, claim.id, to_version=1, version=1, reason="r")
    assert stale.status_code == 409 and "changed by someone else" in stale.get_data(as_text=True)
    done = _revert(editor, claim.id, to_version=1, version=2, reason="port was wrong")
    assert done.status_code == 302
    session.expire_all()
    reverted = session.get(Claim, claim.id)
    assert reverted is not None and (reverted.verdict.value, reverted.version) == ("unreviewed", 3)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.revert")).one()
    assert event.reason == "port was wrong" and event.actor == "user:editor-user"
    assert event.changes["verdict"] == {"before": "true", "after": "unreviewed"}
