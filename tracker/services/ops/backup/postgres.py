"""Backups and restores of a PostgreSQL database, with pg_dump and pg_restore. No Flask.

``pg_dump -Fc`` runs on a snapshot exported by a REPEATABLE READ transaction in which the audit
chain is verified and its head read first, so the recorded head is the dump's. The archive is
listed with ``pg_restore --list``. A restore first loads the archive into a scratch database and
verifies it there, then runs ``pg_restore --clean --if-exists --single-transaction`` on the
target. The connection goes to the tools through libpq's environment variables (PGPASSWORD,
...), never on their command line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from tracker.db import make_engine
from tracker.services.audit.chain import VerifyReport
from tracker.services.ops.backup.common import (
    BackupError,
    BackupInfo,
    RestoreInfo,
    chain_error,
    db_error,
    install,
    public_url,
    restorable,
    sha256_of,
    temp_beside,
    trusts_for,
    verify_against,
)

LOCK_TIMEOUT_MS = 60_000  # a restore waits this long for the app's locks, then gives up

# URL query options and the libpq environment variables that carry them to pg_dump/pg_restore.
_PG_OPTION_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


def pg_env(url: str) -> dict[str, str]:
    """The environment for the PostgreSQL client tools: this URL's host, port, user, password,
    database and options as libpq variables (so no password shows in the process list)."""
    parts = make_url(url)
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", parts.host),
        ("PGPORT", parts.port),
        ("PGUSER", parts.username),
        ("PGPASSWORD", parts.password),
        ("PGDATABASE", parts.database),
    ):
        if value is not None:
            env[variable] = str(value)
    for key, raw in parts.query.items():
        if key not in _PG_OPTION_ENV:
            raise BackupError(f"the database URL option {key!r} is not supported by backups")
        env[_PG_OPTION_ENV[key]] = raw if isinstance(raw, str) else raw[-1]
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools of the server's "
            "version or newer (Debian: apt-get install postgresql-client)"
        )
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        message = done.stderr.strip() or f"exit status {done.returncode}"
        raise BackupError(f"{Path(args[0]).name} failed: {message}")


def _conninfo(database: str) -> str:
    """A libpq connection string naming only the database (the rest comes from pg_env)."""
    quoted = database.replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{quoted}'"


def _pg_snapshot_state(
    session: Session, database: str, restoring: bool = False
) -> tuple[VerifyReport, str | None]:
    report = verify_against(session, trusts_for(database, restoring))
    revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return report, revision


def backup_pg(url: str, dest: Path) -> BackupInfo:
    """Dump the database at ``url`` to ``dest`` from a snapshot whose chain was verified."""
    dump, lister = _pg_tool("pg_dump"), _pg_tool("pg_restore")
    env = pg_env(url)
    engine = make_engine(url, poolclass=NullPool)
    try:
        with temp_beside(dest) as tmp:
            with engine.connect() as conn:
                conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                    with Session(bind=conn) as session:
                        report, revision = _pg_snapshot_state(session, url)
                    if not report.ok:
                        raise chain_error(public_url(url), report)
                    args = [dump, "-Fc", "--no-password", f"--snapshot={snapshot}", f"--file={tmp}"]
                    _run(args, env)
            _run([lister, "--list", str(tmp)], env)  # the archive reads back
            info = BackupInfo(
                path=str(dest.resolve()),
                engine="postgresql",
                bytes=tmp.stat().st_size,
                sha256=sha256_of(tmp),
                revision=revision,
                audit_head=report.head,
                audit_count=report.count,
                anchored_seq=report.anchored_seq,
                warnings=report.warnings,
            )
            install(tmp, dest)
            return info
    except DBAPIError as exc:
        raise BackupError(f"cannot read {public_url(url)}: {db_error(exc)}") from exc
    finally:
        engine.dispose()


@contextmanager
def _scratch_database(url: str) -> Iterator[str]:
    """A new empty database on the same server (its URL), dropped afterwards."""
    admin = make_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = f"tracker_verify_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except DBAPIError as exc:
        admin.dispose()
        raise BackupError(
            f"cannot create a scratch database to verify the backup in ({db_error(exc)}): "
            "the database user needs the CREATEDB privilege"
        ) from exc
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def inspect_pg_archive(url: str, path: Path) -> BackupInfo:
    """Load a pg_dump archive into a scratch database on ``url``'s server and verify it."""
    restore_tool = _pg_tool("pg_restore")
    env = pg_env(url)
    _run([restore_tool, "--list", str(path)], env)
    with _scratch_database(url) as scratch_url:
        scratch = make_url(scratch_url).database or ""
        args = [restore_tool, "--no-owner", "--exit-on-error", "--no-password"]
        _run([*args, f"--dbname={_conninfo(scratch)}", str(path)], env)
        engine = make_engine(scratch_url, poolclass=NullPool)
        try:
            with Session(engine) as session:
                report, revision = _pg_snapshot_state(session, url, restoring=True)
        except DBAPIError as exc:
            raise BackupError(f"{path} is not a tracker database: {db_error(exc)}") from exc
        finally:
            engine.dispose()
    if not report.ok:
        raise chain_error(str(path), report)
    return BackupInfo(
        path=str(path.resolve()),
        engine="postgresql",
        bytes=path.stat().st_size,
        sha256=sha256_of(path),
        revision=revision,
        audit_head=report.head,
        audit_count=report.count,
        anchored_seq=report.anchored_seq,
        warnings=report.warnings,
    )


def pg_contents(url: str) -> tuple[int, str | None, int | None]:
    """(tables, audit head, audit events) of a PostgreSQL database."""
    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                text(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN "
                    "('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
                )
            ).scalar_one()
            if conn.execute(text("SELECT to_regclass('audit_events')")).scalar() is None:
                return int(tables), None, None
            count = conn.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
            last = conn.execute(
                text("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            ).scalar()
    except DBAPIError as exc:
        raise BackupError(f"cannot open {public_url(url)}: {db_error(exc)}") from exc
    finally:
        engine.dispose()
    return int(tables), last, int(count)


def restore_pg(url: str, path: Path) -> RestoreInfo:
    """Verify the archive at ``path`` in a scratch database, then restore it over ``url``."""
    info = restorable(inspect_pg_archive(url, path))
    _, replaced_head, replaced_count = pg_contents(url)
    env = pg_env(url)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT_MS}".strip()
    args = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction"]
    args += ["--exit-on-error", "--no-owner", "--no-password"]
    _run([*args, f"--dbname={_conninfo(make_url(url).database or '')}", str(path)], env)
    return RestoreInfo(info, public_url(url), replaced_head, replaced_count)
