"""Backups and restores of the whole database (`tracker backup`, `tracker restore`). No Flask.

SQLite: the online backup API copies the database in one step, that is inside one read
transaction, so the copy is a consistent snapshot holding every write committed before it began,
while other processes go on writing (WAL). The copy is switched to a self-contained file
(journal_mode=DELETE), checked (integrity_check, foreign_key_check, migration, audit chain) and
only then renamed over PATH. A restore checks the backup the same way, then copies it into the
database with the same API: one write transaction on the target, so a crash leaves the old
database and other connections see the old or the new one, never a mix. (Renaming a file over a
live WAL database is not safe: its -wal and -shm files belong to the old file.)

PostgreSQL: ``pg_dump -Fc`` runs on a snapshot exported by a REPEATABLE READ transaction in which
the audit chain is verified and its head read first, so the recorded head is the dump's. The
archive is listed with ``pg_restore --list``. A restore first loads the archive into a scratch
database and verifies it there, then runs ``pg_restore --clean --if-exists --single-transaction``
on the target. The connection goes to the tools through libpq's environment variables
(PGPASSWORD, ...), never on their command line.

Both check the chain against the instance folder's key and anchors too (issue 16): the copy may
end before the newest anchor (it is older), but every MAC and every anchor it reaches must
match, so a backup whose chain was recomputed without the key is refused. A backup appends a
``backup`` anchor for its head; a restore opens a new anchor epoch at the restored head (the
anchors of the replaced database no longer apply).

Neither writes an audit event: ``record_backup`` and ``record_restore`` do, in the caller's
session (see the module's callers for which database that is).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from tracker import anchors, migrate
from tracker.db import SQLITE_BUSY_TIMEOUT_MS, make_engine
from tracker.services.audit.chain import (
    ANCHOR_INVALID,
    ANCHOR_MISMATCH,
    BAD_MAC,
    Trust,
    VerifyReport,
    load_trust,
    verify,
)
from tracker.services.audit.log import Actor, created, record
from tracker.services.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
LOCK_TIMEOUT_MS = 60_000  # a restore waits this long for the app's locks, then gives up


class BackupError(DomainError):
    """A backup or restore was refused or failed; nothing was replaced."""


@dataclass(frozen=True)
class BackupInfo:
    path: str
    engine: str  # sqlite or postgresql
    bytes: int
    sha256: str
    revision: str | None  # the backup's Alembic migration
    audit_head: str
    audit_count: int
    anchored_seq: int | None = None  # the newest instance anchor the chain was checked against
    warnings: tuple[str, ...] = ()  # what could not be checked

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RestoreInfo:
    backup: BackupInfo
    database: str  # the target URL, without its password
    replaced_head: str | None  # the audit head of the database that was replaced
    replaced_count: int | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _backend(url: str) -> str:
    return make_url(url).get_backend_name()


def _public(url: str | URL) -> str:
    return make_url(url).render_as_string(hide_password=True)


# --- files --------------------------------------------------------------------------------------


def check_destination(dest: Path, overwrite: bool) -> None:
    """Refuse a backup PATH that cannot be written, or that exists unless ``overwrite``."""
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder: name the backup file")
    if not dest.parent.is_dir():
        raise BackupError(f"the folder {dest.parent} does not exist")
    if not os.access(dest.parent, os.W_OK):
        raise BackupError(f"cannot write to the folder {dest.parent}")
    if dest.exists() and not overwrite:
        raise BackupError(f"{dest} already exists: pass --yes to replace it")


@contextmanager
def _temp_beside(dest: Path) -> Iterator[Path]:
    """A temporary file in PATH's folder (so the final rename is atomic); removed on failure."""
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _install(tmp: Path, dest: Path) -> None:
    """fsync the file, rename it over ``dest`` and fsync the folder: all or nothing."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, dest)
    folder = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def backup_kind(path: Path) -> str:
    """sqlite or postgresql, from the file's first bytes."""
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    with open(path, "rb") as handle:
        start = handle.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump archive")


def _chain_error(where: str, report: VerifyReport) -> BackupError:
    hint = ""
    if report.reason in (BAD_MAC, ANCHOR_MISMATCH, ANCHOR_INVALID):
        hint = (
            ": the chain was recomputed or changed without the audit key, or it comes from "
            "another installation (copy that instance folder's audit_key and anchors)"
        )
    return BackupError(
        f"the audit chain in {where} is broken at index {report.index}: {report.reason} "
        f"({report.detail}){hint}"
    )


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("backups need a SQLite database file, not an in-memory database")
    return Path(database)


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _trusts(database: str | None, restoring: bool) -> list[Trust | None]:
    """The anchors to check a copy against: its original database's. A backup being restored
    may come from any database of this instance folder (the target's anchors first): it must
    match one of them, and its MACs need the instance's key either way."""
    if database is None:
        return [None]  # the verifying session's own database
    found: list[Trust | None] = [load_trust(database=database)]
    if restoring:
        target = anchors.keyring(database=database)
        found += [load_trust(ring) for ring in anchors.all_keyrings() if ring is not target]
    return found


def _verify_against(session: Session, trusts: list[Trust | None]) -> VerifyReport:
    """The first report that holds against one of ``trusts``, else the first one's."""
    reports = []
    for trust in trusts:
        report = verify(session, prefix=True, trust=trust)
        if report.ok:
            return report
        reports.append(report)
    return reports[0]


def _verify_sqlite_chain(
    path: Path, label: str, database: str | None, restoring: bool
) -> VerifyReport:
    engine = create_engine(
        "sqlite+pysqlite://", creator=lambda: _open_read_only(path), poolclass=NullPool
    )
    try:
        with Session(engine) as session:
            return _verify_against(session, _trusts(database, restoring))
    except (DBAPIError, sqlite3.DatabaseError) as exc:  # e.g. a log from before the hash chain
        reason = _db_error(exc) if isinstance(exc, DBAPIError) else str(exc)
        raise BackupError(
            f"cannot verify the audit chain in {label} ({reason}): a database from before the "
            "hash chain needs `tracker db upgrade` first"
        ) from exc
    finally:
        engine.dispose()


def inspect_sqlite(
    path: Path,
    label: str | None = None,
    database: str | None = None,
    *,
    restoring: bool = False,
) -> BackupInfo:
    """Check a SQLite file read-only: integrity, foreign keys, migration, audit chain
    (``label`` names it in error messages; default: its path)."""
    label = label or str(path)
    try:
        with closing(_open_read_only(path)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            if problems != ["ok"]:
                raise BackupError(f"{label} fails the integrity check: {'; '.join(problems[:5])}")
            if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise BackupError(f"{label} has rows whose foreign keys point nowhere")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{label} is not a readable tracker database: {exc}") from exc
    report = _verify_sqlite_chain(path, label, database, restoring)
    if not report.ok:
        raise _chain_error(label, report)
    return BackupInfo(
        path=str(path.resolve()),
        engine="sqlite",
        bytes=path.stat().st_size,
        sha256=_sha256(path),
        revision=revision[0] if revision else None,
        audit_head=report.head,
        audit_count=report.count,
        anchored_seq=report.anchored_seq,
        warnings=report.warnings,
    )


def _backup_sqlite(url: str, dest: Path) -> BackupInfo:
    source = _sqlite_file(url)
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    if dest.exists() and dest.resolve() == source.resolve():
        raise BackupError("the backup cannot replace the database itself")
    with _temp_beside(dest) as tmp:
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        with (
            closing(sqlite3.connect(source, timeout=timeout)) as src,
            closing(sqlite3.connect(tmp)) as copy,
        ):
            src.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal file beside the copy
        info = inspect_sqlite(tmp, f"the copy of {source}", database=url)
        _install(tmp, dest)
    return replace(info, path=str(dest.resolve()))


def _sqlite_contents(path: Path) -> tuple[int, str | None, int | None]:
    """(tables, audit head, audit events) of a SQLite file; (0, None, None) when absent."""
    if not path.is_file() or path.stat().st_size == 0:
        return 0, None, None
    with closing(_open_read_only(path)) as conn:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if "audit_events" not in names:
            return len(names), None, None
        count = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
        last = conn.execute("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone()
    return len(names), (last[0] if last else None), int(count)


def _restorable(info: BackupInfo) -> BackupInfo:
    """Refuse a backup whose migration this code does not know (made by a newer version)."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    try:
        known = bool(info.revision) and scripts.get_revision(info.revision or "") is not None
    except AlembicError:  # an unknown or malformed revision
        known = False
    if not known:
        raise BackupError(
            f"the backup is at migration {info.revision or 'none'}, which this version of the "
            "tracker does not know: restore it with the version that made it"
        )
    return info


def _restore_sqlite(url: str, path: Path) -> RestoreInfo:
    target = _sqlite_file(url)
    if target.exists() and target.resolve() == path.resolve():
        raise BackupError("the backup is the database itself")
    info = _restorable(inspect_sqlite(path, database=url, restoring=True))
    _, replaced_head, replaced_count = _sqlite_contents(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
    with (
        closing(_open_read_only(path)) as src,
        closing(sqlite3.connect(target, timeout=timeout, isolation_level=None)) as dst,
    ):
        src.backup(dst)  # one write transaction on the target
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if dst.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"the restored database at {target} fails its quick check")
    return RestoreInfo(info, _public(url), replaced_head, replaced_count)


# --- PostgreSQL ---------------------------------------------------------------------------------

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


def _db_error(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def _pg_snapshot_state(
    session: Session, database: str, restoring: bool = False
) -> tuple[VerifyReport, str | None]:
    report = _verify_against(session, _trusts(database, restoring))
    revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return report, revision


def _backup_pg(url: str, dest: Path) -> BackupInfo:
    dump, lister = _pg_tool("pg_dump"), _pg_tool("pg_restore")
    env = pg_env(url)
    engine = make_engine(url, poolclass=NullPool)
    try:
        with _temp_beside(dest) as tmp:
            with engine.connect() as conn:
                conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                    with Session(bind=conn) as session:
                        report, revision = _pg_snapshot_state(session, url)
                    if not report.ok:
                        raise _chain_error(_public(url), report)
                    args = [dump, "-Fc", "--no-password", f"--snapshot={snapshot}", f"--file={tmp}"]
                    _run(args, env)
            _run([lister, "--list", str(tmp)], env)  # the archive reads back
            info = BackupInfo(
                path=str(dest.resolve()),
                engine="postgresql",
                bytes=tmp.stat().st_size,
                sha256=_sha256(tmp),
                revision=revision,
                audit_head=report.head,
                audit_count=report.count,
                anchored_seq=report.anchored_seq,
                warnings=report.warnings,
            )
            _install(tmp, dest)
            return info
    except DBAPIError as exc:
        raise BackupError(f"cannot read {_public(url)}: {_db_error(exc)}") from exc
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
            f"cannot create a scratch database to verify the backup in ({_db_error(exc)}): "
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
            raise BackupError(f"{path} is not a tracker database: {_db_error(exc)}") from exc
        finally:
            engine.dispose()
    if not report.ok:
        raise _chain_error(str(path), report)
    return BackupInfo(
        path=str(path.resolve()),
        engine="postgresql",
        bytes=path.stat().st_size,
        sha256=_sha256(path),
        revision=revision,
        audit_head=report.head,
        audit_count=report.count,
        anchored_seq=report.anchored_seq,
        warnings=report.warnings,
    )


def _pg_contents(url: str) -> tuple[int, str | None, int | None]:
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
        raise BackupError(f"cannot open {_public(url)}: {_db_error(exc)}") from exc
    finally:
        engine.dispose()
    return int(tables), last, int(count)


def _restore_pg(url: str, path: Path) -> RestoreInfo:
    info = _restorable(inspect_pg_archive(url, path))
    _, replaced_head, replaced_count = _pg_contents(url)
    env = pg_env(url)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT_MS}".strip()
    args = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction"]
    args += ["--exit-on-error", "--no-owner", "--no-password"]
    _run([*args, f"--dbname={_conninfo(make_url(url).database or '')}", str(path)], env)
    return RestoreInfo(info, _public(url), replaced_head, replaced_count)


# --- the entry points ---------------------------------------------------------------------------


def create_backup(url: str, dest: Path, *, overwrite: bool = False) -> BackupInfo:
    """Back up the database at ``url`` to ``dest``, verified, written atomically."""
    check_destination(dest, overwrite)
    if _backend(url) == "sqlite":
        info = _backup_sqlite(url, dest)
    elif _backend(url) == "postgresql":
        info = _backup_pg(url, dest)
    else:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {_backend(url)}")
    if info.audit_count:  # anchor the backup's head: restoring it later is checked against it
        anchors.keyring(database=url).add(
            "backup", info.audit_count, info.audit_head, note=info.sha256
        )
    return info


def existing_data(url: str) -> str | None:
    """What a restore into ``url`` would replace ("12 tables, 340 audit events"), or None
    when there is no database there or it holds no table."""
    backend = _backend(url)
    tables, _, count = (
        _sqlite_contents(_sqlite_file(url)) if backend == "sqlite" else _pg_contents(url)
    )
    if not tables:
        return None
    return f"{tables} tables, {count or 0} audit events"


def inspect_backup(url: str, path: Path) -> BackupInfo:
    """Verify a backup file without restoring it (PostgreSQL: in a scratch database on
    ``url``'s server)."""
    kind = backup_kind(path)
    if kind == "sqlite":
        return inspect_sqlite(path, database=url, restoring=True)
    return inspect_pg_archive(url, path)


def restore_backup(url: str, path: Path) -> RestoreInfo:
    """Verify the backup at ``path``, then replace the database at ``url`` with it."""
    kind, backend = backup_kind(path), _backend(url)
    if kind != backend:
        raise BackupError(f"{path} is a {kind} backup but the database is {backend}")
    trust = load_trust(database=url)
    info = _restore_sqlite(url, path) if kind == "sqlite" else _restore_pg(url, path)
    # The restored chain holds valid MACs up to where the old epoch required them.
    count = info.backup.audit_count
    keyed_from = count if trust.keyed_from < 0 else min(trust.keyed_from, count)
    note = f"restored {info.backup.sha256}"
    anchors.keyring(database=url).restart(count, info.backup.audit_head, keyed_from, note)
    return info


def record_backup(session: Session, info: BackupInfo, actor: Actor) -> None:
    """Audit a backup (``backup.create``) in ``session``'s database; flushes."""
    record(session, actor, "backup.create", "backup", info.sha256, created(info.to_dict()))


def record_restore(session: Session, info: RestoreInfo, actor: Actor) -> None:
    """Audit a restore (``backup.restore``) in the restored database; flushes."""
    fields = {**info.backup.to_dict(), "database": info.database}
    fields |= {
        "replaced_audit_head": info.replaced_head,
        "replaced_audit_count": info.replaced_count,
    }
    record(session, actor, "backup.restore", "backup", info.backup.sha256, created(fields))
