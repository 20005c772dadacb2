"""`tracker backup` and `tracker restore`: consistent copies taken while claims are written,
verified before they are installed, restored atomically, refused with clear errors."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from tests.helpers import PgDatabases
from tracker import migrate
from tracker.cli import main
from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent, Claim
from tracker.services.audit.chain import head, verify
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.ops import backup as backups
from tracker.services.ops.backup import BackupError

ACTOR = Actor(name="cli:backup-test")


def _database(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        for i in range(3):
            create_claim(session, text=f"The council approved budget line {i}", actor=ACTOR)
    yield engine
    engine.dispose()


@pytest.fixture
def db(fresh_url: str) -> Iterator[Engine]:
    """A migrated database of its own (each engine) holding three claims."""
    yield from _database(fresh_url)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Engine]:
    """The same on SQLite only, for tests of the file itself."""
    yield from _database(f"sqlite:///{tmp_path / 'source.sqlite3'}")


@pytest.fixture
def other_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second, empty database on the same engine (the restore target)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'other.sqlite3'}"
    dbs: PgDatabases = request.getfixturevalue("pg_databases")
    return dbs.new()


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _claim_ids(url: str) -> set[int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return set(session.scalars(select(Claim.id)))
    finally:
        engine.dispose()


def _verified(url: str) -> tuple[bool, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            report = verify(session)
            return report.ok, report.count
    finally:
        engine.dispose()


def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --- consistency under concurrent writes --------------------------------------------------------


def test_backup_while_claims_are_written_holds_every_earlier_write(
    db: Engine, tmp_path: Path, other_url: str
) -> None:
    sessions = make_sessionmaker(db)
    acknowledged: list[int] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            n = 0
            while not stop.is_set():
                with sessions() as session, session.begin():
                    claim = create_claim(
                        session, text=f"Writer thread claim number {n} about tariffs", actor=ACTOR
                    )
                acknowledged.append(claim.id)  # after the commit returned
                n += 1
        except BaseException as exc:  # reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(acknowledged) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        before = set(acknowledged)  # every write acknowledged before the backup began
        info = backups.create_backup(_url(db), tmp_path / "during.bak")
        time.sleep(0.1)  # the writer goes on after the backup
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(before) >= 5 and len(acknowledged) > len(before)
    restored = backups.restore_backup(other_url, tmp_path / "during.bak")
    assert restored.backup.sha256 == info.sha256
    ids = _claim_ids(other_url)
    assert before <= ids  # nothing acknowledged before the backup is missing
    assert ids <= set(acknowledged) | {1, 2, 3}
    ok, count = _verified(other_url)
    assert ok and count == info.audit_count == len(ids)


def test_backup_is_verified_atomic_and_audited_in_the_source(db: Engine, tmp_path: Path) -> None:
    dest = tmp_path / "nightly.bak"
    with Session(db) as session:
        before = head(session)
    info = backups.create_backup(_url(db), dest)
    assert info.audit_count == before.count == 3 and info.audit_head == before.hash
    assert info.bytes == dest.stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with make_sessionmaker(db)() as session, session.begin():
        backups.record_backup(session, info, ACTOR)
    with Session(db) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert verify(session).ok
    assert event is not None and event.action == "backup.create"
    assert event.entity_id == info.sha256
    assert event.changes["audit_head"]["after"] == before.hash
    # The backup holds the log up to, not including, its own event.
    assert backups.inspect_backup(_url(db), dest).audit_count == 3


def test_sqlite_backup_is_one_self_contained_file(sqlite_db: Engine, tmp_path: Path) -> None:
    dest = tmp_path / "copy.sqlite3"
    backups.create_backup(_url(sqlite_db), dest)
    assert not Path(f"{dest}-wal").exists()
    with closing(sqlite3.connect(dest)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- restore ------------------------------------------------------------------------------------


def test_restore_replaces_the_data_and_records_the_restore(
    db: Engine, tmp_path: Path, other_url: str
) -> None:
    dest = tmp_path / "b.bak"
    backups.create_backup(_url(db), dest)
    target = make_engine(other_url)
    migrate.upgrade(target)
    with make_sessionmaker(target)() as session, session.begin():
        create_claim(session, text="A claim that the restore throws away", actor=ACTOR)
    target.dispose()
    result = _cli("--database-url", other_url, "restore", str(dest), "--yes", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recorded"] is True and data["replaced_count"] == 1
    assert _claim_ids(other_url) == _claim_ids(_url(db))
    ok, count = _verified(other_url)
    assert ok and count == 4  # the three claims' events and the restore's
    engine = make_engine(other_url)
    with Session(engine) as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    engine.dispose()
    assert last is not None and last.action == "backup.restore"
    assert last.changes["replaced_audit_count"]["after"] == 1


def test_restore_refuses_to_overwrite_without_yes(
    db: Engine, tmp_path: Path, other_url: str
) -> None:
    dest = tmp_path / "b.bak"
    backups.create_backup(_url(db), dest)
    target = make_engine(other_url)
    migrate.upgrade(target)
    with make_sessionmaker(target)() as session, session.begin():
        create_claim(session, text="A claim that must survive the refusal", actor=ACTOR)
    target.dispose()
    result = _cli("--database-url", other_url, "restore", str(dest))
    assert result.exit_code == 1
    assert "--yes" in result.output and "Traceback" not in result.output
    assert len(_claim_ids(other_url)) == 1


def test_restore_into_an_empty_database_needs_no_yes(
    db: Engine, tmp_path: Path, other_url: str
) -> None:
    dest = tmp_path / "b.bak"
    backups.create_backup(_url(db), dest)
    result = _cli("--database-url", other_url, "restore", str(dest))
    assert result.exit_code == 0, result.output
    assert _claim_ids(other_url) == {1, 2, 3}


def _tamper_sqlite(path: Path) -> None:
    """Change an audit event in a SQLite copy (its triggers dropped, as an attacker would)."""
    with closing(sqlite3.connect(path)) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE audit_events SET reason = 'forged' WHERE seq = 2")
        conn.commit()


def test_restore_refuses_a_backup_whose_chain_is_broken(sqlite_db: Engine, tmp_path: Path) -> None:
    dest = tmp_path / "b.sqlite3"
    backups.create_backup(_url(sqlite_db), dest)
    _tamper_sqlite(dest)
    target = tmp_path / "target.sqlite3"
    result = _cli("--database-url", f"sqlite:///{target}", "restore", str(dest))
    assert result.exit_code == 1
    assert "audit chain" in result.output and "index 2" in result.output
    assert not target.exists() or target.stat().st_size == 0


def test_restore_refuses_a_corrupt_file(sqlite_db: Engine, tmp_path: Path) -> None:
    dest = tmp_path / "b.sqlite3"
    backups.create_backup(_url(sqlite_db), dest)
    data = bytearray(dest.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xa5" * (4096 * 3)  # overwrite three pages
    dest.write_bytes(bytes(data))
    target = tmp_path / "target.sqlite3"
    result = _cli("--database-url", f"sqlite:///{target}", "restore", str(dest))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "integrity" in result.output or "not a readable" in result.output


def test_restore_refuses_a_backup_from_an_unknown_migration(
    sqlite_db: Engine, tmp_path: Path
) -> None:
    dest = tmp_path / "b.sqlite3"
    backups.create_backup(_url(sqlite_db), dest)
    with closing(sqlite3.connect(dest)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
        conn.commit()
    with pytest.raises(BackupError, match="does not know"):
        backups.restore_backup(f"sqlite:///{tmp_path / 'new.sqlite3'}", dest)


def test_backup_of_a_database_with_a_broken_chain_is_refused(db: Engine, tmp_path: Path) -> None:
    with db.begin() as conn:
        if conn.dialect.name == "sqlite":
            names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in names.all():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        conn.exec_driver_sql("UPDATE audit_events SET reason = 'forged' WHERE seq = 2")
    result = _cli("--database-url", _url(db), "backup", str(tmp_path / "b.bak"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "broken at index 2" in result.output
    assert list(tmp_path.glob("*b.bak*")) == []


def test_a_backup_at_an_older_migration_restores_unrecorded(tmp_path: Path) -> None:
    source = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(source)
    migrate.upgrade(engine, "0ff53de38556")  # after the hash chain, before the head
    engine.dispose()
    dest = tmp_path / "old.bak"
    assert _cli("--database-url", source, "backup", str(dest)).exit_code == 0
    target = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    result = _cli("--database-url", target, "restore", str(dest), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["recorded"] is False
    assert "tracker db upgrade" in result.stderr
    engine = make_engine(target)
    assert migrate.current_revision(engine) == "0ff53de38556"
    engine.dispose()


# --- bad paths: clear errors, no traceback, nothing written -------------------------------------


def test_backup_path_errors_are_clear(db: Engine, tmp_path: Path) -> None:
    url = _url(db)
    (tmp_path / "taken.bak").write_text("an older backup")
    cases = {
        str(tmp_path / "missing" / "b.bak"): "does not exist",
        str(tmp_path): "is a folder",
        str(tmp_path / "taken.bak"): "pass --yes",
    }
    for path, message in cases.items():
        result = _cli("--database-url", url, "backup", path)
        assert result.exit_code == 1, path
        assert message in result.output and "Traceback" not in result.output
    assert (tmp_path / "taken.bak").read_text() == "an older backup"
    assert (
        _cli("--database-url", url, "backup", str(tmp_path / "taken.bak"), "--yes").exit_code == 0
    )


def test_restore_path_errors_are_clear(db: Engine, tmp_path: Path) -> None:
    url = _url(db)
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a backup at all")
    cases = {
        str(tmp_path / "nothing.bak"): "no backup file",
        str(tmp_path): "no backup file",
        str(text_file): "neither a SQLite database nor a pg_dump archive",
    }
    for path, message in cases.items():
        result = _cli("--database-url", url, "restore", path, "--yes")
        assert result.exit_code == 1, path
        assert message in result.output and "Traceback" not in result.output
    assert _claim_ids(url) == {1, 2, 3}


def test_backup_of_a_missing_sqlite_file_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    result = _cli("--database-url", f"sqlite:///{missing}", "backup", str(tmp_path / "b.bak"))
    assert result.exit_code == 1 and "no database file" in result.output
    assert not missing.exists() and not (tmp_path / "b.bak").exists()


def test_a_backup_restores_only_into_its_own_engine(
    db: Engine, tmp_path: Path, pg_databases: PgDatabases
) -> None:
    dest = tmp_path / "b.bak"
    backups.create_backup(_url(db), dest)
    other = pg_databases.new() if db.dialect.name == "sqlite" else f"sqlite:///{tmp_path / 'x.db'}"
    result = _cli("--database-url", other, "restore", str(dest), "--yes")
    assert result.exit_code == 1 and "backup but the database is" in result.output


# --- PostgreSQL specifics -----------------------------------------------------------------------


def test_pg_env_carries_the_password_outside_the_command_line() -> None:
    env = backups.pg_env("postgresql+psycopg://desk:s3cret@db.example:5433/tracker?sslmode=require")
    assert env["PGPASSWORD"] == "s3cret" and env["PGHOST"] == "db.example"
    assert env["PGPORT"] == "5433" and env["PGDATABASE"] == "tracker"
    assert env["PGUSER"] == "desk" and env["PGSSLMODE"] == "require"
    with pytest.raises(BackupError, match="not supported"):
        backups.pg_env("postgresql+psycopg://u@h/db?weird=1")


def test_pg_backup_without_pg_dump_says_so(
    pg_databases: PgDatabases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_databases.new()
    monkeypatch.setenv("PATH", str(tmp_path))  # no client tools on it
    with pytest.raises(BackupError, match="pg_dump was not found"):
        backups.create_backup(url, tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []


def test_pg_backup_is_an_archive_and_leaves_no_scratch_database(
    pg_databases: PgDatabases, tmp_path: Path
) -> None:
    url = pg_databases.new()
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        create_claim(session, text="Parliament ratified the treaty in May", actor=ACTOR)
    engine.dispose()
    dest = tmp_path / "b.dump"
    info = backups.create_backup(url, dest)
    assert dest.read_bytes()[:5] == b"PGDMP" and info.audit_count == 1
    checked = backups.inspect_backup(url, dest)
    assert checked.audit_head == info.audit_head and checked.sha256 == info.sha256
    with pg_databases.admin.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM pg_database WHERE datname LIKE 'tracker_verify_%'")
        ).scalar()
    assert left == 0
