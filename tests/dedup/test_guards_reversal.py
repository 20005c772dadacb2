"""Removal and reversal verbs in the guards: "delists" carries the "no longer" of "no longer
lists", in English, German, Dutch, Norwegian Bokmål and French, in both directions."""

from __future__ import annotations

import pytest

from tracker.services.dedup.guards import compare

NO_LONGER = "Russia no longer classifies the Taliban as a terrorist organisation"
LISTS = "Russia lists the Taliban as a terrorist organisation"

# (a removal claim, its language): each says what NO_LONGER says, and contradicts LISTS.
REMOVALS = [
    ("Russia delists the Taliban", "en"),
    ("Russia removed the Taliban from its list of terrorist organisations", "en"),
    ("Russia takes the Taliban off its terror list", "en"),
    ("Russia has de-listed the Taliban", "en"),
    ("Russland streicht die Taliban von der Terrorliste", "de"),
    ("Russland hat die Taliban von der Liste der Terrororganisationen gestrichen", "de"),
    ("Rusland heeft de Taliban van de terreurlijst geschrapt", "nl"),
    ("Rusland schrapt de Taliban van de lijst van terroristische organisaties", "nl"),
    ("Russland har fjernet Taliban fra terrorlisten", "nb"),
    ("Russland stryker Taliban fra listen over terrororganisasjoner", "nb"),
    ("La Russie retire les talibans de sa liste des organisations terroristes", "fr"),
    ("La Russie a radié les talibans de la liste des organisations terroristes", "fr"),
]


def codes(a: str, b: str, la: str | None = None, lb: str | None = None) -> list[str]:
    return [w.code for w in compare(a, b, language_a=la, language_b=lb)]


@pytest.mark.parametrize(("text", "language"), REMOVALS)
def test_a_removal_agrees_with_no_longer(text: str, language: str) -> None:
    assert "negation" not in codes(text, NO_LONGER, language, "en")
    assert "negation" not in codes(NO_LONGER, text, "en", language)


@pytest.mark.parametrize(("text", "language"), REMOVALS)
def test_a_removal_contradicts_the_plain_claim(text: str, language: str) -> None:
    assert "negation" in codes(text, LISTS, language, "en")
    assert "negation" in codes(LISTS, text, "en", language)


def test_the_issue_example_names_the_reversal_word() -> None:
    found = compare("Russia delists the Taliban", LISTS)
    assert [(w.code, w.detail) for w in found] == [("negation", "negated (delists) vs not negated")]
    assert compare("Russia delists the Taliban", NO_LONGER) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Russia has not delisted the Taliban", "en"),
        ("Russland hat die Taliban nicht von der Terrorliste gestrichen", "de"),
        ("Rusland heeft de Taliban niet van de terreurlijst geschrapt", "nl"),
        ("Russland har ikke fjernet Taliban fra terrorlisten", "nb"),
        ("La Russie ne retire pas les talibans de sa liste des organisations terroristes", "fr"),
    ],
)
def test_a_negated_removal_cancels_out(text: str, language: str) -> None:
    # "has not delisted" says the Taliban are still listed: like LISTS, unlike a removal.
    assert "negation" not in codes(text, LISTS, language, "en")
    assert "negation" in codes(text, "Russia delisted the Taliban", language, "en")


@pytest.mark.parametrize(
    ("a", "la", "b", "lb"),
    [
        (
            "The EU lifted sanctions on Syria",
            "en",
            "The EU no longer imposes sanctions on Syria",
            "en",
        ),
        (
            "Die EU hob die Sanktionen gegen Syrien auf",
            "de",
            "The EU no longer has sanctions on Syria",
            "en",
        ),
        (
            "De EU heeft de sancties tegen Syrië opgeheven",
            "nl",
            "The EU no longer has sanctions on Syria",
            "en",
        ),
        (
            "EU har opphevet sanksjonene mot Syria",
            "nb",
            "The EU no longer has sanctions on Syria",
            "en",
        ),
        (
            "L'UE a levé les sanctions contre la Syrie",
            "fr",
            "The EU no longer has sanctions on Syria",
            "en",
        ),
        ("Russia revoked the licence", "en", "Russia has withdrawn the licence", "en"),
        ("Russia withdrew from the grain deal", "en", "Russland trakk seg fra kornavtalen", "nb"),
        ("Mali withdrew from ECOWAS", "en", "Le Mali s'est retiré de la CEDEAO", "fr"),
        (
            "Russland zog sich aus dem Abkommen zurück",
            "de",
            "Russia is no longer part of the treaty",
            "en",
        ),
    ],
)
def test_reversals_in_every_language_agree(a: str, la: str, b: str, lb: str) -> None:
    assert "negation" not in codes(a, b, la, lb)
    assert "negation" not in codes(b, a, lb, la)


@pytest.mark.parametrize(
    ("a", "la", "b", "lb"),
    [
        ("The EU lifted sanctions on Syria", "en", "The EU has sanctions on Syria", "en"),
        ("Die EU hob die Sanktionen gegen Syrien auf", "de", "The EU has sanctions on Syria", "en"),
        (
            "De EU heeft de sancties tegen Syrië opgeheven",
            "nl",
            "The EU has sanctions on Syria",
            "en",
        ),
        ("EU har opphevet sanksjonene mot Syria", "nb", "The EU has sanctions on Syria", "en"),
        ("L'UE a levé les sanctions contre la Syrie", "fr", "The EU has sanctions on Syria", "en"),
        ("Mali withdrew from ECOWAS", "en", "Mali is a member of ECOWAS", "en"),
        ("Le Mali s'est retiré de la CEDEAO", "fr", "Mali is a member of ECOWAS", "en"),
    ],
)
def test_reversals_in_every_language_contradict_the_plain_claim(
    a: str, la: str, b: str, lb: str
) -> None:
    assert "negation" in codes(a, b, la, lb)
    assert "negation" in codes(b, a, lb, la)


def test_a_reversal_the_polarity_guard_compares_is_left_to_it() -> None:
    # "lifted" vs "imposed" is one opposite pair: a polarity warning, not a negation as well.
    found = codes("The EU lifted sanctions on Russia", "The EU imposed sanctions on Russia")
    assert found == ["polarity"]
    assert codes("The EU lifted sanctions on Russia", "The EU has lifted sanctions on Russia") == []


def test_a_gap_is_bounded() -> None:
    # "remove ... from" skips at most four words: "removed" alone is no removal from a list.
    far = "Russia removed its ambassador and then spoke at length from the podium about the Taliban"
    assert "negation" not in codes(far, "Russia spoke about the Taliban")


def test_regular_inflections_of_opposite_words_count() -> None:
    # The light stemmer gives nb "kutte" and "kutter" different stems; the polarity table
    # holds the regular inflections of its forms too.
    found = compare(
        "Norway will increase its support to Ukraine by 5 billion kroner",
        "Norge kutter støtten til Ukraina med 5 milliarder kroner",
        language_a="en",
        language_b="nb",
    )
    assert [w.code for w in found] == ["polarity"]
