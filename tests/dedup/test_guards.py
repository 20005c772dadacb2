"""Dedup guards: each kind of difference in several languages, with the paraphrases, alias
swaps, spelling variants and inflections that must stay silent."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tracker.services.dedup import guards
from tracker.services.dedup.guards import CODES, GuardWarning, compare

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

# (a, b, language of both or None, code, text expected in the detail)
POSITIVE = [
    # negation
    (
        "Russia lists the Taliban as terrorists",
        "Russia no longer lists the Taliban as terrorists",
        "en",
        "negation",
        "no longer",
    ),
    (
        "North Korea has ratified the treaty",
        "North Korea has not ratified the treaty",
        None,
        "negation",
        "not",
    ),
    ("The army never attacked the city", "The army attacked the city", "en", "negation", "never"),
    (
        "Russland stuft die Taliban als Terrororganisation ein",
        "Russland stuft die Taliban nicht mehr als Terrororganisation ein",
        "de",
        "negation",
        "nicht mehr",
    ),
    ("Es gab Opfer", "Es gab keine Opfer", "de", "negation", "keine"),
    (
        "Nordkorea hat den Vertrag ratifiziert",
        "Nordkorea hat den Vertrag nie ratifiziert",
        "de",
        "negation",
        "nie",
    ),
    (
        "Angrepet drepte 139 mennesker",
        "Angrepet drepte ikke 139 mennesker",
        "nb",
        "negation",
        "ikke",
    ),
    (
        "Russland vil samarbeide med Taliban",
        "Russland vil aldri samarbeide med Taliban",
        "nb",
        "negation",
        "aldri",
    ),
    ("Rusland erkent de Taliban", "Rusland erkent de Taliban niet", "nl", "negation", "niet"),
    ("Er waren slachtoffers", "Er waren geen slachtoffers", "nl", "negation", "geen"),
    (
        "Ryssland erkänner talibanerna",
        "Ryssland erkänner inte talibanerna",
        "sv",
        "negation",
        "inte",
    ),
    (
        "La Russie reconnaît les talibans",
        "La Russie ne reconnaît pas les talibans",
        "fr",
        "negation",
        "ne",
    ),
    # polarity
    (
        "The EU imposes sanctions on Iran",
        "The EU lifts sanctions on Iran",
        "en",
        "polarity",
        "imposes vs lifts",
    ),
    (
        "Parliament approved the budget",
        "Parliament rejected the budget",
        "en",
        "polarity",
        "approved vs rejected",
    ),
    (
        "Russia ratified the treaty",
        "Russia withdrew from the treaty",
        "en",
        "polarity",
        "ratified vs withdrew",
    ),
    ("Prices increased", "Prices decreased", "en", "polarity", "increased vs decreased"),
    ("Macron won the vote", "Macron lost the vote", "en", "polarity", "won vs lost"),
    (
        "The ministry confirmed the report",
        "The ministry denied the report",
        "en",
        "polarity",
        "confirmed vs denied",
    ),
    ("The strike was legal", "The strike was illegal", "en", "polarity", "legal vs illegal"),
    (
        "The law is constitutional",
        "The law is unconstitutional",
        "en",
        "polarity",
        "constitutional vs unconstitutional",
    ),
    (
        "The board approves the merger",
        "The board disapproves of the merger",
        "en",
        "polarity",
        "approves vs disapproves",
    ),
    ("Die Steuer wurde erhöht", "Die Steuer wurde gesenkt", "de", "polarity", "erhöht vs gesenkt"),
    (
        "Das Gesetz ist verfassungswidrig",
        "Das Gesetz ist verfassungsgemäß",
        "de",
        "polarity",
        "verfassungswidrig",
    ),
    ("Der Einsatz war zulässig", "Der Einsatz war unzulässig", "de", "polarity", "unzulässig"),
    (
        "De belasting werd verhoogd",
        "De belasting werd verlaagd",
        "nl",
        "polarity",
        "verhoogd vs verlaagd",
    ),
    ("De staking was wettig", "De staking was onwettig", "nl", "polarity", "onwettig"),
    ("Våpenet er lovlig", "Våpenet er ulovlig", "nb", "polarity", "lovlig vs ulovlig"),
    ("Skatten økte", "Skatten ble redusert", "nb", "polarity", "økte vs redusert"),
    (
        "Regjeringen bekreftet rapporten",
        "Regjeringen avkreftet rapporten",
        "nb",
        "polarity",
        "bekreftet vs avkreftet",
    ),
    # number
    ("The attack killed 45 people", "The attack killed 54 people", "en", "number", "45 vs 54"),
    ("Three soldiers were killed", "Four soldiers were killed", "en", "number", "three vs four"),
    ("Dozens of people died", "Millions of people died", "en", "number", "dozens vs millions"),
    (
        "The attack on 22 March killed 139 people",
        "The attack on 22 March killed 193 people",
        "en",
        "number",
        "139 vs 193",
    ),
    ("Drei Soldaten starben", "Vier Soldaten starben", "de", "number", "drei vs vier"),
    ("Hunderte Soldaten", "Tausende Soldaten", "de", "number", "hunderte vs tausende"),
    ("Het kost 2 miljoen euro", "Het kost 3 miljoen euro", "nl", "number", "vs"),
    (
        "Angrepet drepte 139 mennesker",
        "Angrepet drepte 140 mennesker",
        "nb",
        "number",
        "139 vs 140",
    ),
    ("Tre soldater døde", "Fire soldater døde", "nb", "number", "tre vs fire"),
    # date
    (
        "The election was held in 2023",
        "The election was held in 2024",
        "en",
        "date",
        "2023 vs 2024",
    ),
    ("The treaty was signed in May", "The treaty was signed in June", "en", "date", "may vs june"),
    ("The attack on 22 March", "The attack on 23 March", "en", "date", "22 march vs 23 march"),
    (
        "The meeting took place on Monday",
        "The meeting took place on Friday",
        "en",
        "date",
        "monday vs friday",
    ),
    (
        "Die Staatsduma stimmte im Juni zu",
        "Die Staatsduma stimmte im Oktober zu",
        "de",
        "date",
        "june vs october",
    ),
    ("Der Angriff war gestern", "Der Angriff war heute", "de", "date", "yesterday vs today"),
    (
        "Das Treffen fand am Montag statt",
        "Das Treffen fand am Dienstag statt",
        "de",
        "date",
        "monday vs tuesday",
    ),
    (
        "Het verdrag werd in 2023 getekend",
        "Het verdrag werd in 2024 getekend",
        "nl",
        "date",
        "2023 vs 2024",
    ),
    ("De oefening was in mei", "De oefening was in juni", "nl", "date", "may vs june"),
    ("Angrepet i Moskva 22. mars", "Angrepet i Moskva 23. mars", "nb", "date", "22 march"),
    ("Møtet var i mai 2024", "Møtet var i juni 2024", "nb", "date", "may vs june"),
    ("Signed on 2024-06-19", "Signed on 19.07.2024", None, "date", "19 june vs 19 july"),
    # entity
    (
        "North Korea has ratified its defense treaty with Russia",
        "South Korea has ratified its defense treaty with Russia",
        "en",
        "entity",
        "north korea vs south korea",
    ),
    ("Chile signed the treaty", "Peru signed the treaty", "en", "entity", "chile vs peru"),
    ("Putin signed the decree", "Lavrov signed the decree", "en", "entity", "putin vs lavrov"),
    (
        "Russia invited the Taliban to Kazan",
        "Russia invited the Taliban to Moscow",
        "en",
        "entity",
        "kazan vs moscow",
    ),
    (
        "Nordkorea ratifiziert Verteidigungsabkommen mit Russland",
        "Südkorea ratifiziert Verteidigungsabkommen mit Russland",
        "de",
        "entity",
        "north korea vs south korea",
    ),
    (
        "Rusland en Pakistan hielden een oefening",
        "Rusland en India hielden een oefening",
        "nl",
        "entity",
        "pakistan vs india",
    ),
    (
        "Iran leverer droner til Russland",
        "Kina leverer droner til Russland",
        "nb",
        "entity",
        "iran vs china",
    ),
    (
        "Giorgio Cafiero wrote the article",
        "John Smith wrote the article",
        "en",
        "entity",
        "giorgio cafiero vs john smith",
    ),
    (
        "The treaty was praised by Elbonia",
        "The treaty was praised by Zubrowka",
        "en",
        "entity",
        "elbonia vs zubrowka",
    ),
    # event verbs
    ("The bill was proposed", "The bill was adopted", "en", "event_verb", "proposed vs adopted"),
    (
        "Russia announced the exercise",
        "Russia signed the exercise agreement",
        "en",
        "event_verb",
        "announced vs signed",
    ),
    (
        "The group planned the attack",
        "The group carried out the attack",
        "en",
        "event_verb",
        "planned vs carried out",
    ),
    (
        "The suspect was arrested",
        "The suspect was convicted",
        "en",
        "event_verb",
        "arrested vs convicted",
    ),
    (
        "The treaty was signed in June",
        "The treaty was ratified in June",
        "en",
        "event_verb",
        "signed vs ratified",
    ),
    (
        "Das Gesetz wurde vorgeschlagen",
        "Das Gesetz wurde verabschiedet",
        "de",
        "event_verb",
        "vorgeschlagen vs verabschiedet",
    ),
    (
        "Het verdrag werd ondertekend",
        "Het verdrag werd geratificeerd",
        "nl",
        "event_verb",
        "ondertekend vs geratificeerd",
    ),
    ("Loven ble foreslått", "Loven ble vedtatt", "nb", "event_verb", "foreslått vs vedtatt"),
]

# Pairs that must raise nothing: paraphrases, aliases, spellings, inflections, omissions.
NEGATIVE = [
    (
        "DPRK ratified the defence treaty",
        "North Korea has ratified its defense treaty with Russia",
        None,
        None,
    ),
    ("North Korea ratified the defence pact", "DPRK has ratified its defense treaty", "en", "en"),
    ("The organisation was recognised", "The organization was recognized", "en", "en"),
    (
        "Iran supplies Shahed drones to the Russian military",
        "Iran supplies Shahed drones to Russia's military",
        None,
        None,
    ),
    ("The attack was carried out by ISKP", "The attack was carried out by IS-K", None, None),
    (
        "The attack was carried out by ISKP",
        "The attack was carried out by Islamic State Khorasan Province",
        None,
        None,
    ),
    ("3 soldiers were killed", "three soldiers were killed", "en", "en"),
    ("Thousands of soldiers were sent", "3000 soldiers were sent", "en", "en"),
    ("Russia held 3,000 troops there", "Russia held 3000 troops there", "en", "en"),
    ("Parliament did not approve the budget", "Parliament rejected the budget", "en", "en"),
    ("The prime minister did not win the vote", "The prime minister lost the vote", "en", "en"),
    ("Not only Russia but also China ratified", "Russia and China ratified", "en", "en"),
    ("Russia may ratify the treaty", "Russia will ratify the treaty in June", "en", "en"),
    ("The attack in Moscow killed 139 people", "The attack killed 139 people", "en", "en"),
    (
        "The treaty between Moscow and Pyongyang",
        "The treaty between Russia and North Korea",
        "en",
        "en",
    ),
    ("The F-16 jets arrived in 2024", "The jets arrived in 2024", "en", "en"),
    ("Signed on 2024-06-19", "Signed on 19 June 2024", "en", "en"),
    (
        "Nordkorea ratifiziert Verteidigungsabkommen mit Russland",
        "Nordkorea hat den Verteidigungspakt mit Russland ratifiziert",
        "de",
        "de",
    ),
    (
        "Nordkorea ratifiziert Verteidigungsabkommen mit Russland",
        "North Korea has ratified its defence treaty with Russia",
        "de",
        "en",
    ),
    (
        "Noord-Korea heeft het defensieverdrag met Rusland geratificeerd",
        "Nord-Korea ratifiserte forsvarsavtalen med Russland",
        "nl",
        "nb",
    ),
    (
        "Die russische Staatsduma hatte dem Abkommen bereits im Juni einstimmig zugestimmt",
        "Russia's State Duma unanimously approved the defence treaty with North Korea in June",
        "de",
        "en",
    ),
    ("Tre soldater døde", "3 soldater døde", "nb", "nb"),
    (
        "Russland und China verkündeten ein Bündnis im Mai",
        "Russia and China announced a military alliance in May",
        "de",
        "en",
    ),
    (
        "NORTH KOREA RATIFIES DEFENCE TREATY WITH RUSSIA",
        "North Korea ratifies defence treaty with Russia",
        "en",
        "en",
    ),
    (
        "North Korea Ratifies Defence Treaty With Russia",
        "North Korea ratifies the defence treaty with Russia",
        "en",
        "en",
    ),
]


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
