"""Run and inspect Alembic migrations through its API, on an engine the caller holds."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from tracker.db import READ_ONLY, Base, sqlite_foreign_keys_off


def scripts_folder() -> Path:
    """The migration scripts: the ``tracker.migrations`` package (``migrations/`` in a checkout,
    shipped inside the installed package)."""
    return Path(str(files("tracker.migrations")))


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic's settings in code, so an installed tracker needs no alembic.ini or checkout."""
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts_folder()))
    cfg.attributes["configure_logger"] = False
    if engine is not None:
        cfg.attributes["url"] = engine.url.render_as_string(hide_password=False)
    return cfg


def _run(engine: Engine, fn: Any, *args: Any) -> None:
    cfg = alembic_config(engine)
    with (
        engine.connect() as connection,
        sqlite_foreign_keys_off(connection),
        connection.begin(),
    ):
        cfg.attributes["connection"] = connection
        fn(cfg, *args)
        if connection.dialect.name == "sqlite":  # inside the transaction: a failure undoes it
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left broken foreign keys: {broken[:5]}")


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def schema_diff(engine: Engine) -> list[Any]:
    """Differences between the database and the models (what `alembic check` reports)."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, Base.metadata))
