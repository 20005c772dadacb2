"""Every signal the desk shows is true and said one way: provenance (unknown publishers never
independent), the AI status vocabulary, the publisher taken from a URL, the needs-re-review
marker, claim language, and demo data that obeys the product's own rules."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tests.helpers.api import Api, api_for
from tracker import migrate
from tracker.db import make_engine
from tracker.models import AuditEvent, Claim, Source, Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import FieldInvalid, confirm_verdict, update_claim
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.provenance import AI_ONLY, provenance
from tracker.services.claims.records import unlink_evidence
from tracker.services.claims.rereview import clear_needs_review, mark_needs_review
from tracker.services.errors import Invalid, NotFound
from tracker.services.interop.bulk_import import import_claims
from tracker.services.interop.prov import prov_dict
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text, iter_input_files
from tracker.services.sources.publishers import set_publisher_flag

Invoke = Callable[..., Any]
SUMMARY_1 = (
    "3 excerpts from 2 sources; 0 independent publishers established; "
    "2 sources with an unknown publisher"
)
BODY = (
    "The city council approved the new budget on Monday after a long debate about school "
    "funding and road repairs. The mayor said the plan balances growth and care.\n"
)
QUOTE = "The city council approved the new budget on Monday"


@pytest.fixture
def demo(session: Session, actor: Actor) -> dict[str, int]:
    """The demo data set as `tracker demo` loads it; seed file name -> source id."""
    ids = {}
    for path, skipped in iter_input_files([SEEDS]):
        if skipped is None:
            result = ingest_path(session, path, actor=actor)
            assert result.source_id is not None
            ids[path.name[:3]] = result.source_id
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    session.commit()
    return ids


@pytest.fixture
def api_as(client: FlaskClient, session: Session, actor: Actor) -> Callable[..., Api]:
    return partial(api_for, client, session, actor)


def _article(session: Session, actor: Actor, n: int, **meta: str) -> Source:
    body = BODY.replace("Monday", f"Monday {n}") if n else BODY
    source, created = ingest_text(
        session, f"Budget news {n}\n\n{body}", actor=actor, origin=f"t{n}", meta=SourceMeta(**meta)
    )
    assert created
    return source


def _true_claim(session: Session, actor: Actor, *sources: Source, verdict: str = "true") -> Claim:
    claim_id = None
    for source in sources:
        result = intake_claim(
            session,
            "The council approved the budget",
            actor=actor,
            source_id=source.id,
            quote=QUOTE,
            link_to=claim_id,
            verdict=verdict,
            confidence=0.8,
        )
        claim_id = result.claim.id
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return claim


def _events(session: Session, action: str, claim_id: int) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.entity_id == str(claim_id)
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


# --- provenance: one rule, one sentence, every surface --------------------------------------------


def test_demo_claim_1_says_the_same_everywhere(
    session: Session,
    demo: dict[str, int],
    signed_in: Callable[[str], FlaskClient],
    api_as: Callable[..., Api],
    run_cli: Invoke,
) -> None:
    # PostgreSQL sequences do not roll back, so the demo's claims 1 and 14 are read by order.
    ids = session.scalars(select(Claim.id).order_by(Claim.id)).all()
    one, fourteen = ids[0], ids[13]
    found = provenance(session, [one, fourteen])
    assert found[one].independent == 0 and found[one].summary == SUMMARY_1
    # Claim 14 has refuting evidence only: no support, so no independent publisher either.
    assert found[fourteen].cls == "none" and found[fourteen].independent == 0
    client = signed_in("viewer")
    page = client.get(f"/claims/{one}").get_data(as_text=True)
    assert SUMMARY_1 in page and "2 independent publishers" not in page
    assert page.count("unknown publisher: not counted") == 2
    page_14 = client.get(f"/claims/{fourteen}").get_data(as_text=True)
    assert "1 independent publisher" not in page_14 and "no supporting source" in page_14
    api = api_as("viewer").get(f"/claims/{one}").get_json()
    assert api["provenance"]["summary"] == SUMMARY_1 and api["provenance"]["independent"] == 0
    assert api["provenance"]["unknown_publisher_sources"] == 2
    shown = json.loads(run_cli("claims", "show", str(one), "--json").stdout)
    assert shown["provenance"]["summary"] == SUMMARY_1
    listed = json.loads(run_cli("claims", "list", "--json").stdout)
    assert [c["provenance"]["summary"] for c in listed if c["id"] == one] == [SUMMARY_1]
    entity = prov_dict(session, one)["entity"][f"claim:{one}"]
    assert entity["tracker:provenance"] == SUMMARY_1
    assert entity["tracker:independentPublishers"]["$"] in (0, "0")


def test_publishers_counted_once_unknown_and_flagged_never(session: Session, actor: Actor) -> None:
    a1 = _article(session, actor, 1, publisher="Avisa")
    a2 = _article(session, actor, 2, publisher="AVISA ")  # one publisher
    loose = _article(session, actor, 3)  # no publisher, no URL
    farm = _article(session, actor, 4, publisher="Content Farm")
    claim = _true_claim(session, actor, a1, a2, loose, farm)
    before = provenance(session, [claim.id])[claim.id]
    assert (before.independent, before.unknown_publisher) == (2, 1)  # Avisa, Content Farm
    assert before.summary == (
        "4 excerpts from 4 sources; 2 independent publishers established; "
        "1 source with an unknown publisher"
    )
    assert farm.publisher_id is not None
    set_publisher_flag(session, farm.publisher_id, True, reason="writes with AI", actor=actor)
    after = provenance(session, [claim.id])[claim.id]
    assert after.independent == 1 and after.flagged_publisher == 1
    assert after.summary.endswith("1 from a publisher flagged for AI")


def test_the_ai_only_rule_reads_the_same_provenance(session: Session, actor: Actor) -> None:
    source = _article(session, actor, 0, url="https://news.example.org/budget")
    set_ai_status(session, source.id, "ai_reviewer", reason="drafted by a model", actor=actor)
    # Creating a true claim on AI-only evidence is refused without an override reason.
    refused = pytest.raises(FieldInvalid, match="rests only on AI-generated sources")
    with refused, session.begin_nested():
        _true_claim(session, actor, source)
    assert session.scalar(select(Claim).where(Claim.text.like("The council%"))) is None
    claim = intake_claim(
        session,
        "The council approved the budget",
        actor=actor,
        source_id=source.id,
        quote=QUOTE,
        verdict="mostly_true",
        override_reason="checked against the council minutes",
    ).claim
    assert provenance(session, [claim.id])[claim.id].cls == AI_ONLY
    [event] = _events(session, "verdict.ai_only_override", claim.id)
    assert event.reason == "checked against the council minutes"


# --- one AI vocabulary ----------------------------------------------------------------------------


def test_suspected_is_visible_wherever_the_status_is(
    session: Session,
    demo: dict[str, int],
    signed_in: Callable[[str], FlaskClient],
    api_as: Callable[..., Api],
    run_cli: Invoke,
) -> None:
    seed = demo["001"]  # its text is stated twice
    source = session.get(Source, seed)
    assert source is not None and source.ai_status.value == "suspected"
    client = signed_in("viewer")
    listed = client.get("/sources").get_data(as_text=True)
    row = listed[listed.index(f'href="/sources/{seed}"') :]
    assert ">suspected AI</span>" in row[: row.index("</tr>")]
    cited = session.scalars(select(Claim).where(Claim.evidence.any()).order_by(Claim.id)).all()
    on_seed = [c for c in cited if any(e.excerpt.source_id == seed for e in c.evidence)]
    assert on_seed
    for claim in on_seed:
        page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
        assert 'data-ai-status="suspected">suspected AI</span>' in page
        api = api_as("viewer").get(f"/claims/{claim.id}").get_json()
        labels = {e["source_ai_status_label"] for e in api["evidence"] if e["source_id"] == seed}
        assert labels == {"suspected AI"}
    page = client.get(f"/sources/{seed}").get_data(as_text=True)
    assert "unknown (suspected)" not in page and "weak:repeated_body" not in page
    [evidence] = source.ai_evidence
    assert "the whole text appears twice" in page
    assert f'href="#ai-span-{evidence.id}"' in page and f'id="ai-span-{evidence.id}"' in page
    shown = json.loads(run_cli("sources", "show", str(seed), "--json").stdout)
    assert shown["ai_status_label"] == "suspected AI"
    assert shown["ai_evidence"][0]["description"] == "the whole text appears twice"
    assert f"{seed}  " in run_cli("sources", "list").stdout
    assert "(suspected AI)" in run_cli("sources", "list").stdout
    dashboard = client.get("/").get_data(as_text=True)
    assert "AI-generated (disclosed)</span>" in dashboard  # seed 000, in the flagged list


# --- publisher from the URL -----------------------------------------------------------------------


def test_publisher_from_the_url_is_shown_everywhere(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient], run_cli: Invoke
) -> None:
    source = _article(session, actor, 0, url="https://www.news.example.org/budget")
    assert source.publisher == "news.example.org" and source.publisher_id is not None
    _true_claim(session, actor, source)
    session.commit()
    client = signed_in("viewer")
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert "<dt>Publisher</dt><dd>news.example.org" in page
    assert "news.example.org" in client.get("/sources").get_data(as_text=True)
    claim_page = client.get("/claims").get_data(as_text=True)
    claim_id = re.findall(r'href="/claims/(\d+)"', claim_page)[0]
    card = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "· news.example.org ·" in card and "no publisher" not in card
    shown = json.loads(run_cli("sources", "show", str(source.id), "--json").stdout)
    assert shown["publisher"] == "news.example.org"


def test_migration_backfills_publisher_names(fresh_url: str) -> None:
    engine: Engine = make_engine(fresh_url)
    try:
        migrate.upgrade(engine, "3b7f2c1d9e4a")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO publishers (id, name, name_key, domain, ai_flag, created_at) "
                    "VALUES (7, 'news.example.org', 'news example org', 'news.example.org', "
                    ":f, CURRENT_TIMESTAMP)"
                ),
                {"f": False},
            )
            for sid, publisher_id in ((1, 7), (2, None)):
                conn.execute(
                    text(
                        "INSERT INTO sources (id, sha256, text, content_type, origin, "
                        "retrieved_at, created_at, created_by, ai_status, ai_generated, "
                        "publisher_id, published_has_time) VALUES (:id, :sha, 'x', "
                        "'text/plain', 'o', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'cli:t', "
                        "'unknown', 'unknown', :pid, :f)"
                    ),
                    {"id": sid, "sha": f"{sid:064d}", "pid": publisher_id, "f": False},
                )
        migrate.upgrade(engine)
        with engine.connect() as conn:
            rows: dict[int, str | None] = {
                int(sid): name
                for sid, name in conn.execute(text("SELECT id, publisher FROM sources"))
            }
        assert rows == {1: "news.example.org", 2: None}
    finally:
        engine.dispose()


# --- needs re-review ------------------------------------------------------------------------------


def test_mark_and_clear_are_idempotent_and_audited(session: Session, actor: Actor) -> None:
    claim = _true_claim(session, actor, _article(session, actor, 0, publisher="Avisa"))
    version = claim.version
    assert mark_needs_review(session, claim.id, "source changed after the verdict", actor)
    assert not mark_needs_review(session, claim.id, "source changed after the verdict", actor)
    assert mark_needs_review(session, claim.id, "another reason", actor)
    assert claim.needs_review_reasons == ["source changed after the verdict", "another reason"]
    assert claim.version == version  # the marker is not an edit of the claim
    marks = _events(session, "rereview.mark", claim.id)
    assert [e.reason for e in marks] == ["source changed after the verdict", "another reason"]
    with pytest.raises(Invalid, match="needs a reason"):
        mark_needs_review(session, claim.id, "  ", actor)
    with pytest.raises(Invalid, match="reason is required"):
        clear_needs_review(session, claim.id, "", actor)
    assert claim.needs_review
    assert clear_needs_review(session, claim.id, "still true: minutes checked", actor)
    assert not claim.needs_review and not clear_needs_review(session, claim.id, "again", actor)
    [cleared] = _events(session, "rereview.clear", claim.id)
    assert cleared.reason == "still true: minutes checked"
    with pytest.raises(Invalid, match="not marked"):
        confirm_verdict(session, claim.id, reason="r", actor=actor)


@pytest.mark.parametrize("route", ["service", "web", "api", "cli"])
def test_a_source_turned_ai_marks_its_verdicts_by_any_route(
    route: str,
    session: Session,
    actor: Actor,
    signed_in: Callable[[str], FlaskClient],
    api_as: Callable[..., Api],
    run_cli: Invoke,
) -> None:
    source = _article(session, actor, 0, url="https://news.example.org/b")
    claim = _true_claim(session, actor, source)
    draft = intake_claim(
        session, "Budget draft exists", actor=actor, source_id=source.id, quote=QUOTE
    ).claim  # unreviewed: no verdict stands on the source
    session.commit()
    why = "drafted with a language model"
    if route == "service":
        set_ai_status(session, source.id, "ai_disclosed", reason=why, actor=actor)
    elif route == "web":
        response = signed_in("editor").post(
            f"/sources/{source.id}/flag", data={"status": "ai_reviewer", "reason": why}
        )
        assert response.status_code == 302
    elif route == "api":
        body = {"ai_status": "ai_reviewer", "reason": why}
        assert api_as("editor").patch(f"/sources/{source.id}", body).status_code == 200
    else:
        run_cli("sources", "flag", str(source.id), "--status", "yes", "--reason", why)
    session.expire_all()
    fresh = session.get(Claim, claim.id)
    assert fresh is not None and fresh.needs_review
    reasons = fresh.needs_review_reasons
    assert reasons[0].startswith(f"source #{source.id} is now AI-generated")
    assert reasons[1] == "its support became AI-only while it is rated true"
    assert not session.get(Claim, draft.id).needs_review  # type: ignore[union-attr]
    assert fresh.verdict == Verdict.TRUE  # sent back for review, not changed behind the desk


def test_flagged_publisher_and_unmerge_mark_final_verdicts(session: Session, actor: Actor) -> None:
    source = _article(session, actor, 0, publisher="Content Farm")
    claim = _true_claim(session, actor, source, verdict="false")
    assert source.publisher_id is not None
    set_publisher_flag(session, source.publisher_id, True, reason="AI farm", actor=actor)
    assert claim.needs_review_reasons == [
        "publisher Content Farm is now flagged as a source of AI-generated text"
    ]
    other_source = _article(session, actor, 1, publisher="Avisa")
    target = _true_claim(session, actor, other_source, verdict="true")
    loose = intake_claim(
        session, "Council passes budget", actor=actor, source_id=source.id, quote=QUOTE
    ).claim
    merge_claims(session, loose.id, target.id, reason="same", actor=actor)
    assert not session.get(Claim, target.id).needs_review  # type: ignore[union-attr]
    unmerge_claim(session, loose.id, actor=actor, reason="different")
    refreshed = session.get(Claim, target.id)
    assert refreshed is not None and refreshed.needs_review
    assert "unlinked from the claim by unmerging claim" in refreshed.needs_review_reasons[0]


def test_marked_claims_are_listed_and_only_an_editor_clears(
    session: Session,
    actor: Actor,
    signed_in: Callable[[str], FlaskClient],
    api_as: Callable[..., Api],
    run_cli: Invoke,
) -> None:
    source = _article(session, actor, 0, publisher="Avisa")
    marked = _true_claim(session, actor, source)
    calm = intake_claim(session, "Roads get repaired", actor=actor, language="en").claim
    mark_needs_review(session, marked.id, "source changed after the verdict", actor)
    session.commit()
    # CLI
    listed = json.loads(run_cli("claims", "list", "--needs-review", "--json").stdout)
    assert [c["id"] for c in listed] == [marked.id]
    assert listed[0]["needs_review_reasons"] == ["source changed after the verdict"]
    assert "needs re-review: source changed after the verdict" in (
        run_cli("claims", "list", "--needs-review").stdout
    )
    # API
    viewer = api_as("viewer")
    items = viewer.get("/claims?needs_review=true").get_json()["items"]
    assert [c["id"] for c in items] == [marked.id] and items[0]["needs_review"] is True
    others = {c["id"] for c in viewer.get("/claims?needs_review=false").get_json()["items"]}
    assert calm.id in others and marked.id not in others
    assert viewer.get("/claims?needs_review=maybe").status_code == 422
    reviewer = api_as("reviewer")
    assert reviewer.post(f"/claims/{marked.id}/confirm", {"reason": "ok"}).status_code == 403
    # Web: the dashboard's queue starts with it, the claim page says why.
    client = signed_in("reviewer")
    board = client.get("/").get_data(as_text=True)
    queue = board[board.index('id="queue-title"') :]
    assert queue.index("needs re-review") < queue.index(marked.text)
    assert "source changed after the verdict" in queue
    page = client.get(f"/claims/{marked.id}").get_data(as_text=True)
    assert "The ground under this verdict changed" in page and "Confirm the verdict" not in page
    assert "cannot be replayed" not in page and 'id="version-1"' in page  # history still rebuilds
    assert client.post(f"/claims/{marked.id}/confirm", data={"reason": "x"}).status_code == 403
    only = client.get("/claims?needs_review=y").get_data(as_text=True)
    assert f'href="/claims/{marked.id}"' in only and f'href="/claims/{calm.id}"' not in only
    editor = signed_in("editor")
    refused = editor.post(f"/claims/{marked.id}/confirm", data={"reason": ""})
    assert refused.status_code == 422
    session.expire_all()
    assert session.get(Claim, marked.id).needs_review  # type: ignore[union-attr]
    done = editor.post(f"/claims/{marked.id}/confirm", data={"reason": "minutes checked"})
    assert done.status_code == 302
    session.expire_all()
    assert not session.get(Claim, marked.id).needs_review  # type: ignore[union-attr]
    [event] = _events(session, "rereview.clear", marked.id)
    assert event.actor == "user:editor-user" and event.reason == "minutes checked"
    again = api_as("editor").post(f"/claims/{marked.id}/confirm", {"reason": "again"})
    assert again.status_code == 422


def test_changing_the_verdict_with_a_reason_clears_the_marker(
    session: Session, actor: Actor, run_cli: Invoke
) -> None:
    claim = _true_claim(session, actor, _article(session, actor, 0, publisher="Avisa"))
    mark_needs_review(session, claim.id, "source changed after the verdict", actor)
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=actor,
        reason="typo",
        text=("The council approved its budget"),
    )
    assert claim.needs_review  # an edit that leaves the verdict alone does not clear it
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=actor,
        reason="the minutes say otherwise",
        verdict="misleading",
    )
    assert not claim.needs_review
    mark_needs_review(session, claim.id, "source changed after the verdict", actor)
    session.commit()
    out = run_cli("claims", "confirm", str(claim.id), "--reason", "still misleading")
    assert out.stdout.strip() == f"claim {claim.id}: verdict misleading confirmed, re-review done"
    refused = run_cli("claims", "confirm", str(claim.id), "--reason", "again")
    assert refused.exit_code != 0 and "not marked for re-review" in refused.stderr


# --- claim language -------------------------------------------------------------------------------


def test_language_is_detected_when_none_is_given(
    session: Session,
    actor: Actor,
    signed_in: Callable[[str], FlaskClient],
    api_as: Callable[..., Api],
) -> None:
    made = intake_claim(session, "Die Regierung hat das Budget am Montag beschlossen", actor=actor)
    assert made.claim.language == "de"
    report = import_claims(
        session, [{"text": "Regjeringen vedtok budsjettet for neste år på mandag"}], actor=actor
    )
    assert report.created == 1
    imported = session.scalar(select(Claim).where(Claim.text.like("Regjeringen%")))
    assert imported is not None and imported.language == "nb"
    session.commit()
    created = api_as("reviewer").post("/claims", {"text": "The mayor opened the new bridge today"})
    assert created.get_json()["claim"]["language"] == "en"
    page = signed_in("viewer").get(f"/claims/{made.claim.id}").get_data(as_text=True)
    assert "<dt>Language</dt><dd><code>de</code>" in page


# --- the demo obeys the rules ---------------------------------------------------------------------


def test_every_demo_claim_passes_the_rules_a_user_faces(
    session: Session, demo: dict[str, int], signed_in: Callable[[str], FlaskClient]
) -> None:
    claims = session.scalars(select(Claim).order_by(Claim.id)).all()
    assert len(claims) == 14
    support = provenance(session, [c.id for c in claims])
    for claim in claims:
        overrides = _events(session, "verdict.ai_only_override", claim.id)
        if (
            claim.verdict in (Verdict.TRUE, Verdict.MOSTLY_TRUE)
            and support[claim.id].cls == AI_ONLY
        ):
            assert overrides and overrides[0].reason, f"claim {claim.id} breaks the AI-only rule"
        assert claim.language, f"claim {claim.id} has no language"
        assert claim.confidence is None or 0 <= claim.confidence <= 1
        assert claim.evidence, f"claim {claim.id} has no evidence"
    nine = claims[8]
    assert nine.verdict == Verdict.MOSTLY_TRUE and support[nine.id].cls == AI_ONLY
    [override] = _events(session, "verdict.ai_only_override", nine.id)
    page = signed_in("viewer").get(f"/claims/{nine.id}").get_data(as_text=True)
    assert "AI-only provenance" in page and "Rated Mostly true all the same" in page
    assert escape(override.reason or "") in page  # the editor's reason is on the page


def test_a_demo_file_that_breaks_the_rule_is_refused(
    session: Session, actor: Actor, demo: dict[str, int], tmp_path: Any
) -> None:
    item = json.loads((SEEDS / "claims.json").read_text())["claims"][8]
    item = {k: v for k, v in item.items() if k != "override_reason"} | {"text": "A new claim"}
    path = tmp_path / "claims.json"
    path.write_text(json.dumps({"claims": [item]}))
    with pytest.raises(Invalid, match=r"claim 1: .*override reason"):
        load_claims_file(session, path, actor=actor)
    assert session.scalar(select(Claim).where(Claim.text == "A new claim")) is None


def test_unlinking_evidence_from_a_final_verdict_marks_it(
    session: Session,
    actor: Actor,
    signed_in: Callable[[str], FlaskClient],
    api_as: Callable[..., Api],
    run_cli: Invoke,
) -> None:
    sources = [_article(session, actor, n, publisher=f"Avis {n}") for n in range(4)]
    claim = _true_claim(session, actor, *sources)
    links = [e.id for e in claim.evidence]
    draft = intake_claim(
        session, "Budget draft exists", actor=actor, source_id=sources[0].id, quote=QUOTE
    ).claim
    session.commit()
    with pytest.raises(Invalid, match="reason is required"):
        unlink_evidence(session, claim.id, links[0], reason=" ", actor=actor)
    with pytest.raises(NotFound, match="is not linked"):
        unlink_evidence(session, claim.id, draft.evidence[0].id, reason="r", actor=actor)
    unlink_evidence(session, draft.id, draft.evidence[0].id, reason="wrong quote", actor=actor)
    assert not draft.needs_review  # unreviewed: no verdict lost its ground
    unlink_evidence(session, claim.id, links[0], reason="misquoted", actor=actor)
    assert claim.needs_review and "was unlinked" in claim.needs_review_reasons[0]
    [event] = _events(session, "evidence.unlink", claim.id)
    assert event.reason == "misquoted" and event.changes["evidence_id"]["before"] == links[0]
    session.commit()
    # The claim's history still rebuilds, and shows the link gone after the unlink.
    page = signed_in("reviewer").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "cannot be replayed" not in page and "Unlink this evidence" not in page
    editor = signed_in("editor")
    refused = editor.post(f"/claims/{claim.id}/evidence/{links[1]}/unlink", data={"reason": ""})
    assert refused.status_code == 422 and "Nothing was unlinked" in refused.get_data(as_text=True)
    gone = editor.post(f"/claims/{claim.id}/evidence/{links[0]}/unlink", data={"reason": "r"})
    assert gone.status_code == 404  # unlinked already: no such link on this claim
    assert (
        editor.post(
            f"/claims/{claim.id}/evidence/{links[1]}/unlink", data={"reason": "off topic"}
        ).status_code
        == 302
    )
    assert (
        api_as("reviewer")
        .post(f"/claims/{claim.id}/evidence/{links[2]}/unlink", {"reason": "x"})
        .status_code
        == 403
    )
    reply = api_as("editor").post(f"/claims/{claim.id}/evidence/{links[2]}/unlink", {"reason": "x"})
    assert reply.status_code == 200 and len(reply.get_json()["evidence"]) == 1
    out = run_cli("claims", "unlink", str(claim.id), str(links[3]), "--reason", "last one")
    assert out.stdout.strip() == f"claim {claim.id}: evidence {links[3]} unlinked (needs re-review)"
    session.expire_all()
    fresh = session.get(Claim, claim.id)
    assert fresh is not None and fresh.evidence == [] and len(fresh.needs_review_reasons) == 4


def test_the_create_form_refuses_true_on_ai_only_evidence(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    source = _article(session, actor, 0, url="https://news.example.org/budget")
    set_ai_status(session, source.id, "ai_disclosed", reason="says so", actor=actor)
    session.commit()
    form = {
        "text": "The council approved the budget",
        "source_id": str(source.id),
        "quote": QUOTE,
        "stance": "supports",
        "verdict": "true",
        "action": "create",
    }
    editor = signed_in("editor")
    refused = editor.post("/claims/new", data=form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "the new claim rests only on AI-generated sources" in page
    assert session.scalar(select(Claim).where(Claim.text == form["text"])) is None
    # With a stated reason the editor may rate it; the override is audited.
    why = "The desk confirmed the figures with the council by phone."
    allowed = editor.post("/claims/new", data={**form, "override_reason": why})
    assert allowed.status_code == 302, allowed.get_data(as_text=True)
    claim = session.scalar(select(Claim).where(Claim.text == form["text"]))
    assert claim is not None and claim.verdict == Verdict.TRUE
    [event] = _events(session, "verdict.ai_only_override", claim.id)
    assert event.reason == why
