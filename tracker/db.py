"""Engine and session setup: the declarative base, SQLite pragmas and write locking, and the
per-request session that the web pages and the API share.

Flask is imported inside the per-request functions only: the models, services and CLI import
this module without loading Flask."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 30_000

# Execution option: begin a plain deferred transaction (for read-only work) instead of
# BEGIN IMMEDIATE. Writers must never set it.
READ_ONLY = "tracker_read_only"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SQLITE_CACHE_KIB = 64 * 1024


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _install_sqlite_pragmas(engine: Engine) -> None:
    """foreign_keys, WAL and a busy timeout on every connection; BEGIN IMMEDIATE for writes.

    pysqlite's own transaction handling is switched off (isolation_level=None) so that
    SQLAlchemy emits BEGIN itself; with IMMEDIATE the write lock is taken at the start of the
    transaction, so a second writer waits for busy_timeout instead of failing later with
    "database is locked" on lock upgrade.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # 64 MiB of page cache per connection (the default is 2 MiB): claim matching reads
            # scattered claim rows, and repeated searches find them cached.
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets its pragmas and its parent folder created."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Run a migration on SQLite with foreign key enforcement off, then check the keys.

    A batch migration copies a table and drops the original; with foreign_keys on, that DROP
    deletes (ON DELETE CASCADE) or blocks the rows of every child table. SQLite only honours
    the pragma outside a transaction, so it is set on the driver connection before the
    migration's transaction begins; afterwards ``PRAGMA foreign_key_check`` must find nothing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left broken foreign keys: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


# --- the per-request session (web pages and API) --------------------------------------------
# One session per request, opened lazily and closed at teardown; tracker/boundary.py commits
# it when the view returns and rolls it back when the view raises. GET and HEAD requests never
# write, so on SQLite their transaction is a plain deferred BEGIN that does not wait for, or
# block, writers; every other request takes BEGIN IMMEDIATE.

T = TypeVar("T")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session() -> Session:
    from flask import current_app, g

    if "db_session" not in g:
        session: Session = current_app.extensions["tracker"].sessions()
        begin_read_only(session)
        g.db_session = session
    db_session: Session = g.db_session
    return db_session


def request_session() -> Session | None:
    """This request's session if it was opened (None: the request has not used the database)."""
    from flask import g

    session: Session | None = g.get("db_session")
    return session


def begin_read_only(session: Session) -> None:
    """For GET, HEAD and OPTIONS: the session's next transaction only reads (on SQLite a plain
    deferred BEGIN). Again after a rollback, which ends the first one."""
    from flask import request

    if request.method in SAFE_METHODS:
        session.connection(execution_options={READ_ONLY: True})


def close_session(_exc: BaseException | None = None) -> None:
    from flask import g

    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


# --- read-only sessions of their own, for streamed responses ------------------------------
# A streamed body is produced after the view has returned and the request's session is closed,
# so it reads through a session of its own: read-only on both engines (a deferred BEGIN on
# SQLite, a READ ONLY transaction on PostgreSQL) and closed when the stream ends, fails or is
# abandoned by the client (the server closes the response iterable, which closes the generator).


def read_only_session(sessions: sessionmaker[Session]) -> Session:
    """A new session whose transaction can only read."""
    session = sessions()
    options: dict[str, object] = {READ_ONLY: True}
    bind = session.get_bind()
    # A session bound to one connection (the tests' outer transaction) cannot switch it.
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        options["postgresql_readonly"] = True
    session.connection(execution_options=options)
    return session


def streamed(produce: Callable[[Session], Iterable[T]]) -> Generator[T, None, None]:
    """The items ``produce`` reads through a read-only session of their own, for a streamed
    response. The session opens when the stream starts and closes when it ends, fails or is
    closed early; a stream never started holds no connection."""
    from flask import current_app

    sessions: sessionmaker[Session] = current_app.extensions["tracker"].sessions

    def items() -> Generator[T, None, None]:
        session = read_only_session(sessions)
        try:
            yield from produce(session)
        finally:
            session.close()

    return items()
