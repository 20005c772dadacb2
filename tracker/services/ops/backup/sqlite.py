"""Backups and restores of a SQLite database file, with the online backup API. No Flask.

The backup API copies the database in one step, that is inside one read transaction, so the
copy is a consistent snapshot holding every write committed before it began, while other
processes go on writing (WAL). The copy is switched to a self-contained file
(journal_mode=DELETE), checked (integrity_check, foreign_key_check, migration, audit chain) and
only then renamed over PATH. A restore checks the backup the same way, then copies it into the
database with the same API: one write transaction on the target, so a crash leaves the old
database and other connections see the old or the new one, never a mix. (Renaming a file over a
live WAL database is not safe: its -wal and -shm files belong to the old file.)
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from tracker.db import SQLITE_BUSY_TIMEOUT_MS
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


def sqlite_file(url: str) -> Path:
    """The database file of a SQLite URL; refused for an in-memory database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("backups need a SQLite database file, not an in-memory database")
    return Path(database)


def _open_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _verify_sqlite_chain(
    path: Path, label: str, database: str | None, restoring: bool
) -> VerifyReport:
    engine = create_engine(
        "sqlite+pysqlite://", creator=lambda: _open_read_only(path), poolclass=NullPool
    )
    try:
        with Session(engine) as session:
            return verify_against(session, trusts_for(database, restoring))
    except (DBAPIError, sqlite3.DatabaseError) as exc:  # e.g. a log from before the hash chain
        reason = db_error(exc) if isinstance(exc, DBAPIError) else str(exc)
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
        raise chain_error(label, report)
    return BackupInfo(
        path=str(path.resolve()),
        engine="sqlite",
        bytes=path.stat().st_size,
        sha256=sha256_of(path),
        revision=revision[0] if revision else None,
        audit_head=report.head,
        audit_count=report.count,
        anchored_seq=report.anchored_seq,
        warnings=report.warnings,
    )


def backup_sqlite(url: str, dest: Path) -> BackupInfo:
    """Copy the database file at ``url`` to ``dest``, checked before it is installed."""
    source = sqlite_file(url)
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    if dest.exists() and dest.resolve() == source.resolve():
        raise BackupError("the backup cannot replace the database itself")
    with temp_beside(dest) as tmp:
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        with (
            closing(sqlite3.connect(source, timeout=timeout)) as src,
            closing(sqlite3.connect(tmp)) as copy,
        ):
            src.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode = DELETE")  # no -wal file beside the copy
        info = inspect_sqlite(tmp, f"the copy of {source}", database=url)
        install(tmp, dest)
    return replace(info, path=str(dest.resolve()))


def sqlite_contents(path: Path) -> tuple[int, str | None, int | None]:
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


def restore_sqlite(url: str, path: Path) -> RestoreInfo:
    """Check the backup file at ``path``, then copy it into the database at ``url``."""
    target = sqlite_file(url)
    if target.exists() and target.resolve() == path.resolve():
        raise BackupError("the backup is the database itself")
    info = restorable(inspect_sqlite(path, database=url, restoring=True))
    _, replaced_head, replaced_count = sqlite_contents(target)
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
    return RestoreInfo(info, public_url(url), replaced_head, replaced_count)
