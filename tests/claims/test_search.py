"""Claim search: each filter, AI-only provenance, text ranking, pagination, bad values."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS, QueryCounter
from tracker.models import AiGenerated, AiStatus, AuditEvent, Claim, Source, Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.claims.search import search_claims
from tracker.services.errors import Invalid
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.ingest import ingest_path, iter_input_files

NK = "North Korea has ratified its defence treaty with Russia"
STATUS_OF = {
    AiGenerated.YES: AiStatus.AI_REVIEWER,
    AiGenerated.NO: AiStatus.HUMAN_REVIEWER,
    AiGenerated.UNKNOWN: AiStatus.UNKNOWN,
}


def _source(session: Session, text: str, ai: AiGenerated) -> Source:
    source = Source(
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        origin=f"test:{text[:20]}",
        created_by="cli:tester",
        ai_generated=ai,
        ai_status=STATUS_OF[ai],  # the services always set both together
    )
    session.add(source)
    session.flush()
    return source


def _cite(session: Session, claim: Claim, source: Source, actor: Actor) -> None:
    excerpt, _ = get_or_create_excerpt(session, source, 0, 10, actor=actor)
    link_evidence(session, claim, excerpt, "supports", actor=actor)


@pytest.fixture
def claims(session: Session, actor: Actor) -> dict[str, Claim]:
    """Five claims: AI-only, mixed, human-only, unknown-only provenance, and no evidence."""
    ai = _source(session, "Machine-written text about the summit.", AiGenerated.YES)
    human = _source(session, "Reporter's notes about the summit.", AiGenerated.NO)
    unknown = _source(session, "Unattributed text about the summit.", AiGenerated.UNKNOWN)

    def claim(text: str, **fields: object) -> Claim:
        return create_claim(session, text=text, actor=actor, **fields)  # type: ignore[arg-type]

    made = {
        "ai": claim("The summit drew forty delegations", language="en", confidence=0.2),
        "mixed": claim(
            "The summit ended a day early", language="en-GB", verdict="false", confidence=0.5
        ),
        "human": claim("Die Konferenz fand in Kasan statt", language="de", confidence=0.9),
        "unknown": claim("The summit cost a billion roubles", verdict="false"),
        "bare": claim("Nobody attended the closing dinner", language="en", confidence=1.0),
    }
    _cite(session, made["ai"], ai, actor)
    _cite(session, made["mixed"], ai, actor)
    _cite(session, made["mixed"], human, actor)
    _cite(session, made["human"], human, actor)
    _cite(session, made["unknown"], unknown, actor)
    made["ai_source"], made["human_source"] = ai, human  # type: ignore[assignment]
    return made


def _ids(session: Session, **filters: object) -> set[int]:
    page = search_claims(session, **filters)  # type: ignore[arg-type]
    return {hit.claim.id for hit in page.items}


def ids_of(claims: dict[str, Claim], *keys: str) -> set[int]:
    return {claims[k].id for k in keys}


def test_no_filter_lists_every_claim_newest_first(
    session: Session, claims: dict[str, Claim]
) -> None:
    page = search_claims(session)
    assert [h.claim.id for h in page.items] == sorted(
        ids_of(claims, *["ai", "mixed", "human", "unknown", "bare"]), reverse=True
    )
    assert page.total == 5 and page.page == 1 and page.pages == 1
    counts = {h.claim.id: (h.evidence, h.ai_evidence) for h in page.items}
    assert counts[claims["mixed"].id] == (2, 1)
    assert counts[claims["bare"].id] == (0, 0)


def test_verdict_filter(session: Session, claims: dict[str, Claim]) -> None:
    assert _ids(session, verdict="false") == ids_of(claims, "mixed", "unknown")
    assert _ids(session, verdict=Verdict.UNREVIEWED) == ids_of(claims, "ai", "human", "bare")


def test_confidence_range_is_inclusive_and_skips_unset(
    session: Session, claims: dict[str, Claim]
) -> None:
    assert _ids(session, min_conf=0.5) == ids_of(claims, "mixed", "human", "bare")
    assert _ids(session, max_conf=0.5) == ids_of(claims, "ai", "mixed")
    assert _ids(session, min_conf=0.5, max_conf=0.9) == ids_of(claims, "mixed", "human")
    assert _ids(session, min_conf=0, max_conf=1) == ids_of(claims, "ai", "mixed", "human", "bare")


def test_language_filter_includes_regional_tags(session: Session, claims: dict[str, Claim]) -> None:
    # "unknown" was given no language: "en" is detected from its text.
    assert claims["unknown"].language == "en"
    assert _ids(session, language="en") == ids_of(claims, "ai", "mixed", "bare", "unknown")
    assert _ids(session, language="EN-gb") == ids_of(claims, "mixed")
    assert _ids(session, language="de") == ids_of(claims, "human")


def test_source_filter(session: Session, claims: dict[str, Claim]) -> None:
    ai_source = claims["ai_source"]
    human_source = claims["human_source"]
    assert _ids(session, source_id=ai_source.id) == ids_of(claims, "ai", "mixed")
    assert _ids(session, source_id=human_source.id) == ids_of(claims, "mixed", "human")
    assert _ids(session, source_id=999_999) == set()


def test_ai_only_needs_every_evidence_source_flagged(
    session: Session, claims: dict[str, Claim]
) -> None:
    # Mixed provenance, unknown provenance and no evidence at all are not AI-only.
    page = search_claims(session, ai_only=True)
    assert {h.claim.id for h in page.items} == ids_of(claims, "ai")
    assert all(h.ai_only for h in page.items)
    everything = {h.claim.id: h.ai_only for h in search_claims(session).items}
    assert everything[claims["mixed"].id] is False
    assert everything[claims["bare"].id] is False


def test_filters_combine(session: Session, claims: dict[str, Claim]) -> None:
    ai_source = claims["ai_source"]
    assert _ids(session, verdict="false", source_id=ai_source.id) == ids_of(claims, "mixed")
    assert _ids(session, ai_only=True, verdict="false") == set()
    assert _ids(session, language="en", min_conf=0.9) == ids_of(claims, "bare")


def test_pages_of_results(session: Session, claims: dict[str, Claim]) -> None:
    first = search_claims(session, per_page=2)
    third = search_claims(session, per_page=2, page=3)
    beyond = search_claims(session, per_page=2, page=99)
    assert (first.total, first.pages, first.has_next, first.has_prev) == (5, 3, True, False)
    assert len(first.items) == 2 and len(third.items) == 1 and third.has_prev
    assert [h.claim.id for h in beyond.items] == [h.claim.id for h in third.items]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"verdict": "bogus"}, "unknown verdict"),
        ({"min_conf": 1.5}, "from 0 to 100"),
        ({"max_conf": -0.1}, "from 0 to 100"),
        ({"min_conf": 0.8, "max_conf": 0.2}, "above the highest"),
        ({"language": "not a tag!"}, "language tag"),
        ({"source_id": 0}, "source id"),
        ({"text": "x" * 2001}, "longer than 2000"),
    ],
)
def test_bad_filter_values_are_refused(
    session: Session, claims: dict[str, Claim], filters: dict[str, object], message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        search_claims(session, **filters)  # type: ignore[arg-type]


def test_merged_claims_are_left_out(
    session: Session, actor: Actor, claims: dict[str, Claim]
) -> None:
    merge_claims(session, claims["unknown"].id, claims["mixed"].id, reason="same", actor=actor)
    assert claims["unknown"].id not in _ids(session)
    assert _ids(session, verdict="false") == ids_of(claims, "mixed")


def test_a_page_costs_the_same_queries_however_many_claims(
    session: Session,
    actor: Actor,
    claims: dict[str, Claim],
    count_queries: Callable[[], QueryCounter],
) -> None:
    session.flush()
    counter = count_queries()
    search_claims(session, ai_only=True)
    small = counter.count
    source = claims["ai_source"]
    for n in range(12):
        extra = create_claim(session, text=f"Delegation {n} left the summit early", actor=actor)
        excerpt, _ = get_or_create_excerpt(session, source, n + 11, n + 20, actor=actor)  # type: ignore[arg-type]
        link_evidence(session, extra, excerpt, "supports", actor=actor)
    session.flush()
    counter.count = 0
    page = search_claims(session, ai_only=True)
    assert page.total == 13
    assert counter.count == small <= 3
    counter.count = 0
    for hit in page.items:  # everything the page shows is loaded already
        assert hit.claim.text and hit.evidence == 1 and hit.ai_only
    assert counter.count == 0


@pytest.fixture
def seeded(session: Session, actor: Actor) -> None:
    for path, skipped in iter_input_files([SEEDS]):
        if not skipped:
            ingest_path(session, path, actor=actor)
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    session.flush()


def test_text_ranks_a_paraphrase_first(session: Session, seeded: None) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    page = search_claims(session, text="  DPRK ratified the   defence treaty ")
    assert page.items and page.items[0].claim.text == NK
    scores = [h.score for h in page.items]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert page.items[0].level in ("auto", "suggest")
    assert page.items[0].evidence == 3
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_text_ranking_respects_the_other_filters(session: Session, seeded: None) -> None:
    nk = session.scalar(select(Claim).where(Claim.text == NK))
    assert nk is not None and nk.verdict == Verdict.TRUE
    hits = search_claims(session, text="DPRK ratified the defence treaty", verdict="false").items
    assert nk.id not in {h.claim.id for h in hits}
    assert all(h.claim.verdict == Verdict.FALSE for h in hits)
    kept = search_claims(session, text="DPRK ratified the defence treaty", min_conf=0.9)
    assert kept.items[0].claim.id == nk.id
    assert all(h.claim.confidence is not None and h.claim.confidence >= 0.9 for h in kept.items)
    assert search_claims(session, text="   ").total == search_claims(session).total
