"""Word lists and pattern tables are data files, checked when loaded: a duplicate or a bad
pattern fails with the file and the line."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

import pytest

from tracker import datafiles
from tracker.datafiles import DataFileError, checked_pattern
from tracker.services.ai.leftover_patterns import load_leftovers
from tracker.services.ai.patterns import TABLES
from tracker.services.ai.patterns import load_language as load_disclosure
from tracker.services.dedup.entity_lexicon import DEFAULT_ALIASES, load_entities
from tracker.services.dedup.spelling_lexicon import SPELLING_VARIANTS, load_spelling
from tracker.services.sources.boilerplate_patterns import load_tables
from tracker.services.text.date_words import WORDS, load_language

_names = count()


@pytest.fixture
def data_file(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], str]:
    """Serve TEXT as a data file under a fresh name (the loaders cache by name)."""
    files: dict[str, str] = {}
    real = datafiles.read_text

    def fake(name: str) -> str:
        return files[name] if name in files else real(name)

    monkeypatch.setattr(datafiles, "read_text", fake)

    def make(suffix: str, text: str) -> str:
        name = f"test/file{next(_names)}.{suffix}"
        files[name] = text
        return name

    return make


def test_the_shipped_files_load() -> None:
    assert DEFAULT_ALIASES["russia"][0] == "Russia"
    assert SPELLING_VARIANTS["colours"] == "colors"
    assert SPELLING_VARIANTS["programme"] == "program"


def test_an_entity_form_listed_twice_names_the_line(data_file: Callable[[str, str], str]) -> None:
    name = data_file("txt", "# comment\nparis city: Paris;\n  Parijs; Paris\n")
    with pytest.raises(DataFileError, match=rf"tracker/data/{name}:3: paris: form 'Paris'"):
        load_entities(name)


def test_an_entity_listed_twice_names_the_line(data_file: Callable[[str, str], str]) -> None:
    name = data_file("txt", "paris city: Paris\n\nparis city: Parijs\n")
    with pytest.raises(DataFileError, match=rf"{name}:3: entity 'paris' is listed twice"):
        load_entities(name)


@pytest.mark.parametrize("text", ["paris: Paris\n", "  Paris\n", "paris city Paris\n"])
def test_a_malformed_entity_line_is_refused(
    data_file: Callable[[str, str], str], text: str
) -> None:
    name = data_file("txt", text)
    with pytest.raises(DataFileError, match=rf"{name}:1: "):
        load_entities(name)


def test_a_spelling_root_listed_twice_names_the_line(data_file: Callable[[str, str], str]) -> None:
    text = '[[family]]\nroots = [\n  "col",\n  "fav",\n  "col",\n]\n[family.endings]\nour = "or"\n'
    name = data_file("toml", text)
    with pytest.raises(DataFileError, match=rf"{name}:5: duplicate root 'col'"):
        load_spelling(name)


def test_a_spelling_mapped_two_ways_is_refused(data_file: Callable[[str, str], str]) -> None:
    text = '[[family]]\nroots = ["col"]\n[family.endings]\nour = "or"\n\n[words]\ncolour = "colr"\n'
    name = data_file("toml", text)
    with pytest.raises(DataFileError, match=rf"{name}:7: 'colour' maps to two spellings"):
        load_spelling(name)


def test_a_duplicate_toml_key_names_the_line(data_file: Callable[[str, str], str]) -> None:
    name = data_file("toml", '[words]\ngrey = "gray"\ngrey = "gray"\n')
    with pytest.raises(DataFileError, match=r"line 3"):
        load_spelling(name)


MONTHS = "months = [" + ", ".join(f'["m{i}"]' for i in range(12)) + "]\n"
WEEKDAYS = "weekdays = [" + ", ".join(f'["d{i}"]' for i in range(7)) + "]\n"


def test_a_date_language_file_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    text = 'dayfirst = true\npublished = ["posted"]\nupdated = ["changed"]\n' + MONTHS + WEEKDAYS
    _serve(monkeypatch, {"dates/zz.toml": text})
    words = load_language("zz")
    assert words.months[11] == ("m11",) and words.weekdays[0] == ("d0",) and words.dayfirst
    assert WORDS["de"].months[2][0] == "märz"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            'dayfirst = true\npublished = []\nupdated = []\nmonths = [["jan"]]\n' + WEEKDAYS,
            "months must list 12 entries",
        ),
        (
            'dayfirst = "yes"\npublished = []\nupdated = []\n' + MONTHS + WEEKDAYS,
            "dayfirst must be true or false",
        ),
        (
            'dayfirst = true\npublished = ["am",\n "am"]\nupdated = []\n' + MONTHS + WEEKDAYS,
            r"zz.toml:3: duplicate published entry 'am'",
        ),
        (
            "dayfirst = true\npublished = []\nupdated = []\n"
            + MONTHS.replace("m11", "m10")
            + WEEKDAYS,
            "duplicate months name 'm10'",
        ),
    ],
)
def test_a_bad_date_language_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, text: str, error: str
) -> None:
    _serve(monkeypatch, {"dates/zz.toml": text})
    with pytest.raises(DataFileError, match=error):
        load_language("zz")


def _serve(monkeypatch: pytest.MonkeyPatch, fake: dict[str, str]) -> None:
    real = datafiles.read_text
    datafiles.load_toml.cache_clear()
    monkeypatch.setattr(datafiles, "read_text", lambda name: fake.get(name) or real(name))


def test_a_bad_pattern_names_the_file_and_line() -> None:
    with pytest.raises(
        DataFileError, match=r"tracker/data/x/patterns.txt:7: bad pattern '\(unclosed'"
    ):
        checked_pattern("x/patterns.txt", 7, "(unclosed")
    assert checked_pattern("x/patterns.txt", 8, r"\bok\b").search("it is ok")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "[full]\nshare = [\n  'share',\n  '(unclosed',\n]\n",
            r"en.toml:4: bad pattern '\(unclosed'",
        ),
        (
            "[full]\nshare = [\n  'share',\n  'share',\n]\n",
            r"en.toml:4: duplicate full share pattern",
        ),
        ("[search]\nweather = ['sunny']\n", r"en.toml:2: \[search\]: unknown label 'weather'"),
    ],
)
def test_bad_boilerplate_patterns_are_refused(
    monkeypatch: pytest.MonkeyPatch, text: str, error: str
) -> None:
    _serve(monkeypatch, {"boilerplate/en.toml": text})
    with pytest.raises(DataFileError, match=error):
        load_tables()
    datafiles.load_toml.cache_clear()  # the next test reads the shipped file again


LEFTOVER = (
    '[[leftover]]\nlanguages = ["en"]\nrule = "{rule}"\nwhere = "any"\nconfidence = 0.9\n'
    "pattern = '{pattern}'\ntriggers = [\"as a\"]\n\n"
)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            LEFTOVER.format(rule="a", pattern="ok") + LEFTOVER.format(rule="b", pattern="(bad"),
            r"leftovers.toml:14: bad pattern '\(bad'",
        ),
        (
            LEFTOVER.format(rule="a", pattern="ok") + LEFTOVER.format(rule="a", pattern="ok"),
            r"leftovers.toml:9: rule en.a is listed twice",
        ),
        (
            LEFTOVER.format(rule="a", pattern="ok").replace("0.9", "1.5"),
            r"leftovers.toml:1: confidence must be a number in \(0, 1\]",
        ),
    ],
)
def test_bad_leftover_rows_are_refused(
    monkeypatch: pytest.MonkeyPatch, text: str, error: str
) -> None:
    _serve(monkeypatch, {"ai/leftovers.toml": text})
    with pytest.raises(DataFileError, match=error):
        load_leftovers()
    datafiles.load_toml.cache_clear()


def test_a_bad_disclosure_table_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    english = datafiles.read_text("ai/disclosure/en.toml")
    _serve(
        monkeypatch, {"ai/disclosure/zz.toml": english.replace("aux = '(?:was", "aux = '(?:was(")}
    )
    with pytest.raises(DataFileError, match=r"disclosure/zz.toml:\d+: bad pattern"):
        load_disclosure("zz")
    _serve(monkeypatch, {"ai/disclosure/zz.toml": english + "colour = 'blue'\n"})
    with pytest.raises(DataFileError, match=r"zz.toml:\d+: unknown field 'colour'"):
        load_disclosure("zz")
    datafiles.load_toml.cache_clear()
    assert load_disclosure("en") == TABLES["en"]
