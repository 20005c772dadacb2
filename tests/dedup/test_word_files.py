"""Word lists in data files: the loader's validation, the shipped files, and the Norwegian
(and German, Dutch, French) lexical path they feed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.dedup import lexicon, word_files
from tracker.services.dedup.analysis import normalize_claim_text
from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES, ENTITY_TYPES
from tracker.services.dedup.matching import match
from tracker.services.dedup.tokens import SYNONYMS, light_stem
from tracker.services.dedup.word_files import (
    WordFileError,
    parse_aliases,
    parse_phrases,
    parse_synonyms,
)

# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("delist\nrevoke\n\n# comment\ndelist\n", 5, "duplicate of line 1"),
        ("delist\nremove ... from ... of\nRemove  ...  FROM ...  of", 3, "duplicate of line 2"),
        ("delist\n... from\n", 2, "cannot start or end"),
        ("delist\nremove ...\n", 2, "cannot start or end"),
        ("remove ... ... from\n", 1, "two ... in a row"),
        ("delist\nwithdraw 2 troops\n", 2, "not a word: '2'"),
        ("lift!\n", 1, "not a word"),
        ("take/off\n", 1, "not a word"),
    ],
)
def test_a_bad_phrase_fails_with_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(WordFileError, match=message) as caught:
        parse_phrases(text, "guards/reversal.xx.txt")
    assert str(caught.value).startswith(f"guards/reversal.xx.txt:{line}: ")
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("treaty: pact\nalliance: pact\n", 2, "'pact' is already a form of 'treaty' \\(line 1\\)"),
        ("treaty: pact pacts! pact!\n", 1, "already a form"),
        ("treaty: pact\n\ntreaty: accord\n", 3, "'treaty' is listed twice"),
        ("treaty pact\n", 1, "expected 'canonical: form form ...'"),
        ("Treaty: pact\n", 1, "expected"),
        ("treaty:\n", 1, "no forms"),
        ("treaty: pa ct2\n", 1, "not a word: 'ct2'"),
    ],
)
def test_a_bad_synonym_line_fails_with_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(WordFileError, match=message) as caught:
        parse_synonyms(text, "lexical/synonyms.xx.txt")
    assert str(caught.value).startswith(f"lexical/synonyms.xx.txt:{line}: ")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("kursk city: Kursk; Koersk\nkazan city: Kasan; koersk\n", 2, "already listed"),
        ("kursk town: Kursk\n", 1, "unknown type 'town'"),
        ("kursk: Kursk\n", 1, "expected"),
        ("kursk city: Kursk\nkursk city: Koersk\n", 2, "listed twice"),
        ("  Koersk\n", 1, "continuation"),
        ("kursk city: ;\n", 1, "no forms"),
    ],
)
def test_a_bad_alias_line_fails_with_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(WordFileError, match=message) as caught:
        parse_aliases(text, "lexical/aliases.txt")
    assert str(caught.value).startswith(f"lexical/aliases.txt:{line}: ")


def test_good_lines_parse() -> None:
    assert parse_phrases("# removal\nremove ... from  # with a gap\nde list\n", "x") == (
        ("remove", "...", "from"),
        ("de", "list"),
    )
    assert parse_synonyms("treaty: Pact pacts!\n", "x") == {"treaty": ("pact", "pacts!")}
    assert parse_aliases("kursk city: Kursk;\n  Koersk; Koursk\n", "x") == {
        "kursk": ("city", ("Kursk", "Koersk", "Koursk"))
    }


# --- the shipped files ----------------------------------------------------------------------


@pytest.mark.parametrize("language", word_files.LANGUAGES)
def test_every_shipped_file_loads(language: str) -> None:
    assert len(word_files.reversal_phrases(language)) >= 10
    assert len(word_files.synonyms(language)) >= 50
    assert word_files.reversal_phrases("nn") == word_files.reversal_phrases("nb")


def test_data_synonyms_never_take_a_word_from_the_code_table() -> None:
    """A form listed in a data file maps to the same canonical word as in lexicon.SYNONYMS,
    if that table lists it at all."""
    for language in word_files.LANGUAGES:
        coded = {
            form.rstrip("!"): canonical
            for canonical, forms in lexicon.SYNONYMS.items()
            for form in forms.get(language, "").split()
        }
        for canonical, forms in word_files.synonyms(language).items():
            for form in forms:
                assert coded.get(form.rstrip("!"), canonical) == canonical, (language, form)


def test_every_english_canonical_word_is_its_own_english_form() -> None:
    # Other languages map to the canonical tokens; English text must reach the same ones.
    english = word_files.synonyms("en")
    for language in word_files.LANGUAGES:
        for canonical in word_files.synonyms(language):
            assert canonical in english or canonical in lexicon.SYNONYMS, (language, canonical)


def test_extra_aliases_are_merged_without_changing_a_seed_entity() -> None:
    assert "Koersk" in DEFAULT_ALIASES["kursk"] and "Kursk" in DEFAULT_ALIASES["kursk"]
    assert ENTITY_TYPES["ecowas"] == "organization"
    assert "CEDEAO" in DEFAULT_ALIASES["ecowas"]
    surfaces: dict[str, str] = {}
    for canonical, forms in DEFAULT_ALIASES.items():
        for form in forms:
            key = " ".join(form.casefold().split())
            assert surfaces.setdefault(key, canonical) == canonical, form
    assert set(SYNONYMS) >= set(lexicon.SYNONYMS)


# --- the lexical path across languages ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("North Korea has ratified the defence treaty with Russia", "en"),
        ("Nordkorea ratifiziert Verteidigungsabkommen mit Russland", "de"),
        ("Noord-Korea heeft het defensieverdrag met Rusland geratificeerd", "nl"),
        ("Nord-Korea ratifiserte forsvarsavtalen med Russland", "nb"),
        ("Nord-Korea har ratifisert forsvarsavtalen med Russland", "nb"),
        ("La Corée du Nord a ratifié le traité de défense avec la Russie", "fr"),
    ],
)
def test_one_claim_in_five_languages_shares_its_words(text: str, language: str) -> None:
    tokens = set(normalize_claim_text(text, language).split())
    assert {"ent_north_korea", "ent_russia", "ratify", "defense", "treaty"} <= tokens


@pytest.mark.parametrize(
    ("nb", "en"),
    [
        ("drepte", "killed"),
        ("drept", "killed"),
        ("signerte", "signed"),
        ("droner", "drones"),
        ("soldater", "soldiers"),
        ("sanksjonene", "sanctions"),
        ("fjernet", "removed"),
        ("mennesker", "people"),
        ("tusenvis", "thousands"),
        ("mars", "March"),
    ],
)
def test_norwegian_words_meet_their_english_cognates(nb: str, en: str) -> None:
    assert normalize_claim_text(nb, "nb") == normalize_claim_text(en, "en")


def test_a_norwegian_query_finds_the_english_claim(session: Session, actor: Actor) -> None:
    texts = [
        "North Korea has ratified its defence treaty with Russia",
        "Russia's State Duma unanimously approved the defence treaty with North Korea in June",
        "North Korea has sent thousands of soldiers to Russia",
        "The terror attack in Moscow on 22 March killed 139 people",
    ]
    ids = [create_claim(session, text=t, language="en", actor=actor).id for t in texts]
    found = match(session, "Nord-Korea ratifiserte forsvarsavtalen med Russland", language="nb")
    assert found[0].claim_id == ids[0]
    assert found[0].level == "suggest" and found[0].warnings == []
    found = match(session, "Nord-Korea har sendt tusenvis av soldater til Russland", language="nb")
    assert found[0].claim_id == ids[2]
    found = match(
        session, "139 mennesker ble drept i terrorangrepet i Moskva 22. mars", language="nb"
    )
    assert found[0].claim_id == ids[3]
    assert found[0].warnings == []


@pytest.mark.parametrize("language", word_files.LANGUAGES)
def test_no_two_canonical_words_share_a_stem(language: str) -> None:
    """Forms are looked up by their light stem: two canonical words whose forms share a stem
    would take each other's words (French "retraite" and "retrait" both stem to "retr")."""
    seen: dict[str, str] = {}
    for canonical, forms in SYNONYMS.items():
        for form in forms.get(language, "").split():
            if not form.endswith("!"):
                stem = light_stem(form, language)
                assert seen.setdefault(stem, canonical) == canonical, (form, stem, seen[stem])
