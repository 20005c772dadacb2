"""Claim deduplication: candidates from the token index, scores, guards, levels, decisions,
and reversible merges."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import AuditEvent, Claim, ClaimToken, DedupDecision, Evidence, Source
from tracker.services.audit.log import Actor
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.records import create_claim, get_claim, link_evidence
from tracker.services.dedup.matching import DEFAULT_THRESHOLDS, Thresholds, match, record_decision
from tracker.services.dedup.search import top_matches, weights_for
from tracker.services.errors import Conflict, Invalid
from tracker.services.sources.excerpts import get_or_create_excerpt, locate_quote
from tracker.services.sources.ingest import ingest_path

NK = "North Korea has ratified its defense treaty with Russia"


@pytest.fixture
def stored(session: Session, actor: Actor) -> dict[str, Claim]:
    texts = {
        "nk": NK,
        "sk": "South Korea has signed a trade agreement with Chile",
        "taliban": "Russia no longer lists the Taliban as a terrorist organisation",
        "moscow": "The attack on a Moscow concert hall on 22 March killed 139 people",
        "pakistan": "Russia and Pakistan held a naval exercise in the Arabian Sea",
    }
    return {
        key: create_claim(session, text=t, language="en", actor=actor) for key, t in texts.items()
    }


def test_dprk_query_finds_the_north_korea_claim(session: Session, stored: dict[str, Claim]) -> None:
    [best, *_] = match(session, "DPRK ratified the defence treaty", language="en")
    assert best.claim_id == stored["nk"].id
    assert best.level in ("auto", "suggest")
    assert best.warnings == []


def test_south_korea_is_never_auto_merged(session: Session, stored: dict[str, Claim]) -> None:
    found = match(session, "South Korea has ratified its defense treaty with Russia", language="en")
    nk = next(m for m in found if m.claim_id == stored["nk"].id)
    assert nk.level != "auto"
    assert "entity" in [w.code for w in nk.warnings]


def test_negation_is_flagged(session: Session, stored: dict[str, Claim]) -> None:
    found = match(session, "Russia lists the Taliban as a terrorist organisation", language="en")
    hit = next(m for m in found if m.claim_id == stored["taliban"].id)
    assert "negation" in [w.code for w in hit.warnings] and hit.level != "auto"


def test_number_change_is_flagged(session: Session, stored: dict[str, Claim]) -> None:
    found = match(session, "The attack on a Moscow concert hall on 22 March killed 193 people")
    hit = next(m for m in found if m.claim_id == stored["moscow"].id)
    assert "number" in [w.code for w in hit.warnings] and hit.level != "auto"


def test_exact_restatement_is_auto(session: Session, stored: dict[str, Claim]) -> None:
    [best, *_] = match(session, "Russia and Pakistan held a naval exercise in the Arabian Sea.")
    assert (best.claim_id, best.level) == (stored["pakistan"].id, "auto")


LOW = Thresholds(auto=80.0, suggest=50.0)  # puts near-misses with warnings at auto scores


@pytest.mark.parametrize(
    "query",
    [
        "South Korea has ratified its defense treaty with Russia",
        "Russia lists the Taliban as a terrorist organisation",
        "The attack on a Moscow concert hall on 22 March killed 193 people",
        "Russia and Pakistan held a naval exercise in the Arabian Sea.",
        "DPRK ratified the defence treaty",
        "South Korea has not signed a trade agreement with Chile",  # auto score, negation
    ],
)
def test_levels_without_warnings_equal_levels_with_them(
    session: Session, stored: dict[str, Claim], query: str
) -> None:
    """warnings=False skips the guards only where they cannot change the level."""
    for limits in (DEFAULT_THRESHOLDS, LOW):
        full = match(session, query, language="en", limit=10, thresholds=limits)
        light = match(session, query, language="en", limit=10, thresholds=limits, warnings=False)
        assert [(m.claim_id, m.score, m.level) for m in light] == [
            (m.claim_id, m.score, m.level) for m in full
        ]
        for m, f in zip(light, full, strict=True):
            assert m.warnings == (f.warnings if m.lexical >= limits.auto else [])


def test_warnings_still_block_auto_when_only_levels_are_asked(
    session: Session, stored: dict[str, Claim]
) -> None:
    query = "South Korea has not signed a trade agreement with Chile"
    [best, *_] = match(session, query, language="en", thresholds=LOW, warnings=False)
    assert best.claim_id == stored["sk"].id and best.score >= LOW.auto
    assert (best.level, [w.code for w in best.warnings]) == ("suggest", ["negation"])


def test_thresholds_are_configurable_and_checked(
    session: Session, stored: dict[str, Claim]
) -> None:
    strict = Thresholds(auto=100.0, suggest=99.9)
    [best, *_] = match(session, "DPRK ratified the defence treaty", thresholds=strict)
    assert best.level == "none"
    with pytest.raises(Invalid):
        Thresholds(auto=50, suggest=80)


def test_index_rows_follow_the_claim(session: Session, stored: dict[str, Claim]) -> None:
    tokens = set(
        session.scalars(select(ClaimToken.token).where(ClaimToken.claim_id == stored["nk"].id))
    )
    assert tokens == set(stored["nk"].normalized_text.split())
    normalized = stored["nk"].normalized_text
    weight = weights_for(session, normalized.split())
    [(score, best_id), *_] = top_matches(session, normalized, 5, weight, set())
    assert best_id == stored["nk"].id and score == 100.0


def test_match_writes_nothing(session: Session, stored: dict[str, Claim]) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    match(session, "DPRK ratified the defence treaty")
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    with pytest.raises(Invalid):
        match(session, "   ")


def test_distinct_decision_is_stored_and_respected(
    session: Session, actor: Actor, stored: dict[str, Claim]
) -> None:
    twin = create_claim(
        session, text="North Korea ratified the defence pact with Russia", actor=actor
    )
    found = match(session, twin.text, exclude_claim_id=twin.id)
    assert stored["nk"].id in [m.claim_id for m in found]
    decision = record_decision(
        session, twin.id, stored["nk"].id, "distinct", actor=actor, reason="different treaties"
    )
    assert decision.algorithm and decision.t_auto == 92.0 and decision.t_suggest == 60.0
    assert decision.decided_by == actor.name and decision.outcome == "distinct"
    assert decision.score > 0
    found = match(session, twin.text, exclude_claim_id=twin.id)
    assert stored["nk"].id not in [m.claim_id for m in found]


def _claim_with_evidence(session: Session, actor: Actor, text: str, quotes: list[str]) -> Claim:
    source = session.scalar(select(Source).where(Source.origin.startswith("003")))
    assert source is not None
    claim = create_claim(session, text=text, language="en", actor=actor)
    for quote in quotes:
        start, end = locate_quote(source.text, quote)
        excerpt, _ = get_or_create_excerpt(session, source, start, end, actor=actor)
        link_evidence(session, claim, excerpt, "supports", actor=actor)
    return claim


def test_merge_and_unmerge_round_trip(session: Session, actor: Actor) -> None:
    ingest_path(session, SEEDS / "003_36dbd7c5854988d2.txt", actor=actor)
    shared = "Nordkorea ratifiziert Verteidigungsabkommen mit Russland"
    a = _claim_with_evidence(
        session,
        actor,
        "DPRK ratified the treaty",
        [shared, "Das Dekret wurde von Nordkoreas Staatschef"],
    )
    b = _claim_with_evidence(session, actor, NK, [shared])
    a.rationale = "edited once"
    session.flush()
    before_a = (a.text, a.rationale, a.version, sorted(e.id for e in a.evidence))
    before_b = sorted(e.id for e in b.evidence)

    merge_claims(session, a.id, b.id, reason="same ratification", actor=actor)
    a, b = get_claim(session, a.id), get_claim(session, b.id)
    assert a.merged_into_id == b.id and a.evidence == []
    assert len(b.evidence) == 2  # the shared excerpt is not doubled
    assert (
        session.scalar(
            select(DedupDecision.outcome).where(DedupDecision.claim_id == min(a.id, b.id))
        )
        == "merged"
    )

    restored = unmerge_claim(session, a.id, actor=actor, reason="not the same")
    assert restored.merged_into_id is None
    after_a = (
        restored.text,
        restored.rationale,
        restored.version - 2,  # the merge and the unmerge each wrote a version
        sorted(e.id for e in restored.evidence),
    )
    assert after_a == before_a
    assert sorted(e.id for e in get_claim(session, b.id).evidence) == before_b
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "claim.merge" in actions and "claim.unmerge" in actions


def test_merge_refusals_change_nothing(
    session: Session, actor: Actor, stored: dict[str, Claim]
) -> None:
    nk, sk = stored["nk"], stored["sk"]
    with pytest.raises(Invalid):
        merge_claims(session, nk.id, nk.id, reason="x", actor=actor)
    with pytest.raises(Invalid):
        merge_claims(session, nk.id, sk.id, reason=" ", actor=actor)
    merge_claims(session, sk.id, nk.id, reason="test", actor=actor)
    with pytest.raises(Conflict):
        merge_claims(session, stored["taliban"].id, sk.id, reason="into a merged one", actor=actor)
    with pytest.raises(Conflict):
        merge_claims(session, sk.id, stored["taliban"].id, reason="twice", actor=actor)


def test_merge_failing_halfway_changes_nothing(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_path(session, SEEDS / "003_36dbd7c5854988d2.txt", actor=actor)
    a = _claim_with_evidence(
        session,
        actor,
        "DPRK ratified the treaty",
        ["Nordkorea ratifiziert Verteidigungsabkommen mit Russland"],
    )
    b = create_claim(session, text=NK, actor=actor)

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("tracker.services.claims.merge.dedup.record_decision", boom)
    with pytest.raises(RuntimeError):
        merge_claims(session, a.id, b.id, reason="same", actor=actor)
    session.expire_all()
    assert get_claim(session, a.id).merged_into_id is None
    assert (
        session.scalar(select(func.count()).select_from(Evidence).where(Evidence.claim_id == a.id))
        == 1
    )


def test_alias_edits_renormalize_stored_claims(session: Session, actor: Actor) -> None:
    from tracker.services.dedup.aliases import add_alias, remove_alias

    claim = create_claim(
        session, text="The Hermit Kingdom ratified the defence treaty", language="en", actor=actor
    )
    assert "ent_north_korea" not in claim.normalized_text
    add_alias(session, "Hermit Kingdom", "north_korea", actor=actor)
    session.refresh(claim)
    assert "ent_north_korea" in claim.normalized_text.split()
    tokens = set(session.scalars(select(ClaimToken.token).where(ClaimToken.claim_id == claim.id)))
    assert "ent_north_korea" in tokens
    [best, *_] = match(session, "North Korea ratified the defence treaty")
    assert best.claim_id == claim.id
    remove_alias(session, "hermit kingdom", actor=actor, reason="too vague")
    session.refresh(claim)
    assert "ent_north_korea" not in claim.normalized_text.split()
    assert "claim.renormalize" in session.scalars(select(AuditEvent.action)).all()
