"""`tracker demo`: the seed corpus, the demo claims and user, then the server."""

from __future__ import annotations

from pathlib import Path

import click

from tracker import migrate
from tracker.cli.ingest import configured_max_bytes, ingest_files
from tracker.cli.support import domain_errors, emit, session_scope, state
from tracker.services.accounts.users import get_user
from tracker.services.audit.log import Actor
from tracker.services.dedup.aliases import seed_aliases
from tracker.services.ops.demo import load_claims_file, reset_demo_user, seeds_folder
from tracker.services.sources.ingest import SourceMeta, iter_input_files


@click.command()
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
    from tracker.cli import ops

    listener = ops.reserve_port(host, port) if serve else None  # before any change
    db_state = state()
    if not migrate.is_at_head(db_state.engine()):
        migrate.upgrade(db_state.engine())
    files = [path for path, skip in iter_input_files([seeds]) if skip is None]
    results = ingest_files(files, SourceMeta(), configured_max_bytes())
    actor = Actor.cli()
    with domain_errors():
        with session_scope() as session:
            seed_aliases(session, actor=actor)
            loaded = load_claims_file(session, seeds / "claims.json", actor=actor)
        with session_scope() as session:
            username, password = reset_demo_user(session, actor=actor)
            demo_user = get_user(session, username)
            role = demo_user.role.value if demo_user is not None else "editor"
    url = f"http://{host}:{port}/"
    if as_json:
        emit(
            {
                "sources": [r.as_dict() for r in results],
                "claims": {"created": loaded.created, "unchanged": loaded.unchanged},
                "user": {"username": username, "password": password, "role": role},
                "url": url if serve else None,
            }
        )
    else:
        for r in results:
            click.echo(f"{r.status:9} {r.name}" + (f": {r.reason}" if r.reason else ""))
        click.echo(f"demo claims: {loaded.created} created, {loaded.unchanged} already present")
        click.echo(f"demo user: {username} (role: {role}) / password: {password}  (shown once)")
    if listener is not None:
        overrides = {"DATABASE_URL": db_state.database_url, "ENGINE": db_state.engine()}
        from tracker.app import build_app  # the web app only when serving

        app = build_app(overrides=overrides)
        click.echo(f"serving on {url}  (sign in as {username}, role: {role})", err=as_json)
        ops.serve_on(app, listener)
