"""Titles are never list markers, and bylines in en, de, nl and nb become the author."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import Source
from tracker.services.audit.log import Actor
from tracker.services.sources.bylines import find_author
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text
from tracker.services.sources.titles import guess_title


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Written by J. R. Doe", "J. R. Doe"),
        ("Von: lvd", "lvd"),
        ("Von Anna Müller", "Anna Müller"),
        ("Door Jan de Vries", "Jan de Vries"),
        ("Tekst: Per Hansen", "Per Hansen"),
        ("Av Kari Nordmann", "Kari Nordmann"),
        ("Skrevet av Ola Nordmann | NTB", "Ola Nordmann"),
    ],
)
def test_bylines_in_four_languages(line: str, author: str) -> None:
    assert find_author(f"Some headline of the day\n{line}\n\nThe body starts here.") == author


@pytest.mark.parametrize(
    "line",
    [
        "Von Moskau aus wurde die Delegation offiziell eingeladen.",
        "By the way, this is a sentence.",
        "Text: Die russische Regierung hat die Taliban eingeladen.",
        "Door de oorlog zijn de prijzen gestegen en dat merkt iedereen",
    ],
)
def test_sentences_that_start_like_bylines_are_not_authors(line: str) -> None:
    assert find_author(f"{line}\nMore text.") is None


def test_a_list_item_is_never_the_title() -> None:
    text = "Key takeaways\n- Rusland en Pakistan voerden een oefening uit.\nDe marineoefening\n"
    assert guess_title(text) == "De marineoefening"
    assert guess_title("- Only list items here\n- and another one") == "Only list items here"
    assert guess_title("1. Erster Punkt der Liste\n• zweiter Punkt\n") == "Erster Punkt der Liste"


def test_seeds_get_real_titles_and_the_byline_author(session: Session, actor: Actor) -> None:
    by_name = {}
    for path in sorted(SEEDS.glob("*.txt")):
        result = ingest_path(session, path, actor=actor)
        assert result.source_id is not None
        by_name[path.name[:3]] = session.get_one(Source, result.source_id)
    assert by_name["002"].title == "De Russisch-Pakistaanse marineoefening"
    assert not any(s.title and s.title.startswith(("-", "•", "*")) for s in by_name.values())
    assert by_name["003"].author == "Ivd"  # "Von: Ivd"
    assert by_name["004"].author is None


def test_a_given_author_wins_over_the_byline(session: Session, actor: Actor) -> None:
    text = "Headline of the piece\nBy Jane Doe\n\nBody text of the article goes here.\n"
    source, _ = ingest_text(
        session, text, actor=actor, origin="t", meta=SourceMeta(author="Desk").checked()
    )
    assert source.author == "Desk"
    other, _ = ingest_text(session, text + "More.\n", actor=actor, origin="t2")
    assert other.author == "Jane Doe"
