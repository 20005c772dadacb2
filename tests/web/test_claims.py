"""The claim pages of the reviewer app: list, claim page, edit, conflict, merge/unmerge."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import PASSWORD, sign_in
from tracker import create_app, migrate
from tracker.db import make_engine
from tracker.models import AiGenerated, AiStatus, AuditEvent, Claim, Excerpt, Source, User, Verdict
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.flags import apply_status
from tracker.services.sources.ingest import SourceMeta, ingest_text

ARTICLE = (
    "Pyongyang, Monday. {lead} The parliament ratified the defence treaty with Russia on "
    "Monday, state media said. Officials in Moscow welcomed the decision the same evening. "
    "Analysts expect closer military cooperation between the two countries this year.\n"
)
QUOTE = "The parliament ratified the defence treaty with Russia on Monday"
STATUS_OF = {AiGenerated.YES: AiStatus.AI_REVIEWER, AiGenerated.NO: AiStatus.HUMAN_REVIEWER}


@dataclass
class World:
    ai_only: Claim  # evidence from two AI-generated sources of two publishers
    mixed: Claim  # evidence from two sources of the same publisher, one human
    excerpts: dict[str, Excerpt]
    sources: dict[str, Source]


def _source(
    session: Session, actor: Actor, key: str, ai: AiGenerated, **meta: str | None
) -> Source:
    text = ARTICLE.format(lead=f"Report {key} from the desk.")
    source, created = ingest_text(
        session, text, actor=actor, origin=f"test:{key}", meta=SourceMeta(**meta)
    )
    assert created
    # test setup: the status as a detector or editor would leave it (both fields together)
    apply_status(source, STATUS_OF[ai])
    return source


def _excerpt(session: Session, source: Source, actor: Actor) -> Excerpt:
    start = source.text.index(QUOTE)
    excerpt, _ = get_or_create_excerpt(session, source, start, start + len(QUOTE), actor=actor)
    return excerpt


@pytest.fixture
def world(session: Session, actor: Actor) -> World:
    sources = {
        "a": _source(
            session,
            actor,
            "a",
            AiGenerated.YES,
            title="Treaty ratified",
            publisher="Daily Planet",
            url="https://www.dailyplanet.example/a",
        ),
        "b": _source(
            session,
            actor,
            "b",
            AiGenerated.YES,
            title="Pyongyang ratifies",
            url="https://news.example.org/b",
        ),
        "c": _source(
            session,
            actor,
            "c",
            AiGenerated.NO,
            title="Parliament votes",
            publisher="  daily   PLANET ",
        ),
    }
    excerpts = {k: _excerpt(session, s, actor) for k, s in sources.items()}
    ai_only = create_claim(
        session,
        text="North Korea ratified its defence treaty with Russia",
        language="en",
        verdict="true",
        confidence=0.9,
        rationale="State media and two outlets.",
        actor=actor,
    )
    link_evidence(session, ai_only, excerpts["a"], "supports", actor=actor)
    link_evidence(session, ai_only, excerpts["b"], "supports", actor=actor)
    mixed = create_claim(
        session, text="Moscow welcomed the ratification", language="en", actor=actor
    )
    link_evidence(session, mixed, excerpts["a"], "mentions", actor=actor)
    link_evidence(session, mixed, excerpts["c"], "supports", actor=actor)
    session.commit()
    return World(ai_only, mixed, excerpts, sources)


def _fresh(session: Session, claim_id: int) -> Claim:
    session.expire_all()
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return claim


def _edit_form(claim: Claim, **changes: Any) -> dict[str, Any]:
    """The edit form as the browser would send it unchanged, plus ``changes``."""
    data = {
        "text": claim.text,
        "language": claim.language or "",
        "verdict": claim.verdict.value,
        "confidence": "" if claim.confidence is None else f"{claim.confidence * 100:g}",
        "rationale": claim.rationale,
        "reason": "",
        "version": str(claim.version),
    }
    data.update(changes)
    return data


def _ids_on_page(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/claims/(\d+)">#\d+</a>', page)]


def _events(session: Session, action: str, claim_id: int | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action)
    if claim_id is not None:
        query = query.where(AuditEvent.entity_id == str(claim_id))
    return list(session.scalars(query))


# --- the list ---------------------------------------------------------------------------------


def test_list_paginates_newest_first_and_filters(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    made = []
    for i in range(55):
        made.append(
            create_claim(
                session,
                text=f"Claim number {i} about the harbour",
                language="nb" if i % 5 == 0 else "en-GB",
                verdict="false" if i % 3 == 0 else "unreviewed",
                actor=actor,
            )
        )
    merge_claims(session, made[1].id, made[2].id, reason="same claim", actor=actor)
    session.commit()
    ids = [c.id for c in made]
    visible = [i for i in reversed(ids) if i != made[1].id]  # newest first, merged hidden
    client = signed_in("viewer")

    first = client.get("/claims").get_data(as_text=True)
    assert _ids_on_page(first) == visible[:50]
    assert "Page 1 of 2" in first and "54 claims" in first
    second = client.get("/claims?page=2").get_data(as_text=True)
    assert _ids_on_page(second) == visible[50:]

    falses = client.get("/claims?verdict=false").get_data(as_text=True)
    assert _ids_on_page(falses) == [c.id for c in reversed(made) if c.verdict == Verdict.FALSE]
    assert 'class="verdict verdict-false"' in falses

    nb = _ids_on_page(client.get("/claims?language=nb").get_data(as_text=True))
    assert nb == [c.id for c in reversed(made) if c.language == "nb"]
    en = _ids_on_page(client.get("/claims?language=en").get_data(as_text=True))
    assert len(en) == 44 - 1 and made[1].id not in en  # "en" matches "en-GB"

    with_merged = client.get("/claims?merged=y&page=2").get_data(as_text=True)
    assert made[1].id in _ids_on_page(with_merged)
    assert f"merged into #{made[2].id}" in with_merged
    # The pager keeps the filters.
    assert 'href="/claims?page=1&amp;merged=y"' in with_merged

    bad = client.get("/claims?verdict=maybe&language=%3Cb%3E")
    assert bad.status_code == 200
    assert _ids_on_page(bad.get_data(as_text=True)) == visible[:50]


def test_list_rows_show_badge_confidence_evidence_count_and_language(
    signed_in: Callable[[str], FlaskClient], world: World
) -> None:
    page = signed_in("viewer").get("/claims").get_data(as_text=True)
    row = page[page.index(f'<a href="/claims/{world.ai_only.id}">') :]
    row = row[: row.index("</tr>")]
    assert 'class="verdict verdict-true"' in row and ">true<" in row
    assert "90 %" in row
    assert re.search(r'<td class="num">2</td>', row)
    assert "<code>en</code>" in row


def test_list_query_count_does_not_grow_with_the_claims(
    signed_in: Callable[[str], FlaskClient],
    world: World,
    session: Session,
    actor: Actor,
    count_queries: Callable[[], Any],
) -> None:
    client = signed_in("viewer")
    counter = count_queries()
    client.get("/claims")
    few = counter.count
    for i in range(30):
        claim = create_claim(session, text=f"Another claim {i} about ratification", actor=actor)
        for excerpt in world.excerpts.values():
            link_evidence(session, claim, excerpt, "mentions", actor=actor)
    session.commit()
    counter.count = 0
    page = client.get("/claims").get_data(as_text=True)
    assert len(_ids_on_page(page)) == 32
    assert page.count('<td class="num">3</td>') == 30
    assert counter.count == few, counter.statements


# --- the claim page ---------------------------------------------------------------------------


def test_claim_page_shows_evidence_in_context_with_source_links(
    signed_in: Callable[[str], FlaskClient], world: World
) -> None:
    page = signed_in("viewer").get(f"/claims/{world.ai_only.id}").get_data(as_text=True)
    ex = world.excerpts["a"]
    assert f"<mark>{QUOTE}</mark>" in page
    assert str(escape(ex.prefix)) in page  # the context before the quote
    assert f'href="/sources/{ex.source_id}#excerpt-{ex.id}"' in page
    assert "Treaty ratified" in page and "Daily Planet" in page
    assert page.count('class="stance stance-supports"') == 2
    assert 'class="verdict verdict-true"' in page and "90 %" in page
    assert "State media and two outlets." in page


def test_provenance_counts_independent_publishers_and_warns_on_ai_only(
    signed_in: Callable[[str], FlaskClient], world: World
) -> None:
    client = signed_in("viewer")
    ai_only = client.get(f"/claims/{world.ai_only.id}").get_data(as_text=True)
    # Two AI-generated sources never count as independent publishers; the source without a
    # publisher name has the one its URL gives.
    assert "2 excerpts from 2 sources; 0 independent publishers established; 2 AI-generated" in (
        ai_only
    )
    assert "news.example.org" in ai_only and "unknown publisher" not in ai_only
    assert "AI-only provenance" in ai_only
    badge = '<span class="flag flag-ai ai-status" data-ai-status="ai_reviewer">'
    assert ai_only.count(badge + "AI-generated (reviewer)</span>") == 4  # list + table
    mixed = client.get(f"/claims/{world.mixed.id}").get_data(as_text=True)
    # "Daily Planet" and "  daily   PLANET " are the same publisher, counted once.
    assert "2 excerpts from 2 sources; 1 independent publisher established;" in mixed
    assert "AI-only provenance" not in mixed
    assert ">human (reviewer)</span>" in mixed


def test_claim_page_history_and_audit_log(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    client = signed_in("editor")
    claim = world.ai_only
    response = client.post(
        f"/claims/{claim.id}/edit",
        data=_edit_form(claim, verdict="misleading", confidence="40", reason="Date is wrong"),
    )
    assert response.status_code == 302
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    history = page[page.index("Verdict history") : page.index("Audit history")]
    assert "user:editor-user" in history and "Date is wrong" in history
    assert "90 %" in history and "40 %" in history
    assert 'verdict-true">true</span> → <span class="verdict verdict-misleading">' in history
    audit = page[page.index("Audit history") :]
    for action in ("claim.create", "evidence.link", "claim.update"):
        assert action in audit
    assert "Claim #" in page and "is saved" in page  # the flash message


def test_merged_claim_page_says_where_it_went(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session, actor: Actor
) -> None:
    merge_claims(session, world.mixed.id, world.ai_only.id, reason="dup", actor=actor)
    session.commit()
    page = signed_in("viewer").get(f"/claims/{world.mixed.id}").get_data(as_text=True)
    assert f'merged into <a href="/claims/{world.ai_only.id}">#{world.ai_only.id}</a>' in page


def test_controls_follow_the_role(
    client: FlaskClient, make_user: Callable[..., User], world: World
) -> None:
    claim_url = f"/claims/{world.ai_only.id}"
    for role, edit, merge in (
        ("viewer", False, False),
        ("reviewer", True, False),
        ("editor", True, True),
    ):
        sign_in(client, make_user(role).username)
        page = client.get(claim_url).get_data(as_text=True)
        assert (f'href="{claim_url}/edit"' in page) is edit
        assert (f'action="{claim_url}/merge"' in page) is merge


def test_unknown_claim_is_404(signed_in: Callable[[str], FlaskClient]) -> None:
    client = signed_in("editor")
    assert client.get("/claims/424242").status_code == 404
    assert client.get("/claims/424242/edit").status_code == 404


# --- editing ----------------------------------------------------------------------------------


def test_edit_form_shows_the_claim(signed_in: Callable[[str], FlaskClient], world: World) -> None:
    claim = world.ai_only
    page = signed_in("reviewer").get(f"/claims/{claim.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{claim.version}"' in page
    assert 'type="number"' in page and 'value="90"' in page and 'type="range"' in page
    assert "Propose a verdict" in page
    assert "js/confidence.js" in page
    assert '<span class="confidence-state muted" data-confidence-state></span>' in page


def test_edit_form_says_an_unset_confidence_is_not_set(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    claim = create_claim(session, text="A claim nobody has rated yet", actor=actor)
    session.commit()
    page = signed_in("editor").get(f"/claims/{claim.id}/edit").get_data(as_text=True)
    assert '<span class="confidence-state muted" data-confidence-state>not set</span>' in page
    number = re.search(r'<input[^>]*name="confidence"[^>]*>', page)
    assert number is not None and 'value="50"' not in number.group(0)


def test_reviewer_edit_proposes_a_verdict(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    response = signed_in("reviewer").post(
        f"/claims/{claim.id}/edit",
        data=_edit_form(claim, verdict="false", confidence="75", reason="Denied by the ministry"),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/claims/{claim.id}"
    saved = _fresh(session, claim.id)
    assert saved.verdict == Verdict.TRUE  # unchanged: a reviewer only proposes
    assert saved.proposed_verdict == Verdict.FALSE
    assert saved.proposed_by == "user:reviewer-user"
    assert saved.confidence == 0.9  # an editor's field too (issue 16): the reviewer proposes
    assert saved.proposed_confidence == 0.75
    [event] = _events(session, "claim.update", claim.id)
    assert event.changes["proposed_verdict"] == {"before": None, "after": "false"}
    assert "verdict" not in event.changes


def test_reviewer_text_edit_leaves_the_verdict_alone(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    response = signed_in("reviewer").post(
        f"/claims/{claim.id}/edit", data=_edit_form(claim, text="North Korea ratified it")
    )
    # The claim is rated true: only an editor changes its text (issue 16).
    assert response.status_code == 403
    saved = _fresh(session, claim.id)
    assert saved.text != "North Korea ratified it"
    assert (saved.verdict, saved.proposed_verdict) == (Verdict.TRUE, None)


def test_editor_edit_sets_the_verdict(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.mixed
    response = signed_in("editor").post(
        f"/claims/{claim.id}/edit",
        data=_edit_form(claim, verdict="mostly_true", confidence="62.5", reason="Checked"),
    )
    assert response.status_code == 302
    saved = _fresh(session, claim.id)
    assert saved.verdict == Verdict.MOSTLY_TRUE and saved.proposed_verdict is None
    assert saved.confidence == 0.625


def test_missing_reason_is_422_and_changes_nothing(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    before = (claim.verdict, claim.confidence, claim.version)
    client = signed_in("editor")
    for change in ({"verdict": "false"}, {"confidence": "10"}, {"confidence": ""}):
        response = client.post(
            f"/claims/{claim.id}/edit", data=_edit_form(claim, rationale="new", **change)
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert re.search(
            r'id="reason"[^>]*>\s*<small class="hint">[^<]*</small>\s*'
            r'<p class="error" role="alert">changing the',
            page,
        )
        saved = _fresh(session, claim.id)
        assert (saved.verdict, saved.confidence, saved.version) == before
        assert saved.rationale == "State media and two outlets."
    assert _events(session, "claim.update") == []


def test_bad_input_is_422_with_field_errors(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    client = signed_in("editor")
    for change, message in (
        ({"confidence": "150"}, "use a number from 0 to 100"),
        ({"text": "   "}, "This field is required."),
        ({"language": "!!"}, "not a BCP-47 language tag"),
        ({"verdict": "maybe"}, "Not a valid choice"),
        ({"version": "", "rationale": "x"}, "reload the edit form"),
    ):
        response = client.post(f"/claims/{claim.id}/edit", data=_edit_form(claim, **change))
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert _fresh(session, claim.id).version == claim.version


def test_stale_version_is_a_409_page_with_both_versions(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    client = signed_in("editor")
    first = _edit_form(claim, rationale="Saved first.")
    stale = _edit_form(claim, rationale="Written second.", verdict="false", reason="mine")
    assert client.post(f"/claims/{claim.id}/edit", data=first).status_code == 302
    response = client.post(f"/claims/{claim.id}/edit", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your version" in page and "Current version" in page
    assert "Written second." in page and "Saved first." in page
    assert "by <strong>user:editor-user</strong>" in page
    assert f'href="/claims/{claim.id}/edit"' in page
    saved = _fresh(session, claim.id)
    assert saved.rationale == "Saved first." and saved.verdict == Verdict.TRUE
    assert len(_events(session, "claim.update")) == 1


def test_no_op_edit_writes_nothing(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    response = signed_in("editor").post(f"/claims/{claim.id}/edit", data=_edit_form(claim))
    assert response.status_code == 302
    assert _fresh(session, claim.id).version == claim.version
    assert _events(session, "claim.update") == []


def test_viewer_cannot_edit(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    claim = world.ai_only
    client = signed_in("viewer")
    assert client.get(f"/claims/{claim.id}/edit").status_code == 403
    response = client.post(
        f"/claims/{claim.id}/edit", data=_edit_form(claim, text="Hijacked", reason="x")
    )
    assert response.status_code == 403
    assert "This needs the reviewer role." in response.get_data(as_text=True)
    assert _fresh(session, claim.id).text == claim.text
    assert _events(session, "claim.update") == []


def test_a_refused_edit_is_audited(
    backend: str,
    fresh_url: str,
    actor: Actor,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    """On a database of its own (real commits): the refusal commits its access.denied event
    (inside the savepoint-isolated fixtures it would vanish with the request's savepoint)."""
    if backend == "sqlite":
        monkeypatch.setattr("tracker.db.SQLITE_BUSY_TIMEOUT_MS", 300)  # fail fast, not in 30 s
    engine = make_engine(fresh_url)
    try:
        migrate.upgrade(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with factory() as db:
            create_user(db, "vic", role="viewer", password=PASSWORD, actor=actor)
            claim_id = create_claim(db, text="The bridge is closed", actor=actor).id
            db.commit()
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key-for-pytest-only",
                "DATABASE_URL": fresh_url,
                "ENGINE": engine,
                "SESSION_FACTORY": factory,
                "WTF_CSRF_ENABLED": False,
            }
        )
        client = app.test_client()
        sign_in(client, "vic")
        data = {"text": "Hijacked", "verdict": "false", "reason": "x", "version": "1"}
        assert client.post(f"/claims/{claim_id}/edit", data=data).status_code == 403
        with factory() as db:
            [denied] = db.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied"))
            assert denied.actor == "user:vic" and denied.entity_id == "claims.claim_edit"
            assert denied.changes == {"needed_role": {"before": None, "after": "reviewer"}}
            saved = db.get(Claim, claim_id)
            assert saved is not None and saved.text == "The bridge is closed"
    finally:
        engine.dispose()


def test_merged_claim_cannot_be_edited(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session, actor: Actor
) -> None:
    merge_claims(session, world.mixed.id, world.ai_only.id, reason="dup", actor=actor)
    session.commit()
    claim = _fresh(session, world.mixed.id)
    client = signed_in("editor")
    page = client.get(f"/claims/{claim.id}/edit").get_data(as_text=True)
    assert "cannot be edited" in page and '<form method="post" action="/claims/' not in page
    response = client.post(f"/claims/{claim.id}/edit", data=_edit_form(claim, text="New"))
    assert response.status_code == 422
    assert _fresh(session, claim.id).text == "Moscow welcomed the ratification"


# --- merge and unmerge ------------------------------------------------------------------------


def test_merge_and_unmerge_round_trip(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    source, target = world.mixed, world.ai_only
    client = signed_in("editor")
    refused = client.post(f"/claims/{source.id}/merge", data={"target_id": str(target.id)})
    assert refused.status_code == 422
    assert _fresh(session, source.id).merged_into_id is None

    merged = client.post(
        f"/claims/{source.id}/merge", data={"target_id": str(target.id), "reason": "Same event"}
    )
    assert merged.status_code == 302
    assert merged.headers["Location"] == f"/claims/{target.id}"
    assert _fresh(session, source.id).merged_into_id == target.id
    landing = client.get(merged.headers["Location"]).get_data(as_text=True)
    assert f"Claim #{source.id} is merged into claim #{target.id}." in landing
    page = client.get(f"/claims/{source.id}").get_data(as_text=True)
    assert f'merged into <a href="/claims/{target.id}">#{target.id}</a>' in page
    assert f'action="/claims/{source.id}/unmerge"' in page

    no_reason = client.post(f"/claims/{source.id}/unmerge", data={"reason": " "})
    assert no_reason.status_code == 422
    unmerged = client.post(f"/claims/{source.id}/unmerge", data={"reason": "Different events"})
    assert unmerged.status_code == 302
    assert unmerged.headers["Location"] == f"/claims/{source.id}"
    back = _fresh(session, source.id)
    assert back.merged_into_id is None
    assert {e.excerpt_id for e in back.evidence} == {
        world.excerpts["a"].id,
        world.excerpts["c"].id,
    }
    [event] = _events(session, "claim.unmerge", source.id)
    assert event.reason == "Different events" and event.actor == "user:editor-user"


def test_merge_errors_are_shown_on_the_claim_page(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    client = signed_in("editor")
    claim_id = world.mixed.id
    self_merge = client.post(
        f"/claims/{claim_id}/merge", data={"target_id": str(claim_id), "reason": "x"}
    )
    assert self_merge.status_code == 422
    assert "cannot be merged into itself" in self_merge.get_data(as_text=True)
    missing = client.post(f"/claims/{claim_id}/merge", data={"target_id": "999999", "reason": "x"})
    assert missing.status_code == 404
    assert "claim 999999 does not exist" in missing.get_data(as_text=True)
    not_merged = client.post(f"/claims/{claim_id}/unmerge", data={"reason": "x"})
    assert not_merged.status_code == 404
    assert _events(session, "claim.merge") == []


def test_reviewer_cannot_merge_or_unmerge(
    signed_in: Callable[[str], FlaskClient], world: World, session: Session
) -> None:
    client = signed_in("reviewer")
    data = {"target_id": str(world.ai_only.id), "reason": "Same"}
    assert client.post(f"/claims/{world.mixed.id}/merge", data=data).status_code == 403
    assert client.post(f"/claims/{world.mixed.id}/unmerge", data=data).status_code == 403
    assert _fresh(session, world.mixed.id).merged_into_id is None
    assert _events(session, "claim.merge") == []


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'])
def test_user_text_is_escaped_everywhere(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor, payload: str
) -> None:
    claim = create_claim(
        session, text=f"Claim {payload} end", rationale=f"Because {payload}", actor=actor
    )
    session.commit()
    client = signed_in("reviewer")
    for url in ("/claims", f"/claims/{claim.id}", f"/claims/{claim.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert payload not in page, url
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert str(escape(payload)) in page, url
