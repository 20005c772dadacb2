"""Anchoring quotes to exact original offsets: exact and fuzzy matches, W3C selectors,
re-anchoring in changed texts, repeated copies, and the excerpt helper on the database."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import AuditEvent, Source
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid
from tracker.services.sources.boilerplate import Span, derive_spans
from tracker.services.sources.excerpts import (
    CONTEXT_CHARS,
    DEFAULT_MIN_SCORE,
    Anchor,
    anchor_quote,
    copy_of,
    excerpt_from_quote,
    reanchor,
    selectors_for,
)
from tracker.services.sources.ingest import ingest_path
from tracker.services.sources.quote_match import normalize, normalize_view

SEED_001 = "001_041022425303b5a7.txt"
OPENING = "Die russische Regierung hat jetzt die Taliban offiziell eingeladen"
CLOSING = "erheblich unter Druck geraten."


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def spanned(text: str, anchor: Anchor) -> str:
    return text[anchor.start : anchor.end]


def sentence(text: str, begins: str, ends: str) -> tuple[int, int]:
    """Offsets of the unique passage from ``begins`` to the first ``ends`` after it."""
    assert text.count(begins) == 1
    start = text.index(begins)
    return start, text.index(ends, start) + len(ends)


# --- exact quotes on the seeds ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "quote"),
    [
        ("000", "I kjølvannet av et dødelig angrep i Moskva den 22. mars, som krevde 139 liv"),
        ("000", "Sentral-Asias økte rolle i global jihadisme 🔒"),
        ("002", "communicatie en coördinatie te oefenen in verschillende scenario’s"),
        ("003", "der Kreml offiziell eine „neue Ära“ in den strategischen Beziehungen"),
        ("004", "Die Nutzung westlicher Waffen für Angriffe auf russisches Territorium"),
    ],
)
def test_exact_quote_on_each_seed(prefix: str, quote: str) -> None:
    text = seed(prefix)
    anchor = anchor_quote(text, quote)
    assert (anchor.method, anchor.score, anchor.occurrences) == ("exact", 100.0, 1)
    assert anchor.start == text.index(quote) and spanned(text, anchor) == quote


def test_exact_quote_is_stripped_and_empty_quote_refused() -> None:
    text = seed("003")
    anchor = anchor_quote(text, "  \n Nordkorea ratifiziert Verteidigungsabkommen \t")
    assert spanned(text, anchor) == "Nordkorea ratifiziert Verteidigungsabkommen"
    with pytest.raises(Invalid, match="empty"):
        anchor_quote(text, " \n ")


def test_whole_word_occurrences_win_over_word_fragments() -> None:
    text = seed("000")
    raw = text.count("Taliban")
    anchor = anchor_quote(text, "Taliban", occurrence=1)
    # "Talibans" cuts a word; "Taliban-regimets" does not (the hyphen is a boundary).
    assert anchor.occurrences == raw - text.count("Talibans") < raw
    assert anchor.start == text.index("Taliban")
    fragment = anchor_quote(text, "aliban", occurrence=1)  # the quote itself cuts the word
    assert fragment.occurrences == raw and fragment.start == text.index("aliban")
    assert anchor_quote("Talibans und Taliban-Kämpfer", "Taliban").start == 13


# --- the repeated body of seed 001 ------------------------------------------------------------


def test_quote_from_the_first_copy_of_seed_001() -> None:
    text = seed("001")
    spans = derive_spans(text, "de")
    (copy1, copy2) = [s for s in spans if s.kind == "repeated"]
    for kwargs in (
        {"occurrence": 1},
        {"prefix": "aufgrund der Anschläge in Moskau:"},
        {"prefix": "in Moskau:", "suffix": "mit einer umfangreichen Delegation"},
    ):
        anchor = anchor_quote(text, OPENING, spans=spans, **kwargs)
        assert (anchor.start, anchor.end) == (copy1.start, copy1.start + len(OPENING))
        assert anchor.occurrences == 2 and anchor.copy == (0, 1, 2)
        assert copy_of(spans, anchor.start, anchor.end) == (0, 1, 2)
    # The block's last sentence: copy 1 is followed by copy 2, copy 2 ends the text.
    first = anchor_quote(text, CLOSING, suffix="\nDie russische Regierung", spans=spans)
    assert first.end == copy1.end and first.copy == (0, 1, 2)
    second = anchor_quote(text, CLOSING, occurrence=2, spans=spans)
    assert second.end == copy2.end == len(text) and second.copy == (0, 2, 2)


def test_repeated_quote_without_disambiguation_is_refused() -> None:
    text = seed("001")
    spans = derive_spans(text, "de")
    message = r"occurs 2 times in the source \(in copies 1 and 2 of a block the source repeats\)"
    with pytest.raises(Invalid, match=message + r"; say which occurrence \(1-2\)"):
        anchor_quote(text, OPENING, spans=spans)
    with pytest.raises(Invalid, match=r"occurs 2 times in the source; say which occurrence"):
        anchor_quote(text, OPENING)  # without spans the message cannot name the copies
    # A mid-block quote has the same 32 characters around it in both copies.
    with pytest.raises(Invalid, match="prefix/suffix fit more than one"):
        anchor_quote(text, "Die Taliban erklärten", prefix="Vereinigung einstufen. ")
    with pytest.raises(Invalid, match=r"occurrence 3 does not exist"):
        anchor_quote(text, OPENING, occurrence=3)


def test_fuzzy_quote_in_the_repeated_body_is_ambiguous_too() -> None:
    text = seed("001")
    spans = derive_spans(text, "de")
    quote = "Die Taliban erklärten, dass sie an dem Treffen in Rusland teilnemen würden"
    with pytest.raises(Invalid, match=r"matches 2 passages equally well .*copies 1 and 2"):
        anchor_quote(text, quote, spans=spans)
    anchor = anchor_quote(text, quote, occurrence=2, spans=spans)
    assert anchor.method == "fuzzy" and anchor.copy == (0, 2, 2)
    assert spanned(text, anchor) == (
        "Die Taliban erklärten, dass sie an dem Treffen in Russland teilnehmen würden"
    )
    copy2 = next(s for s in spans if s.kind == "repeated" and s.copy == 2)
    assert copy2.start <= anchor.start < anchor.end <= copy2.end


def test_copy_of_accepts_rows_spans_and_mappings() -> None:
    text = seed("001")
    spans = derive_spans(text, "de")
    copy1 = next(s for s in spans if s.kind == "repeated" and s.copy == 1)
    as_rows = [
        {
            "kind": s.kind,
            "start_offset": s.start,
            "end_offset": s.end,
            "group_no": s.group,
            "copy_no": s.copy,
            "copies": s.copies,
        }
        for s in spans
    ]
    for given in (spans, as_rows):
        assert copy_of(given, copy1.start, copy1.end) == (0, 1, 2)
        assert copy_of(given, copy1.end - 5, copy1.end + 5) is None  # crosses into copy 2
        assert copy_of(given, 0, 10) is None  # the header is in no copy
    boilerplate = Span("boilerplate", 0, 10, "share")
    assert copy_of([boilerplate], 0, 10) is None


# --- fuzzy quotes -----------------------------------------------------------------------------


def test_fuzzy_quote_with_typos_maps_to_the_original_sentence() -> None:
    text = seed("002")
    start, end = sentence(text, "Ondanks de nauwere", "marineoefeningen")
    quote = (
        "Ondanks de nauwre militaire samenwerking tussen Rusland en Pakistan in de "
        "afgelopen jaaren, die vooral gericht was op terrorismebestrijdng en marineoefeningen"
    )
    anchor = anchor_quote(text, quote)
    assert anchor.method == "fuzzy" and anchor.occurrences == 0
    assert (anchor.start, anchor.end) == (start, end)
    assert DEFAULT_MIN_SCORE <= anchor.score < 100


def test_fuzzy_quote_with_other_whitespace_and_line_breaks() -> None:
    text = seed("003")
    start, end = sentence(text, "Nordkorea ratifiziert", "Allianz")
    assert "\n" in text[start:end]
    quote = (
        "Nordkorea   ratifiziert Verteidigungsabkommen mit Russland "
        "Die sicherheitspolitische\r\nAllianz"
    )
    anchor = anchor_quote(text, quote)
    assert (anchor.start, anchor.end, anchor.score) == (start, end, 100.0)
    text0 = seed("000")
    para = "For Russland representerer samarbeidet med Taliban en pragmatisk tilnærming"
    anchor = anchor_quote(text0, "jihadisme 🔒 " + para)  # a blank line between them
    assert spanned(text0, anchor) == "jihadisme 🔒\n\n" + para


def test_fuzzy_quote_with_straight_instead_of_typographic_quotes() -> None:
    text = seed("003")
    quote = 'indem er die als tödlich bekannte "Schahed"-Drohnen an das russische Militär liefert'
    anchor = anchor_quote(text, quote)
    assert anchor.score == 100.0 and anchor.method == "fuzzy"
    assert spanned(text, anchor) == quote.replace('"Schahed"', "„Schahed“")
    apostrophe = anchor_quote(seed("002"), "in verschillende scenario's, waaronder")
    assert spanned(seed("002"), apostrophe) == "in verschillende scenario’s, waaronder"
    dash = anchor_quote(seed("003"), "Paris/Moskau - Nato-Generalsekretär Mark Rutte")
    assert spanned(seed("003"), dash) == "Paris/Moskau – Nato-Generalsekretär Mark Rutte"


@pytest.mark.parametrize(
    ("quote", "begins", "ends"),
    [
        # "bereits" left out in the middle
        (
            "Die russische Staatsduma hatte dem Abkommen im Juni einstimmig zugestimmt.",
            "Die russische Staatsduma",
            "zugestimmt.",
        ),
        # the word after the first one left out
        (
            "Ein Bündnis zwischen Russland und China wurde bereits im Mai verkündet.",
            "Ein militärisches Bündnis",
            "verkündet.",
        ),
        # the word before the last one left out
        (
            "Diese Partnerschaften, so Rutte, stellten auch Nordamerika vor neue in einem "
            "sich zunehmend polarisierenden globalen Umfeld",
            "Diese Partnerschaften",
            "Umfeld",
        ),
    ],
)
def test_fuzzy_quote_with_missing_words(quote: str, begins: str, ends: str) -> None:
    text = seed("003")
    anchor = anchor_quote(text, quote)
    assert anchor.method == "fuzzy"
    assert (anchor.start, anchor.end) == sentence(text, begins, ends)


def test_fuzzy_spans_never_cut_words() -> None:
    text = seed("004")
    anchor = anchor_quote(text, "ssische Außenminister Sergej Lavrow hat die westliche Unterstütz")
    assert spanned(text, anchor) == (
        "russische Außenminister Sergej Lawrow hat die westliche Unterstützung"
    )


def test_quote_below_the_threshold_is_refused_naming_the_near_match() -> None:
    text = seed("003")
    quote = "Die russische Staatsduma hat das Abkommen im Juli mit knapper Mehrheit abgelehnt."
    with pytest.raises(Invalid) as refused:
        anchor_quote(text, quote)
    message = str(refused.value)
    found = re.search(
        r"closest passage is '(.+)' \(score (\d+\.\d), below the minimum of 85\)", message
    )
    assert found is not None, message
    assert found.group(1).startswith("Die russische Staatsduma hatte dem Abkommen")
    assert 40 < float(found.group(2)) < DEFAULT_MIN_SCORE
    # The same quote passes a lower, explicit threshold.
    anchor = anchor_quote(text, quote, min_score=float(found.group(2)) - 0.1)
    assert spanned(text, anchor) == QUOTE_003
    assert found.group(1) == QUOTE_003[:79] + "…"  # shortened to 80 characters
    # An unrelated sentence, and a long near-match shortened with an ellipsis.
    with pytest.raises(Invalid, match=r"score \d+\.\d"):
        anchor_quote(text, "Completely unrelated words about cheese and weather.")
    with pytest.raises(Invalid, match=r"closest passage is '.{79}…'"):
        anchor_quote(text, text[300:700].replace("e", "x").replace("n", "x"))


def test_a_different_country_is_not_a_typo() -> None:
    # "Das russische Außenministerium" exists in seed 001; the other country must be refused.
    with pytest.raises(Invalid, match="Das russische Außenministerium"):
        anchor_quote(seed("001"), "Das nordkoreanische Außenministerium")


def test_non_ascii_offsets_count_code_points() -> None:
    text = (
        "Party 🎉🎉 in Zürich: die Cafe\u0301-Betreiberin sagte „wir öffnen morgen“.\n\n"
        "Dann  ging\u00a0sie 👩\u200d👩\u200d👧."
    )
    exact = anchor_quote(text, "in Zürich")
    assert exact.start == 9 == len("Party 🎉🎉 ")  # code points, not UTF-16 units or bytes
    # A precomposed "é" matches "e" plus a combining acute; the span keeps the mark.
    composed = anchor_quote(text, "die Café-Betreiberin")
    assert spanned(text, composed) == "die Cafe\u0301-Betreiberin"
    assert composed.end - composed.start == len("die Café-Betreiberin") + 1
    spaced = anchor_quote(text, "Dann ging sie 👩👩👧.")  # zero-width joiners left out
    assert spanned(text, spaced) == "Dann  ging\u00a0sie 👩\u200d👩\u200d👧."
    assert spaced.end == len(text)


def test_edge_cases_of_fuzzy_quotes() -> None:
    assert spanned("Hello world", anchor_quote("Hello world", "Helo world!")) == "Hello world"
    with pytest.raises(Invalid, match="closest passage is 'Hello world'"):
        anchor_quote("Hello world", "Hello world and much more than that")  # longer than text
    with pytest.raises(Invalid, match="no visible text"):
        anchor_quote("Hello world", "\u200b\u00ad")
    with pytest.raises(Invalid, match="between 0 and 100"):
        anchor_quote("Hello world", "Helo", min_score=150)
    three = "Kopf.\nSatz eins. Satz zwei.\nSatz eins. Satz zwei.\nSatz eins. Satz zwei.\n"
    spans = [
        Span("repeated", 6 + 22 * i, 27 + 22 * i, "repeated_copy", 0, i + 1, 3) for i in range(3)
    ]
    assert [three[s.start : s.end] for s in spans] == ["Satz eins. Satz zwei."] * 3
    with pytest.raises(Invalid, match=r"3 times in the source \(in copies 1, 2 and 3 of"):
        anchor_quote(three, "Satz zwei.", spans=spans)
    assert anchor_quote(three, "Satz zwie.", occurrence=3, spans=spans).copy == (0, 3, 3)


def test_normalized_view_maps_every_character_back() -> None:
    text = "A\u00adb  „C“\n\nﬁ ß É"
    view = normalize_view(text)
    assert view.text == 'ab "c" fi ss é'
    for i, ch in enumerate(view.text):
        assert view.starts[i] < view.ends[i] <= len(text), ch
    fi = view.text.index("fi")
    assert view.to_original(fi, fi + 2) == (10, 11)  # both letters come from the ligature
    assert view.to_original(0, 2) == (0, 3)  # "ab" spans the soft hyphen
    assert normalize("  Die  „Ära“ – jetzt ") == 'die "ära" - jetzt'


# --- selectors --------------------------------------------------------------------------------


def test_selectors_have_w3c_shape_and_32_characters_of_context() -> None:
    text = seed("004")
    quote = "Debatte um Langstreckenwaffen"
    start = text.index(quote)
    quote_sel, position_sel = selectors_for(text, start, start + len(quote))
    assert quote_sel == {
        "type": "TextQuoteSelector",
        "exact": quote,
        "prefix": text[start - CONTEXT_CHARS : start],
        "suffix": text[start + len(quote) : start + len(quote) + CONTEXT_CHARS],
    }
    assert len(quote_sel["prefix"]) == len(quote_sel["suffix"]) == 32
    assert position_sel == {"type": "TextPositionSelector", "start": start, "end": start + 29}


def test_selectors_at_the_edges_of_the_text_are_shorter() -> None:
    text = seed("004")
    head, _ = selectors_for(text, 0, 10)
    assert head["prefix"] == "" and len(head["suffix"]) == 32
    tail, _ = selectors_for(text, len(text) - 8, len(text))
    assert tail["exact"] == "#Energie" and tail["suffix"] == ""
    assert tail["prefix"] == text[-40:-8]
    emoji = "🎉" * 40 + "Mitte" + "👍" * 40
    middle, _ = selectors_for(emoji, 40, 45)
    assert middle["prefix"] == "🎉" * 32 and middle["suffix"] == "👍" * 32
    with pytest.raises(Invalid, match="outside"):
        selectors_for(text, 5, 5)
    with pytest.raises(Invalid, match="outside"):
        selectors_for(text, 0, len(text) + 1)


# --- re-anchoring -----------------------------------------------------------------------------


def _excerpt(text: str, quote: str) -> list[dict[str, Any]]:
    start = text.index(quote)
    return selectors_for(text, start, start + len(quote))


QUOTE_003 = "Die russische Staatsduma hatte dem Abkommen bereits im Juni einstimmig zugestimmt."


def test_reanchor_in_the_unchanged_text_uses_the_position() -> None:
    text = seed("003")
    result = reanchor(_excerpt(text, QUOTE_003), text)
    assert (result.status, result.method, result.score) == ("anchored", "position", 100.0)
    assert text[result.start or 0 : result.end] == QUOTE_003


def test_reanchor_after_edits_before_the_excerpt() -> None:
    text = seed("003")
    selectors = _excerpt(text, QUOTE_003)
    inserted = "Aktualisiert: 🕒 vor 2 Stunden.\n"
    changed = text.replace("Von: Ivd\n", "Von: Ivd\n" + inserted)
    result = reanchor(selectors, changed)
    assert (result.status, result.method, result.score) == ("anchored", "exact", 100.0)
    assert result.start == selectors[1]["start"] + len(inserted)
    assert changed[result.start : result.end] == QUOTE_003


def test_reanchor_after_edits_inside_the_excerpt() -> None:
    text = seed("003")
    selectors = _excerpt(text, QUOTE_003)
    edited = "Die russische Staatsduma hatte dem Abkommen schon im Juni einstimmig zugestimmt."
    changed = text.replace(QUOTE_003, edited)
    result = reanchor(selectors, changed)
    assert (result.status, result.method) == ("anchored", "fuzzy")
    assert DEFAULT_MIN_SCORE <= result.score < 100
    assert changed[result.start or 0 : result.end] == edited


def test_reanchor_prefers_the_copy_with_the_old_context() -> None:
    text = seed("003")
    selectors = _excerpt(text, QUOTE_003)
    old = selectors[1]["start"]
    # A pull quote lands just before the old position; the real sentence moves further away.
    cut = text.rindex(" ", 0, old - 40) + 1
    changed = text[:cut] + "»" + QUOTE_003 + "«, heißt es. " + text[cut:]
    duplicate = changed.index(QUOTE_003)
    real = changed.index(QUOTE_003, duplicate + 1)
    assert abs(duplicate - old) < abs(real - old)
    result = reanchor(selectors, changed)
    assert (result.status, result.method, result.start) == ("anchored", "exact", real)
    # Without the context, the nearest copy wins.
    bare = [{"type": "TextQuoteSelector", "exact": QUOTE_003}, selectors[1]]
    assert reanchor(bare, changed).start == duplicate


def test_reanchor_a_copy_2_excerpt_after_the_source_drops_its_duplicate_body() -> None:
    text = seed("001")
    spans = derive_spans(text, "de")
    copy1, copy2 = (s for s in spans if s.kind == "repeated")
    start = text.index(CLOSING, copy2.start)
    selectors = selectors_for(text, start, start + len(CLOSING))
    deduplicated = text[: copy1.end] + text[copy2.end :]
    result = reanchor(selectors, deduplicated)
    assert (result.status, result.method) == ("anchored", "exact")
    assert (result.start, result.end) == (copy1.end - len(CLOSING), copy1.end)


def test_reanchor_after_deletion_is_orphaned() -> None:
    text = seed("003")
    selectors = _excerpt(text, QUOTE_003)
    changed = text.replace(QUOTE_003 + " ", "")
    result = reanchor(selectors, changed)
    assert result.status == "orphaned"
    assert (result.start, result.end, result.method) == (None, None, None)
    assert 0 < result.score < DEFAULT_MIN_SCORE


def test_reanchor_accepts_one_selector_and_checks_its_input() -> None:
    text = seed("004")
    quote_sel, position_sel = _excerpt(text, "Debatte um Langstreckenwaffen")
    moved = "Neu: " + text
    by_quote = reanchor(quote_sel, moved)
    assert (by_quote.status, by_quote.start) == ("anchored", position_sel["start"] + 5)
    by_position = reanchor(position_sel, text)
    assert (by_position.method, by_position.start) == ("position", position_sel["start"])
    assert reanchor(position_sel, text[:100]).status == "orphaned"
    with pytest.raises(Invalid, match="no TextQuoteSelector"):
        reanchor([{"type": "CssSelector", "value": "p"}], text)


def test_reanchor_keeps_code_point_offsets_around_emoji() -> None:
    text = "Vorspann 🎉 und dann: der zitierte Satz steht hier. Ende 👍"
    selectors = _excerpt(text, "der zitierte Satz steht hier.")
    changed = "👩\u200d👩\u200d👧 Neu! " + text.replace("zitierte", "zitierte, neue")
    result = reanchor(selectors, changed)
    assert result.method == "fuzzy"
    assert changed[result.start or 0 : result.end] == "der zitierte, neue Satz steht hier."


# --- excerpts in the database -----------------------------------------------------------------


@pytest.fixture
def seed001(session: Session, actor: Actor) -> Source:
    result = ingest_path(session, SEEDS / SEED_001, actor=actor)
    source = session.get(Source, result.source_id)
    assert source is not None
    return source


def test_excerpt_from_quote_in_copy_1(session: Session, actor: Actor, seed001: Source) -> None:
    excerpt, anchor = excerpt_from_quote(
        session, seed001, OPENING, actor=actor, prefix="Anschläge in Moskau:"
    )
    assert anchor.method == "exact" and anchor.copy == (0, 1, 2)
    assert excerpt.exact == OPENING and excerpt.start_offset == anchor.start
    assert copy_of(seed001.spans, excerpt.start_offset, excerpt.end_offset) == (0, 1, 2)
    assert excerpt.selectors() == selectors_for(seed001.text, anchor.start, anchor.end)
    again, _ = excerpt_from_quote(session, seed001, OPENING, actor=actor, occurrence=1)
    assert again.id == excerpt.id
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "excerpt.create")).all()
    assert [e.entity_id for e in events] == [str(excerpt.id)] and events[0].reason is None
    with pytest.raises(Invalid, match=r"occurs 2 times .*copies 1 and 2"):
        excerpt_from_quote(session, seed001, OPENING, actor=actor)


def test_excerpt_from_a_fuzzy_quote_records_the_score(
    session: Session, actor: Actor, seed001: Source
) -> None:
    quote = "Eigentumliche Rand-Information aufgrund der Anschlage in Moskau"
    excerpt, anchor = excerpt_from_quote(session, seed001, quote, actor=actor)
    assert anchor.method == "fuzzy" and anchor.copy is None  # the header is not repeated
    assert excerpt.exact == "Eigentümliche Randinformation aufgrund der Anschläge in Moskau"
    assert excerpt.start_offset == seed001.text.index("Eigentümliche")
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "excerpt.create", AuditEvent.entity_id == str(excerpt.id)
        )
    ).one()
    assert event.reason is not None and f"score {anchor.score:.1f}" in event.reason
    with pytest.raises(Invalid, match="closest passage"):
        excerpt_from_quote(session, seed001, "Die Taliban lehnten die Einladung ab", actor=actor)
