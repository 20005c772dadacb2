"""`tracker serve`, `tracker check`, `tracker backup` and `tracker restore`: running the app."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import Config, Flask, current_app, has_app_context
from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

from tracker import config, migrate
from tracker.app import build_app
from tracker.cli.support import emit, session_scope, state
from tracker.db import make_engine
from tracker.services.audit.log import Actor
from tracker.services.ops.backup import (
    BackupError,
    backup_kind,
    create_backup,
    existing_data,
    record_backup,
    record_restore,
    restore_backup,
)
from tracker.services.ops.health import Check, SecretSource, failed, find_secret, run_checks

_MARK = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


def _configured_secret() -> SecretSource:
    """The key the app would use: the instance config.py's SECRET_KEY, the environment, the
    instance key file (none is created here)."""
    instance = config.instance_path()
    from_file = Config(str(instance))
    try:
        from_file.from_pyfile("config.py", silent=True)
    except Exception as exc:  # the file is Python: any error in it stops the app as well
        raise click.ClickException(f"cannot read {instance / 'config.py'}: {exc}") from exc
    configured = from_file.get("SECRET_KEY")
    return find_secret(instance, str(configured) if configured else None)


def _show(checks: list[Check], only_problems: bool = False) -> None:
    width = max(len(check.name) for check in checks)
    for check in checks:
        if not only_problems or check.status != "ok":
            line = f"{_MARK[check.status]}  {check.name:{width}}  {check.detail}"
            click.echo(line, err=only_problems)


def _startup_checks(database_url: str, secret: SecretSource) -> list[Check]:
    """The health check on an engine of its own, disposed before gunicorn forks."""
    engine = make_engine(database_url)
    try:
        return run_checks(engine, secret)
    finally:
        engine.dispose()


class TrackerServer(BaseApplication):  # type: ignore[misc]
    """gunicorn's custom application: each worker builds its own app (and engine) after the
    fork, through ``factory``; nothing database-related is created in the master."""

    def __init__(self, factory: Callable[[], Flask], options: dict[str, Any]) -> None:
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:  # older gunicorns lack some
                self.cfg.set(key, value)

    def load(self) -> Flask:
        _drop_server_header()
        return self.factory()


def _drop_server_header() -> None:
    """gunicorn has no setting for its ``Server: gunicorn`` header: leave that line out of its
    default headers (in each worker; idempotent)."""
    from gunicorn.http import wsgi  # type: ignore[import-untyped]

    original = wsgi.Response.default_headers
    if getattr(original, "tracker_no_server", False):
        return

    def default_headers(self: wsgi.Response) -> list[str]:
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.tracker_no_server = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers


def reserve_port(host: str, port: int) -> socket.socket:
    """Bind and listen on (host, port) now, so a busy port is found before anything changes.

    Raises a ClickException (exit status 1) that says how to pick another port."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise click.ClickException(f"cannot use host {host!r}: {exc}") from exc
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug does
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise click.ClickException(
            f"port {port} on {host} is already in use ({exc.strerror}); is another "
            f"`tracker demo` running? Nothing was changed. Pick another port with --port, "
            f"e.g. `python3 dev.py demo --port {port + 1}`."
        ) from exc
    return sock


def serve_on(app: Flask, sock: socket.socket) -> None:
    """Serve ``app`` with werkzeug on a socket from ``reserve_port`` until interrupted."""
    from werkzeug.serving import make_server

    host, port = sock.getsockname()[:2]
    server = make_server(host, port, app, threaded=True, fd=sock.fileno())
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sock.close()


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def _gunicorn_options(opts: dict[str, Any]) -> dict[str, Any]:
    return {
        "bind": [_bind(opts["host"], opts["port"])],
        "workers": opts["workers"],
        "threads": opts["threads"],
        "timeout": opts["timeout"],
        "graceful_timeout": opts["graceful_timeout"],
        "preload_app": False,
        "accesslog": "-" if opts["access_log"] else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "tracker",
        "forwarded_allow_ips": opts["forwarded_allow_ips"],
        # gunicorn 24+ opens a control socket in $HOME by default: one per machine, so two
        # servers would fight over it.
        "control_socket_disable": True,
    }


def _prepare_secret() -> None:
    """Create the instance key file once, before the fork, when no key is configured, so every
    worker reads the same key (the app would otherwise create it in the first worker)."""
    if _configured_secret().key is None:
        config.load_or_create_secret_key(config.instance_path())


def _serve(**opts: Any) -> None:
    if has_app_context():  # `flask --app tracker serve`: the app's engine must not cross the fork
        current_app.extensions["tracker"].engine.dispose()
    database_url = state().database_url
    _prepare_secret()
    checks = _startup_checks(database_url, _configured_secret())
    _show(checks, only_problems=True)
    if failed(checks):
        raise click.ClickException("refusing to start: fix the failed checks above")
    overrides = {"DATABASE_URL": database_url, "AUTO_UPGRADE": False}
    click.echo(
        f"serving on http://{_bind(opts['host'], opts['port'])}/ with {opts['workers']} workers",
        err=True,
    )
    TrackerServer(lambda: build_app(overrides=overrides), _gunicorn_options(opts)).run()


def _check(run_verify: bool, workers: int, as_json: bool) -> None:
    checks = run_checks(
        state().engine(), _configured_secret(), run_verify=run_verify, workers=workers
    )
    bad = failed(checks)
    if as_json:
        emit({"ok": not bad, "checks": [check.to_dict() for check in checks]})
    else:
        _show(checks)
        counts = {s: sum(c.status == s for c in checks) for s in ("ok", "warn", "fail")}
        click.echo(f"{counts['ok']} ok, {counts['warn']} warnings, {counts['fail']} failed")
    if bad:
        click.get_current_context().exit(1)


def _record(write: Callable[..., None], info: Any) -> bool:
    """Audit a backup or restore in the configured database; False when it is not at the head
    migration (its audit table may differ), so nothing could be recorded."""
    if not migrate.is_at_head(state().engine()):
        return False
    with session_scope() as session:
        write(session, info, Actor.cli())
    return True


def _not_recorded(recorded: bool) -> None:
    if not recorded:
        click.echo(
            "not recorded in the audit log: the database is not at the current migration "
            "(run `tracker db upgrade`)",
            err=True,
        )


def _backup(path: Path, overwrite: bool, as_json: bool) -> None:
    try:
        info = create_backup(state().database_url, path, overwrite=overwrite)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    recorded = _record(record_backup, info)
    _not_recorded(recorded)
    if as_json:
        emit({**info.to_dict(), "recorded": recorded})
        return
    click.echo(
        f"backed up to {info.path}: {info.bytes} bytes, sha256 {info.sha256}, "
        f"{info.audit_count} audit events, head {info.audit_head}"
    )
    _notes(info.warnings)


def _notes(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        click.echo(f"note: {warning}", err=True)


def _restore(path: Path, yes: bool, as_json: bool) -> None:
    url = state().database_url
    try:
        backup_kind(path)  # a clear error for a missing or foreign file before anything else
        existing = existing_data(url)
        if existing and not yes:
            raise click.ClickException(
                f"the database holds data ({existing}); a restore replaces it: stop "
                "`tracker serve` and every other process using it, then pass --yes"
            )
        info = restore_backup(url, path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    recorded = _record(record_restore, info)
    _not_recorded(recorded)
    if as_json:
        emit({**info.to_dict(), "recorded": recorded})
        return
    click.echo(
        f"restored {info.backup.path} ({info.backup.audit_count} audit events, head "
        f"{info.backup.audit_head}) into {info.database}"
    )
    _notes(info.backup.warnings)


@click.command()
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="the CPU count",
    help="Worker processes.",
)
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=5000, show_default=True)
@click.option(
    "--timeout",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Seconds a request may run before its worker is restarted.",
)
@click.option(
    "--graceful-timeout",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Seconds running requests get to finish after SIGTERM.",
)
@click.option("--access-log", is_flag=True, help="Log every request to standard output.")
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1,::1",
    show_default=True,
    help="Proxies whose X-Forwarded-* headers are believed (comma-separated, or *).",
)
def serve(**opts: Any) -> None:
    """Serve the app with gunicorn (several processes); stops gracefully on SIGTERM.

    Runs the start-up checks first (`tracker check`) and refuses to start when one fails."""
    _serve(**opts)


@click.command("check")
@click.option("--verify", is_flag=True, help="Also verify the whole audit chain.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes for --verify on a long audit log.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check(verify: bool, workers: int, as_json: bool) -> None:
    """Start-up health check: database, migration, SQLite settings, secret key, audit
    chain. Exit status 1 when a check fails (warnings do not)."""
    _check(verify, workers, as_json)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace PATH if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def backup(path: Path, yes: bool, as_json: bool) -> None:
    """Write a verified backup of the database to PATH (safe while the app runs)."""
    _backup(path, yes, as_json)


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that holds data.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def restore(path: Path, yes: bool, as_json: bool) -> None:
    """Verify the backup at PATH and replace the database with it (stop the app first)."""
    _restore(path, yes, as_json)
