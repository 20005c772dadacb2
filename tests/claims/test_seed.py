"""The hand-made demo claim set (seeds/claims.json) is well formed and quotes
the seeds exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
VERDICTS = {"unreviewed", "in_review", "true", "mostly_true", "misleading", "false", "unverifiable"}
STANCES = {"supports", "refutes", "mentions"}
DPRK_SOURCES = {"003_36dbd7c5854988d2.txt", "004_58ab18637f5a0651.txt"}


def load_claims() -> list[dict[str, Any]]:
    data = json.loads((SEEDS / "claims.json").read_text(encoding="utf-8"))
    assert set(data) == {"claims"}
    claims = data["claims"]
    assert isinstance(claims, list)
    return claims


def occurrences(text: str, quote: str) -> list[int]:
    """Start of every occurrence of quote in text, overlapping ones included."""
    starts, pos = [], text.find(quote)
    while pos != -1:
        starts.append(pos)
        pos = text.find(quote, pos + 1)
    return starts


def evidence() -> list[tuple[int, dict[str, Any]]]:
    return [(n, ev) for n, claim in enumerate(load_claims()) for ev in claim["evidence"]]


def test_claim_count_and_fields() -> None:
    claims = load_claims()
    assert len(claims) >= 8
    texts = [claim["text"] for claim in claims]
    assert len({t.casefold() for t in texts}) == len(texts)  # no duplicate claims
    for claim in claims:
        allowed = {"text", "language", "verdict", "confidence", "rationale", "evidence"}
        assert set(claim) <= allowed | {"override_reason"}
        assert isinstance(claim["text"], str) and len(claim["text"]) >= 20
        assert claim["language"] == "en"
        assert claim["verdict"] in VERDICTS
        confidence = claim["confidence"]
        assert confidence is None or (
            isinstance(confidence, int | float)
            and not isinstance(confidence, bool)
            and 0 <= confidence <= 1
        )
        assert isinstance(claim["rationale"], str) and claim["rationale"].strip()
        assert claim["evidence"], claim["text"]


def test_verdicts_and_stances_are_mixed() -> None:
    claims = load_claims()
    verdicts = {claim["verdict"] for claim in claims}
    assert len(verdicts) >= 4
    assert verdicts & {"false", "misleading"}
    assert verdicts & {"unreviewed", "in_review", "unverifiable"}
    stances = {ev["stance"] for _, ev in evidence()}
    assert "supports" in stances and stances & {"refutes", "mentions"}


@pytest.mark.parametrize(("claim_no", "ev"), evidence())
def test_quote_is_exact_substring_of_its_seed(claim_no: int, ev: dict[str, Any]) -> None:
    assert set(ev) <= {"source", "quote", "stance", "occurrence"}
    assert ev["stance"] in STANCES
    path = SEEDS / ev["source"]
    assert path.parent == SEEDS and path.is_file(), ev["source"]
    text = path.read_text(encoding="utf-8")
    quote = ev["quote"]
    assert quote == quote.strip() and len(quote) >= 40, quote
    starts = occurrences(text, quote)
    assert starts, f"claim {claim_no}: quote not in {ev['source']}: {quote!r}"
    if len(starts) > 1:
        assert "occurrence" in ev, f"quote occurs {len(starts)}x, occurrence needed: {quote!r}"
    if "occurrence" in ev:
        occurrence = ev["occurrence"]
        assert isinstance(occurrence, int) and not isinstance(occurrence, bool)
        assert 1 <= occurrence <= len(starts)


def test_repeated_seed_quotes_pick_a_copy() -> None:
    # Seed 001 states its body twice, so its quotes must say which copy they mean.
    from_001 = [ev for _, ev in evidence() if ev["source"].startswith("001_")]
    assert from_001
    assert all(ev.get("occurrence") == 1 for ev in from_001)


def test_dprk_ratification_is_backed_by_two_outlets() -> None:
    (claim,) = [
        c
        for c in load_claims()
        if "North Korea" in c["text"] and "ratified" in c["text"] and "treaty" in c["text"]
    ]
    assert claim["verdict"] in {"true", "mostly_true"}
    supporting = {ev["source"] for ev in claim["evidence"] if ev["stance"] == "supports"}
    assert supporting >= DPRK_SOURCES


def test_key_seed_facts_are_covered() -> None:
    quotes = {ev["quote"] for _, ev in evidence()}
    for fragment in [
        "den 22. mars, som krevde 139 liv",
        "nicht mehr als terroristische Vereinigung einstufen",
        "Treffen in Kasan",
        "in de Arabische Zee",
        "„Schahed“-Drohnen",
        "im Juni einstimmig zugestimmt",
        "unmittelbare militärische Unterstützung",
        "Tausende Soldaten",
    ]:
        assert any(fragment in quote for quote in quotes), fragment
