"""The `tracker` command line: thin click commands over the services.

The same commands are registered on the Flask app, so `flask --app tracker ingest ...` works too;
there the database comes from the app's configuration.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import click
from alembic.util import CommandError as AlembicCommandError
from sqlalchemy import Engine

from tracker import cli_ops, config, migrate
from tracker.app import build_app
from tracker.cli_audit import audit
from tracker.cli_claims import aliases, claims, dedup
from tracker.cli_interop import export, import_
from tracker.cli_support import CliState, domain_errors, emit, session_scope, state
from tracker.cli_tokens import tokens
from tracker.services.aliases import seed_aliases
from tracker.services.audit import Actor
from tracker.services.demo import load_claims_file, reset_demo_user, seeds_folder
from tracker.services.ingest import IngestResult, SourceMeta, ingest_path, iter_input_files
from tracker.services.publishers import get_publisher, publisher_stats, set_publisher_flag
from tracker.services.source_flags import AI_STATUS_ALIASES, AI_STATUSES, set_ai_status
from tracker.services.sources import get_source, list_sources, source_detail
from tracker.services.storable import readable
from tracker.services.users import create_user


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--database-url",
    envvar=config.ENV_DATABASE_URL,
    default=None,
    help="SQLAlchemy URL (default: TRACKER_DATABASE_URL, else SQLite in instance/).",
)
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """Claim and source provenance tracker."""
    if not isinstance(ctx.obj, CliState):
        ctx.obj = CliState(database_url=config.database_url(database_url))
    ctx.call_on_close(ctx.obj.close)


# --- db -------------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database migrations."""


def _migrate(step: Callable[[Engine, str], None], revision: str, as_json: bool) -> None:
    engine = state().engine()
    try:
        step(engine, revision)
    except AlembicCommandError as exc:
        raise click.ClickException(str(exc)) from exc
    current = migrate.current_revision(engine)
    if as_json:
        emit({"current": current, "head": migrate.head_revision()})
    else:
        click.echo(f"database at {current or 'base'}")


@db.command("upgrade")
@click.argument("revision", default="head")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_upgrade(revision: str, as_json: bool) -> None:
    """Upgrade the database to REVISION (default: head)."""
    _migrate(migrate.upgrade, revision, as_json)


@db.command("downgrade")
@click.argument("revision")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.confirmation_option("--yes", prompt="Downgrading can drop tables and their data. Continue?")
def db_downgrade(revision: str, as_json: bool) -> None:
    """Downgrade the database to REVISION ("base" removes every table and its data)."""
    _migrate(migrate.downgrade, revision, as_json)


@db.command("current")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_current(as_json: bool) -> None:
    """Show the database's migration and the code's head migration."""
    current, head = migrate.current_revision(state().engine()), migrate.head_revision()
    if as_json:
        emit({"current": current, "head": head, "at_head": current == head})
    else:
        click.echo(f"current: {current or 'none'}\nhead:    {head}")
        if current != head:
            click.echo("the database is behind: run `tracker db upgrade`")


# --- ingest ---------------------------------------------------------------------------------


def _configured_max_bytes() -> int:
    try:
        return config.max_source_bytes()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _ingest_files(files: list[Path], meta: SourceMeta, limit: int) -> list[IngestResult]:
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


@main.command()
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
    limit = max_bytes or _configured_max_bytes()
    results = _ingest_files(files, meta, limit)
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


# --- sources --------------------------------------------------------------------------------


@main.group()
def sources() -> None:
    """Read sources and set their AI status."""


AI_CHOICES = click.Choice([*AI_STATUSES, *AI_STATUS_ALIASES], case_sensitive=False)


@sources.command("list")
@click.option(
    "--ai", type=AI_CHOICES, help="Only sources with this AI status (yes/no: the derived flag)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sources_list(ai: str | None, as_json: bool) -> None:
    """List every source (with its AI status)."""
    with domain_errors(), session_scope() as session:
        items = list_sources(session, ai=ai.lower() if ai else None)
        if as_json:
            emit([{k: v for k, v in source_detail(s).items() if k != "text"} for s in items])
            return
        for s in items:
            ai_mark = " [AI]" if s.ai_generated.value == "yes" else ""
            if s.ai_status.value != "unknown":
                ai_mark += f" ({s.ai_status.label})"
            click.echo(
                f"{s.id:>4}  {s.language or '?':5} {s.published_iso or '-':19}  {s.title}{ai_mark}"
            )


@sources.command("show")
@click.argument("source_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sources_show(source_id: int, as_json: bool) -> None:
    """Show one source with its metadata, marks and text."""
    with domain_errors(), session_scope() as session:
        data = source_detail(get_source(session, source_id))
    if as_json:
        emit(data)
        return
    for key, value in data.items():
        if key != "text":
            click.echo(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    click.echo("\n" + data["text"])


@sources.command("flag")
@click.argument("source_id", type=int)
@click.option(
    "--status",
    required=True,
    type=AI_CHOICES,
    help="AI status (yes = ai_reviewer, no = human_reviewer are accepted too).",
)
@click.option("--reason", required=True, help="Why (required; recorded in the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def sources_flag(source_id: int, status: str, reason: str, as_json: bool) -> None:
    """Set by hand the AI status of source SOURCE_ID, with a reason (audited)."""
    with domain_errors(), session_scope() as session:
        before = get_source(session, source_id)
        was, was_generated, stamp = (
            before.ai_status.value,
            before.ai_generated.value,
            before.ai_flag_at,
        )
        source = set_ai_status(session, source_id, status, reason=reason, actor=Actor.cli())
        data = {
            "id": source.id,
            "ai_status": source.ai_status.value,
            "ai_generated": source.ai_generated.value,
            "previous": was,
            "previous_ai_generated": was_generated,
            "ai_flag_reason": source.ai_flag_reason,
            "ai_flag_by": source.ai_flag_by,
            "ai_flag_at": source.ai_flag_at.isoformat() if source.ai_flag_at else None,
            "changed": source.ai_flag_at != stamp,
        }
    if as_json:
        emit(data)
    elif data["changed"]:
        click.echo(f"source {source_id}: AI status {data['ai_status']} (was {was})")
    else:
        click.echo(f"source {source_id}: unchanged (already {was} with this reason)")


# --- publishers -----------------------------------------------------------------------------


@main.group()
def publishers() -> None:
    """Publishers: how many of their sources are AI-generated, and their AI flag."""


@publishers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def publishers_list(as_json: bool) -> None:
    """List publishers with their sources, the share AI-generated, and their flag."""
    with session_scope() as session:
        stats = publisher_stats(session)
    if as_json:
        emit(stats)
        return
    for p in stats:
        flag = "  [flagged]" if p["ai_flag"] else ""
        click.echo(
            f"{p['id']:>4}  {p['flagged_sources']:>3}/{p['sources']:<3} AI ({p['share']:.0%}), "
            f"{p['suspected']} suspected  {p['name']}{flag}"
        )


@publishers.command("flag")
@click.argument("publisher")
@click.option("--on/--off", "flag", default=None, help="Flag or unflag the publisher.")
@click.option("--reason", required=True, help="Why (required; recorded in the audit log).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def publishers_flag(publisher: str, flag: bool | None, reason: str, as_json: bool) -> None:
    """Flag PUBLISHER (id, name or domain) as a source of AI-generated text, or unflag it.

    New sources from a flagged publisher start "suspected"; stored sources keep their status."""
    if flag is None:
        raise click.UsageError("give --on or --off")
    with domain_errors(), session_scope() as session:
        found = get_publisher(session, publisher)
        stamp = found.ai_flag_at
        found = set_publisher_flag(session, found.id, flag, reason=reason, actor=Actor.cli())
        data = {
            "id": found.id,
            "name": found.name,
            "ai_flag": found.ai_flag,
            "reason": found.ai_flag_reason,
            "ai_flag_by": found.ai_flag_by,
            "ai_flag_at": found.ai_flag_at.isoformat() if found.ai_flag_at else None,
            "changed": found.ai_flag_at != stamp,
        }
    if as_json:
        emit(data)
    else:
        state_word = "flagged" if data["ai_flag"] else "not flagged"
        done = "now" if data["changed"] else "unchanged: already"
        click.echo(f"publisher {data['id']} ({data['name']}): {done} {state_word}")


# --- users ----------------------------------------------------------------------------------


@main.group()
def users() -> None:
    """Manage user accounts."""


def _read_password() -> str:
    if sys.stdin.isatty():
        value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        return value
    return sys.stdin.readline().rstrip("\r\n")


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["viewer", "reviewer", "editor", "admin"]))
@click.option("--display-name", default="", help="Name shown in the app.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def users_create(username: str, role: str, display_name: str, as_json: bool) -> None:
    """Create a user; the password is prompted twice, or read from stdin when piped."""
    password = _read_password()
    with domain_errors(), session_scope() as session:
        user = create_user(
            session,
            username,
            role=role,
            password=password,
            display_name=display_name,
            actor=Actor.cli(),
        )
        data = {"id": user.id, "username": user.username, "role": user.role.value}
    if as_json:
        emit(data)
    else:
        click.echo(f"created {data['role']} {data['username']!r} (id {data['id']})")


# --- demo -----------------------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--serve/--no-serve", default=True, help="Start the server afterwards.")
@click.option(
    "--seeds",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of seed articles and claims.json (default: the copy shipped with the tracker).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was loaded as JSON.")
def demo(host: str, port: int, serve: bool, seeds: Path | None, as_json: bool) -> None:
    """Upgrade the database, load the seed corpus and demo claims, and serve the app."""
    seeds = seeds or seeds_folder()
    if not (seeds / "claims.json").is_file():
        raise click.UsageError(f"{seeds} has no claims.json: give a folder of seeds")
    db_state = state()
    if not migrate.is_at_head(db_state.engine()):
        migrate.upgrade(db_state.engine())
    files = [path for path, skip in iter_input_files([seeds]) if skip is None]
    results = _ingest_files(files, SourceMeta(), _configured_max_bytes())
    actor = Actor.cli()
    with domain_errors():
        with session_scope() as session:
            seed_aliases(session, actor=actor)
            loaded = load_claims_file(session, seeds / "claims.json", actor=actor)
        with session_scope() as session:
            username, password = reset_demo_user(session, actor=actor)
    if as_json:
        emit(
            {
                "sources": [r.as_dict() for r in results],
                "claims": {"created": loaded.created, "unchanged": loaded.unchanged},
                "user": {"username": username, "password": password},
            }
        )
    else:
        for r in results:
            click.echo(f"{r.status:9} {r.name}" + (f": {r.reason}" if r.reason else ""))
        click.echo(f"demo claims: {loaded.created} created, {loaded.unchanged} already present")
        click.echo(f"demo editor: {username} / password: {password}  (shown once)")
    if serve:
        overrides = {"DATABASE_URL": db_state.database_url, "ENGINE": db_state.engine()}
        app = build_app(overrides=overrides)
        click.echo(f"serving on http://{host}:{port}/", err=as_json)
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


main.add_command(claims)
main.add_command(aliases)
main.add_command(dedup)
main.add_command(audit)
main.add_command(export)
main.add_command(import_)
main.add_command(tokens)
cli_ops.register(main)


def register_commands(group: click.Group) -> None:
    """Add every tracker command to another group (the Flask app's `flask` CLI)."""
    for name, command in main.commands.items():
        group.add_command(command, name)
