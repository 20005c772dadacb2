"""SQLite connection settings and write locking; PostgreSQL from a plain URL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError

from tracker import migrate
from tracker.db import READ_ONLY, make_engine, make_sessionmaker
from tracker.models import AuditEvent
from tracker.services.audit import log as audit


@pytest.fixture
def sqlite_file_engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'locks.sqlite3'}")
    migrate.upgrade(engine)
    return engine


def test_sqlite_pragmas_on_every_connection(sqlite_file_engine: Engine) -> None:
    with sqlite_file_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_sqlite_foreign_keys_are_enforced(sqlite_file_engine: Engine) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), sqlite_file_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO evidence (claim_id, excerpt_id, stance, linked_by, linked_at) "
                "VALUES (999, 999, 'supports', 'x', '2024-01-01 00:00:00')"
            )
        )


def _read_then_write(engine: Engine, barrier: threading.Barrier, name: str, deferred: bool) -> None:
    bind = engine.execution_options(**{READ_ONLY: True}) if deferred else engine
    with make_sessionmaker(bind)() as session, session.begin():
        barrier.wait()
        session.scalar(select(func.count()).select_from(AuditEvent))
        time.sleep(0.3)  # both transactions are open at once
        audit.record(session, audit.Actor(name), "test.write", "test", name)


def _race(engine: Engine, deferred: bool) -> list[BaseException]:
    barrier = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            _read_then_write(engine, barrier, name, deferred)
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"system:w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_concurrent_writers_both_succeed(fresh_url: str) -> None:
    """On SQLite BEGIN IMMEDIATE makes the second writer wait instead of failing."""
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    errors = _race(engine, deferred=False)
    assert errors == []
    with engine.connect() as conn:
        count = conn.scalar(select(func.count()).select_from(AuditEvent))
    engine.dispose()
    assert count == 2


def test_deferred_transactions_would_fail_the_same_race(sqlite_file_engine: Engine) -> None:
    """The control: plain BEGIN lets both read, and one writer then fails as locked."""
    errors = _race(sqlite_file_engine, deferred=True)
    assert len(errors) == 1
    assert isinstance(errors[0], OperationalError)
    assert "locked" in str(errors[0])


def test_engine_from_url_works_on_each_backend(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        audit.record(session, audit.Actor("system:test"), "test.write", "test", 1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1
    engine.dispose()
