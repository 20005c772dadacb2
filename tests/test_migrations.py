"""Migrations: upgrade from empty matches the models; downgrade and upgrade round-trip."""

from __future__ import annotations

from sqlalchemy import inspect

from tracker import migrate
from tracker.db import make_engine


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
