"""Publishers: matching by name variants and URL domain, the AI flag, statistics, the CLI,
and the migration that backfilled publishers and AI statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.db import make_engine
from tracker.models import AuditEvent, Publisher
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_text
from tracker.services.sources.publishers import (
    domain_of,
    get_publisher,
    name_key,
    publisher_for,
    publisher_stats,
    set_publisher_flag,
)

Invoke = Callable[..., Any]
BEFORE = "ec28f4b90e93"  # the revision before publishers and AI statuses


def _events(session: Session, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.scalars(query))


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Publisher)) or 0)


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("Geopolitika", "geopolitika"),
        ("  GEO-politika. ", "geo politika"),
        ("The   Daily\tPost!", "the daily post"),
        ("Straße", "strasse"),
    ],
)
def test_name_key(given: str, key: str) -> None:
    assert name_key(given) == key


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Geopolitika.no/artikkel/1", "geopolitika.no"),
        ("http://news.example.com.:8080/x", "news.example.com"),
        ("https://geopolitika.no", "geopolitika.no"),
        ("not a url", None),
        (None, None),
    ],
)
def test_domain_of(url: str | None, domain: str | None) -> None:
    assert domain_of(url) == domain


def test_matching_by_name_variants_and_domain(session: Session, actor: Actor) -> None:
    first = publisher_for(session, "Geo-Politika", None, actor=actor)
    assert first is not None and (first.name, first.domain) == ("Geo-Politika", None)
    assert publisher_for(session, "  geo politika ", None, actor=actor) is first
    # A URL fills in the missing domain (audited), then the domain alone matches.
    assert (
        publisher_for(session, "GEO-POLITIKA", "https://www.geopolitika.no/a", actor=actor) is first
    )
    assert first.domain == "geopolitika.no"
    assert publisher_for(session, None, "http://geopolitika.no/b", actor=actor) is first
    assert (
        publisher_for(session, "Another name", "https://WWW.geopolitika.no", actor=actor) is first
    )
    # A domain without a name makes a publisher named by the domain.
    blog = publisher_for(session, None, "https://blog.example.org/post", actor=actor)
    assert blog is not None and (blog.name, blog.domain) == ("blog.example.org", "blog.example.org")
    assert publisher_for(session, None, None, actor=actor) is None
    assert publisher_for(session, " ", "mailto:x", actor=actor) is None
    assert _count(session) == 2
    created = _events(session, "publisher.create")
    assert [e.changes["name"]["after"] for e in created] == ["Geo-Politika", "blog.example.org"]
    [update] = _events(session, "publisher.update")
    assert update.changes == {"domain": {"before": None, "after": "geopolitika.no"}}
    assert get_publisher(session, str(first.id)) is first
    assert get_publisher(session, "geo politika") is first
    assert get_publisher(session, "geopolitika.no") is first
    with pytest.raises(NotFound, match="publisher 'nobody' does not exist"):
        get_publisher(session, "nobody")


def test_ingest_sets_the_publisher(session: Session, actor: Actor) -> None:
    meta = SourceMeta(publisher="Dagbladet", url="https://www.dagbladet.no/nyheter/1")
    one, _ = ingest_text(session, "Første sak om veier i Oslo.", actor=actor, origin="a", meta=meta)
    two, _ = ingest_text(
        session,
        "Andre sak om broer i Bergen.",
        actor=actor,
        origin="b",
        meta=SourceMeta(url="https://dagbladet.no/nyheter/2"),
    )
    three, _ = ingest_text(session, "Tredje sak uten utgiver.", actor=actor, origin="c")
    assert one.publisher_id is not None and two.publisher_id == one.publisher_id
    assert three.publisher_id is None
    [create] = [e for e in _events(session, "source.create") if e.entity_id == str(one.id)]
    assert create.changes["publisher_id"]["after"] == one.publisher_id


def test_flag_and_unflag_with_reasons(session: Session, actor: Actor) -> None:
    publisher = publisher_for(session, "Nyhetsfabrikken", None, actor=actor)
    assert publisher is not None
    editor = Actor(name="user:eva", request_id="r1")
    set_publisher_flag(session, publisher.id, True, reason=" content farm ", actor=editor)
    assert (publisher.ai_flag, publisher.ai_flag_reason, publisher.ai_flag_by) == (
        True,
        "content farm",
        "user:eva",
    )
    set_publisher_flag(session, publisher.id, True, reason="content farm", actor=editor)  # no-op
    set_publisher_flag(session, publisher.id, False, reason="new owners", actor=editor)
    assert publisher.ai_flag is False and publisher.ai_flag_reason == "new owners"
    events = _events(session, "publisher.ai_flag")
    assert [e.changes["ai_flag"] for e in events] == [
        {"before": False, "after": True},
        {"before": True, "after": False},
    ]
    assert [e.reason for e in events] == ["content farm", "new owners"]
    with pytest.raises(Invalid, match="a reason is required"):
        set_publisher_flag(session, publisher.id, True, reason="  ", actor=editor)
    with pytest.raises(NotFound):
        set_publisher_flag(session, 98765, True, reason="r", actor=editor)
    assert publisher.ai_flag is False and len(_events(session, "publisher.ai_flag")) == 2


def test_stats_share_in_one_query(
    session: Session, actor: Actor, count_queries: Callable[[], Any]
) -> None:
    sources = []
    for n in range(4):
        meta = SourceMeta(publisher="Geopolitika")
        source, _ = ingest_text(session, f"Sak {n} om veier.", actor=actor, origin="x", meta=meta)
        sources.append(source)
    quiet, _ = ingest_text(
        session, "Sak om broer.", actor=actor, origin="y", meta=SourceMeta(publisher="Stille")
    )
    set_ai_status(session, sources[0].id, "ai_reviewer", reason="r", actor=actor)
    set_ai_status(session, sources[1].id, "ai_disclosed", reason="r", actor=actor)
    set_ai_status(session, sources[2].id, "suspected", reason="r", actor=actor)
    publisher_for(session, "Tom", None, actor=actor)
    session.flush()
    counter = count_queries()
    stats = publisher_stats(session)
    assert counter.count == 1
    by_name = {p["name"]: p for p in stats}
    geo = by_name["Geopolitika"]
    assert (geo["sources"], geo["flagged_sources"], geo["share"], geo["suspected"]) == (
        4,
        2,
        0.5,
        1,
    )
    assert (by_name["Stille"]["sources"], by_name["Stille"]["share"]) == (1, 0.0)
    assert (by_name["Tom"]["sources"], by_name["Tom"]["share"]) == (0, 0.0)
    assert by_name["Stille"]["id"] == quiet.publisher_id and geo["ai_flag"] is False


def test_cli_publishers(run_cli: Invoke, session: Session, actor: Actor) -> None:
    source, _ = ingest_text(
        session, "Sak om veier.", actor=actor, origin="x", meta=SourceMeta(publisher="Geopolitika")
    )
    set_ai_status(session, source.id, "ai_reviewer", reason="r", actor=actor)
    session.commit()
    listed = json.loads(run_cli("publishers", "list", "--json").stdout)
    assert [(p["name"], p["sources"], p["flagged_sources"], p["share"]) for p in listed] == [
        ("Geopolitika", 1, 1, 1.0)
    ]
    assert "1/1   AI (100%), 0 suspected  Geopolitika" in run_cli("publishers", "list").stdout
    flagged = run_cli("publishers", "flag", "geopolitika", "--on", "--reason", "farm", "--json")
    assert flagged.exit_code == 0, flagged.output
    data = json.loads(flagged.stdout)
    assert (data["ai_flag"], data["reason"], data["changed"]) == (True, "farm", True)
    again = run_cli("publishers", "flag", str(data["id"]), "--on", "--reason", "farm")
    assert (
        again.stdout.strip() == f"publisher {data['id']} (Geopolitika): unchanged: already flagged"
    )
    off = run_cli("publishers", "flag", str(data["id"]), "--off", "--reason", "sold")
    assert off.stdout.strip() == f"publisher {data['id']} (Geopolitika): now not flagged"
    # Refusals: nothing changes.
    assert run_cli("publishers", "flag", "nobody", "--on", "--reason", "r").exit_code == 1
    no_switch = run_cli("publishers", "flag", "Geopolitika", "--reason", "r")
    assert no_switch.exit_code == 2 and "give --on or --off" in no_switch.stderr
    blank = run_cli("publishers", "flag", "Geopolitika", "--on", "--reason", "")
    assert blank.exit_code == 1 and "a reason is required" in blank.stderr
    session.expire_all()
    assert len(_events(session, "publisher.ai_flag")) == 2
    stored = session.get(Publisher, data["id"])
    assert stored is not None and stored.ai_flag is False


# --- the migration --------------------------------------------------------------------------


def _old_source(conn: sa.Connection, n: int, ai: str, **fields: Any) -> None:
    sources = sa.Table("sources", sa.MetaData(), autoload_with=conn)
    now = datetime(2024, 1, 1)
    conn.execute(
        sources.insert().values(
            id=n,
            sha256=f"{n:064d}",
            text=f"text {n}",
            content_type="text/plain",
            origin=f"{n}.txt",
            retrieved_at=now,
            created_at=now,
            created_by="t",
            published_has_time=False,
            ai_generated=ai,
            **fields,
        )
    )


def _old_evidence(conn: sa.Connection, source_id: int, kind: str) -> None:
    evidence = sa.Table("ai_evidence", sa.MetaData(), autoload_with=conn)
    conn.execute(
        evidence.insert().values(
            source_id=source_id,
            kind=kind,
            start_offset=0,
            end_offset=4,
            sentence="text",
            detector="ai-detect/1",
            confidence=0.9,
            created_by="t",
            created_at=datetime(2024, 1, 1),
        )
    )


def test_migration_backfills_statuses_and_publishers(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine, BEFORE)
    with engine.begin() as conn:
        _old_source(conn, 1, "yes", publisher="Geopolitika")  # disclosed by the text
        _old_evidence(conn, 1, "disclosure")
        _old_source(conn, 2, "yes", publisher=" GEOPOLITIKA", ai_flag_by="user:eva")  # by hand
        _old_evidence(conn, 2, "disclosure")
        _old_source(conn, 3, "yes", url="https://www.blog.example.org/a")  # leftover only
        _old_evidence(conn, 3, "chatbot_leftover")
        _old_source(conn, 4, "no", url="https://blog.example.org/b")
        _old_source(conn, 5, "unknown", publisher="Dagbladet", url="https://www.dagbladet.no/x")
        _old_source(conn, 6, "unknown")
        now = datetime(2024, 1, 1)
        conn.execute(
            sa.text(
                "INSERT INTO excerpts (source_id, start_offset, end_offset, exact, prefix, "
                "suffix, created_by, created_at) VALUES (1, 0, 4, 'text', '', ' 1', 't', :now)"
            ),
            {"now": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO source_spans (source_id, kind, start_offset, end_offset, label) "
                "VALUES (1, 'boilerplate', 0, 4, 'share')"
            )
        )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, ai_status, ai_generated, publisher_id FROM sources ORDER BY id")
        ).all()
        publishers = {
            row.id: (row.name, row.name_key, row.domain, row.ai_flag)
            for row in conn.execute(sa.text("SELECT * FROM publishers"))
        }
    statuses = [(r.id, r.ai_status, r.ai_generated) for r in rows]
    assert statuses == [
        (1, "ai_disclosed", "yes"),
        (2, "ai_reviewer", "yes"),
        (3, "ai_reviewer", "yes"),
        (4, "human_reviewer", "no"),
        (5, "unknown", "unknown"),
        (6, "unknown", "unknown"),
    ]
    by_source = {r.id: publishers.get(r.publisher_id) for r in rows}
    assert by_source == {
        1: ("Geopolitika", "geopolitika", None, False),
        2: ("Geopolitika", "geopolitika", None, False),
        3: ("blog.example.org", "blog example org", "blog.example.org", False),
        4: ("blog.example.org", "blog example org", "blog.example.org", False),
        5: ("Dagbladet", "dagbladet", "dagbladet.no", False),
        6: None,
    }
    assert len(publishers) == 3
    with engine.connect() as conn:  # the upgrade kept every span and evidence row
        assert conn.execute(sa.text("SELECT count(*) FROM ai_evidence")).scalar() == 3
        assert conn.execute(sa.text("SELECT count(*) FROM source_spans")).scalar() == 1
    # Downgrading keeps the sources, their yes/no/unknown flag, spans, evidence and excerpts.
    migrate.downgrade(engine, BEFORE)
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT id, ai_generated FROM sources ORDER BY id")).all()
        for table, rows in (("ai_evidence", 3), ("source_spans", 1), ("excerpts", 1)):
            counted = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            assert counted == rows, table
    assert [tuple(r) for r in kept] == [
        (1, "yes"),
        (2, "yes"),
        (3, "yes"),
        (4, "no"),
        (5, "unknown"),
        (6, "unknown"),
    ]
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM ai_evidence")).scalar() == 3
        assert conn.execute(sa.text("SELECT count(*) FROM publishers")).scalar() == 3
    engine.dispose()
