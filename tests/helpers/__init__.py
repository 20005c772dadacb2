"""Helpers shared by the tests: plain functions, classes and constants (fixtures and hooks live
in the conftest.py files, and no test module imports from one: tests/test_imports.py checks)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "TRACKER_TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
PASSWORD = "correct horse battery staple"  # the password of the ``make_user`` fixture's users


class PgDatabases:
    """Creates throwaway databases on the test server and drops them at the end."""

    def __init__(self, base_url: str) -> None:
        base = make_url(base_url)
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
        self.base = base
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []
        try:
            with self.admin.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # unreachable server: fail loudly, never skip
            pytest.fail(f"PostgreSQL at {base_url} is not reachable: {exc}")

    def new(self) -> str:
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


class QueryCounter:
    """Counts the SQL statements an engine runs while active (to catch N+1 queries)."""

    def __init__(self) -> None:
        self.count = 0
        self.statements: list[str] = []

    def __call__(self, *args: object) -> None:
        self.count += 1
        self.statements.append(str(args[2])[:200])


def data_table(file: str, table: str, fields: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows of ``table`` in tests/data/``file`` (a JSON object of lists of objects), each as
    a tuple of ``fields`` in that order; a row with other or missing keys fails loudly."""
    rows = json.loads((DATA / file).read_text(encoding="utf-8"))[table]
    for number, row in enumerate(rows, 1):
        if sorted(row) != sorted(fields):
            raise ValueError(f"{file}: {table} row {number} has {sorted(row)}, not {fields}")
    return [tuple(row[field] for field in fields) for row in rows]
