"""`tracker ingest`: files and folders become sources."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from tracker import config
from tracker.cli.support import emit, session_scope
from tracker.services.audit.log import Actor
from tracker.services.sources.ingest import IngestResult, SourceMeta, ingest_path, iter_input_files
from tracker.services.text.storable import readable


def configured_max_bytes() -> int:
    try:
        return config.max_source_bytes()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def ingest_files(files: list[Path], meta: SourceMeta, limit: int) -> list[IngestResult]:
    actor = Actor.cli()
    results = []
    show_bar = len(files) > 1 and sys.stderr.isatty()
    bar_or_list = click.progressbar(files, label="ingesting", file=sys.stderr)
    with bar_or_list if show_bar else nullcontext(files) as bar:
        for path in bar:
            # One transaction per file: a refusal or crash never undoes the files before it.
            with session_scope() as session:
                results.append(ingest_path(session, path, actor=actor, meta=meta, max_bytes=limit))
    return results


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--publisher", help="Publisher of every file in this run.")
@click.option("--url", help="URL of the document (for a single file).")
@click.option("--title", help="Title (for a single file); default: the first meaningful line.")
@click.option("--author", help="Author of the document.")
@click.option("--language", help="BCP-47 language tag; default: detected.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="Size limit per file.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary.")
def ingest(
    paths: tuple[Path, ...],
    publisher: str | None,
    url: str | None,
    title: str | None,
    author: str | None,
    language: str | None,
    max_bytes: int | None,
    as_json: bool,
) -> None:
    """Ingest .txt, .md and .html files, or folders of them, as sources."""
    entries = list(iter_input_files(paths))
    files = [path for path, skip in entries if skip is None]
    if (title or url) and len(files) > 1:
        raise click.UsageError("--title and --url describe one document: name a single file")
    meta = SourceMeta(title=title, publisher=publisher, url=url, author=author, language=language)
    limit = max_bytes or configured_max_bytes()
    results = ingest_files(files, meta, limit)
    results += [
        IngestResult(name=readable(p.name), status="skipped", reason=why)
        for p, why in entries
        if why
    ]
    refused = [r for r in results if r.status == "refused"]
    if as_json:
        statuses = ("created", "unchanged", "refused", "skipped")
        counts = {s: sum(r.status == s for r in results) for s in statuses}
        emit({"files": [r.as_dict() for r in results], "counts": counts})
    else:
        for r in results:
            line = f"{r.status:9} {r.name}"
            if r.source_id is not None:
                line += f" -> source {r.source_id}"
            if r.status == "created":
                line += f" ({r.details.get('language')}, published {r.details.get('published_at')})"
            elif r.reason:
                line += f": {r.reason}"
            click.echo(line, err=r.status in ("refused", "skipped"))
    if not files:
        raise click.ClickException("no .txt, .md or .html files found")
    if refused:
        sys.exit(1)
