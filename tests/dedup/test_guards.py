"""Dedup guards: each kind of difference in several languages, with the paraphrases, alias
swaps, spelling variants and inflections that must stay silent."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.helpers import data_table
from tracker.services.dedup import guards
from tracker.services.dedup.guards import CODES, GuardWarning, compare

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (a, b, language of both or None, code, text expected in the detail)
POSITIVE = data_table("guard_pairs.json", "positive", ("a", "b", "language", "code", "detail"))

# Pairs that must raise nothing: paraphrases, aliases, spellings, inflections, omissions.
NEGATIVE = data_table("guard_pairs.json", "negative", ("a", "b", "language_a", "language_b"))


@pytest.mark.parametrize(("a", "b", "language", "code", "detail"), POSITIVE)
def test_guard_fires(a: str, b: str, language: str | None, code: str, detail: str) -> None:
    warnings = compare(a, b, language_a=language, language_b=language)
    found = {w.code: w.detail for w in warnings}
    assert code in found, warnings
    assert detail in found[code]
    # The other direction finds the same kind of difference.
    assert code in {w.code for w in compare(b, a, language_a=language, language_b=language)}


@pytest.mark.parametrize(("a", "b", "language_a", "language_b"), NEGATIVE)
def test_no_warning(a: str, b: str, language_a: str | None, language_b: str | None) -> None:
    assert compare(a, b, language_a=language_a, language_b=language_b) == []
    assert compare(b, a, language_a=language_b, language_b=language_a) == []


def test_identical_claims_raise_nothing() -> None:
    claims = json.loads((SEEDS / "claims.json").read_text(encoding="utf-8"))["claims"]
    for claim in claims:
        assert compare(claim["text"], claim["text"], language_a="en", language_b="en") == []
        for evidence in claim["evidence"]:
            quote = evidence["quote"]
            assert compare(quote, quote) == []


def test_seed_claims_do_not_contradict_their_german_evidence() -> None:
    claim = "North Korea has ratified its defence treaty with Russia"
    quote = (
        "Diese Warnung erfolgt zu einem Zeitpunkt, an dem das Verteidigungsabkommen zwischen "
        "Moskau und Pjöngjang von der nordkoreanischen Führung ratifiziert wurde."
    )
    assert compare(claim, quote, language_a="en", language_b="de") == []


def test_warnings_are_frozen_and_ordered() -> None:
    warning = GuardWarning("entity", "north korea vs south korea")
    with pytest.raises(dataclasses.FrozenInstanceError):
        warning.code = "other"  # type: ignore[misc]
    assert CODES == ("negation", "polarity", "number", "date", "entity", "event_verb")
    found = compare(
        "North Korea did not ratify the treaty with 3 allies in 2023",
        "South Korea ratified the treaty with 4 allies in 2024",
    )
    assert [w.code for w in found] == ["negation", "number", "date", "entity"]
    assert found[-1] == GuardWarning("entity", "north korea vs south korea")


def test_several_differences_of_one_kind_share_one_warning() -> None:
    found = compare("Chile and Peru signed", "Bolivia and Ecuador signed")
    assert len(found) == 1
    assert found[0].detail == "chile, peru vs bolivia, ecuador"


def test_a_missing_fact_is_not_a_contradiction() -> None:
    full = "On 22 March 2024 Russia and Iran signed 3 agreements in Moscow"
    assert compare(full, "Russia signed agreements") == []
    assert compare(full, "Russia and Iran signed agreements in March") == []


def test_custom_alias_table() -> None:
    table = {"north_korea": ("Hermit Kingdom",), "south_korea": ("Land of the Morning Calm",)}
    found = compare(
        "The Hermit Kingdom ratified", "The Land of the Morning Calm ratified", aliases=table
    )
    assert found == [GuardWarning("entity", "north korea vs south korea")]
    # The database form of the table (surface -> canonical) works too.
    surfaces = {"hermit kingdom": "north_korea", "dprk": "north_korea"}
    assert compare("The Hermit Kingdom ratified", "DPRK ratified", aliases=surfaces) == []


def test_unknown_names_are_not_guessed_from_german_nouns() -> None:
    a = "Der Vertrag wurde vom Parlament gebilligt"
    b = "Der Vertrag wurde von der Regierung gebilligt"
    assert "entity" not in {w.code for w in compare(a, b, language_a="de", language_b="de")}
    found = compare(
        "Der Vertrag wurde von Scholz gebilligt",
        "Der Vertrag wurde von Merz gebilligt",
        language_a="de",
        language_b="de",
    )
    assert found == [GuardWarning("entity", "scholz vs merz")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "Britain and France considered easing limits on Storm Shadow strikes",
            "Britain and France eased limits on Storm Shadow strikes",
        ),
        ("Die Regierung plant, die Steuern zu senken", "Die Regierung senkt die Steuern"),
        ("The EU proposed a ban on Russian gas imports", "The EU banned Russian gas imports"),
    ],
)
def test_tentative_versus_done_is_an_event_warning(a: str, b: str) -> None:
    assert "event_verb" in [w.code for w in compare(a, b)]
    assert "event_verb" in [w.code for w in compare(b, a)]


def test_reader_compares_like_compare_and_bounds_its_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(guards.Reader, "MEMO", 3)
    reader = guards.Reader()
    query = "North Korea has ratified its defence treaty with Russia"
    others = [
        "South Korea has ratified its defense treaty with Russia",
        "North Korea has not ratified the defence treaty with Russia",
        "North Korea rejected its defence treaty with Russia in 2024",
        "North Korea ratified 45 treaties with Russia",
        "DPRK ratified the defence treaty",
    ]
    for other in others * 2:
        assert reader.compare(query, other, language_a="en", language_b="en") == guards.compare(
            query, other, language_a="en", language_b="en"
        )
    assert len(reader._read) <= 3
