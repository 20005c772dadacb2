"""`tracker sources fetch|recapture|watch|interval|archive`: sources captured by URL."""

from __future__ import annotations

import os
import socket
import sys
import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from tracker import config
from tracker.cli.support import domain_errors, emit, session_scope
from tracker.config import FetchSettings
from tracker.services.audit.log import Actor


def _settings() -> FetchSettings:
    try:
        return config.fetch_settings()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _line(result: dict[str, Any]) -> str:
    outcome, source = result["outcome"], result["source_id"]
    if outcome == "failed":
        return f"failed    {result['url']}: {result['error']}"
    version = f" (version {result['version']})" if result.get("version") else ""
    line = f"{outcome:9} {result['url']} -> source {source}{version}"
    counts: dict[str, int] = {}
    for anchor in result.get("anchors", []):
        counts[anchor["status"]] = counts.get(anchor["status"], 0) + 1
    if counts:
        line += "; excerpts " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if result.get("claims_marked_for_rereview"):
        marked = ", ".join(str(c) for c in result["claims_marked_for_rereview"])
        line += f"; claims marked for re-review: {marked}"
    return line


def register(sources: click.Group) -> None:
    for command in (fetch, recapture, watch, interval, archive):
        sources.add_command(command)


@click.command("fetch")
@click.argument("url")
@click.option("--publisher", help="Publisher (default: the page's site name).")
@click.option("--title", help="Title (default: the page's title).")
@click.option("--author", help="Author (default: the page's byline).")
@click.option("--language", help="BCP-47 language tag; default: detected.")
@click.option(
    "--interval",
    type=click.IntRange(1, 525_600),
    help="Minutes between recaptures (default: TRACKER_RECAPTURE_INTERVAL).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def fetch(
    url: str,
    publisher: str | None,
    title: str | None,
    author: str | None,
    language: str | None,
    interval: int | None,
    as_json: bool,
) -> None:
    """Fetch the page at URL, archive the response and store its article as a source."""
    from tracker.services.sources.capture import capture_url
    from tracker.services.sources.ingest import SourceMeta

    meta = SourceMeta(title=title, publisher=publisher, author=author, language=language)
    settings = _settings()
    with domain_errors(), session_scope() as session:
        result = capture_url(
            session, url, actor=Actor.cli(), settings=settings, meta=meta,
            interval_minutes=interval,
        ).as_dict()  # fmt: skip
    if as_json:
        emit(result)
    else:
        click.echo(_line(result))


@click.command("recapture")
@click.argument("source_id", type=int, required=False)
@click.option("--all-due", is_flag=True, help="Every watched page that is due.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def recapture(source_id: int | None, all_due: bool, as_json: bool) -> None:
    """Fetch the page of source SOURCE_ID (or every due page) again; a changed page becomes a
    new version. Exit status 1 when a fetch failed."""
    if (source_id is None) == (not all_due):
        raise click.UsageError("give a SOURCE_ID or --all-due (not both)")
    if all_due:
        results = _run_due(as_json, show_bar=False)
    else:
        from tracker.services.sources.capture import recapture as recapture_source

        settings = _settings()
        with domain_errors(), session_scope() as session:
            found = recapture_source(session, source_id or 0, actor=Actor.cli(), settings=settings)
            results = [found.as_dict()]
    _report(results, as_json, single=not all_due)
    if any(r["outcome"] == "failed" for r in results) and not all_due:
        sys.exit(1)


@click.command("watch")
@click.option("--limit", type=click.IntRange(1, 100_000), default=1000, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (no progress bar).")
def watch(limit: int, as_json: bool) -> None:
    """Recapture every watched page that is due (safe from cron: a page another runner is
    fetching is skipped). Failed fetches are reported and retried at the next interval."""
    results = _run_due(as_json, show_bar=not as_json and sys.stderr.isatty(), limit=limit)
    _report(results, as_json, single=False)


def _report(results: list[dict[str, Any]], as_json: bool, *, single: bool) -> None:
    if as_json:
        if single:
            emit(results[0])
            return
        outcomes = ("unchanged", "changed", "failed", "skipped")
        counts = {o: sum(r["outcome"] == o for r in results) for o in outcomes}
        emit({"results": results, "counts": counts})
        return
    for result in results:
        if result["outcome"] == "skipped":
            click.echo(f"skipped   source {result['source_id']}: another runner holds it")
        else:
            click.echo(_line(result), err=result["outcome"] == "failed")
    if not results and not single:
        click.echo("no watched page is due")


def _run_due(as_json: bool, *, show_bar: bool, limit: int = 1000) -> list[dict[str, Any]]:
    """Each due page: lease taken and committed, fetched, stored and committed, lease freed."""
    from tracker.models import SourceWatch
    from tracker.services.sources.capture import recapture as recapture_source
    from tracker.services.sources.watch import claim_watch, due_watches, release_watch

    settings = _settings()
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    actor = Actor.cli()
    with session_scope() as session:
        due = due_watches(session, limit=limit)
    results: list[dict[str, Any]] = []
    bar = click.progressbar(due, label="recapturing", file=sys.stderr)
    with bar if show_bar else nullcontext(due) as items:
        for watch_id in items:
            with session_scope() as session:
                taken = claim_watch(session, watch_id, owner)
                first = session.get(SourceWatch, watch_id)
                first_id = first.first_source_id if first else None
            if not taken:
                results.append({"outcome": "skipped", "source_id": first_id, "url": None})
                continue
            try:
                with domain_errors(), session_scope() as session:
                    page = session.get(SourceWatch, watch_id)
                    assert page is not None
                    found = recapture_source(
                        session, page.latest_source_id, actor=actor, settings=settings
                    )
                    results.append(found.as_dict())
            finally:
                with session_scope() as session:
                    release_watch(session, watch_id, owner)
    return results


@click.command("interval")
@click.argument("source_id", type=int)
@click.argument("minutes")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def interval(source_id: int, minutes: str, as_json: bool) -> None:
    """Set how often the page of SOURCE_ID is recaptured: MINUTES, or "default"
    (TRACKER_RECAPTURE_INTERVAL)."""
    from tracker.services.sources.versions import interval_of
    from tracker.services.sources.watch import set_interval

    value: int | None = None
    if minutes.strip().lower() != "default":
        if not minutes.strip().isdigit():
            raise click.BadParameter("a whole number of minutes, or default", param_hint="MINUTES")
        value = int(minutes)
    with domain_errors(), session_scope() as session:
        page = set_interval(session, source_id, value, actor=Actor.cli())
        data = {
            "source_id": page.first_source_id,
            "interval_minutes": page.interval_minutes,
            "effective_minutes": interval_of(page),
            "next_check_at": page.next_check_at.isoformat() if page.next_check_at else None,
        }
    if as_json:
        emit(data)
    else:
        click.echo(
            f"source {source_id}: recaptured every {data['effective_minutes']} minutes, "
            f"next at {data['next_check_at']}"
        )


@click.command("archive")
@click.argument("source_id", type=int)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
    help="The WARC file to write (FILE.warc.gz).",
)  # fmt: skip
def archive(source_id: int, output: Path) -> None:
    """Export the archived HTTP response of source SOURCE_ID as a WARC file."""
    from tracker.services.interop.warc import write_warc

    partial = output.with_name(output.name + ".part")
    with domain_errors(), session_scope() as session:
        try:
            with partial.open("wb") as handle:
                size = write_warc(session, source_id, handle)
            partial.replace(output)
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
        finally:
            partial.unlink(missing_ok=True)
    click.echo(f"wrote {output} ({size} bytes of archived response)")


def _register_on_sources() -> None:
    from tracker.cli.sources import sources

    register(sources)


_register_on_sources()  # imported through COMMANDS["sources"].extended_by
