"""Ingest of the seed corpus, HTML, bad input and re-ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import AuditEvent, Source, SourceSpan
from tracker.services.audit.log import Actor
from tracker.services.sources.ingest import SourceMeta, ingest_bytes, ingest_path, ingest_text
from tracker.services.sources.read import source_detail

SEED = {
    "000": "000_fcc06bfc82dd2c27.txt",
    "001": "001_041022425303b5a7.txt",
    "002": "002_481b22ad033d140a.txt",
    "003": "003_36dbd7c5854988d2.txt",
    "004": "004_58ab18637f5a0651.txt",
}
EXPECTED = {
    # seed: (language, published_at, ai_generated)
    "000": ("nb", "2024-05-28", "yes"),
    "001": ("de", "2024-04-01T23:17:00", "unknown"),
    "002": ("nl", None, "unknown"),
    "003": ("de", None, "unknown"),
    "004": ("de", None, "unknown"),
}
BOILERPLATE_LINES = {
    "000": ["Share", "Les mer", "Siste nytt"],
    "002": [
        "Wil je toegang tot alle artikelen, geniet tijdelijk van onze promo en abonneer je hier!"
    ],
    "003": ["Aktuell sind 10 Kommentare vorhanden", "Kommentare anzeigen"],
    "004": ["- Themen:", "- #Energie"],
}


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Source)) or 0,
        session.scalar(select(func.count()).select_from(SourceSpan)) or 0,
        session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
    )


def _ingest_seed(session: Session, actor: Actor, key: str) -> Source:
    result = ingest_path(session, SEEDS / SEED[key], actor=actor)
    assert result.status == "created", result.reason
    source = session.get(Source, result.source_id)
    assert source is not None
    return source


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_seed_metadata(session: Session, actor: Actor, key: str) -> None:
    source = _ingest_seed(session, actor, key)
    language, published, ai = EXPECTED[key]
    assert source.language == language
    assert source.published_iso == published
    assert source.ai_generated.value == ai
    raw = (SEEDS / SEED[key]).read_bytes()
    assert source.text.encode("utf-8") == raw  # the exact original text
    assert source.origin == SEED[key]
    assert source.title


def test_seed_000_ai_disclosure_evidence(session: Session, actor: Actor) -> None:
    source = _ingest_seed(session, actor, "000")
    [evidence] = source.ai_evidence
    assert evidence.sentence.startswith("Nyhetsartikler generert ved hjelp av kunstig intelligens.")
    assert source.text[evidence.start_offset : evidence.end_offset] == evidence.sentence
    assert evidence.kind == "disclosure"
    assert evidence.detector


def test_seed_001_repeated_block(session: Session, actor: Actor) -> None:
    source = _ingest_seed(session, actor, "001")
    repeated = [s for s in source.spans if s.kind == "repeated"]
    assert [s.copy_no for s in repeated] == [1, 2]
    first, second = (source.text[s.start_offset : s.end_offset] for s in repeated)
    assert first == second
    assert first.startswith("Die russische Regierung hat jetzt die Taliban offiziell eingeladen")
    assert second.endswith("erheblich unter Druck geraten.")
    assert repeated[1].start_offset > repeated[0].end_offset


@pytest.mark.parametrize("key", sorted(BOILERPLATE_LINES))
def test_seed_boilerplate_spans(session: Session, actor: Actor, key: str) -> None:
    source = _ingest_seed(session, actor, key)
    marked = {
        source.text[s.start_offset : s.end_offset].strip()
        for s in source.spans
        if s.kind == "boilerplate"
    }
    for line in BOILERPLATE_LINES[key]:
        assert line in marked
    assert not any("Nyhetsartikler generert" in m for m in marked)


def test_seed_000_read_also_line_is_boilerplate(session: Session, actor: Actor) -> None:
    source = _ingest_seed(session, actor, "000")
    marked = [
        source.text[s.start_offset : s.end_offset] for s in source.spans if s.kind == "boilerplate"
    ]
    assert any(m.startswith("Les også: I skyggen av Moskva-terroren") for m in marked)


def test_seed_000_publisher_from_its_footer(session: Session, actor: Actor) -> None:
    assert _ingest_seed(session, actor, "000").publisher == "Geopolitika"
    assert _ingest_seed(session, actor, "003").publisher is None


def test_titles_from_first_meaningful_line(session: Session, actor: Actor) -> None:
    assert _ingest_seed(session, actor, "000").title == (
        "Terrorangrepet som kan omforme forholdet mellom Taliban og Russland"
    )
    assert _ingest_seed(session, actor, "004").title.startswith(
        "Militärische Allianz zwischen Russland und Nordkorea"
    )


def test_reingest_is_a_no_op(session: Session, actor: Actor) -> None:
    first = ingest_path(session, SEEDS / SEED["002"], actor=actor)
    before = _counts(session)
    again = ingest_path(session, SEEDS / SEED["002"], actor=actor)
    assert again.status == "unchanged"
    assert again.source_id == first.source_id
    assert "already source" in (again.reason or "")
    assert _counts(session) == before


def test_source_json_fields(session: Session, actor: Actor) -> None:
    data = source_detail(_ingest_seed(session, actor, "001"))
    for key in (
        "id",
        "title",
        "publisher",
        "url",
        "language",
        "published_at",
        "sha256",
        "ai_generated",
        "ai_evidence",
        "boilerplate_spans",
        "repeated_spans",
    ):
        assert key in data
    assert len(data["repeated_spans"]) == 2


BAD_INPUTS = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"  \n\t\n", "empty"),
    ("nul.txt", b"hello\x00world", "NUL"),
    ("latin1.txt", "Blåbærsyltetøy".encode("latin-1"), "UTF-8"),
    ("binary.txt", bytes(range(1, 32)) * 20, "binary"),
    ("image.png", b"\x89PNG\r\n\x1a\n", "unsupported"),
    ("utf16.txt", "Hei på deg".encode("utf-16"), "UTF-16"),
    ("noext", b"plain text", "unsupported"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_INPUTS)
def test_bad_input_is_refused_and_writes_nothing(
    session: Session, actor: Actor, name: str, data: bytes, reason: str
) -> None:
    before = _counts(session)
    result = ingest_bytes(session, data, name=name, actor=actor)
    assert result.status == "refused"
    assert reason in (result.reason or "")
    assert "\n" not in (result.reason or "")
    assert _counts(session) == before


def test_size_limit(session: Session, actor: Actor, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 300)
    result = ingest_path(session, big, actor=actor, max_bytes=1000)
    assert result.status == "refused"
    assert "too large" in (result.reason or "")
    assert _counts(session)[0] == 0


def test_html_is_extracted_without_script_and_style(session: Session, actor: Actor) -> None:
    html = (
        "<html lang='en'><head><title>Budget vote</title><style>p{color:red}</style>"
        "<meta property='og:site_name' content='Example Times'>"
        "<script>var tracking = 'secret';</script></head><body><p>Published March 7, 2023</p>"
        "<h1>Parliament passes the budget</h1><p>The parliament passed the budget on Tuesday "
        "after a long debate about <b>defence</b> spending and pensions.</p>"
        "<script>alert('x')</script></body></html>"
    )
    result = ingest_bytes(session, html.encode(), name="page.html", actor=actor)
    assert result.status == "created", result.reason
    source = session.get(Source, result.source_id)
    assert source is not None
    assert "tracking" not in source.text and "alert" not in source.text
    assert "color:red" not in source.text
    assert "Parliament passes the budget" in source.text
    assert source.title == "Budget vote"
    assert source.publisher == "Example Times"
    assert source.content_type == "text/html"
    assert source.published_iso == "2023-03-07"
    assert source.language == "en"


def test_given_metadata_wins_and_bad_language_is_refused(session: Session, actor: Actor) -> None:
    text = "Regjeringen la fram statsbudsjettet i dag, og opposisjonen reagerte kraftig på kuttene."
    source, created = ingest_text(
        session,
        text,
        actor=actor,
        origin="form",
        meta=SourceMeta(title="Budsjett", publisher="NRK", language="nn"),
    )
    assert created and source.language == "nn" and source.publisher == "NRK"
    result = ingest_bytes(
        session,
        b"Some other text about things.",
        name="x.txt",
        actor=actor,
        meta=SourceMeta(language="not a language"),
    )
    assert result.status == "refused" and "BCP-47" in (result.reason or "")


def test_ingest_writes_one_audit_event(session: Session, actor: Actor) -> None:
    source = _ingest_seed(session, actor, "003")
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "source")).all()
    assert [(e.action, e.entity_id, e.actor) for e in events] == [
        ("source.create", str(source.id), "cli:tester")
    ]
    assert events[0].changes["sha256"]["after"] == source.sha256


def test_source_text_is_immutable(session: Session, actor: Actor) -> None:
    from tracker.models import ImmutableFieldError

    source = _ingest_seed(session, actor, "002")
    with pytest.raises(ImmutableFieldError):
        source.text = source.text + " edited"


def test_long_first_line_gives_a_short_title(session: Session, actor: Actor) -> None:
    title = _ingest_seed(session, actor, "003").title
    assert title is not None
    assert title.startswith("Paris/Moskau – Nato-Generalsekretär Mark Rutte")
    assert title.endswith("…") and len(title) <= 121
    assert not any(word in title for word in ("Von:", "Ivd"))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Published 2023-03-07T10:15:00Z", "2023-03-07T10:15:00+00:00"),
        ("Stand: 05.06.2023 09:12 Uhr", "2023-06-05T09:12:00"),
        ("Publisert 14. februar 2023 kl. 07.30", "2023-02-14T07:30:00"),
    ],
)
def test_published_offsets_are_kept_only_when_stated(
    session: Session, actor: Actor, header: str, expected: str
) -> None:
    body = "The council approved the new budget after a long debate on Tuesday evening."
    source, _ = ingest_text(session, f"{header}\n{body}", actor=actor, origin="form")
    assert source.published_iso == expected


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        (SourceMeta(title="t" * 501), "title is longer than 500"),
        (SourceMeta(publisher="p" * 201), "publisher is longer than 200"),
        (SourceMeta(url="javascript:alert(1)"), "url must start with http"),
        (SourceMeta(language="en-" + "x" * 40), "BCP-47"),
    ],
)
def test_bad_metadata_is_refused(
    session: Session, actor: Actor, meta: SourceMeta, message: str
) -> None:
    before = _counts(session)
    result = ingest_bytes(session, b"Ein ganz normaler Text.", name="a.txt", actor=actor, meta=meta)
    assert result.status == "refused" and message in (result.reason or "")
    assert _counts(session) == before


def test_document_metadata_is_trimmed_not_refused(session: Session, actor: Actor) -> None:
    html = (
        f"<html><head><title>{'Lang ' * 200}</title>"
        '<link rel="canonical" href="javascript:alert(1)"></head>'
        "<body><p>Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen.</p></body></html>"
    )
    result = ingest_bytes(session, html.encode(), name="long.html", actor=actor)
    source = session.get(Source, result.source_id)
    assert source is not None and source.url is None
    assert source.title is not None and len(source.title) <= 500


def test_text_size_limit_applies_to_pasted_text(session: Session, actor: Actor) -> None:
    from tracker.services.sources.ingest import IngestRefused

    with pytest.raises(IngestRefused, match="too large"):
        ingest_text(session, "ord " * 100, actor=actor, origin="form", max_bytes=100)


def test_junk_text_gets_no_language(session: Session, actor: Actor) -> None:
    source, _ = ingest_text(session, "Share\n" * 40, actor=actor, origin="form")
    assert source.language is None


def test_many_boilerplate_lines_stay_cheap(session: Session, actor: Actor) -> None:
    """Title and span work is linear: 20,000 widget lines are no problem."""
    source, _ = ingest_text(
        session, "Share\n" * 20_000 + "Echter Titel hier", actor=actor, origin="form"
    )
    assert source.title == "Echter Titel hier"
