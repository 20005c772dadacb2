"""`tracker export annotations|prov|claims-csv|sources-csv` and `tracker import sources-csv`.

Exports write to standard output, or with ``-o FILE`` to a temporary file beside FILE that
replaces it only once everything is written: a refused or failed export leaves no file."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from tracker import config
from tracker.cli.support import domain_errors, emit, session_scope
from tracker.services.audit.log import Actor
from tracker.services.interop.csv_io import (
    export_claims_csv,
    export_sources_csv,
    import_sources_csv,
    read_csv_rows,
)
from tracker.services.interop.prov import prov_json
from tracker.services.interop.web_annotation import write_collection

OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (replaced only when the export succeeds); default: stdout.",
)
BASE_URL = click.option(
    "--base-url",
    help="The web app's address (https://desk.example/): records get their page URLs as IRIs "
    "(default: urn:tracker: names).",
)
BOM = click.option("--bom", is_flag=True, help="Start with a UTF-8 byte-order mark (Excel).")


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """A UTF-8 text stream for ``path`` (atomically replaced at the end) or for stdout."""
    if path is None:
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, "utf-8", newline="")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()  # stdout stays open
        return
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _done(message: str) -> None:
    click.echo(message, err=True)


def _max_bytes() -> int:
    try:
        return config.max_source_bytes()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def register(export: click.Group, import_: click.Group) -> None:
    """Add this module's commands to the export and import groups."""

    @export.command("annotations")
    @OUTPUT
    @click.option("--source", "source_id", type=int, help="Only the excerpts of this source.")
    @BASE_URL
    def export_annotations(
        output: Path | None, source_id: int | None, base_url: str | None
    ) -> None:
        """Every excerpt as W3C Web Annotations (JSON-LD): one AnnotationCollection."""
        with domain_errors(), session_scope() as session, _output(output) as out:
            count = write_collection(session, out, source_id=source_id, base_url=base_url)
        _done(f"wrote {count} annotations")

    @export.command("prov")
    @click.option("--claim", "claim_id", type=int, required=True, help="The claim's id.")
    @OUTPUT
    @BASE_URL
    def export_prov(claim_id: int, output: Path | None, base_url: str | None) -> None:
        """A claim's lineage as W3C PROV-JSON: sources, excerpts, reviews, merges, agents."""
        with domain_errors(), session_scope() as session:
            text = prov_json(session, claim_id, base_url=base_url)
            with _output(output) as out:
                out.write(text + "\n")

    @export.command("claims-csv")
    @OUTPUT
    @BOM
    @click.option("--include-merged", is_flag=True, help="Also the claims merged into others.")
    def export_claims(output: Path | None, bom: bool, include_merged: bool) -> None:
        """Claims as CSV, header: text,language,verdict,confidence,rationale,source,quote,
        stance,id,proposed_verdict,merged_into,version,evidence_count,created_at,created_by,
        updated_at (the first eight are what `tracker claims import` reads)."""
        with domain_errors(), session_scope() as session, _output(output) as out:
            count = export_claims_csv(session, out, bom=bom, include_merged=include_merged)
        _done(f"wrote {count} claims")

    @export.command("sources-csv")
    @OUTPUT
    @BOM
    @click.option("--no-text", is_flag=True, help="Leave the text column empty.")
    def export_sources(output: Path | None, bom: bool, no_text: bool) -> None:
        """Sources as CSV, header: title,publisher,url,author,language,published,text,path,id,
        sha256,origin,content_type,ai_status,retrieved_at,created_at,created_by,length (the
        first eight are what `tracker import sources-csv` reads)."""
        with domain_errors(), session_scope() as session, _output(output) as out:
            count = export_sources_csv(session, out, bom=bom, with_text=not no_text)
        _done(f"wrote {count} sources")

    @import_.command("sources-csv")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    def import_sources(path: Path, as_json: bool) -> None:
        """Ingest sources from a CSV file (title,publisher,url,author,language,published, and
        text or path). Refused rows are reported by number; the other rows are kept."""
        limit = _max_bytes()
        with domain_errors(), session_scope() as session:
            rows = read_csv_rows(path, max_bytes=limit)
            report = import_sources_csv(
                session, rows, actor=Actor.cli(), base_dir=path.parent, max_bytes=limit
            )
        if as_json:
            emit(report.as_dict())
        else:
            for error in report.errors:
                click.echo(f"row {error['row']}: {error['error']}", err=True)
            click.echo(
                f"imported {len(report.created)} sources, {len(report.unchanged)} unchanged, "
                f"{len(report.errors)} rows refused"
            )
        if report.errors:
            sys.exit(1)
