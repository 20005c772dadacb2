"""Fixtures: one migrated database per engine (SQLite always, PostgreSQL when
TRACKER_TEST_POSTGRES_URL is set), savepoint-isolated sessions, the app, its client and the
CLI runner. Tests that need real commits ask for ``fresh_url`` instead."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import PASSWORD, PG_ENV, PgDatabases, QueryCounter, sign_in
from tests.helpers.local_web import LocalWeb
from tracker import create_app, migrate
from tracker.cli import main
from tracker.cli.support import CliState
from tracker.config import FetchSettings, fetch_settings
from tracker.db import make_engine
from tracker.models import User
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.dedup import vector_index

BACKENDS = ["sqlite", "postgresql"]


_PG_DESELECTED = pytest.StashKey[int]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without a PostgreSQL URL, leave the PostgreSQL variants out of the run and say so once
    at the end, instead of one line per test."""
    if os.environ.get(PG_ENV) or os.environ.get("CI"):
        return  # (in CI, _pg_base_url fails them loudly instead)

    def on_postgres(item: pytest.Item) -> bool:
        callspec = getattr(item, "callspec", None)
        return callspec is not None and "postgresql" in callspec.params.values()

    left_out = [item for item in items if on_postgres(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not on_postgres(item)]
    config.stash[_PG_DESELECTED] = len(left_out)


def skip_reasons(reports: list[pytest.TestReport]) -> Counter[str]:
    """How many tests skipped for each reason (a skip's longrepr is (path, line, reason))."""
    reasons: Counter[str] = Counter()
    for report in reports:
        if isinstance(report.longrepr, tuple):
            reasons[report.longrepr[2].removeprefix("Skipped: ")] += 1
        else:
            reasons[str(report.longrepr)] += 1
    return reasons


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The skips in one line per reason (addopts has -rfE, not -ra: no line per skipped test),
    and the PostgreSQL variants left out of a run without a PostgreSQL URL."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if r.skipped]
    for reason, count in sorted(skip_reasons(skipped).items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{count} skipped: {reason}")
    count = terminalreporter.config.stash.get(_PG_DESELECTED, 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL tests not run: {PG_ENV} is not set "
            f"(e.g. {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )


def _pg_base_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} must be set in CI: the PostgreSQL tests may not skip")
        pytest.skip(f"{PG_ENV} is not set")
    return url


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    base = _pg_base_url()
    assert base is not None
    dbs = PgDatabases(base)
    yield dbs
    dbs.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fresh_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database of its own, for tests that commit or migrate."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    dbs: PgDatabases = request.getfixturevalue("pg_databases")
    return dbs.new()


@pytest.fixture(scope="session")
def _engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    engines: dict[str, Engine] = {}
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture
def engine(backend: str, _engines: dict[str, Engine], request: pytest.FixtureRequest) -> Engine:
    """One migrated database per backend, shared by the savepoint-isolated tests."""
    if backend not in _engines:
        if backend == "sqlite":
            folder = request.getfixturevalue("tmp_path_factory").mktemp("db")
            url = f"sqlite:///{folder / 'tracker.sqlite3'}"
        else:
            url = request.getfixturevalue("pg_databases").new()
        new_engine = make_engine(url)
        migrate.upgrade(new_engine)
        _engines[backend] = new_engine
    return _engines[backend]


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions joined to the test's outer transaction: their commits release savepoints."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as db_session:
        yield db_session


@pytest.fixture
def actor() -> Actor:
    return Actor(name="cli:tester", context={"command": "pytest"})


@pytest.fixture
def app(engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-for-pytest-only",
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "ENGINE": engine,
            "SESSION_FACTORY": session_factory,
            # CSRF is tested on its own (tests/web/test_auth.py); other tests post without tokens.
            "WTF_CSRF_ENABLED": False,
        }
    )


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(session: Session, actor: Actor) -> Callable[..., User]:
    """Create (and commit) a user with a role; the password is PASSWORD."""

    def make(role: str, username: str | None = None) -> User:
        user = create_user(
            session, username or f"{role}-user", role=role, password=PASSWORD, actor=actor
        )
        session.commit()
        return user

    return make


@pytest.fixture
def signed_in(client: FlaskClient, make_user: Callable[..., User]) -> Callable[[str], FlaskClient]:
    """``signed_in("editor")``: the test client, signed in as a new user with that role."""

    def as_role(role: str) -> FlaskClient:
        user = make_user(role)
        sign_in(client, user.username)
        return client

    return as_role


@pytest.fixture
def cli_state(engine: Engine, session_factory: sessionmaker[Session]) -> CliState:
    return CliState(
        database_url=engine.url.render_as_string(hide_password=False),
        _engine=engine,
        session_factory=session_factory,
    )


@pytest.fixture
def run_cli(cli_state: CliState) -> Callable[..., object]:
    """Invoke `tracker ...` through click's runner against the isolated session."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> object:
        return runner.invoke(main, list(args), obj=cli_state, input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _instance_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh instance folder per test: the audit key and anchors written there belong to the
    test's own events (the shared databases are rolled back after each test)."""
    folder = tmp_path_factory.mktemp("instance")
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("TRACKER_AUDIT_KEY", raising=False)
    return folder


@pytest.fixture(autouse=True)
def _fresh_vector_indexes() -> Iterator[None]:
    """Each test starts without in-memory vector indexes: the savepoint-isolated databases
    reuse row ids after a rollback, which a cached index could not tell apart."""
    vector_index.forget_all()
    yield
    vector_index.forget_all()
    vector_index.configure(None)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than this machine."""
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "localhost", "::1")
            and not (sock.family == socket.AF_UNIX)
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    real_getaddrinfo = socket.getaddrinfo

    def resolve_locally(host: object, *args: object, **kwargs: object) -> object:
        # Name lookups leave the machine too: only loopback names and addresses resolve (a
        # URL fetch in a test is then refused as "does not resolve", never sent).
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name not in ("localhost", "127.0.0.1", "::1"):
            try:
                ipaddress.ip_address(name)
            except ValueError:
                refused = f"tests resolve no names: {name}"
                raise socket.gaierror(socket.EAI_NONAME, refused) from None
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve_locally)


@pytest.fixture
def count_queries(engine: Engine) -> Iterator[Callable[[], QueryCounter]]:
    """``counter = count_queries()`` starts counting the statements run on the test engine;
    read ``counter.count`` (and ``counter.statements``), reset with ``counter.count = 0``."""
    from sqlalchemy import event

    counters: list[QueryCounter] = []

    def start() -> QueryCounter:
        counter = QueryCounter()
        event.listen(engine, "before_cursor_execute", counter)
        counters.append(counter)
        return counter

    yield start
    for counter in counters:
        event.remove(engine, "before_cursor_execute", counter)


@pytest.fixture
def local_web(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalWeb]:
    """The loopback web server; fetching may reach loopback (and no other address that is
    not public) for the test's duration: the one explicit exception to "no network"."""
    monkeypatch.setenv("TRACKER_FETCH_ALLOW_PRIVATE", "127.0.0.0/8")
    monkeypatch.setenv("TRACKER_FETCH_TIMEOUT", "3")
    web = LocalWeb()
    web.start()
    yield web
    web.stop()


@pytest.fixture
def settings(local_web: LocalWeb) -> FetchSettings:
    """The fetch settings read with the ``local_web`` environment (loopback allowed)."""
    return fetch_settings()
