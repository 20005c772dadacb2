"""Migrations: upgrade from empty matches the models; downgrade and upgrade round-trip."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from tests.helpers import PASSWORD, SEEDS
from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.ingest import ingest_path, iter_input_files


def test_upgrade_head_matches_models(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    assert migrate.is_at_head(engine)
    assert migrate.schema_diff(engine) == []
    engine.dispose()


def test_downgrade_base_then_upgrade_round_trips(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert set(inspect(engine).get_table_names()) == tables
    assert migrate.schema_diff(engine) == []
    engine.dispose()


def test_migration_files_are_dated() -> None:
    from pathlib import Path

    versions = Path(migrate.alembic_config().get_main_option("script_location") or "") / "versions"
    names = [p.name for p in versions.glob("*.py")]
    assert names
    for name in names:
        assert name[:4].isdigit() and name[4] == "_" and name[7] == "_", name


CHILD_TABLES = ["source_spans", "ai_evidence", "excerpts", "evidence", "claim_tokens", "users"]


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0)
            for t in CHILD_TABLES
        }


def test_migrations_keep_child_rows_when_tables_are_rebuilt(fresh_url: str) -> None:
    """A SQLite batch migration copies a table and drops the original; with foreign keys on,
    that drop deleted every evidence and claim_tokens row (ON DELETE CASCADE). Migrations now
    run with foreign keys off and check them afterwards: down to the first dedup revision and
    up again, nothing is lost."""
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    actor = Actor.system("test")
    with make_sessionmaker(engine)() as session, session.begin():
        for path, skipped in iter_input_files([SEEDS]):
            if not skipped:
                ingest_path(session, path, actor=actor)
        load_claims_file(session, SEEDS / "claims.json", actor=actor)
        create_user(session, "keeper", role="editor", password=PASSWORD, actor=actor)
    before = _counts(engine)
    assert before["evidence"] > 0 and before["claim_tokens"] > 0 and before["source_spans"] > 0
    migrate.downgrade(engine, "e66a65784d7b")
    assert _counts(engine) == before
    migrate.upgrade(engine)
    assert _counts(engine) == before
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
