"""What backups and restores on either engine share: the result types, the backup file (its
kind, a temporary file beside it, the atomic install) and the checks of a copy (its audit chain
against the instance's key and anchors, its migration). No Flask."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tracker import anchors, migrate
from tracker.services.audit.chain import (
    ANCHOR_INVALID,
    ANCHOR_MISMATCH,
    BAD_MAC,
    Trust,
    VerifyReport,
    load_trust,
    verify,
)
from tracker.services.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


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


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


def public_url(url: str | URL) -> str:
    return make_url(url).render_as_string(hide_password=True)


def db_error(exc: DBAPIError) -> str:
    """The first line of the driver's message."""
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


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
def temp_beside(dest: Path) -> Iterator[Path]:
    """A temporary file in PATH's folder (so the final rename is atomic); removed on failure."""
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def install(tmp: Path, dest: Path) -> None:
    """fsync the file, rename it over ``dest`` and fsync the folder: all or nothing."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, dest)
    folder = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def sha256_of(path: Path) -> str:
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


# --- checks of a copy ---------------------------------------------------------------------------


def chain_error(where: str, report: VerifyReport) -> BackupError:
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


def trusts_for(database: str | None, restoring: bool) -> list[Trust | None]:
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


def verify_against(session: Session, trusts: list[Trust | None]) -> VerifyReport:
    """The first report that holds against one of ``trusts``, else the first one's."""
    reports = []
    for trust in trusts:
        report = verify(session, prefix=True, trust=trust)
        if report.ok:
            return report
        reports.append(report)
    return reports[0]


def restorable(info: BackupInfo) -> BackupInfo:
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
