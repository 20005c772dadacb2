"""The labelled AI-source corpus (benchmarks/data/ai_corpus.json) against ai_detect.

Every ``about_ai``/``none`` text must get no disclosure or chatbot-leftover signal; every
``disclosure``/``leftover`` text must get a signal of that kind whose evidence span is the
labelled sentence. Plus the seed 000 disclaimer and one test per language and per trap type
named in issue 5.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tracker.services.ai.detect import (
    CHATBOT_LEFTOVER,
    DISCLOSURE,
    AiSignal,
    detect_ai_signals,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS_PATH = ROOT / "benchmarks" / "data" / "ai_corpus.json"
CORPUS: list[dict[str, str]] = json.loads(CORPUS_PATH.read_text(encoding="utf-8"))
LANGUAGES = ("en", "de", "nb", "nn", "da", "sv", "nl", "fr")
KIND = {"disclosure": DISCLOSURE, "leftover": CHATBOT_LEFTOVER}
POSITIVES = [i for i in CORPUS if i["label"] in KIND]
NEGATIVES = [i for i in CORPUS if i["label"] not in KIND]


def _ai_signals(text: str, language: str | None = None) -> list[AiSignal]:
    signals = detect_ai_signals(text, language)
    for s in signals:
        assert text[s.start : s.end] == s.sentence
    return [s for s in signals if s.kind in (DISCLOSURE, CHATBOT_LEFTOVER)]


def _evidence(text: str, kind: str, sentence: str, language: str | None = None) -> AiSignal:
    """The signal of ``kind`` whose span covers ``sentence``; fails if there is none."""
    signals = _ai_signals(text, language)
    hits = [s for s in signals if s.kind == kind and sentence in text[s.start : s.end]]
    assert hits, (text, signals)
    return hits[0]


# --- the corpus file ---------------------------------------------------------------------


def test_corpus_format_and_size() -> None:
    assert len(CORPUS) >= 120
    assert len({i["id"] for i in CORPUS}) == len(CORPUS)
    for item in CORPUS:
        assert item["language"] in LANGUAGES
        assert item["label"] in ("disclosure", "leftover", "about_ai", "none")
        assert item["split"] in ("tune", "heldout")
        assert 2 <= len(item["text"].split()) <= 120
        if item["label"] in KIND:
            assert item["sentence"] in item["text"], item["id"]
        else:
            assert "sentence" not in item, item["id"]


def test_corpus_covers_every_language_and_keeps_a_heldout_third() -> None:
    positives = Counter(i["language"] for i in POSITIVES)
    traps = Counter(i["language"] for i in CORPUS if i["label"] == "about_ai")
    plain = Counter(i["language"] for i in CORPUS if i["label"] == "none")
    for lang in LANGUAGES:
        assert positives[lang] >= 5, lang
        assert traps[lang] >= 5, lang
        assert plain[lang] >= 2, lang
    assert {i["language"] for i in CORPUS if i["label"] == "leftover"} == set(LANGUAGES)
    heldout = sum(i["split"] == "heldout" for i in CORPUS)
    assert 0.28 <= heldout / len(CORPUS) <= 0.4
    assert {i["label"] for i in CORPUS if i["split"] == "heldout"} == {
        "disclosure",
        "leftover",
        "about_ai",
        "none",
    }


@pytest.mark.parametrize("item", NEGATIVES, ids=[i["id"] for i in NEGATIVES])
def test_texts_about_ai_or_without_ai_are_not_flagged(item: dict[str, str]) -> None:
    assert _ai_signals(item["text"], item["language"]) == []
    assert _ai_signals(item["text"]) == []  # nor without the language hint


@pytest.mark.parametrize("item", POSITIVES, ids=[i["id"] for i in POSITIVES])
def test_positives_get_the_right_kind_and_the_labelled_sentence(item: dict[str, str]) -> None:
    text, kind, sentence = item["text"], KIND[item["label"]], item["sentence"]
    signal = _evidence(text, kind, sentence, item["language"])
    assert text[signal.start : signal.end] == sentence
    assert signal.sentence == sentence
    # Nothing else in the snippet is flagged, and never as the other kind.
    assert [s.kind for s in _ai_signals(text, item["language"])] == [kind]


# --- seed 000 ----------------------------------------------------------------------------


def test_seed_000_disclaimer_is_the_evidence() -> None:
    (path,) = (ROOT / "seeds").glob("000_*.txt")
    text = path.read_text(encoding="utf-8")
    sentence = "Nyhetsartikler generert ved hjelp av kunstig intelligens."
    assert text.count(sentence) == 1
    for hint in ("nb", None):
        (signal,) = detect_ai_signals(text, hint)
        assert signal.kind == DISCLOSURE
        assert signal.language == "nb"
        assert text[signal.start : signal.end] == sentence == signal.sentence
        assert signal.start == text.index(sentence)


# --- per language: disclosures and leftovers ---------------------------------------------

FILLER = {
    "en": "The council meets again on Monday.",
    "de": "Der Stadtrat tagt am Montag erneut.",
    "nb": "Bystyret møtes igjen mandag.",
    "nn": "Kommunestyret møtest att måndag.",
    "da": "Byrådet mødes igen mandag.",
    "sv": "Fullmäktige sammanträder igen på måndag.",
    "nl": "De gemeenteraad vergadert maandag opnieuw.",
    "fr": "Le conseil municipal se réunit à nouveau lundi.",
}

DISCLOSURE_CASES = [
    ("en", "This summary was generated by artificial intelligence."),
    ("en", "Our weekly digest is produced using generative AI and checked by an editor."),
    ("de", "Dieser Text wurde automatisiert mit KI erstellt."),
    ("de", "Transparenzhinweis: Diese Meldung ist mit Hilfe einer KI entstanden."),
    ("nb", "Denne artikkelen er skrevet av en KI."),
    ("nb", "Nyhetsartikler generert ved hjelp av kunstig intelligens."),
    ("nn", "Denne saka er skriven ved hjelp av kunstig intelligens."),
    ("da", "Denne tekst er genereret ved hjælp af kunstig intelligens."),
    ("sv", "Den här artikeln har skrivits med hjälp av AI."),
    ("nl", "Dit nieuwsbericht is door AI geschreven."),
    ("fr", "Cet article a été généré par une intelligence artificielle."),
]


@pytest.mark.parametrize(("lang", "sentence"), DISCLOSURE_CASES)
def test_disclosure_in_every_language(lang: str, sentence: str) -> None:
    text = f"{FILLER[lang]} {sentence} {FILLER[lang]}"
    signal = _evidence(text, DISCLOSURE, sentence)
    assert signal.sentence == sentence
    assert signal.language == lang


LEFTOVER_CASES = [
    ("en", "As an AI language model, I cannot give an opinion on this."),
    ("en", "I cannot fulfill this request."),
    ("en", "As of my last knowledge update, the bridge was still under construction."),
    ("en", "Certainly! Here is a short article about the council meeting."),
    ("de", "Als KI-Sprachmodell kann ich dazu keine Meinung äußern."),
    ("de", "Ich kann diese Anfrage leider nicht erfüllen."),
    ("nb", "Som en KI-språkmodell kan jeg ikke ta stilling til dette."),
    ("nb", "Jeg kan dessverre ikke oppfylle denne forespørselen."),
    ("nn", "Som ein KI-språkmodell kan eg ikkje ta stilling til dette."),
    ("da", "Som en AI-sprogmodel kan jeg ikke tage stilling til dette."),
    ("sv", "Självklart! Här är en kort artikel om mötet."),
    ("nl", "Als AI-taalmodel kan ik hier geen mening over geven."),
    ("fr", "En tant que modèle de langage, je ne peux pas donner d'avis."),
]


@pytest.mark.parametrize(("lang", "sentence"), LEFTOVER_CASES)
def test_chatbot_leftover_in_every_language(lang: str, sentence: str) -> None:
    text = f"{FILLER[lang]}\n{sentence} {FILLER[lang]}"
    signal = _evidence(text, CHATBOT_LEFTOVER, sentence)
    assert signal.sentence == sentence
    assert signal.language == lang


# --- trap types named in the issue -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Forskere advarer mot KI-genererte nyheter.",
        "Researchers warn that AI-generated news sites are multiplying fast.",
        "Forskare varnar för nyheter som är skrivna av AI.",
    ],
)
def test_reporting_about_ai_generated_news_is_not_a_disclosure(text: str) -> None:
    assert _ai_signals(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Studie: KI-Chatbots verbreiten Falschinformationen.",
        "A study found that chatbots spread false claims about the election.",
        "Selon une étude, les chatbots propagent de fausses informations.",
    ],
)
def test_chatbots_spreading_misinformation_is_not_a_disclosure(text: str) -> None:
    assert _ai_signals(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "New rules will require that articles written with AI are labelled.",
        "Stortinget vil kreve at tekster laget med kunstig intelligens merkes.",
        "Künftig müssen Texte, die mit KI erstellt wurden, gekennzeichnet werden.",
        "De AI-verordening verplicht media te melden wanneer een artikel met AI is gemaakt.",
    ],
)
def test_stories_about_regulating_ai_are_not_disclosures(text: str) -> None:
    assert _ai_signals(text) == []


@pytest.mark.parametrize(
    "text",
    [
        '"This text was generated by AI," the researcher said of the student\'s essay.',
        "„Dieser Text wurde von einer KI geschrieben“, sagte die Forscherin.",
        "«Denne teksten er generert av KI», sa forskeren om innlegget.",
        "« Ce texte a été généré par une IA », a affirmé la chercheuse.",
        "A reader wrote: this article was generated by AI.",
    ],
)
def test_quoted_disclosures_of_others_are_not_flagged(text: str) -> None:
    assert _ai_signals(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "This article was not written by AI.",
        "None of our articles are written by AI.",
        "Denne artikkelen er ikke skrevet av KI.",
        "Artikkelen er ikkje skriven av KI.",
        "Dieser Text wurde nicht mit KI erstellt.",
        "Artiklen er ikke skrevet af AI.",
        "Artikeln är inte skriven av AI.",
        "Dit artikel is niet door AI geschreven.",
        "Cet article n'a pas été rédigé par une IA.",
    ],
)
def test_negated_disclosures_are_not_flagged(text: str) -> None:
    assert _ai_signals(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The editor denies that this article was written by AI.",
        "Redaktøren avviser at denne artikkelen er skrevet av KI.",
        "La rédaction dément que cet article ait été écrit par une IA.",
    ],
)
def test_denials_are_not_disclosures(text: str) -> None:
    assert _ai_signals(text) == []


def test_bare_label_line_needs_a_text_that_does_not_discuss_ai() -> None:
    label = "AI-generated content"
    body = "The museum reopens on Saturday after a two-year renovation."
    (signal,) = _ai_signals(f"{label}\n{body}")
    assert (signal.kind, signal.sentence) == (DISCLOSURE, label)
    assert _ai_signals(f"{body}\n{label}")[0].sentence == label  # as a footer too
    # Alone, or above a text about AI, it may be a headline.
    assert _ai_signals(label) == []
    assert _ai_signals(f"{label}\nNewsGuard counted 1,200 sites run by chatbots.") == []
    assert _ai_signals(f"Intro.\n{label}\n{body}") == []  # a middle line is a subheading


def test_named_outlet_and_first_person_production_statements() -> None:
    for text in (
        "Harbour Gazette used an AI tool to write this match report.",
        "We produced this summary with the help of AI.",
        "Die Redaktion hat diesen Artikel mithilfe von KI erstellt.",
    ):
        (signal,) = _ai_signals(text)
        assert signal.kind == DISCLOSURE
    # Reporting on another outlet's use is not a self-disclosure.
    assert _ai_signals("CNET quietly used AI to write dozens of articles.") == []
