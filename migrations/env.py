"""Alembic environment: the URL comes from the tracker's configuration, the metadata from its
models. A connection passed in by ``tracker.migrate`` (config.attributes["connection"]) is used
as it is, so tests and the app migrate the engine they already hold."""

from __future__ import annotations

import logging

from alembic import context
from sqlalchemy import Connection

from tracker import models  # noqa: F401  (registers every table on the metadata)
from tracker.config import database_url
from tracker.db import Base, is_sqlite, make_engine, sqlite_foreign_keys_off

config = context.config
if config.attributes.get("configure_logger", True):  # the `alembic` command: show its progress
    logging.basicConfig(format="%(levelname)-5.5s [%(name)s] %(message)s")
    logging.getLogger("alembic").setLevel(logging.INFO)

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        compare_server_default=True,
    )


def run_offline() -> None:
    url = config.attributes.get("url") or database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=is_sqlite(url),
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(config.attributes.get("url") or database_url())
    try:
        with engine.connect() as conn, sqlite_foreign_keys_off(conn):
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
