"""Derived spans: boilerplate lines and repeated blocks, as offsets into the original text."""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest

from tracker.services.sources.boilerplate import (
    Span,
    derive_spans,
    find_boilerplate,
    find_repeated_blocks,
    iter_lines,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def labelled(text: str, language: str | None = None) -> list[tuple[str, str]]:
    """(label, spanned text) of each boilerplate span."""
    return [(s.label, text[s.start : s.end]) for s in find_boilerplate(text, language)]


def label_of(line: str, language: str | None = None) -> str | None:
    """The label of a one-line text, or None when it is not boilerplate."""
    spans = find_boilerplate(line, language)
    assert len(spans) <= 1
    if not spans:
        return None
    assert (spans[0].start, spans[0].end) == (0, len(line))
    return spans[0].label


# --- seeds -------------------------------------------------------------------------------------


def test_seed_000_norwegian_widgets_and_footer() -> None:
    text = seed("000")
    assert labelled(text, "nb") == [
        ("share", "Share"),
        (
            "read_also",
            "Les også: I skyggen av Moskva-terroren: "
            "Sentral-Asias økte rolle i global jihadisme 🔒",
        ),
        ("outlet_name", "Geopolitika"),
        ("outlet_name", "Geopolitika"),
        ("read_more", "Les mer"),
        ("latest_news", "Siste nytt"),
    ]
    first = text.index("Geopolitika\nGeopolitika")
    spans = find_boilerplate(text, "nb")
    assert [(s.start, s.end) for s in spans if s.label == "outlet_name"] == [
        (first, first + 11),
        (first + 12, first + 23),
    ]
    assert spans[0] == Span("boilerplate", text.index("Share"), text.index("Share") + 5, "share")
    # The AI disclosure is evidence, never boilerplate.
    disclosure = text.index("Nyhetsartikler generert")
    assert not any(s.start <= disclosure < s.end for s in spans)
    assert find_repeated_blocks(text) == []


def test_seed_000_same_result_without_language() -> None:
    text = seed("000")
    assert find_boilerplate(text) == find_boilerplate(text, "nb")
    assert find_boilerplate(text, "nn") == find_boilerplate(text, "nb")


def test_seed_001_repeated_body() -> None:
    text = seed("001")
    first = text.index("Die russische Regierung")
    second = text.index("Die russische Regierung", first + 1)
    tail = "unter Druck geraten."
    first_end = text.index(tail) + len(tail)
    assert text[first_end] == "\n" and first_end + 1 == second
    assert find_repeated_blocks(text) == [
        Span("repeated", first, first_end, "repeated_copy", group=0, copy=1, copies=2),
        Span("repeated", second, len(text), "repeated_copy", group=0, copy=2, copies=2),
    ]
    assert text[first:first_end] == text[second:]
    assert find_boilerplate(text, "de") == []
    assert derive_spans(text, "de") == find_repeated_blocks(text)


def test_seed_002_paywall_only() -> None:
    text = seed("002")
    line = "Wil je toegang tot alle artikelen, geniet tijdelijk van onze promo en abonneer je hier!"
    assert labelled(text, "nl") == [("paywall", line)]
    assert find_boilerplate(text, "nl")[0].end == len(text)
    assert find_repeated_blocks(text) == []


def test_seed_003_comment_widgets() -> None:
    text = seed("003")
    assert labelled(text, "de") == [
        ("comments", "Aktuell sind 10 Kommentare vorhanden"),
        ("comments", "Kommentare anzeigen"),
    ]
    assert find_repeated_blocks(text) == []


def test_seed_004_topics() -> None:
    text = seed("004")
    spans = find_boilerplate(text, "de")
    assert [(s.label, text[s.start : s.end]) for s in spans] == [
        ("topics", "- Themen:"),
        ("topics", "- #Energie"),
    ]
    assert spans[-1].end == len(text)
    assert find_repeated_blocks(text) == []


@pytest.mark.parametrize(
    ("prefix", "line"),
    [
        ("002", "Key takeaways"),
        ("002", "- Rusland en Pakistan voerden een routineoefening uit in de Arabische Zee."),
        ("002", "De Russisch-Pakistaanse marineoefening"),
        ("003", "Von: Ivd"),
        ("003", "Nordkorea ratifiziert Verteidigungsabkommen mit Russland"),
        ("004", "Debatte um Langstreckenwaffen"),
        ("004", "- Kernenergie und technologischer Austausch"),
        ("004", "- Handelserweiterung"),
        ("000", "28. mai, 2024"),
        ("001", "01.04.2024, 23:17"),
        ("000", "Terrorangrepet som kan omforme forholdet mellom Taliban og Russland"),
        ("000", "Islamsk stat har et nytt mål: Russland"),
    ],
)
def test_seed_content_lines_are_not_boilerplate(prefix: str, line: str) -> None:
    text = seed(prefix)
    start = text.index(line)
    assert not any(s.start <= start < s.end for s in find_boilerplate(text))


def test_every_seed_span_is_valid() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        spans = derive_spans(text)
        assert spans == sorted(spans, key=lambda s: (s.start, s.kind))
        for span in spans:
            assert 0 <= span.start < span.end <= len(text)
            assert "\n" not in text[span.start : span.end] or span.kind == "repeated"


# --- boilerplate families, several languages -----------------------------------------------


@pytest.mark.parametrize(
    ("line", "label"),
    [
        # share / social
        ("Share", "share"),
        ("Share this article", "share"),
        ("Share on Facebook", "share"),
        ("📤 Share:", "share"),
        ("Artikel teilen", "share"),
        ("Auf WhatsApp teilen", "share"),
        ("Delen", "share"),
        ("Del artikkelen", "share"),
        ("Dela", "share"),
        ("Partager sur Twitter", "share"),
        ("Facebook Twitter LinkedIn", "share"),
        # read also / related
        ("Read also: Why the rouble fell", "read_also"),
        ("Lesen Sie auch: Was der Kreml plant", "read_also"),
        ("Mehr zum Thema: Russland", "read_also"),
        ("Lees ook: Wat Rusland wil", "read_also"),
        ("Les også: Dette vet vi", "read_also"),
        ("Læs også: Hvad Rusland vil", "read_also"),
        ("Läs också: Vad Ryssland vill", "read_also"),
        ("Lire aussi : Ce que veut la Russie", "read_also"),
        ("Related: Kremlin reacts", "read_also"),
        ("Related articles", "read_also"),
        ("Relaterte saker", "read_also"),
        # comment counters and toggles
        ("12 Comments", "comments"),
        ("Comments (12)", "comments"),
        ("Show all comments", "comments"),
        ("Es gibt 3 Kommentare", "comments"),
        ("Kommentar schreiben", "comments"),
        ("Bekijk alle reacties", "comments"),
        ("Vis kommentarer", "comments"),
        ("Visa kommentarer", "comments"),
        ("Afficher les commentaires", "comments"),
        # topics / tags
        ("Tags: Russia, Ukraine", "topics"),
        ("Schlagwörter: Russland", "topics"),
        ("Onderwerpen: Rusland", "topics"),
        ("Emner: Russland", "topics"),
        ("Ämnen: Ryssland", "topics"),
        ("Mots-clés : Russie", "topics"),
        ("#Russland #Ukraine", "topics"),
        # paywall
        ("Subscribe now to continue reading.", "paywall"),
        ("Dieser Artikel ist nur für Abonnenten verfügbar. Jetzt abonnieren!", "paywall"),
        ("Bli abonnent for å lese hele saken", "paywall"),
        ("Redan prenumerant? Logga in", "paywall"),
        ("Cet article est réservé aux abonnés.", "paywall"),
        ("Plus-Artikel", "paywall"),
        # newsletter
        ("Sign up for our daily newsletter", "newsletter"),
        ("Melden Sie sich für unseren Newsletter an", "newsletter"),
        ("Schrijf je in voor onze nieuwsbrief", "newsletter"),
        ("Meld deg på vårt nyhetsbrev", "newsletter"),
        ("Tilmeld dig vores nyhedsbrev", "newsletter"),
        ("Prenumerera på vårt nyhetsbrev", "newsletter"),
        ("Inscrivez-vous à notre newsletter", "newsletter"),
        # cookies
        ("We use cookies to improve your experience.", "cookie"),
        ("Diese Website verwendet Cookies.", "cookie"),
        ("Vi bruker informasjonskapsler for å gi deg en bedre opplevelse.", "cookie"),
        ("Alle akzeptieren", "cookie"),
        ("Tout accepter", "cookie"),
        # read more
        ("Read more", "read_more"),
        ("Weiterlesen »", "read_more"),
        ("Lees meer", "read_more"),
        ("Læs mere", "read_more"),
        ("Läs mer...", "read_more"),
        ("Lire la suite", "read_more"),
        # latest news / most read
        ("Latest news", "latest_news"),
        ("Neueste Nachrichten", "latest_news"),
        ("Laatste nieuws", "latest_news"),
        ("Senaste nytt", "latest_news"),
        ("Dernières actualités", "latest_news"),
        ("Most read", "most_read"),
        ("Meistgelesen", "most_read"),
        ("Mest lest", "most_read"),
        # print / e-mail / copy link
        ("Print", "print"),
        ("Drucken", "print"),
        ("Skriv ut", "print"),
        ("Imprimer", "print"),
        ("E-Mail", "email"),
        ("Copy link", "copy_link"),
        ("Link kopieren", "copy_link"),
        ("Kopier lenke", "copy_link"),
        ("Copier le lien", "copy_link"),
        # advertisement
        ("Anzeige", "advertisement"),
        ("- Anzeige -", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Annonse", "advertisement"),
        ("Publicité", "advertisement"),
        # credits
        ("Foto: NTB", "photo_credit"),
        ("Photo: Reuters/John Doe", "photo_credit"),
        ("(Foto: dpa)", "photo_credit"),
        ("© 2024 Geopolitika. All rights reserved.", "copyright"),
    ],
)
def test_boilerplate_line(line: str, label: str) -> None:
    assert label_of(line) == label


@pytest.mark.parametrize(
    "line",
    [
        "Der Kommentar des Ministers sorgte für Aufsehen.",
        "Share prices fell sharply on Monday.",
        "Russia wants a bigger share of the market.",
        "Les også boka hans om krigen.",
        "Themen der Konferenz waren Energie und Handel.",
        "He wanted to become a member of NATO.",
        "The inspectors did not get full access to the site.",
        "Die Zeitung hat 10.000 Abonnenten verloren.",
        "Cookies are a popular snack.",
        "The newsletter of the ministry reported new figures.",
        "Mehr als 100 Menschen starben.",
        "More than 100 people died.",
        "Del 2 av serien handler om Iran.",
        "Read more about this in the report the ministry published on Monday.",
        "Foto: Ein Soldat steht vor einem zerstörten Panzer bei Charkiw, wo heftige Kämpfe toben.",
        "#1 priority for the government",
        "Printing money causes inflation.",
        "Die Nachrichten aus Moskau waren beunruhigend.",
        "De reacties op het voorstel waren gemengd.",
        "Les commentaires du ministre ont surpris.",
        "Kommentarene fra statsministeren vakte oppsikt.",
        "Key takeaways",
        "Von: Ivd",
        "Nyhetsartikler generert ved hjelp av kunstig intelligens.",
        "",
        "   ",
        "🔒",
    ],
)
def test_not_boilerplate(line: str) -> None:
    assert label_of(line) is None


def test_language_limits_patterns_to_the_language_its_relatives_and_english() -> None:
    assert label_of("Les mer", "nb") == "read_more"
    assert label_of("Les mer", "da") == "read_more"  # Scandinavian patterns go together
    assert label_of("Les mer", "nb-NO") == "read_more"
    assert label_of("Les mer", "no") == "read_more"
    assert label_of("Les mer", "de") is None
    assert label_of("Les mer") == "read_more"
    assert label_of("Les mer", "ru") == "read_more"  # unknown language: every pattern
    assert label_of("Share", "de") == "share"  # English widgets on a German page
    assert label_of("Kommentare anzeigen", "fr") is None
    assert label_of("Kommentare anzeigen", "DE") == "comments"


@pytest.mark.parametrize("language", [None, "en", "de", "nl", "nb", "nn", "da", "sv", "fr"])
def test_every_language_compiles_and_keeps_english(language: str | None) -> None:
    assert label_of("Share", language) == "share"
    assert label_of("#Energie", language) == "topics"  # language-neutral patterns too
    assert label_of("Die Lage bleibt angespannt.", language) is None


@pytest.mark.parametrize(
    ("language", "line", "label"),
    [
        ("de", "Kommentare anzeigen", "comments"),
        ("nl", "Lees ook: Wat Rusland wil", "read_also"),
        ("nb", "Siste nytt", "latest_news"),
        ("nn", "Les meir", "read_more"),
        ("da", "Seneste nyt", "latest_news"),
        ("sv", "Läs också: Vad Ryssland vill", "read_also"),
        ("fr", "Lire la suite", "read_more"),
    ],
)
def test_language_specific_line(language: str, line: str, label: str) -> None:
    assert label_of(line, language) == label
    other = "de" if language != "de" else "fr"
    assert label_of(line, other) is None


def test_line_spans_exclude_line_breaks_and_keep_offsets() -> None:
    text = "Headline here\r\nShare\r\n\r\nBody text that says something.\rLes mer\n"
    spans = find_boilerplate(text)
    assert [(s.label, text[s.start : s.end]) for s in spans] == [
        ("share", "Share"),
        ("read_more", "Les mer"),
    ]
    assert spans[0].start == 15
    assert list(iter_lines("a\r\nbc\n\nd")) == [(0, 1), (3, 5), (6, 6), (7, 8)]


def test_whole_line_is_spanned_with_indentation() -> None:
    text = "Body.\n   Kommentare anzeigen   \nMore body."
    (span,) = find_boilerplate(text)
    assert text[span.start : span.end] == "   Kommentare anzeigen   "


def test_footer_outlet_name_repeated_back_to_back() -> None:
    body = "\n".join(f"Sentence number {n} of the article body." for n in range(12))
    text = body + "\n\nThe Daily Planet\n\nThe Daily Planet\nAll texts checked by editors."
    names = [s for s in find_boilerplate(text) if s.label == "outlet_name"]
    assert [text[s.start : s.end] for s in names] == ["The Daily Planet", "The Daily Planet"]
    # Not in the head of a long text, not sentences, not lines that are merely alike.
    head = "Putin droht Europa\nPutin droht Europa\n" + body
    assert find_boilerplate(head) == []
    sentences = body + "\nThe war goes on.\nThe war goes on."
    assert find_boilerplate(sentences) == []
    assert find_boilerplate(body + "\nGeopolitika\nGeopolitikk") == []


# --- repeated blocks ---------------------------------------------------------------------------

PARA_A = ("Alpha paragraph " + "with enough words to matter in a repeated block test. " * 4).strip()
PARA_B = ("Bravo paragraph " + "carries different content for the second group. " * 4).strip()


def test_three_copies_form_one_group() -> None:
    block = f"{PARA_A}\n{PARA_B}"
    text = f"Title\n{block}\nMiddle line.\n{block}\n\n{block}\nEnd."
    spans = find_repeated_blocks(text)
    starts = [text.index(block), text.index(block, 10), text.rindex(block)]
    assert spans == [
        Span("repeated", s, s + len(block), "repeated_copy", group=0, copy=n, copies=3)
        for n, s in enumerate(starts, start=1)
    ]


def test_two_groups_are_numbered_in_text_order() -> None:
    text = f"{PARA_B}\nx\n{PARA_A}\ny\n{PARA_B}\nz\n{PARA_A}"
    spans = find_repeated_blocks(text)
    assert [(s.group, s.copy, text[s.start : s.end][:5]) for s in spans] == [
        (0, 1, "Bravo"),
        (1, 1, "Alpha"),
        (0, 2, "Bravo"),
        (1, 2, "Alpha"),
    ]


def test_blank_lines_and_indentation_do_not_break_a_repeat() -> None:
    text = f"{PARA_A}\n{PARA_B}\n---\n\n  {PARA_A}\n\n\n{PARA_B}  \n"
    first, second = find_repeated_blocks(text)
    assert (first.start, first.end) == (0, len(PARA_A) + 1 + len(PARA_B))
    assert second.start == text.index("  " + PARA_A) + 2
    assert text[second.end - len(PARA_B) : second.end] == PARA_B


def test_min_chars_threshold() -> None:
    text = "Short line one.\nShort line two.\nOther.\nShort line one.\nShort line two."
    assert find_repeated_blocks(text) == []
    spans = find_repeated_blocks(text, min_chars=20)
    assert [(s.copy, text[s.start : s.end]) for s in spans] == [
        (1, "Short line one.\nShort line two."),
        (2, "Short line one.\nShort line two."),
    ]
    assert find_repeated_blocks(text, min_chars=31) == []
    assert find_repeated_blocks(text, min_chars=30) != []
    assert len(find_repeated_blocks(text, min_chars=0)) == 2


def test_repeats_inside_a_line_are_not_blocks() -> None:
    text = f"{PARA_A} {PARA_A}\nNext line."
    assert find_repeated_blocks(text) == []


def test_copies_never_overlap() -> None:
    text = "\n".join(["Same line repeated over and over for the test."] * 40)
    spans = find_repeated_blocks(text)
    assert spans
    for earlier, later in pairwise(spans):
        assert earlier.end < later.start
    assert {s.copies for s in spans} == {len(spans)}
    assert [s.copy for s in spans] == list(range(1, len(spans) + 1))


@pytest.mark.parametrize(
    "text",
    ["", "\n\n\n", "x", "\r\r\n", "\ud800\n\ud800", "\x00" * 500, "\u2028" * 10, "#" * 5000],
)
def test_never_raises_on_odd_text(text: str) -> None:
    assert isinstance(derive_spans(text), list)
    assert isinstance(find_repeated_blocks(text, min_chars=-5), list)
    assert isinstance(find_boilerplate(text, "xx-invalid"), list)


def test_never_raises_on_wrong_types() -> None:
    assert find_boilerplate(None) == []  # type: ignore[arg-type]
    assert find_repeated_blocks(b"bytes") == []  # type: ignore[arg-type]
    assert find_boilerplate("Share", 42) == find_boilerplate("Share")  # type: ignore[arg-type]


def test_large_texts_are_fast() -> None:
    body = ("words of the body text " * 8).strip()
    half = "\n".join(f"Paragraph {n}: {body}" for n in range(2600))
    text = f"{half}\nSeparator\n{half}"
    assert len(text) > 1_000_000
    started = time.perf_counter()
    spans = derive_spans(text)
    assert [(s.kind, s.copy, s.start, s.end) for s in spans] == [
        ("repeated", 1, 0, len(half)),
        ("repeated", 2, len(half) + 11, len(text)),
    ]
    # One line repeated 300,000 times, and many short distinct widget-like lines.
    same = "Share\n" * 300_000
    derive_spans(same)
    mixed = "\n".join(f"Les mer {n}" if n % 2 else "Share" for n in range(100_000))
    assert len(find_boilerplate(mixed)) == 50_000
    assert time.perf_counter() - started < 20
