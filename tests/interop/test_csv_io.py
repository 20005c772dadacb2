"""services/csv_io and its commands: claims and sources as CSV (documented header, UTF-8,
optional BOM, formulas neutralised), the claims CSV importing again through `tracker claims
import`, and `tracker import sources-csv` with per-row errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import ROOT
from tracker.cli import main
from tracker.models import AuditEvent, Claim, Source
from tracker.services.audit.log import Actor
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.interop import csv_io
from tracker.services.interop.csv_io import (
    CLAIMS_CSV_HEADER,
    SOURCES_CSV_HEADER,
    export_claims_csv,
    export_sources_csv,
    import_sources_csv,
    neutralize,
    read_csv_rows,
    restore_cell,
)
from tracker.services.sources.ingest import SourceMeta, ingest_text

GERMAN = (
    "Berlin, 3. Mai 2024\n\nNordkorea hat das Abkommen mit Russland ratifiziert, sagte der "
    "Sprecher. Kritiker äußerten Zweifel – die Ratifizierung sei „nur symbolisch“."
)
DASHED = "- first point of a list\n- second point: the ferry runs twice a day\n"


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _export_claims(session: Session, **kwargs: Any) -> str:
    out = io.StringIO()
    export_claims_csv(session, out, **kwargs)
    return out.getvalue()


def _export_sources(session: Session, **kwargs: Any) -> str:
    out = io.StringIO()
    export_sources_csv(session, out, **kwargs)
    return out.getvalue()


@pytest.fixture
def sources(session: Session, actor: Actor) -> list[Source]:
    meta = SourceMeta(url="https://zeitung.example/abkommen", publisher="Zeitung", language="de")
    german, _ = ingest_text(session, GERMAN, actor=actor, origin="abkommen.txt", meta=meta)
    dashed, _ = ingest_text(
        session, DASHED, actor=actor, origin="list.md", meta=SourceMeta(language="en")
    )
    session.commit()
    return [german, dashed]


@pytest.fixture
def claims(session: Session, actor: Actor, sources: list[Source]) -> list[Claim]:
    made = [
        intake_claim(
            session,
            "Nordkorea hat das Abkommen mit Russland ratifiziert",
            actor=actor,
            language="de",
            source_id=sources[0].id,
            quote="Nordkorea hat das Abkommen mit Russland ratifiziert",
            verdict="mostly_true",
            confidence=0.75,
            rationale="Zwei Quellen; „symbolisch“ laut Kritikern",
        ).claim,
        intake_claim(
            session,
            "The ferry runs twice a day",
            actor=actor,
            language="en",
            source_id=sources[1].id,
            quote="the ferry runs twice a day",
            stance="mentions",
        ).claim,
        intake_claim(session, "A claim with no evidence at all", actor=actor).claim,
    ]
    session.commit()
    return made


# --- the documented header ------------------------------------------------------------------


def _documented_headers(doc: str) -> list[str]:
    """The header blocks (after "::") of a docstring, whitespace removed."""
    blocks = doc.split("::\n\n")[1:]
    return ["".join(block.split("\n\n")[0].split()) for block in blocks]


def test_the_documented_headers_are_the_ones_written(session: Session) -> None:
    assert csv_io.__doc__ is not None
    documented = _documented_headers(csv_io.__doc__)
    assert documented == [",".join(CLAIMS_CSV_HEADER), ",".join(SOURCES_CSV_HEADER)]
    assert _csv(_export_claims(session))[0] == list(CLAIMS_CSV_HEADER)
    assert _csv(_export_sources(session))[0] == list(SOURCES_CSV_HEADER)
    # `tracker claims import` reads the first eight claim columns by these names.
    assert CLAIMS_CSV_HEADER[:8] == (
        "text", "language", "verdict", "confidence", "rationale", "source", "quote", "stance"
    )  # fmt: skip


def test_the_cli_help_shows_the_headers(run_cli: Callable[..., Any]) -> None:
    for command, header in (("claims-csv", CLAIMS_CSV_HEADER), ("sources-csv", SOURCES_CSV_HEADER)):
        result = run_cli("export", command, "--help")
        assert ",".join(header) in "".join(result.output.split())


def test_the_docs_list_the_headers() -> None:
    guide = (ROOT / "docs" / "command-line.md").read_text(encoding="utf-8")
    assert ",".join(CLAIMS_CSV_HEADER) in guide
    assert ",".join(SOURCES_CSV_HEADER) in guide


# --- cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1 555", "'+1 555"),
        ("-40 degrees in Oslo", "'-40 degrees in Oslo"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("'plain apostrophe", "''plain apostrophe"),
        ("Ærlig talt – 45 %", "Ærlig talt – 45 %"),
        (None, ""),
        (0.75, "0.75"),
    ],
)
def test_neutralize(value: Any, cell: str) -> None:
    assert neutralize(value) == cell


@given(st.text())
def test_restore_cell_undoes_neutralize(text: str) -> None:
    assert restore_cell(neutralize(text)) == text


def test_restore_cell_keeps_an_ordinary_leading_apostrophe() -> None:
    assert restore_cell("'tis the season") == "'tis the season"


def test_formulas_are_neutralised_in_the_claims_csv(session: Session, actor: Actor) -> None:
    intake_claim(session, "=1+1 is what the post says", actor=actor, rationale="-see notes")
    rows = _csv(_export_claims(session))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["text"] == "'=1+1 is what the post says"
    assert row["rationale"] == "'-see notes"


# --- claims ---------------------------------------------------------------------------------


def test_claims_csv_rows(session: Session, claims: list[Claim], sources: list[Source]) -> None:
    text = _export_claims(session, bom=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = [dict(zip(CLAIMS_CSV_HEADER, r, strict=True)) for r in _csv(text[1:])[1:]]
    assert [r["id"] for r in rows] == [str(c.id) for c in claims]
    german = rows[0]
    assert german["text"] == "Nordkorea hat das Abkommen mit Russland ratifiziert"
    assert german["rationale"] == "Zwei Quellen; „symbolisch“ laut Kritikern"
    assert (german["verdict"], german["confidence"], german["language"]) == (
        "mostly_true",
        "0.75",
        "de",
    )
    assert (german["source"], german["stance"], german["evidence_count"]) == (
        str(sources[0].id),
        "supports",
        "1",
    )
    assert german["quote"] == "Nordkorea hat das Abkommen mit Russland ratifiziert"
    bare = rows[2]
    assert (bare["source"], bare["quote"], bare["evidence_count"]) == ("", "", "0")


def test_exports_stream_columns_without_loading_objects(
    session: Session, claims: list[Claim]
) -> None:
    session.expunge_all()
    assert len(_csv(_export_claims(session, include_merged=True))) == 1 + len(claims)
    assert len(_csv(_export_sources(session))) == 1 + 2
    assert len(session.identity_map) == 0


def test_merged_claims_only_when_asked(session: Session, claims: list[Claim], actor: Actor) -> None:
    merge_claims(session, claims[2].id, claims[1].id, reason="test", actor=actor)
    assert len(_csv(_export_claims(session))) == 1 + 2
    rows = _csv(_export_claims(session, include_merged=True))
    assert len(rows) == 1 + 3
    assert rows[3][CLAIMS_CSV_HEADER.index("merged_into")] == str(claims[1].id)


def test_claims_csv_imports_again(
    session: Session, claims: list[Claim], run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "claims.csv"
    result = run_cli("export", "claims-csv", "--bom", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run_cli("claims", "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"created": 3, "failed": 0, "errors": []}
    session.expire_all()
    copies = session.scalars(select(Claim).where(Claim.id > claims[-1].id).order_by(Claim.id))
    for original, copy in zip(claims, copies, strict=True):
        for name in ("text", "language", "verdict", "confidence", "rationale"):
            assert getattr(copy, name) == getattr(original, name), name
        assert [(e.excerpt_id, e.stance) for e in copy.evidence] == [
            (e.excerpt_id, e.stance) for e in original.evidence
        ]


# --- sources out ----------------------------------------------------------------------------


def test_sources_csv_rows(session: Session, sources: list[Source]) -> None:
    rows = [
        dict(zip(SOURCES_CSV_HEADER, r, strict=True)) for r in _csv(_export_sources(session))[1:]
    ]
    german, dashed = rows
    assert german["text"] == GERMAN and german["sha256"] == sources[0].sha256
    assert german["url"] == "https://zeitung.example/abkommen"
    assert german["published"] == "2024-05-03"
    assert german["length"] == str(len(GERMAN)) and german["path"] == ""
    assert dashed["text"] == "'" + DASHED  # a list item would start a formula
    rows = _csv(_export_sources(session, with_text=False))
    assert [r[SOURCES_CSV_HEADER.index("text")] for r in rows[1:]] == ["", ""]


def test_sources_csv_round_trip_into_a_fresh_database(
    session: Session, sources: list[Source], fresh_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "sources.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        export_sources_csv(session, out, bom=True)
    runner = CliRunner()
    result = runner.invoke(main, ["--database-url", fresh_url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    args = ["--database-url", fresh_url, "import", "sources-csv", str(path), "--json"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["created"], report["unchanged"], report["failed"]) == (2, 0, 0)
    again = runner.invoke(main, args)
    assert json.loads(again.stdout)["unchanged"] == 2
    result = runner.invoke(main, ["--database-url", fresh_url, "export", "sources-csv"])
    copied = [dict(zip(SOURCES_CSV_HEADER, r, strict=True)) for r in _csv(result.stdout)[1:]]
    originals = [
        dict(zip(SOURCES_CSV_HEADER, r, strict=True)) for r in _csv(_export_sources(session))[1:]
    ]
    same = ("title", "publisher", "url", "language", "published", "text", "sha256", "length")
    for original, copy in zip(originals, copied, strict=True):
        assert {k: copy[k] for k in same} == {k: original[k] for k in same}


# --- sources in -----------------------------------------------------------------------------


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_sources_keeps_good_rows_and_reports_bad_ones(
    session: Session, actor: Actor, sources: list[Source], tmp_path: Path
) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Ferjer</title></head><body><p>Ferja går to ganger om dagen, "
        "sier selskapet.</p></body></html>",
        encoding="utf-8",
    )
    rows = [
        {"text": "Oslo, 5 May 2024. A good source about ferries.", "title": "F", "language": "en"},
        {"title": "neither text nor path"},
        {"text": "Some text", "path": "page.html"},
        {"text": "A text with a bad url.", "url": "ftp://files.example/x"},
        {"text": "A text with a bad date.", "published": "the day after", "language": "en"},
        {"path": "page.html", "language": "nb"},
        {"path": "missing.txt"},
        {"text": GERMAN},  # already stored
        {"text": "Published at noon.", "published": "2024-05-28 12:00", "language": "en"},
        "not a row",
    ]
    before = (_count(session, Source), session.scalar(select(func.max(AuditEvent.id))))
    report = import_sources_csv(session, rows, actor=actor, base_dir=tmp_path)
    assert [e["row"] for e in report.errors] == [2, 3, 4, 5, 7, 10]
    messages = {e["row"]: e["error"] for e in report.errors}
    assert messages[2] == messages[3] == "give either text or path"
    assert "http:// or https://" in messages[4]
    assert "cannot read" in messages[5]
    assert "missing.txt" in messages[7]
    assert [e["row"] for e in report.created] == [1, 6, 9]
    assert report.unchanged == [{"row": 8, "source_id": sources[0].id, "sha256": sources[0].sha256}]
    # Only the three good rows were written: three sources and their events.
    assert _count(session, Source) == before[0] + 3
    html = session.get(Source, report.created[1]["source_id"])
    assert html is not None and html.title == "Ferjer" and html.content_type == "text/html"
    noon = session.get(Source, report.created[2]["source_id"])
    assert noon is not None and noon.published_iso == "2024-05-28T12:00:00"
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.id > before[1]).order_by(AuditEvent.id)
    ).all()
    assert actions.count("source.create") == 3
    assert actions.count("source.published") == 1


def test_read_csv_rows_skips_the_bom_and_restores_cells(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"\xef\xbb\xbftitle,text\r\n" + "Tittel,'- punkt én\r\n".encode())
    assert list(read_csv_rows(path)) == [{"title": "Tittel", "text": "- punkt én"}]


def test_cli_import_sources_csv(
    run_cli: Callable[..., Any], session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "sources.csv"
    path.write_text(
        "title,url,language,text\r\nGood,https://a.example/1,en,Oslo. A first text.\r\nBad,,,\r\n",
        encoding="utf-8",
    )
    result = run_cli("import", "sources-csv", str(path))
    assert result.exit_code == 1
    assert "row 2: give either text or path" in result.stderr
    assert "imported 1 sources, 0 unchanged, 1 rows refused" in result.stdout
    assert session.scalar(select(Source).where(Source.url == "https://a.example/1"))


def test_cli_import_refuses_a_file_that_is_not_utf8(
    run_cli: Callable[..., Any], session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("title,text\r\nA,Oslo. Første tekst.\r\n".encode("latin-1"))
    before = _count(session, Source)
    result = run_cli("import", "sources-csv", str(path))
    assert result.exit_code == 1
    assert "cannot read latin1.csv as a UTF-8 CSV file" in result.output
    assert _count(session, Source) == before


def test_cli_exports_write_files_and_stdout(
    run_cli: Callable[..., Any], claims: list[Claim], tmp_path: Path
) -> None:
    path = tmp_path / "sources.csv"
    result = run_cli("export", "sources-csv", "--no-text", "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "wrote 2 sources" in result.stderr
    assert path.read_bytes().decode("utf-8").startswith(",".join(SOURCES_CSV_HEADER) + "\r\n")
    result = run_cli("export", "claims-csv")
    assert result.stdout_bytes.decode().startswith(",".join(CLAIMS_CSV_HEADER) + "\r\n")
    assert "Zwei Quellen; „symbolisch“ laut Kritikern" in result.stdout


def test_cli_export_into_a_missing_folder_is_a_clear_error(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    result = run_cli("export", "claims-csv", "-o", str(tmp_path / "nowhere" / "claims.csv"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "No such file or directory" in result.output
