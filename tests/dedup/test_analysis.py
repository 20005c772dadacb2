"""One analysis per text: a match reads its query once, for the search and for the guards, and
the guards take an analysis made beforehand. The recent scan reads claims with their vectors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.dedup import analysis, embeddings, guard_facts, guards, vector_index
from tracker.services.dedup.analysis import Analysis, analyze, normalize_claim_text
from tracker.services.dedup.matching import match
from tracker.services.dedup.scan import scan

QUERY = "North Korea has ratified its defence treaty with Russia"
CANDIDATES = [
    "North Korea ratified its defense treaty with Russia in 2024",
    "North Korea has not ratified its defence treaty with Russia",
    "South Korea has ratified its defence treaty with Russia",
    "North Korea ratified 45 defence treaties with Russia",
    "North Korea rejected its defence treaty with Russia",
    "DPRK has ratified the defence treaty with Russia",
]


def _count_analyses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts, by text, the runs of the analysis pipeline (``analyze`` and
    ``normalize_claim_text`` both go through it)."""
    calls: Counter[str] = Counter()
    real = analysis._run

    def counted(text: str, *args: object, **kwargs: object) -> object:
        calls[text] += 1
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "_run", counted)
    return calls


def test_a_match_analyses_its_query_once(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    for text in CANDIDATES:
        create_claim(session, text=text, language="en", actor=actor)
    session.flush()
    calls = _count_analyses(monkeypatch)
    found = match(session, QUERY, language="en", limit=len(CANDIDATES))
    assert sorted(m.text for m in found) == sorted(CANDIDATES)  # the guards saw every one
    warned = {m.text: [w.code for w in m.warnings] for m in found}
    assert warned[CANDIDATES[1]] == ["negation"] and warned[CANDIDATES[2]] == ["entity"]
    assert calls[QUERY] == 1
    # Each candidate is analysed once too, by the guards (its normalized text is stored).
    assert {text: calls[text] for text in CANDIDATES} == dict.fromkeys(CANDIDATES, 1)
    assert sum(calls.values()) == len(CANDIDATES) + 1


def test_a_match_gives_what_it_gave_before_analysing_once(session: Session, actor: Actor) -> None:
    """The search reads ``Analysis.normalized``; stored claims hold ``normalize_claim_text``:
    the two agree, so a claim matched against its own text scores 100 with no warning."""
    for text in CANDIDATES:
        create_claim(session, text=text, language="en", actor=actor)
    session.flush()
    for text in CANDIDATES:
        [best, *_] = match(session, text, language="en")
        assert (best.text, best.score, best.warnings) == (text, 100.0, [])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (QUERY, None),
        ("#BoycottCVS: the U.S. won't ratify 1,5 Mio. pacts https://t.co/x", None),
        ("NORTH KOREA IS TESTING THREE THOUSAND MISSILES", "en"),
        ("Nordkorea ratifiziert das Verteidigungsabkommen mit Russland am 22. März", "de"),
        ("Islamic State Khorasan (ISKP) claimed the attack on 22 March 2024", "en"),
        ("Russland hat die Taliban nicht von der Liste gestrichen", None),
    ],
)
def test_the_analysis_holds_the_normalized_text(text: str, language: str | None) -> None:
    found = analyze(text, language)
    assert found.text == text
    assert found.normalized == normalize_claim_text(text, language)
    assert found.normalized  # every example has words


def _pairs() -> list[tuple[str, str]]:
    return [(QUERY, other) for other in CANDIDATES] + [
        ("Russia delists the Taliban", "Russia no longer lists the Taliban"),
        ("Russia delists the Taliban", "Russia lists the Taliban"),
        ("The attack on 22 March killed 139 people", "The attack on 23 March killed 140 people"),
    ]


@pytest.mark.parametrize(("a", "b"), _pairs())
def test_guards_take_a_precomputed_analysis(
    a: str, b: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = guards.compare(a, b, language_a="en", language_b="en")
    first, second = analyze(a, "en"), analyze(b, "en")
    calls = _count_analyses(monkeypatch)
    assert guards.compare(first, second) == expected
    assert guards.compare(first, b, language_b="en") == expected
    assert calls == {b: 1}  # only the text given as text was analysed


def test_a_reader_reads_an_analysis_once(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [
        guards.compare(QUERY, other, language_a="en", language_b="en") for other in CANDIDATES
    ]
    read: list[Analysis] = []
    real = guard_facts.read_facts

    def counted(found: Analysis) -> guard_facts.Facts:
        read.append(found)
        return real(found)

    monkeypatch.setattr(guards, "read_facts", counted)
    query = analyze(QUERY, "en")
    reader = guards.Reader()
    assert [reader.compare(query, other, language_b="en") for other in CANDIDATES] == expected
    assert [r.text for r in read].count(QUERY) == 1
    assert len(read) == len(CANDIDATES) + 1


def test_the_recent_scan_reads_partners_with_their_vectors(
    session: Session,
    actor: Actor,
    count_queries: Callable[[], object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Partners outside the window come with their vectors (the same cosines as the full
    scan), read with their rows: the semantic tier adds no query but the vector index's."""
    old = [create_claim(session, text=t, language="en", actor=actor) for t in CANDIDATES[:3]]
    new = create_claim(session, text=QUERY, language="en", actor=actor)
    session.flush()

    def pairs(found: list[dict[str, Any]]) -> dict[tuple[int, int], tuple[Any, ...]]:
        return {
            (p["claim_id"], p["other_id"]): (p["score"], p["semantic"], p["warning_details"])
            for g in found
            for p in g["pairs"]
        }

    full = pairs(scan(session).groups)  # also brings the vector index up to date
    recent = pairs(scan(session, recent=1).groups)
    assert set(recent) == {(c.id, new.id) for c in old}
    assert all(semantic is not None for _, semantic, _ in recent.values())
    assert {key: full[key] for key in recent} == recent
    encoder = embeddings.encoder()
    assert encoder is not None
    counter = count_queries()
    scan(session, recent=1)
    with_tier = counter.count  # type: ignore[attr-defined]
    counter.count = 0  # type: ignore[attr-defined]
    vector_index.for_session(session, encoder).refresh(session)
    index_reads = counter.count  # type: ignore[attr-defined]
    monkeypatch.setenv(embeddings.ENV_SEMANTIC, "0")
    counter.count = 0  # type: ignore[attr-defined]
    scan(session, recent=1)
    assert with_tier == counter.count + index_reads  # type: ignore[attr-defined]
