"""Real-browser tests: the app served on a free local port, driven by Debian's chromium.

One live server per test session (a fresh, migrated and seeded SQLite database, CSRF on), one
headless browser, and a new browser context per test. A failed test leaves a full-page
screenshot in ``test-artifacts/<test name>.png``.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy.orm import sessionmaker
from werkzeug.serving import make_server

from tests.helpers import SEEDS
from tests.helpers.browser import ARTIFACTS, DESK, EDITOR, XSS, LiveServer
from tracker import create_app, migrate
from tracker.db import make_engine
from tracker.services.accounts.users import create_user, random_password
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text, iter_input_files

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, for the screenshot in ``page``'s teardown."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _seed(url: str) -> tuple[str, str, int, int, int, str, str]:
    """Migrate and fill the database; returns (admin name, password, source ids, claim id,
    the editor's password, the desk editor's password)."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        actor = Actor(name="cli:e2e", context={"command": "pytest e2e"})
        with sessionmaker(bind=engine, expire_on_commit=False)() as session:
            source_ids = []
            for path, skipped in iter_input_files([SEEDS]):
                if skipped:
                    continue
                result = ingest_path(session, path, actor=actor)
                assert result.source_id is not None
                source_ids.append(result.source_id)
            load_claims_file(session, SEEDS / "claims.json", actor=actor)
            xss_source, _ = ingest_text(
                session,
                f"Probe heading\n\nThe body quotes {XSS} and goes on with plain words.\n",
                actor=actor,
                origin="e2e:xss",
                meta=SourceMeta(title=f"Probe {XSS}", language="en").checked(),
            )
            xss_claim = create_claim(session, text=XSS, actor=actor, language="en")
            password = random_password()
            create_user(session, "e2e-admin", role="admin", password=password, actor=actor)
            editor_password = random_password()
            create_user(session, EDITOR, role="editor", password=editor_password, actor=actor)
            desk_password = random_password()
            create_user(session, DESK, role="editor", password=desk_password, actor=actor)
            session.commit()
            return (
                "e2e-admin",
                password,
                source_ids[0],
                xss_source.id,
                xss_claim.id,
                editor_password,
                desk_password,
            )
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'tracker.sqlite3'}"
    seeded = _seed(url)
    username, password, source_id, xss_source_id, xss_claim_id, editor_password = seeded[:6]
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "WTF_CSRF_ENABLED": True,  # a real browser sends real tokens
            "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(
            base_url=f"http://127.0.0.1:{server.server_port}",
            username=username,
            password=password,
            source_id=source_id,
            xss_source_id=xss_source_id,
            xss_claim_id=xss_claim_id,
            editor_password=editor_password,
            desk_password=seeded[6],
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["tracker"].engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _artifact_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_") or "test"


@pytest.fixture
def page(browser: Browser, base_url: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), with ``base_url`` for relative goto."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        reports = request.node.stash.get(_REPORTS, {})
        if any(r.failed for r in reports.values()):
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"{_artifact_name(request.node)}.png"
            try:
                new_page.screenshot(path=str(shot), full_page=True)
            except PlaywrightError as exc:  # a closed page: the test's own failure stands
                print(f"no screenshot for {request.node.nodeid}: {exc}")
        context.close()
