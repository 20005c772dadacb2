"""Publication-date finding: seeds, every supported language, ranking, rejection, garbage."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, cast

import pytest

from tests.helpers import data_table
from tracker.services.text.dates import (
    LANGUAGES,
    FoundDate,
    LanguageParserInfo,
    find_publication_date,
    looks_like_date_line,
    parse_date_expression,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PROSE = (
    "Dette er en lang brødtekst som fortsetter over mange ord og setninger, slik at den "
    "tydelig er et avsnitt og ikke en overskrift eller en byline i artikkelen. Den har også "
    "flere setninger, noen tall som 12 og 34, og mer tekst etter det."
)


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def article(header: str) -> str:
    return f"{header}\n\n{PROSE}\n\n{PROSE}\n"


# --- seeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", [None, "nb", "de", "en"])
def test_seed_000_norwegian_date_only(language: str | None) -> None:
    text = seed("000")
    found = find_publication_date(text, language)
    assert found is not None
    assert found.value == datetime(2024, 5, 28)
    assert found.value.tzinfo is None
    assert not found.has_time
    assert found.iso() == "2024-05-28"
    assert (found.start, found.end) == (0, 13)
    assert text[found.start : found.end] == "28. mai, 2024"
    assert found.line == "28. mai, 2024"


def test_seed_000_reports_given_language() -> None:
    found = find_publication_date(seed("000"), "nb")
    assert found is not None and found.language == "nb"


@pytest.mark.parametrize("language", [None, "de", "nb"])
def test_seed_001_german_forum_post(language: str | None) -> None:
    text = seed("001")
    found = find_publication_date(text, language)
    assert found is not None
    assert found.value == datetime(2024, 4, 1, 23, 17)
    assert found.value.tzinfo is None
    assert found.has_time
    assert found.iso() == "2024-04-01T23:17:00"
    assert text[found.start : found.end] == "01.04.2024, 23:17"
    assert (found.start, found.end) == (0, 17)
    assert found.line == "01.04.2024, 23:17"
    assert found.language == language


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
@pytest.mark.parametrize("language", [None, "nl", "de"])
def test_seeds_without_publication_date(prefix: str, language: str | None) -> None:
    assert find_publication_date(seed(prefix), language) is None


def test_seed_body_dates_are_not_publication_dates() -> None:
    # 000 has "den 22. mars" in the body; 001 "vom 14 bis zum 19 Mai"; 003 "im Mai", "gestern".
    text = seed("000").replace("28. mai, 2024", "Share")
    assert find_publication_date(text, "nb") is None
    text = seed("001").replace("01.04.2024, 23:17", "Beitrag")
    assert find_publication_date(text, "de") is None


# --- header forms in every language ------------------------------------------------------------

# (language, header line, expected iso(), expected matched text)
HEADERS = data_table("date_headers.json", "headers", ("language", "line", "iso", "matched"))

# Language-neutral forms: the same reading whatever language is given.
NEUTRAL = [
    ("2023-03-07T10:15:00+01:00", "2023-03-07T10:15:00+01:00", "2023-03-07T10:15:00+01:00"),
    ("2023-03-07T10:15:00.250Z", "2023-03-07T10:15:00+00:00", "2023-03-07T10:15:00.250Z"),
    ("2023-03-07 10:15", "2023-03-07T10:15:00", "2023-03-07 10:15"),
    ("7.3.2023 10:15:30 +0100", "2023-03-07T10:15:30+01:00", "7.3.2023 10:15:30 +0100"),
    ("2023/03/07", "2023-03-07", "2023/03/07"),
    ("03.04.2024", "2024-04-03", "03.04.2024"),
    ("3.4.24", "2024-04-03", "3.4.24"),
    ("23:17 - 01.04.2024", "2024-04-01T23:17:00", "23:17 - 01.04.2024"),
    ("14.02.2023 12:00 UTC+2", "2023-02-14T12:00:00+02:00", "14.02.2023 12:00 UTC+2"),
]


@pytest.mark.parametrize(("language", "line", "iso", "matched"), HEADERS)
def test_header_line_in_each_language(language: str, line: str, iso: str, matched: str) -> None:
    text = article(f"Overskrift\n{line}")
    found = find_publication_date(text, language)
    assert found is not None
    assert found.iso() == iso
    assert text[found.start : found.end] == matched
    assert found.line == line
    assert found.language == language


@pytest.mark.parametrize(("language", "line", "iso", "matched"), HEADERS)
def test_header_line_without_language(language: str, line: str, iso: str, matched: str) -> None:
    text = article(line)
    found = find_publication_date(text)
    assert found is not None
    assert found.iso() == iso
    assert text[found.start : found.end] == matched
    assert found.language in (None, language)


@pytest.mark.parametrize(("language", "line", "iso", "matched"), HEADERS)
def test_parse_date_expression_each_language(
    language: str, line: str, iso: str, matched: str
) -> None:
    # The date expression alone, and the whole line when only keywords surround the date.
    exprs = [matched]
    rest = line.replace(matched, "").strip(" :|,")
    if not rest or rest.split()[0] in KEYWORDS:
        exprs.append(line)
    for expr in exprs:
        for lang in (language, None):
            parsed = parse_date_expression(expr, lang)
            assert parsed is not None, expr
            value, has_time = parsed
            assert has_time == ("T" in iso)
            assert FoundDate(value, has_time, 0, 0, "", language).iso() == iso


KEYWORDS = {
    "Publisert",
    "Oppdatert",
    "Publicert",
    "Udgivet",
    "Opdateret",
    "Publicerad",
    "Uppdaterad",
    "Aktualisiert",
    "Stand",
    "Veröffentlicht",
    "Bijgewerkt",
    "Gepubliceerd",
    "Published",
    "Updated",
    "Posted",
    "Publié",
    "Mis",
}


def test_parse_date_expression_is_strict_about_other_words() -> None:
    # Authors and places are fine in a header line, but the line is not a date expression.
    assert parse_date_expression("Av Kari Nordmann, NTB | 5. sept. 2022") is None
    assert parse_date_expression("Berlin, 3. Juli 2023") is None
    assert looks_like_date_line("Berlin, 3. Juli 2023")
    assert not looks_like_date_line("Terror attack in Moscow on 22 March 2024 shocks the world")


@pytest.mark.parametrize(("line", "iso", "matched"), NEUTRAL)
@pytest.mark.parametrize("language", [None, *LANGUAGES])
def test_language_neutral_forms(language: str | None, line: str, iso: str, matched: str) -> None:
    text = article(line)
    found = find_publication_date(text, language)
    assert found is not None
    assert found.iso() == iso
    assert text[found.start : found.end] == matched
    parsed = parse_date_expression(line, language)
    assert parsed is not None and parsed[0] == found.value


def test_language_reported_only_when_one_language_reads_it() -> None:
    found = find_publication_date(article("Tuesday, 7 March 2023"))
    assert found is not None and found.language == "en"
    found = find_publication_date(article("01.04.2024"))  # every language reads it alike
    assert found is not None and found.language is None


def test_language_codes_are_normalised() -> None:
    for code in ("nb-NO", "no", "NB", "de_AT"):
        assert parse_date_expression("14. februar 2023", code) == (datetime(2023, 2, 14), False)
    # An unknown language means "try them all".
    assert parse_date_expression("7 March 2023", "ru") == (datetime(2023, 3, 7), False)


def test_falls_back_to_other_languages_for_a_foreign_byline() -> None:
    text = article("Overskrift\nPublished March 7, 2023")
    found = find_publication_date(text, "nb")
    assert found is not None and found.value == datetime(2023, 3, 7)
    assert found.language == "en"
    # parse_date_expression keeps to the language it was given.
    assert parse_date_expression("March 7, 2023", "nb") is None


# --- time zones and iso() -----------------------------------------------------------------------


def test_zone_only_when_written() -> None:
    value, _ = parse_date_expression("7 March 2023 10:15") or (None, None)
    assert value == datetime(2023, 3, 7, 10, 15) and value.tzinfo is None
    value, _ = parse_date_expression("7 March 2023 10:15 CET") or (None, None)
    assert value is not None and value.utcoffset() == timedelta(hours=1)
    value, _ = parse_date_expression("2023-03-07T10:15:00Z") or (None, None)
    assert value is not None and value.tzinfo == UTC
    value, _ = parse_date_expression("2023-03-07T10:15:00-04:30") or (None, None)
    assert value is not None and value.utcoffset() == -timedelta(hours=4, minutes=30)


def test_iso_formats() -> None:
    day = FoundDate(datetime(2023, 3, 7), False, 0, 10, "x", None)
    clock = FoundDate(datetime(2023, 3, 7, 9, 5), True, 0, 10, "x", None)
    zoned = FoundDate(
        datetime(2023, 3, 7, 9, 5, tzinfo=timezone(timedelta(hours=2))), True, 0, 10, "x", None
    )
    assert day.iso() == "2023-03-07"
    assert clock.iso() == "2023-03-07T09:05:00"
    assert zoned.iso() == "2023-03-07T09:05:00+02:00"


def test_midnight_when_no_time() -> None:
    assert parse_date_expression("Publisert 14. februar 2023") == (datetime(2023, 2, 14), False)
    assert parse_date_expression("14. februar 2023 kl. 00.00") == (datetime(2023, 2, 14), True)


# --- which line wins ---------------------------------------------------------------------------


def test_published_beats_updated_in_either_order() -> None:
    for header in (
        "Tittel\nPublisert 14. februar 2023 kl. 07.30\nOppdatert 15. februar 2023 kl. 10.00",
        "Tittel\nOppdatert 15. februar 2023 kl. 10.00\nPublisert 14. februar 2023 kl. 07.30",
        "Ola Nordmann | Oppdatert 15. februar 2023 10:00 | Publisert 14. februar 2023 07:30",
    ):
        found = find_publication_date(article(header), "nb")
        assert found is not None and found.value == datetime(2023, 2, 14, 7, 30), header


def test_first_plain_header_date_wins_over_later_updated() -> None:
    found = find_publication_date(article("14. februar 2023\nOppdatert 15. februar 2023"))
    assert found is not None and found.value == datetime(2023, 2, 14)
    found = find_publication_date(article("Oppdatert 15. februar 2023\n14. februar 2023"))
    assert found is not None and found.value == datetime(2023, 2, 14)


def test_updated_date_is_used_when_it_is_the_only_one() -> None:
    found = find_publication_date(article("Aktualisiert am 3. Januar 2023"), "de")
    assert found is not None and found.value == datetime(2023, 1, 3)


def test_first_of_two_header_dates() -> None:
    text = article("Title\n7 March 2023\n8 March 2023")
    found = find_publication_date(text, "en")
    assert found is not None and found.value == datetime(2023, 3, 7)
    assert text[found.start : found.end] == "7 March 2023"


def test_keyword_byline_anywhere_in_the_text() -> None:
    text = f"Title\n\n{PROSE}\n\nPublished: 7 March 2023 at 10:15\n\n{PROSE}"
    found = find_publication_date(text)
    assert found is not None and found.value == datetime(2023, 3, 7, 10, 15)
    assert text[found.start : found.end] == "7 March 2023 at 10:15"
    assert found.line == "Published: 7 March 2023 at 10:15"


def test_keyword_on_its_own_line_before_the_date() -> None:
    text = f"Tittel\n\n{PROSE}\n\nPublisert:\n14.02.2023 12:00\n"
    found = find_publication_date(text)
    assert found is not None and found.iso() == "2023-02-14T12:00:00"


def test_offsets_with_crlf_and_leading_blank_lines() -> None:
    text = "\r\n\r\n  Oslo, 14. februar 2023  \r\n" + PROSE
    found = find_publication_date(text)
    assert found is not None
    assert text[found.start : found.end] == "14. februar 2023"
    assert found.line == "  Oslo, 14. februar 2023  "


@pytest.mark.parametrize(
    "line",
    [
        "By John Smith | March 7, 2023",
        "Von Max Mustermann, 3. Januar 2023",
        "Oslo, 14. februar 2023",
        "Af Hans Hansen, Politiken · 7. marts 2023",
    ],
)
def test_bylines_with_author_or_place(line: str) -> None:
    found = find_publication_date(article(f"Title of the piece\n{line}"))
    assert found is not None and found.line == line
    assert looks_like_date_line(line)


# --- what must not be found ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Body dates without a byline keyword.
        f"Title\n{PROSE}\n7 March 2023\n",
        f"Tittel\n{PROSE} Angrepet skjedde 22. mars 2024 i Moskva.\n",
        # A keyword in prose is not a byline.
        f"Title\n{PROSE}\nThe report was published on 7 March 2023.\n",
        # A headline that merely mentions a date.
        "Terror attack in Moscow on 22 March 2024 shocks the region and the world\n" + PROSE,
        # No year.
        "28. mai\n" + PROSE,
        "Publisert 14. februar kl. 07.30\n" + PROSE,
        "Die Duma stimmte im Juni zu, gestern trat es in Kraft.\n",
        # Ranges are events.
        "14.–19. Mai 2024\n" + PROSE,
        "vom 14. bis 19. Mai 2024\n" + PROSE,
        # Impossible dates.
        "31.02.2024\n" + PROSE,
        "29.02.2023\n" + PROSE,
        "32. mars 2024\n" + PROSE,
        "00.01.2020\n" + PROSE,
        # Numbers that are not dates.
        "Version 12.5, 3 items, 10:15\n" + PROSE,
        "1.1.1\n" + PROSE,
    ],
)
def test_not_a_publication_date(text: str) -> None:
    assert find_publication_date(text) is None


@pytest.mark.parametrize(
    "expr",
    [
        "31.02.2024",
        "29.02.2023",
        "28. mai",
        "mai 2024",
        "Tuesday",
        "10:15",
        "2024",
        "Oslo, 14. feb 2023",
        "1.1.1",
        "12 34 56",
        "٣.٤.٢٠٢٤",
        "14.02.2023 and 99 more",
    ],
)
def test_parse_date_expression_rejects(expr: str) -> None:
    assert parse_date_expression(expr) is None


def test_leap_day_is_accepted() -> None:
    assert parse_date_expression("29.02.2024") == (datetime(2024, 2, 29), False)


def test_invalid_time_keeps_the_date() -> None:
    text = "1.1.2024 25:61\n" + PROSE
    found = find_publication_date(text)
    assert found is not None and not found.has_time
    assert text[found.start : found.end] == "1.1.2024"


# --- ambiguity ----------------------------------------------------------------------------------


def test_slash_dates_follow_the_language() -> None:
    assert parse_date_expression("03/04/2024", "en") == (datetime(2024, 3, 4), False)
    assert parse_date_expression("03/04/2024", "en-GB") == (datetime(2024, 4, 3), False)
    assert parse_date_expression("03/04/2024", "fr") == (datetime(2024, 4, 3), False)
    # Only one reading is possible, whatever the language.
    assert parse_date_expression("13/04/2024", "en") == (datetime(2024, 4, 13), False)
    # Dots are day-first even in English.
    assert parse_date_expression("03.04.2024", "en") == (datetime(2024, 4, 3), False)


def test_ambiguous_date_without_language_takes_majority_reading() -> None:
    found = find_publication_date(article("03/04/2024"))
    assert found is not None and found.value == datetime(2024, 4, 3)
    assert found.language is None
    found = find_publication_date(article("03/04/2024"), "en")
    assert found is not None and found.value == datetime(2024, 3, 4)


def test_unambiguous_date_preferred_over_ambiguous_one() -> None:
    found = find_publication_date(article("03/04/2024\nMarch 5, 2024"))
    assert found is not None and found.value == datetime(2024, 3, 5)


def test_weekday_mismatch_is_tolerated() -> None:
    # 14 February 2023 was a Tuesday; the written date wins over the weekday.
    assert parse_date_expression("ons 14. feb. 2023", "nb") == (datetime(2023, 2, 14), False)


# --- parserinfo -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "month", "number", "weekday", "index"),
    [
        ("nb", "Desember", 12, "lør", 5),
        ("nn", "mai", 5, "Laurdag", 5),
        ("da", "MARTS", 3, "søn", 6),
        ("sv", "augusti", 8, "Tis", 1),
        ("de", "März", 3, "Do", 3),
        ("nl", "mrt", 3, "zo", 6),
        ("en", "Sept", 9, "Thurs", 3),
        ("fr", "Août", 8, "mer", 2),
    ],
)
def test_parserinfo_tables(
    language: str, month: str, number: int, weekday: str, index: int
) -> None:
    from tracker.services.text import dates

    info = dates._INFOS[language]
    assert isinstance(info, LanguageParserInfo)
    assert info.month(month) == number
    assert info.weekday(weekday) == index
    assert info.month("nonsense") is None
    assert info.jump("kl") and info.jump("Uhr") and info.jump("om") and info.jump("à")


# --- garbage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n\n",
        "\x00\x01\x02",
        "x" * 200_000,
        "1 " * 50_000,
        "12.12.12 " * 5000,
        "\u2028\u2029\x85",
        "🙂 28. mai 🙂",
        ":::///...---",
        "9" * 5000,
        "Publisert:" * 1000,
    ],
)
def test_garbage_never_raises(text: str) -> None:
    found = find_publication_date(text)
    assert found is None or text[found.start : found.end] != ""
    assert parse_date_expression(text) is None or len(text) < 300


def test_non_string_input() -> None:
    assert find_publication_date(cast(Any, None)) is None
    assert parse_date_expression(cast(Any, 12)) is None
    assert not looks_like_date_line(cast(Any, b"7 March 2023"))


def test_many_keyword_lines_are_fast_and_correct() -> None:
    text = "Title\n" + "Oppdatert 15.02.2023\n" * 20_000 + PROSE
    found = find_publication_date(text)
    assert found is not None and found.value == datetime(2023, 2, 15)
    assert found.start == len("Title\nOppdatert ")


def test_random_fuzz_keeps_offsets_consistent() -> None:
    rng = random.Random(20240528)
    alphabet = "0123456789 .:/-,\nabcmaiMärzkl.Uhr|TZ+"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        found = find_publication_date(text)
        if found is not None:
            assert 0 <= found.start < found.end <= len(text)
            assert text[found.start : found.end] in found.line
            assert parse_date_expression(text[found.start : found.end]) is not None


def test_event_sentence_after_the_title_is_not_a_publication_date() -> None:
    text = "Angrep i Moskva\nDen 22. mars 2024 ble 139 drept.\nMer tekst om angrepet her."
    assert find_publication_date(text, "nb") is None
    assert find_publication_date("Angrep i Moskva\nPublisert 22. mars 2024\nTekst.", "nb")
