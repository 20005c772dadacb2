"""Migrations: upgrade from empty matches the models; downgrade and upgrade round-trip; every
migration, up and down, keeps the rows of a database with data in it and backfills what it
says."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from tests.helpers import PASSWORD, SEEDS
from tests.helpers import migration_rows as rows
from tracker import migrate
from tracker.db import Base, make_engine, make_sessionmaker
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


# --- every migration, up and down, on a database with data in it --------------------------------


def _chain() -> list[tuple[str | None, str]]:
    """(revision before, revision) for every migration, oldest first."""
    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    steps = []
    for script in reversed(list(scripts.walk_revisions())):
        down = script.down_revision
        assert down is None or isinstance(down, str), f"{script.revision} merges branches"
        steps.append((down, script.revision))
    return steps


CHAIN = _chain()


def _by_id(data: rows.Snapshot, table: str) -> dict[Any, dict[str, Any]]:
    return {row["id"]: row for row in data[table]}


def _token_stats_counted(data: rows.Snapshot) -> None:
    assert data["token_stats"] == rows.token_stats()


def _users_signed_out(data: rows.Snapshot) -> None:
    tokens = [user["session_token"] for user in data["users"]]
    assert len(tokens) == len(rows.ROWS["users"]) == len(set(tokens))
    assert all(len(token) == 64 and int(token, 16) >= 0 for token in tokens)
    assert all(claim["proposed_verdict"] is None for claim in data["claims"])


def _publishers_and_status(data: rows.Snapshot) -> None:
    sources = _by_id(data, "sources")
    assert {sid: s["ai_status"] for sid, s in sources.items()} == rows.EXPECTED_STATUS
    assert {sid: s["publisher_id"] for sid, s in sources.items()} == rows.EXPECTED_PUBLISHER
    found = [
        (p["id"], p["name"], p["name_key"], p["domain"], p["ai_flag"]) for p in data["publishers"]
    ]
    assert found == [(*publisher, False) for publisher in rows.EXPECTED_PUBLISHERS]


def _events_chained(data: rows.Snapshot) -> None:
    chain = [(e["seq"], e["prev_hash"], e["hash"]) for e in data["audit_events"]]
    assert chain == [(e["seq"], e["prev_hash"], e["hash"]) for e in rows.ROWS["audit_events"]]


def _postings_packed(data: rows.Snapshot) -> None:
    blocks = [{**b, "ids": bytes(b["ids"])} for b in data["token_blocks"]]
    assert blocks == rows.token_blocks()
    assert {b["block"] for b in blocks} == {0, 1}  # claim 70001 is in the second block


def _publisher_names_shown(data: rows.Snapshot) -> None:
    names = {sid: s["publisher"] for sid, s in _by_id(data, "sources").items()}
    assert names[2] == rows.PUBLISHER_NAME_BACKFILL[2]
    assert names[4] is None  # no publisher: nothing to show


def _events_unsigned(data: rows.Snapshot) -> None:
    assert all(event["mac"] is None for event in data["audit_events"])


def _confidence_unproposed(data: rows.Snapshot) -> None:
    assert all(claim["proposed_confidence"] is None for claim in data["claims"])


# What each migration's backfill must have done (checked on the rows after each upgrade).
BACKFILLS: dict[str, Callable[[rows.Snapshot], None]] = {
    "e66a65784d7b": _token_stats_counted,
    "ba50e6aa48bb": _users_signed_out,
    "d24088757364": _publishers_and_status,
    "8aa76daed2a1": _events_chained,
    "3b7f2c1d9e4a": _postings_packed,
    "5e1a9c7b2d40": _publisher_names_shown,
    "5e1c9a7b3d20": _events_unsigned,
    "9c4e1a7b2d53": _confidence_unproposed,
}
FILLED_TABLES = {"token_stats", "publishers", "token_blocks"}  # new tables a backfill fills


def _show_publisher_names(data: rows.Snapshot) -> None:
    for source in data["sources"]:
        source["publisher"] = rows.PUBLISHER_NAME_BACKFILL.get(source["id"], source["publisher"])


# Rows an upgrade changes in the tables that existed before it (the downgrade keeps them).
CHANGES: dict[str, Callable[[rows.Snapshot], None]] = {"5e1a9c7b2d40": _show_publisher_names}
# Values an upgrade makes anew each time it runs.
VOLATILE = {("users", "session_token"), ("publishers", "created_at")}


def _stable(data: rows.Snapshot) -> rows.Snapshot:
    return {
        name: [{k: v for k, v in row.items() if (name, k) not in VOLATILE} for row in table]
        for name, table in data.items()
    }


def _nothing(data: rows.Snapshot) -> None:
    pass


def _state(engine: Engine) -> tuple[rows.Shape, rows.Snapshot]:
    with engine.connect() as conn:
        return rows.state(conn)


def _columns(tables: rows.Shape) -> dict[str, set[str]]:
    return {name: set(columns) for name, columns in tables.items()}


def test_chain_is_linear_and_ends_at_head() -> None:
    assert CHAIN[0][0] is None
    assert [down for down, _ in CHAIN[1:]] == [rev for _, rev in CHAIN[:-1]]
    assert CHAIN[-1][1] == migrate.head_revision()
    assert set(BACKFILLS) | set(CHANGES) <= {rev for _, rev in CHAIN}


def test_row_builders_cover_every_column() -> None:
    """A new table or column needs representative rows here, so its migration is tested with
    data in it."""
    for table in Base.metadata.sorted_tables:
        assert rows.ROWS.get(table.name), (
            f"no rows for {table.name} in tests/helpers/migration_rows.py"
        )
        for row in rows.ROWS[table.name]:
            assert set(table.c.keys()) <= set(row), (table.name, set(table.c.keys()) - set(row))


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def test_rows_read_back_at_head(fresh_url: str) -> None:
    """The builders' rows go in and come back unchanged (the comparisons below rely on it)."""
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        rows.insert_rows(conn)
    _, found = _state(engine)
    engine.dispose()
    assert set(found) == set(rows.ROWS)
    for table in Base.metadata.sorted_tables:
        key = [column.name for column in table.primary_key.columns]
        expected = sorted(rows.ROWS[table.name], key=lambda row: tuple(row[k] for k in key))
        read = [{k: _plain(v) for k, v in row.items()} for row in found[table.name]]
        assert read == expected, table.name


@pytest.mark.parametrize(("before", "revision"), CHAIN, ids=[rev for _, rev in CHAIN])
def test_migration_keeps_data_up_and_down(
    fresh_url: str, before: str | None, revision: str
) -> None:
    """Up to the revision before, rows in every table there is; up: every row survives and
    the backfill did its work; down: the rows are still there as they were; up again.
    (The first revision has nothing before it: it runs on an empty database.)"""
    engine = make_engine(fresh_url)
    if before is not None:
        migrate.upgrade(engine, before)
    with engine.begin() as conn:
        rows.insert_rows(conn)
    old_shape, old = _state(engine)

    migrate.upgrade(engine, revision)
    new_shape, new = _state(engine)
    expected = copy.deepcopy(old)
    CHANGES.get(revision, _nothing)(expected)
    assert rows.project(new, old_shape) == expected
    for name in set(new_shape) - set(old_shape) - FILLED_TABLES:
        assert new[name] == [], name
    BACKFILLS.get(revision, _nothing)(new)

    migrate.downgrade(engine, before or "base")
    assert migrate.current_revision(engine) == before
    down_shape, down = _state(engine)
    assert _columns(down_shape) == _columns(old_shape)
    assert down == rows.project(new, old_shape)

    migrate.upgrade(engine, revision)
    assert migrate.current_revision(engine) == revision
    again_shape, again = _state(engine)
    assert _columns(again_shape) == _columns(new_shape)
    assert _stable(again) == _stable(new)
    BACKFILLS.get(revision, _nothing)(again)
    engine.dispose()
