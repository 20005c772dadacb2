"""The minimal web app: source list, source page with marks, claim pages, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.helpers import PASSWORD, SEEDS, sign_in
from tracker import create_app, migrate
from tracker.db import make_engine
from tracker.models import User
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.ingest import ingest_path, iter_input_files


@pytest.fixture
def client(app: Flask, make_user: Callable[..., User]) -> FlaskClient:
    """These pages read only: a viewer sees them all."""
    viewer = app.test_client()
    sign_in(viewer, make_user("viewer").username)
    return viewer


@pytest.fixture
def seeded(session: Session, actor: Actor) -> dict[str, int]:
    ids = {}
    for path, skipped in iter_input_files([SEEDS]):
        if skipped:
            continue
        result = ingest_path(session, path, actor=actor)
        assert result.source_id is not None
        ids[path.name[:3]] = result.source_id
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    session.commit()
    return ids


def test_home_lists_sources_with_language_date_and_ai_flag(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    page = client.get("/sources").get_data(as_text=True)
    assert "Terrorangrepet som kan omforme forholdet mellom Taliban og Russland" in page
    assert "28 May 2024" in page and "1 Apr 2024, 23:17" in page
    assert "2024-04-01T23:17:00" not in page  # no raw ISO dates on the page
    assert "<code>nb</code>" in page and "<code>nl</code>" in page
    table = page[page.index("<table") :]  # the filter form above lists the statuses
    assert table.count('class="flag flag-ai ai-status"') == 1


def test_source_page_marks_boilerplate_repeats_and_disclosure(
    client: FlaskClient, seeded: dict[str, int]
) -> None:
    page = client.get(f"/sources/{seeded['000']}").get_data(as_text=True)
    assert '<span class="ai-disclosure">Nyhetsartikler generert ved hjelp av kunstig' in page
    assert '<span class="boilerplate">Share</span>' in page
    repeated = client.get(f"/sources/{seeded['001']}").get_data(as_text=True)
    assert '<span class="repeat">Die russische Regierung' in repeated


def test_claim_pages(client: FlaskClient, seeded: dict[str, int], session: Session) -> None:
    from sqlalchemy import select

    from tracker.models import Claim

    listing = client.get("/claims").get_data(as_text=True)
    assert "North Korea has ratified its defence treaty with Russia" in listing
    claim = session.scalar(select(Claim).where(Claim.text.startswith("North Korea has ratified")))
    assert claim is not None
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "Die sicherheitspolitische Allianz zwischen Russland und Nordkorea" in page
    assert page.count('class="stance stance-supports"') == len(claim.evidence) == 3
    assert client.get("/claims/999999").status_code == 404


def test_unknown_source_is_a_404_page(client: FlaskClient) -> None:
    response = client.get("/sources/424242")
    assert response.status_code == 404
    assert "source 424242 does not exist" in response.get_data(as_text=True)


def test_app_on_an_empty_database_upgrades_it(fresh_url: str) -> None:
    app = create_app({"DATABASE_URL": fresh_url, "SECRET_KEY": "s" * 32})
    engine = app.extensions["tracker"].engine
    assert migrate.is_at_head(engine)
    assert app.test_client().get("/login").status_code == 200
    engine.dispose()


def test_app_on_a_database_behind_says_to_upgrade(fresh_url: str) -> None:
    url = fresh_url
    engine = make_engine(url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")  # behind: the version table is there, no revision
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "s" * 32})
    response = app.test_client().get("/")
    still_behind = migrate.current_revision(app.extensions["tracker"].engine)
    app.extensions["tracker"].engine.dispose()
    assert response.status_code == 503
    assert "tracker db upgrade" in response.get_data(as_text=True)
    assert still_behind is None  # reported, not silently upgraded


def test_get_requests_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """A page read while another connection holds SQLite's write lock answers at once."""
    import time

    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "s" * 32, "WTF_CSRF_ENABLED": False})
    with app.extensions["tracker"].sessions() as db, db.begin():
        create_user(db, "reader", role="viewer", password=PASSWORD, actor=Actor.system("test"))
    client = app.test_client()
    sign_in(client, "reader")
    writer = make_engine(url)
    with writer.connect() as conn:
        conn.exec_driver_sql("SELECT 1")  # BEGIN IMMEDIATE: the write lock is held from here
        started = time.monotonic()
        response = client.get("/sources")
        elapsed = time.monotonic() - started
    writer.dispose()
    assert response.status_code == 200
    assert elapsed < 5


def test_unsafe_urls_are_never_linked(client: FlaskClient, session: Session, actor: Actor) -> None:
    from tracker.services.sources.ingest import ingest_bytes

    html = (
        '<html><head><link rel="canonical" href="javascript:alert(document.domain)"></head>'
        "<body><p>Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen.</p></body></html>"
    )
    result = ingest_bytes(session, html.encode(), name="x.html", actor=actor)
    session.commit()
    page = client.get(f"/sources/{result.source_id}").get_data(as_text=True)
    assert "javascript:" not in page
