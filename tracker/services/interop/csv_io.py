"""CSV in and out for claims and sources: UTF-8 (optionally with a byte-order mark for
spreadsheets), comma-separated, CRLF line ends, a header row, streamed.

Claims (``export_claims_csv``), one row per claim, oldest first; merged claims (which
redirect to the claim they were merged into) only when asked. The first eight columns are
those ``tracker claims import`` reads, so an export imports again; the rest are ignored there::

    text,language,verdict,confidence,rationale,source,quote,stance,id,proposed_verdict,
    merged_into,version,evidence_count,created_at,created_by,updated_at

``source``, ``quote`` and ``stance`` describe the claim's first evidence link (source id, the
excerpt's exact words, supports/refutes/mentions); ``evidence_count`` says how many it has.

Sources (``export_sources_csv`` / ``import_sources_csv``), one row per source, oldest first::

    title,publisher,url,author,language,published,text,path,id,sha256,origin,content_type,
    ai_status,retrieved_at,created_at,created_by,length

An import reads the first eight columns; each row needs ``text`` (the snapshot itself) or
``path`` (a .txt, .md or .html file, relative to the CSV's folder), and goes through ingest
like `tracker ingest`: identical content is ``unchanged``, a refused row is reported by its
number and writes nothing (one savepoint per row), the good rows are kept. ``published`` is
read like a date typed on the add-source page. An export leaves ``path`` empty.

Spreadsheet formulas (OWASP "CSV injection"): a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, or with an apostrophe, is written with one more leading
apostrophe, so a spreadsheet shows it as text and never runs it. The import removes that
apostrophe again (``restore_cell``: only before one of those characters), so text and hashes
survive the round trip."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from tracker.config import DEFAULT_MAX_SOURCE_BYTES
from tracker.models import Claim, Evidence, Excerpt, Source
from tracker.services.audit import log as audit
from tracker.services.audit.query import FORMULA_STARTS
from tracker.services.errors import DomainError, Invalid
from tracker.services.sources.flags import PublishedDate, read_published, set_published
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text
from tracker.services.text.storable import check_storable

CLAIMS_CSV_HEADER = (
    "text",
    "language",
    "verdict",
    "confidence",
    "rationale",
    "source",
    "quote",
    "stance",
    "id",
    "proposed_verdict",
    "merged_into",
    "version",
    "evidence_count",
    "created_at",
    "created_by",
    "updated_at",
)
SOURCES_CSV_HEADER = (
    "title",
    "publisher",
    "url",
    "author",
    "language",
    "published",
    "text",
    "path",
    "id",
    "sha256",
    "origin",
    "content_type",
    "ai_status",
    "retrieved_at",
    "created_at",
    "created_by",
    "length",
)
BOM = "\ufeff"
CLAIMS_BATCH = 1000
SOURCES_BATCH = 50  # rows carry whole texts
_ESCAPED = (*FORMULA_STARTS, "'")
PUBLISHED_REASON = "publication date given in the imported CSV"


# --- cells ----------------------------------------------------------------------------------


def neutralize(value: Any) -> str:
    """A CSV cell: "" for None, ISO 8601 for times, a leading ' before formula starters."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(getattr(value, "value", value))  # enums by value
    return "'" + text if text.startswith(_ESCAPED) else text


def restore_cell(value: str) -> str:
    """Undo ``neutralize``: drop one ' that stands before a formula starter or another '."""
    if value.startswith("'") and value[1:].startswith(_ESCAPED):
        return value[1:]
    return value


def _writer(out: TextIO, header: Sequence[str], bom: bool) -> Any:
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    return writer


# --- claims ---------------------------------------------------------------------------------


def _claim_rows(session: Session, include_merged: bool) -> Iterator[Any]:
    first = (
        select(
            Evidence.claim_id,
            func.min(Evidence.id).label("first_id"),
            func.count().label("n"),
        )
        .group_by(Evidence.claim_id)
        .subquery()
    )
    # Plain columns in header order, never ORM objects: nothing piles up in the session.
    query = (
        select(
            Claim.text,
            Claim.language,
            Claim.verdict,
            Claim.confidence,
            Claim.rationale,
            Excerpt.source_id,
            Excerpt.exact,
            Evidence.stance,
            Claim.id,
            Claim.proposed_verdict,
            Claim.merged_into_id,
            Claim.version,
            func.coalesce(first.c.n, 0),
            Claim.created_at,
            Claim.created_by,
            Claim.updated_at,
        )
        .outerjoin(first, first.c.claim_id == Claim.id)
        .outerjoin(Evidence, Evidence.id == first.c.first_id)
        .outerjoin(Excerpt, Excerpt.id == Evidence.excerpt_id)
        .order_by(Claim.id)
    )
    if not include_merged:
        query = query.where(Claim.merged_into_id.is_(None))
    yield from session.execute(query.execution_options(yield_per=CLAIMS_BATCH))


def export_claims_csv(
    session: Session, out: TextIO, *, bom: bool = False, include_merged: bool = False
) -> int:
    """Write every claim as CSV (``CLAIMS_CSV_HEADER``) to ``out``; returns the row count."""
    writer = _writer(out, CLAIMS_CSV_HEADER, bom)
    count = 0
    for row in _claim_rows(session, include_merged):
        writer.writerow([neutralize(value) for value in row])
        count += 1
    return count


# --- sources --------------------------------------------------------------------------------


def _published_iso(value: datetime | None, has_time: bool, offset: int | None) -> str | None:
    return None if value is None else PublishedDate(value, has_time, offset, "").iso


def export_sources_csv(
    session: Session, out: TextIO, *, bom: bool = False, with_text: bool = True
) -> int:
    """Write every source as CSV (``SOURCES_CSV_HEADER``) to ``out``; returns the row count.

    ``with_text=False`` leaves the text column empty (a spreadsheet cell holds at most
    32,767 characters); ``length`` still gives its size in characters."""
    writer = _writer(out, SOURCES_CSV_HEADER, bom)
    text_column = Source.text if with_text else null()
    query = select(
        Source.title,
        Source.publisher,
        Source.url,
        Source.author,
        Source.language,
        Source.published_at,
        Source.published_has_time,
        Source.published_utc_offset_min,
        text_column,
        Source.id,
        Source.sha256,
        Source.origin,
        Source.content_type,
        Source.ai_status,
        Source.retrieved_at,
        Source.created_at,
        Source.created_by,
        func.length(Source.text),
    ).order_by(Source.id)
    count = 0
    for row in session.execute(query.execution_options(yield_per=SOURCES_BATCH)):
        (title, publisher, url, author, language, at, has_time, offset, *rest) = row
        published = _published_iso(at, has_time, offset)
        values = [title, publisher, url, author, language, published, rest[0], None, *rest[1:]]
        writer.writerow([neutralize(value) for value in values])
        count += 1
    return count


# --- importing sources ----------------------------------------------------------------------


@dataclass
class SourceImportReport:
    created: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "unchanged": len(self.unchanged),
            "failed": len(self.errors),
            "sources": self.created + self.unchanged,
            "errors": self.errors,
        }


def read_csv_rows(
    path: Path, *, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> Iterator[dict[str, str]]:
    """Rows of a UTF-8 CSV file (a byte-order mark is skipped), cells restored
    (``restore_cell``). Raises Invalid for a file that cannot be read as CSV."""
    # A row may hold a whole source text: let a cell be as long as the largest source.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                yield {
                    str(key).strip(): restore_cell(value) if isinstance(value, str) else ""
                    for key, value in row.items()
                    if key is not None
                }
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise Invalid(f"cannot read {path.name} as a UTF-8 CSV file: {exc}") from exc


def _cell(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{name} must be text")
    return value.strip() or None


def _import_row(
    session: Session,
    row: Any,
    *,
    actor: audit.Actor,
    base_dir: Path | None,
    max_bytes: int,
) -> tuple[Source, bool]:
    if not isinstance(row, dict):
        raise Invalid("the row is not an object")
    check_storable(row, "the row")
    meta = SourceMeta(
        title=_cell(row, "title"),
        publisher=_cell(row, "publisher"),
        url=_cell(row, "url"),
        author=_cell(row, "author"),
        language=_cell(row, "language"),
    ).checked()
    text, path = row.get("text") or "", _cell(row, "path")
    if not isinstance(text, str):
        raise Invalid("text must be text")
    if bool(text.strip()) == bool(path):
        raise Invalid("give either text or path")
    if path:
        source, created = _ingest_file(session, path, meta, actor, base_dir, max_bytes)
    else:
        source, created = ingest_text(
            session, text, actor=actor, origin="csv import", meta=meta, max_bytes=max_bytes
        )
    published = _cell(row, "published")
    if created and published:
        given = read_published(published, source.language)
        set_published(session, source, given, actor=actor, reason=PUBLISHED_REASON)
    return source, created


def _ingest_file(
    session: Session,
    name: str,
    meta: SourceMeta,
    actor: audit.Actor,
    base_dir: Path | None,
    max_bytes: int,
) -> tuple[Source, bool]:
    if base_dir is None:
        raise Invalid("a path needs a CSV file to be relative to")
    path = base_dir / name
    # A CSV from elsewhere must not pull in the user's other files ("../", "/", a link out).
    if not path.resolve().is_relative_to(base_dir.resolve()):
        raise Invalid(f"{name}: the path must name a file in the CSV file's folder")
    result = ingest_path(session, path, actor=actor, meta=meta, max_bytes=max_bytes)
    if result.status == "refused" or result.source_id is None:
        raise Invalid(f"{name}: {result.reason}")
    source = session.get(Source, result.source_id)
    assert source is not None
    return source, result.status == "created"


def import_sources_csv(
    session: Session,
    rows: Iterable[Any],
    *,
    actor: audit.Actor,
    base_dir: Path | None = None,
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> SourceImportReport:
    """Ingest each row (see the module docstring); a refused row is reported with its number
    (data rows count from 1, as in `tracker claims import`) and leaves nothing behind."""
    report = SourceImportReport()
    for number, row in enumerate(rows, start=1):
        try:
            with session.begin_nested():
                source, created = _import_row(
                    session, row, actor=actor, base_dir=base_dir, max_bytes=max_bytes
                )
        except DomainError as exc:
            report.errors.append({"row": number, "error": str(exc)})
            continue
        entry = {"row": number, "source_id": source.id, "sha256": source.sha256}
        (report.created if created else report.unchanged).append(entry)
    return report
