"""`tracker export claimreview` and `tracker import claimreview`: schema.org ClaimReview."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from tracker import config
from tracker.cli.support import domain_errors, emit, session_scope
from tracker.services.audit.log import Actor
from tracker.services.interop.claimreview import ReviewSettings, all_claim_reviews, claim_review
from tracker.services.interop.claimreview_import import Document, ImportReport, import_claim_reviews


def _settings() -> ReviewSettings:
    try:
        return config.review_settings()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a temporary file beside ``path`` that replaces it only when all went well
    (an error leaves no half-written file)."""
    if path is None:
        yield sys.stdout
        return
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yield handle
        os.replace(name, path)
    except BaseException:
        os.unlink(name)
        raise


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _write_list(out: TextIO, items: Iterable[dict[str, Any]]) -> int:
    """A JSON list written one item at a time; the number written."""
    count = 0
    out.write("[")
    for item in items:
        out.write(",\n  " if count else "\n  ")
        out.write(_dump(item).replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


@click.command("claimreview")
@click.option("--claim", "claim_id", type=click.IntRange(min=1), help="One claim.")
@click.option("--all", "all_claims", is_flag=True, help="Every claim with a final verdict.")
@click.option(
    "--include-unreviewed",
    is_flag=True,
    help="With --all: unreviewed and in-review claims too (without a rating).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE instead of standard output.",
)
def export_claimreview(
    claim_id: int | None, all_claims: bool, include_unreviewed: bool, output: Path | None
) -> None:
    """Write one claim (--claim ID) as a ClaimReview object, or every claim with a final
    verdict (--all; with --include-unreviewed, the others too, without a rating) as a list.

    Merged claims are left out of --all; --claim of a merged claim exports the claim it was
    merged into. The publisher comes from TRACKER_ORG_NAME, TRACKER_ORG_URL and
    TRACKER_PUBLIC_URL."""
    if (claim_id is None) == (not all_claims):
        raise click.UsageError("give --claim ID or --all")
    if include_unreviewed and not all_claims:
        raise click.UsageError("--include-unreviewed goes with --all")
    settings = _settings()
    with domain_errors(), session_scope() as session:
        if claim_id is not None:
            review = claim_review(session, claim_id, settings)  # NotFound before any output
            with _output(output) as out:
                out.write(_dump(review) + "\n")
            return
        reviews = all_claim_reviews(session, settings, include_unreviewed=include_unreviewed)
        with _output(output) as out:
            count = _write_list(out, reviews)
    if output is not None:
        click.echo(f"wrote {count} claim reviews to {output}", err=True)


def read_documents(path: Path) -> list[Document]:
    """A .json/.jsonld file, or every such file directly inside a folder (sorted, no
    dotfiles). A file that is not UTF-8 JSON becomes a Document with ``error``."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in (".json", ".jsonld") and p.is_file() and p.name[0] != "."
        )
        if not files:
            raise click.ClickException(f"{path} holds no .json or .jsonld files")
    else:
        files = [path]
    documents = []
    for file in files:
        try:
            documents.append(Document(file.name, json.loads(file.read_text("utf-8-sig"))))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            documents.append(Document(file.name, error=f"cannot read it as JSON: {exc}"))
    return documents


def _print_report(report: ImportReport) -> None:
    for error in report.errors:
        where = error["document"] + ("" if error["index"] is None else f"[{error['index']}]")
        click.echo(f"{where}: {error['reason']}", err=True)
    for warning in report.warnings:
        click.echo(f"{warning['document']}[{warning['index']}]: {warning['warning']}", err=True)
    for entry in report.suggested:
        candidate = entry["candidate"]
        click.echo(
            f"claim {entry['claim_id']} may duplicate claim {candidate['claim_id']} "
            f"(score {candidate['score']}): review it on /duplicates"
        )
    counts = report.as_dict()["counts"]
    click.echo(
        f"created {counts['created'] + counts['suggested']} claims "
        f"({counts['suggested']} with a possible duplicate), linked {counts['linked']} "
        f"to existing claims, {counts['unchanged']} unchanged, {counts['skipped']} nodes "
        f"skipped, {counts['errors']} records refused"
    )


@click.command("claimreview")
@click.argument("path", metavar="FILE|DIR", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
def import_claimreview(path: Path, as_json: bool) -> None:
    """Import ClaimReview JSON-LD (an object, a list or an @graph) or Fact Check Tools claim
    records from FILE, or from every *.json and *.jsonld file in DIR. Bad records are
    reported (file, index, reason) and the others imported; exit status 1 if any was bad."""
    documents = read_documents(path)
    with domain_errors(), session_scope() as session:
        report = import_claim_reviews(session, documents, actor=Actor.cli())
    if as_json:
        emit(report.as_dict())
    else:
        _print_report(report)
    if report.errors:
        sys.exit(1)


def register(export: click.Group, import_: click.Group) -> None:
    """Add this module's commands to the export and import groups."""
    export.add_command(export_claimreview)
    import_.add_command(import_claimreview)
