"""The claim intake form, its live candidates endpoint, and the search page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS, sign_in
from tracker.models import (
    AiGenerated,
    AuditEvent,
    Claim,
    Evidence,
    Excerpt,
    Source,
    Verdict,
)
from tracker.services.audit.log import Actor
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.ingest import ingest_path, iter_input_files

NK = "North Korea has ratified its defence treaty with Russia"
PARAPHRASE = "DPRK ratified the defence treaty"
SENTENCE = "Das Dekret wurde von Nordkoreas Staatschef Kim Jong-un persönlich genehmigt"


@pytest.fixture
def seeded(session: Session, actor: Actor) -> dict[str, int]:
    ids = {}
    for path, skipped in iter_input_files([SEEDS]):
        if skipped:
            continue
        result = ingest_path(session, path, actor=actor)
        assert result.source_id is not None
        ids[path.name[:3]] = result.source_id
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    session.commit()
    return ids


@pytest.fixture
def nk(session: Session, seeded: dict[str, int]) -> Claim:
    claim = session.scalar(select(Claim).where(Claim.text == NK))
    assert claim is not None
    return claim


def _counts(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Claim, Excerpt, Evidence, AuditEvent)
    )


def _source(session: Session, text: str) -> Source:
    source = Source(
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        origin="test:web-intake",
        title="Test source",
        created_by="cli:tester",
        ai_generated=AiGenerated.NO,
    )
    session.add(source)
    session.commit()
    return source


def _span(session: Session, source_id: int, words: str) -> tuple[int, int]:
    source = session.get(Source, source_id)
    assert source is not None
    start = source.text.index(words)
    return start, start + len(words)


# --- the candidates endpoint -------------------------------------------------------------------


def test_candidates_json_finds_the_seed_paraphrase(
    signed_in: Callable[[str], FlaskClient], nk: Claim
) -> None:
    client = signed_in("viewer")
    response = client.get("/claims/candidates", query_string={"text": PARAPHRASE, "language": "en"})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"candidates"} and 1 <= len(data["candidates"]) <= 5
    best = data["candidates"][0]
    assert set(best) == {
        "id",
        "text",
        "score",
        "tiers",
        "level",
        "level_text",
        "verdict",
        "verdict_label",
        "confidence",
        "confidence_text",
        "warnings",
        "url",
    }
    assert (best["verdict"], best["verdict_label"]) == (nk.verdict.value, "True")
    assert best["confidence"] == nk.confidence and best["confidence_text"] == "90 %"
    assert (best["id"], best["text"], best["url"]) == (nk.id, NK, f"/claims/{nk.id}")
    assert best["level"] in ("auto", "suggest") and isinstance(best["warnings"], list)
    assert all(c["level"] in ("auto", "suggest") for c in data["candidates"])
    scores = [c["score"] for c in data["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_candidates_reason_codes(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    create_claim(
        session, text="North Korea has ratified its defence treaty with Russia", actor=actor
    )
    session.commit()
    client = signed_in("viewer")
    text = "South Korea has ratified its defence treaty with Russia"
    [hit] = client.get("/claims/candidates", query_string={"text": text}).get_json()["candidates"]
    assert "entity" in hit["warnings"] and hit["level"] == "suggest"


@pytest.mark.parametrize(
    ("args", "status", "body"),
    [
        ({"text": ""}, 200, {"candidates": []}),
        ({"text": "   \n "}, 200, {"candidates": []}),
        ({}, 200, {"candidates": []}),
        ({"text": "x" * 2001}, 422, None),
        ({"text": PARAPHRASE, "language": "not a tag!"}, 422, None),
    ],
)
def test_candidates_edge_cases(
    signed_in: Callable[[str], FlaskClient],
    nk: Claim,
    args: dict[str, str],
    status: int,
    body: object,
) -> None:
    response = signed_in("viewer").get("/claims/candidates", query_string=args)
    assert response.status_code == status
    assert response.is_json
    if body is not None:
        assert response.get_json() == body
    else:
        assert response.get_json()["error"]


def test_candidates_endpoint_writes_nothing(
    signed_in: Callable[[str], FlaskClient], session: Session, nk: Claim
) -> None:
    client = signed_in("reviewer")
    before = _counts(session)
    for text in (PARAPHRASE, NK, "Russia and North Korea"):
        assert client.get("/claims/candidates", query_string={"text": text}).status_code == 200
    assert _counts(session) == before


def test_candidates_need_a_signed_in_user(client: FlaskClient, nk: Claim) -> None:
    response = client.get("/claims/candidates", query_string={"text": PARAPHRASE})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- the form ----------------------------------------------------------------------------------


def test_form_shows_the_excerpt_from_offsets(
    signed_in: Callable[[str], FlaskClient], session: Session, seeded: dict[str, int]
) -> None:
    start, end = _span(session, seeded["003"], SENTENCE)
    page = signed_in("reviewer").get(
        "/claims/new", query_string={"source_id": seeded["003"], "start": start, "end": end}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"<mark>{SENTENCE}</mark>" in html
    assert f'name="start" type="hidden" value="{start}"' in html
    assert 'id="candidates" aria-live="polite"' in html
    assert 'name="proposed_verdict"' in html and 'name="verdict"' not in html
    # Editors rate; a reviewer's verdict and confidence are proposals (issue 16).
    assert "yours is recorded as a proposal" in html


def test_form_shows_the_excerpt_from_a_quote(
    signed_in: Callable[[str], FlaskClient], seeded: dict[str, int]
) -> None:
    page = signed_in("editor").get(
        "/claims/new", query_string={"source_id": seeded["003"], "quote": SENTENCE}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f"<mark>{SENTENCE}</mark>" in html
    assert 'name="verdict"' in html and 'name="proposed_verdict"' not in html


def test_form_with_bad_offsets_says_so(
    signed_in: Callable[[str], FlaskClient], seeded: dict[str, int]
) -> None:
    page = signed_in("reviewer").get(
        "/claims/new", query_string={"source_id": seeded["003"], "start": 5, "end": 10**7}
    )
    assert page.status_code == 422
    assert "outside the source" in page.get_data(as_text=True)


def test_reviewer_creates_a_claim_from_offsets(
    signed_in: Callable[[str], FlaskClient], session: Session, seeded: dict[str, int]
) -> None:
    client = signed_in("reviewer")
    start, end = _span(session, seeded["003"], SENTENCE)
    claims_before = _counts(session)[0]
    response = client.post(
        "/claims/new",
        data={
            "action": "create",
            "text": "Kim Jong-un personally approved the decree",
            "language": "en",
            "stance": "supports",
            "proposed_verdict": "true",
            "confidence": "75",
            "rationale": "The decree is quoted.",
            "source_id": seeded["003"],
            "start": start,
            "end": end,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    claim = session.scalar(select(Claim).order_by(Claim.id.desc()).limit(1))
    assert claim is not None and response.headers["Location"] == f"/claims/{claim.id}"
    assert _counts(session)[0] == claims_before + 1
    # A reviewer's confidence is a proposal (issue 16).
    assert claim.confidence is None and claim.proposed_confidence == 0.75
    assert claim.verdict == Verdict.UNREVIEWED
    assert claim.proposed_verdict == Verdict.TRUE and claim.proposed_by == "user:reviewer-user"
    [link] = claim.evidence
    source = session.get(Source, seeded["003"])
    assert source is not None
    assert link.excerpt.exact == source.text[start:end] == SENTENCE
    assert (link.excerpt.start_offset, link.excerpt.end_offset) == (start, end)
    actions = set(
        session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "user:reviewer-user"))
    )
    assert {"claim.create", "claim.propose_verdict", "excerpt.create", "evidence.link"} <= actions
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Claim {claim.id} is created." in page


def test_offsets_count_code_points(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    text = "Flag 🇳🇴 and a smile 😀👍🏽 first. Then: the pact was ratified on Tuesday. End."
    source = _source(session, text)
    words = "the pact was ratified on Tuesday"
    start = text.index(words)
    assert len(text[:start].encode("utf-16-le")) // 2 > start  # UTF-16 units would be wrong
    client = signed_in("reviewer")
    page = client.get(
        "/claims/new",
        query_string={"source_id": source.id, "start": start, "end": start + len(words)},
    )
    assert f"<mark>{words}</mark>" in page.get_data(as_text=True)
    response = client.post(
        "/claims/new",
        data={
            "action": "create",
            "text": "The pact was ratified on Tuesday",
            "source_id": source.id,
            "start": start,
            "end": start + len(words),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    excerpt = session.scalar(select(Excerpt).where(Excerpt.source_id == source.id))
    assert excerpt is not None and excerpt.exact == text[start : start + len(words)] == words
    assert excerpt.prefix.endswith("Then: ") and "😀" in excerpt.prefix


def test_linking_adds_evidence_and_creates_no_claim(
    signed_in: Callable[[str], FlaskClient], session: Session, seeded: dict[str, int], nk: Claim
) -> None:
    client = signed_in("reviewer")
    words = "Nordkorea"
    start, end = _span(session, seeded["004"], words)
    before = len(nk.evidence)
    claims_before = _counts(session)[0]
    response = client.post(
        "/claims/new",
        data={
            "action": "link",
            "link_to": str(nk.id),
            "text": PARAPHRASE,
            "stance": "mentions",
            "source_id": seeded["004"],
            "start": start,
            "end": end,
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/claims/{nk.id}"
    session.expire_all()
    assert _counts(session)[0] == claims_before
    claim = session.get(Claim, nk.id)
    assert claim is not None and len(claim.evidence) == before + 1
    newest = claim.evidence[-1]
    assert newest.excerpt.exact == words and newest.stance.value == "mentions"


def test_no_script_link_button_links(
    signed_in: Callable[[str], FlaskClient], session: Session, seeded: dict[str, int], nk: Claim
) -> None:
    """A candidate's button sends only link_to=<id> (the hidden field stays empty)."""
    client = signed_in("reviewer")
    start, end = _span(session, seeded["003"], SENTENCE[:30])
    claims_before = _counts(session)[0]
    response = client.post(
        "/claims/new",
        data={
            "link_to": ["", str(nk.id)],
            "text": PARAPHRASE,
            "source_id": seeded["003"],
            "start": start,
            "end": end,
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/claims/{nk.id}"
    assert _counts(session)[0] == claims_before


def test_linking_to_a_merged_claim_follows_the_redirect(
    signed_in: Callable[[str], FlaskClient],
    session: Session,
    actor: Actor,
    seeded: dict[str, int],
    nk: Claim,
) -> None:
    dup = create_claim(session, text="Pyongyang ratified its defence pact with Moscow", actor=actor)
    merge_claims(session, dup.id, nk.id, reason="same claim", actor=actor)
    session.commit()
    client = signed_in("reviewer")
    start, end = _span(session, seeded["004"], "Pjöngjang")
    response = client.post(
        "/claims/new",
        data={
            "action": "link",
            "link_to": str(dup.id),
            "text": PARAPHRASE,
            "source_id": seeded["004"],
            "start": start,
            "end": end,
        },
    )
    assert response.headers["Location"] == f"/claims/{nk.id}"
    session.expire_all()
    assert (
        session.scalar(
            select(func.count()).select_from(Evidence).where(Evidence.claim_id == dup.id)
        )
        == 0
    )
    linked = session.scalars(select(Evidence).where(Evidence.claim_id == nk.id)).all()
    assert "Pjöngjang" in [e.excerpt.exact for e in linked]


def test_no_script_check_shows_the_candidates_and_writes_nothing(
    signed_in: Callable[[str], FlaskClient], session: Session, seeded: dict[str, int], nk: Claim
) -> None:
    client = signed_in("reviewer")
    start, end = _span(session, seeded["003"], SENTENCE)
    before = _counts(session)
    response = client.post(
        "/claims/new",
        data={"text": PARAPHRASE, "source_id": seeded["003"], "start": start, "end": end},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<li class="candidate" data-claim-id="{nk.id}">' in html
    assert f'name="link_to" value="{nk.id}"' in html
    assert '<button type="submit" name="action" value="create" class="primary">' in html
    assert f"<mark>{SENTENCE}</mark>" in html
    # Each candidate shows its verdict, confidence and a link to it, not only a score.
    item = html.split(f'data-claim-id="{nk.id}">', 1)[1].split("</li>", 1)[0]
    assert '<span class="verdict verdict-true">True</span>' in item
    assert "confidence 90 %" in item
    assert f'<a href="/claims/{nk.id}">claim #{nk.id}</a>' in item
    assert "suggest<" not in item and "auto<" not in item  # levels in words
    assert _counts(session) == before


def test_check_without_a_source_offers_no_link(
    signed_in: Callable[[str], FlaskClient], nk: Claim
) -> None:
    response = signed_in("reviewer").post("/claims/new", data={"text": PARAPHRASE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'data-claim-id="{nk.id}"' in html
    assert "Link to this claim" not in html


def test_candidate_text_is_escaped_on_the_no_script_page(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    evil = '<script>alert("x")</script> The treaty was ratified by <b>parliament</b>'
    create_claim(session, text=evil, actor=actor)
    session.commit()
    html = (
        signed_in("reviewer")
        .post("/claims/new", data={"text": "The treaty was ratified by parliament"})
        .get_data(as_text=True)
    )
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b>parliament" not in html


def test_excerpt_text_is_escaped(signed_in: Callable[[str], FlaskClient], session: Session) -> None:
    text = "Intro. <img src=x onerror=alert(1)> The vote passed. Outro."
    source = _source(session, text)
    start, end = text.index("The vote"), text.index(" Outro")
    html = (
        signed_in("reviewer")
        .get("/claims/new", query_string={"source_id": source.id, "start": start, "end": end})
        .get_data(as_text=True)
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html


def test_viewer_cannot_use_the_form(
    signed_in: Callable[[str], FlaskClient], session: Session, seeded: dict[str, int]
) -> None:
    client = signed_in("viewer")
    start, end = _span(session, seeded["003"], SENTENCE)
    before = _counts(session)[:3]
    data = {
        "action": "create",
        "text": "A claim",
        "source_id": seeded["003"],
        "start": start,
        "end": end,
    }
    assert client.post("/claims/new", data=data).status_code == 403
    assert client.get("/claims/new").status_code == 403
    assert _counts(session)[:3] == before


def test_reviewer_cannot_set_a_verdict_but_an_editor_can(
    signed_in: Callable[[str], FlaskClient], session: Session, make_user: Callable[..., object]
) -> None:
    client = signed_in("reviewer")
    before = _counts(session)[:3]
    data = {"action": "create", "text": "The summit was held in Kazan", "verdict": "true"}
    refused = client.post("/claims/new", data=data)
    assert refused.status_code == 403
    assert "needs the editor role" in refused.get_data(as_text=True)
    # A reviewer's confidence is stored as a proposal (test_reviewer_creates_a_claim_from_offsets).
    assert _counts(session)[:3] == before
    client.post("/logout")
    make_user("editor", "ed")
    sign_in(client, "ed")
    form = client.get("/claims/new").get_data(as_text=True)
    assert 'name="verdict"' in form and 'name="rationale"' in form
    assert 'type="range"' not in form  # no slider sitting at 50 %
    field = re.search(r'<input[^>]*name="confidence"[^>]*>', form)
    assert field is not None and 'placeholder="not set"' in field.group(0)
    assert 'value=""' in field.group(0) or "value=" not in field.group(0)
    too_much = client.post("/claims/new", data={**data, "confidence": "150"})
    assert too_much.status_code == 422 and "from 0 to 100" in too_much.get_data(as_text=True)
    reason = "The organisers' programme lists the summit in Kazan."
    response = client.post("/claims/new", data={**data, "confidence": "80", "rationale": reason})
    assert response.status_code == 302
    session.expire_all()
    claim = session.scalar(select(Claim).where(Claim.text == data["text"]))
    assert claim is not None and claim.verdict == Verdict.TRUE and claim.confidence == 0.8
    assert claim.rationale == reason


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "5", "end": "999999"}, "outside the source"),
        ({"start": "40", "end": "40"}, "outside the source"),
        ({"start": "-1", "end": "3"}, "Number must be at least 0"),
        ({"start": "abc", "end": "3"}, "Not a valid integer"),
        ({"start": "5"}, "both the start and the end"),
        (
            {"quote": "words that are nowhere in this article at all, not even close"},
            "does not occur",
        ),
        ({"text": "   "}, "Write the claim."),
        ({"language": "not a tag!"}, "not a BCP-47 language tag"),
        ({"action": "link"}, "choose the claim to link"),
        ({"action": "link", "link_to": "999999"}, "claim 999999 does not exist"),
    ],
)
def test_invalid_input_reshows_the_form_with_422(
    signed_in: Callable[[str], FlaskClient],
    session: Session,
    seeded: dict[str, int],
    fields: dict[str, str],
    message: str,
) -> None:
    client = signed_in("reviewer")
    data = {
        "action": "create",
        "text": "A new claim about the treaty",
        "source_id": str(seeded["003"]),
    }
    if "quote" not in fields and "start" not in fields:
        start, end = _span(session, seeded["003"], SENTENCE)
        data |= {"start": str(start), "end": str(end)}
    data |= fields
    before = _counts(session)
    response = client.post("/claims/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == (404 if "999999" in message else 422)
    assert message in html
    assert 'id="claim-form"' in html  # the form again, with what was typed
    if data["text"].strip():
        assert "A new claim about the treaty</textarea>" in html
    assert _counts(session) == before


def test_unknown_action_is_refused(signed_in: Callable[[str], FlaskClient]) -> None:
    response = signed_in("reviewer").post("/claims/new", data={"action": "drop", "text": "x y"})
    assert response.status_code == 422 and "unknown action" in response.get_data(as_text=True)


# --- search ------------------------------------------------------------------------------------


def test_search_ranks_the_paraphrase(signed_in: Callable[[str], FlaskClient], nk: Claim) -> None:
    client = signed_in("viewer")
    response = client.get("/search", query_string={"text": PARAPHRASE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "most similar first" in html
    assert html.index(f'href="/claims/{nk.id}"') < html.index("</tbody>")
    first_row = html[html.index("<tbody>") :].split("</tr>")[0]
    assert NK in first_row


def test_search_filters_and_newest_first(
    signed_in: Callable[[str], FlaskClient], session: Session, nk: Claim
) -> None:
    client = signed_in("viewer")
    html = client.get("/search").get_data(as_text=True)
    total = session.scalar(
        select(func.count()).select_from(Claim).where(Claim.merged_into_id.is_(None))
    )
    assert f"{total} claims, newest first" in html
    html = client.get(
        "/search", query_string={"verdict": "true", "min_conf": "90", "max_conf": "100"}
    ).get_data(as_text=True)
    assert NK in html
    shown = session.scalars(
        select(Claim).where(Claim.verdict == Verdict.TRUE, Claim.confidence >= 0.9)
    ).all()
    assert f"{len(shown)} claim" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"min_conf": "abc"}, "Not a valid integer"),
        ({"min_conf": "150"}, "Number must be between 0 and 100"),
        ({"min_conf": "80", "max_conf": "20"}, "the lowest confidence is above the highest"),
        ({"verdict": "bogus"}, "Not a valid choice"),
        ({"language": "not a tag!"}, "not a BCP-47 language tag"),
        ({"source_id": "x"}, "Not a valid integer"),
    ],
)
def test_search_bad_filters_show_an_error(
    signed_in: Callable[[str], FlaskClient], nk: Claim, args: dict[str, str], message: str
) -> None:
    response = signed_in("viewer").get("/search", query_string=args)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_search_pages(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    for n in range(51):
        create_claim(session, text=f"Claim number {n} about the harbour", actor=actor)
    session.commit()
    client = signed_in("viewer")
    first = client.get("/search", query_string={"language": ""}).get_data(as_text=True)
    assert "Page 1 of 2" in first and "Claim number 50 about" in first
    assert "Claim number 0 about" not in first
    second = client.get("/search", query_string={"page": "2"}).get_data(as_text=True)
    assert "Claim number 0 about" in second and "Page 2 of 2" in second


def test_search_ai_only_filter(
    signed_in: Callable[[str], FlaskClient], seeded: dict[str, int], session: Session
) -> None:
    ai_sources = session.scalars(
        select(Source.id).where(Source.ai_generated == AiGenerated.YES)
    ).all()
    html = signed_in("viewer").get("/search", query_string={"ai_only": "y"}).get_data(as_text=True)
    assert response_ok(html)
    shown = 0
    for claim in session.scalars(select(Claim)).all():
        sources = {e.excerpt.source_id for e in claim.evidence}
        row = f'href="/claims/{claim.id}"'
        if sources and sources <= set(ai_sources):
            assert row in html
            shown += 1
        else:
            assert row not in html
    assert shown == 2  # the two claims about the Moscow attack cite only source 000


def response_ok(html: str) -> bool:
    return "<tbody>" in html and "flash-error" not in html
