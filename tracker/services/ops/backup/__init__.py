"""Backups and restores of the whole database (`tracker backup`, `tracker restore`). No Flask.

The entry points are here; ``sqlite`` (the online backup API) and ``postgres`` (pg_dump and
pg_restore) do the copying for each engine, and ``common`` holds what both share: the result
types, the backup file and the checks of a copy. Each backup is a consistent snapshot holding
every write committed before it began, checked (integrity, migration, audit chain) before it is
installed at PATH with an atomic rename; a restore checks the backup the same way before it
replaces the database, in one transaction.

Both check the chain against the instance folder's key and anchors too (issue 16): the copy may
end before the newest anchor (it is older), but every MAC and every anchor it reaches must
match, so a backup whose chain was recomputed without the key is refused. A backup appends a
``backup`` anchor for its head; a restore opens a new anchor epoch at the restored head (the
anchors of the replaced database no longer apply).

Neither writes an audit event: ``record_backup`` and ``record_restore`` do, in the caller's
session (see the module's callers for which database that is).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from tracker import anchors
from tracker.services.audit.chain import load_trust
from tracker.services.audit.log import Actor, created, record
from tracker.services.ops.backup.common import (
    BackupError,
    BackupInfo,
    RestoreInfo,
    backend_of,
    backup_kind,
    check_destination,
)
from tracker.services.ops.backup.postgres import (
    backup_pg,
    inspect_pg_archive,
    pg_contents,
    pg_env,
    restore_pg,
)
from tracker.services.ops.backup.sqlite import (
    backup_sqlite,
    inspect_sqlite,
    restore_sqlite,
    sqlite_contents,
    sqlite_file,
)

__all__ = [
    "BackupError",
    "BackupInfo",
    "RestoreInfo",
    "backup_kind",
    "check_destination",
    "create_backup",
    "existing_data",
    "inspect_backup",
    "inspect_pg_archive",
    "inspect_sqlite",
    "pg_env",
    "record_backup",
    "record_restore",
    "restore_backup",
]


def create_backup(url: str, dest: Path, *, overwrite: bool = False) -> BackupInfo:
    """Back up the database at ``url`` to ``dest``, verified, written atomically."""
    check_destination(dest, overwrite)
    backend = backend_of(url)
    if backend == "sqlite":
        info = backup_sqlite(url, dest)
    elif backend == "postgresql":
        info = backup_pg(url, dest)
    else:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {backend}")
    if info.audit_count:  # anchor the backup's head: restoring it later is checked against it
        anchors.keyring(database=url).add(
            "backup", info.audit_count, info.audit_head, note=info.sha256
        )
    return info


def existing_data(url: str) -> str | None:
    """What a restore into ``url`` would replace ("12 tables, 340 audit events"), or None
    when there is no database there or it holds no table."""
    backend = backend_of(url)
    tables, _, count = (
        sqlite_contents(sqlite_file(url)) if backend == "sqlite" else pg_contents(url)
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
    kind, backend = backup_kind(path), backend_of(url)
    if kind != backend:
        raise BackupError(f"{path} is a {kind} backup but the database is {backend}")
    trust = load_trust(database=url)
    info = restore_sqlite(url, path) if kind == "sqlite" else restore_pg(url, path)
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
