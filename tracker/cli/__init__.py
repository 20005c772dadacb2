"""The `tracker` command line: thin click commands over the services, one module per command
group, registered in one place (``COMMANDS``) and imported only when run.

`tracker --help` reads the one-line help from ``COMMANDS`` and imports no command module; a
command imports its own module (and the services it needs) when it runs, and only `serve`,
`demo` and the Flask glue load Flask. The same commands are registered on the Flask app, so
`flask --app tracker ingest ...` works too; there the database comes from the app's
configuration.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import click

from tracker import config
from tracker.cli.support import CliState


@dataclass(frozen=True)
class Entry:
    """Where a top-level command lives, and its one-line help for `tracker --help`."""

    module: str  # under tracker.cli
    attr: str
    help: str
    extended_by: tuple[str, ...] = ()  # modules that add subcommands to it when imported


COMMANDS: dict[str, Entry] = {
    "db": Entry("db", "db", "Database migrations."),
    "ingest": Entry("ingest", "ingest", "Ingest .txt, .md and .html files, or folders of them."),
    "sources": Entry(
        "sources",
        "sources",
        "Read sources, set their AI status, and fetch, watch and archive pages by URL.",
        extended_by=("capture",),
    ),
    "publishers": Entry("publishers", "publishers", "Publishers and their AI flag."),
    "users": Entry("users", "users", "Manage user accounts."),
    "claims": Entry(
        "claims", "claims", "Add, find, merge and read claims.", extended_by=("audit",)
    ),
    "aliases": Entry("claims", "aliases", "The entity alias table used by matching."),
    "dedup": Entry("claims", "dedup", "Scan for duplicate claims and apply the sure ones."),
    "audit": Entry("audit", "audit", "Verify, read and query the audit log."),
    "export": Entry(
        "interop", "export", "Write claims, excerpts and lineage in interchange formats."
    ),
    "import": Entry("interop", "import_", "Read claims and sources from interchange formats."),
    "tokens": Entry("tokens", "tokens", "Personal API tokens."),
    "demo": Entry("demo", "demo", "Load the seed corpus and demo claims, and serve the app."),
    "serve": Entry("ops", "serve", "Serve the app with gunicorn (several processes)."),
    "check": Entry("ops", "check", "Start-up health check (exit status 1 when a check fails)."),
    "backup": Entry("ops", "backup", "Write a verified backup of the database to PATH."),
    "restore": Entry("ops", "restore", "Replace the database with a verified backup."),
}


def load_command(name: str) -> click.Command:
    """Import the module of command NAME (and of those that extend it) and return it."""
    entry = COMMANDS[name]
    command = getattr(importlib.import_module(f"tracker.cli.{entry.module}"), entry.attr)
    for module in entry.extended_by:
        importlib.import_module(f"tracker.cli.{module}")
    if not isinstance(command, click.Command):
        raise TypeError(f"tracker.cli.{entry.module}.{entry.attr} is not a click command")
    return command


class LazyGroup(click.Group):
    """A group whose commands are imported when they run, listed from ``COMMANDS``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name].help) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tracker", message="tracker %(version)s")
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


def register_commands(group: click.Group) -> None:
    """Add every tracker command to another group (the Flask app's `flask` CLI)."""
    for name in COMMANDS:
        group.add_command(load_command(name), name)
