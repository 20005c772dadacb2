"""Audit events as sentences (tracker.services.audit.sentences) on the audit page, and the one date
format (tracker.services.text.display)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import AuditEvent
from tracker.services.audit import log as audit
from tracker.services.audit.log import Actor
from tracker.services.audit.sentences import describe, group_by_request
from tracker.services.claims.edit import update_claim
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.ingest import SourceMeta, ingest_text
from tracker.services.text.display import format_percent, format_when, verdict_label

TITLE = "Militärische Allianz zwischen Russland und Nordkorea: Eine neue geopolitische Dimension"
TEXT = f"{TITLE}\n\nNordkorea und Russland haben ihre militärische Zusammenarbeit besiegelt.\n"


def _linked(session: Session) -> tuple[int, int, int]:
    desk = Actor(name="user:demo", request_id="req-7")
    meta = SourceMeta(title=TITLE, publisher="Example News").checked()
    source, _ = ingest_text(session, TEXT, actor=desk, origin="test:1", meta=meta)
    claim = create_claim(session, text="North Korea and Russia sealed an alliance", actor=desk)
    start = TEXT.index("Nordkorea")
    excerpt, _ = get_or_create_excerpt(session, source, start, start + 30, actor=desk)
    link_evidence(session, claim, excerpt, "supports", actor=desk)
    session.flush()
    return source.id, claim.id, excerpt.id


def test_evidence_link_reads_as_a_sentence_with_named_entities(
    session: Session, actor: Actor
) -> None:
    source_id, claim_id, excerpt_id = _linked(session)
    events = session.query(AuditEvent).order_by(AuditEvent.id).all()
    by_action = {d.event.action: d for d in describe(session, events)}
    link = by_action["evidence.link"]
    assert link.text == (
        f"demo linked excerpt {excerpt_id} (from Militärische Allianz zwischen Russland und "
        f"Nordkorea: Eine…) to claim #{claim_id} as supporting"
    )
    kinds = {(p.kind, p.ref) for p in link.sentence if p.kind}
    assert ("excerpt", str(excerpt_id)) in kinds and ("claim", str(claim_id)) in kinds
    assert any(p.emphasis for p in link.sentence)  # the title is set apart
    created = by_action["source.create"]
    assert created.text.startswith(f"demo added source #{source_id} (Militärische")
    rows = {c.label: c.after for c in created.changes}
    assert rows["publisher"] == "Example News"  # publisher_id: n -> the publisher's name
    assert "AI evidence" not in rows  # an empty list is left out
    assert "sha256" not in rows and "publisher_id" not in rows


def test_values_read_as_on_the_rest_of_the_site(session: Session, actor: Actor) -> None:
    claim = create_claim(session, text="A claim to rate", actor=actor)
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=Actor(name="user:editor"),
        reason="checked the ministry's statement",
        verdict="mostly_true",
        confidence=0.8,
    )
    events = session.query(AuditEvent).filter_by(action="claim.update").all()
    [item] = describe(session, events)
    assert item.text == f"editor changed the verdict of claim #{claim.id} to Mostly true"
    rows = {c.label: (c.before, c.after) for c in item.changes}
    assert rows["confidence"] == (None, "80 %")
    assert rows["verdict"] == ("Unreviewed", "Mostly true")
    assert "0.8" not in str(rows) and "mostly_true" not in str(rows)


def test_unknown_actions_get_a_readable_generic_sentence(session: Session, actor: Actor) -> None:
    audit.record(session, actor, "source.recapture", "source", 99, {"ai_evidence": {"after": []}})
    audit.record(session, actor, "login.lock", "user_name", "alice")  # no template for it
    events = session.query(AuditEvent).order_by(AuditEvent.id).all()
    recapture, lock = describe(session, events)
    assert recapture.text == "tester (command line) captured source #99 again from its web address"
    assert recapture.changes == []  # nothing but an empty list
    assert lock.text == "tester (command line) recorded “login lock” on user name alice"


def test_one_request_is_one_activity_line(session: Session) -> None:
    _linked(session)
    other = Actor(name="user:other", request_id="req-8")
    create_claim(session, text="Another claim entirely", actor=other)
    events = session.query(AuditEvent).order_by(AuditEvent.id.desc()).all()
    lines = group_by_request(describe(session, events))
    assert [line.events for line in lines] == [1, 5]
    assert lines[1].text.startswith("demo added the publisher Example News")
    assert "also added a source, created a claim, marked an excerpt, linked an excerpt" in (
        lines[1].text
    )


def test_audit_page_shows_sentences_with_links(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    source_id, claim_id, excerpt_id = _linked(session)
    session.commit()
    page = signed_in("viewer").get("/audit").get_data(as_text=True)
    assert (
        f'demo linked <a href="/sources/{source_id}#excerpt-{excerpt_id}">excerpt {excerpt_id}</a>'
        f" (from <em>Militärische Allianz" in page
    )
    assert f'to <a href="/claims/{claim_id}">claim #{claim_id}</a> as supporting' in page
    assert "ai_evidence" not in page and "publisher_id" not in page and "[]" not in page


def test_one_date_format() -> None:
    assert format_when(datetime(2024, 4, 1, 23, 17)) == "1 Apr 2024, 23:17 UTC"
    assert format_when(datetime(2024, 4, 2, 1, 17, tzinfo=UTC).astimezone()) == (
        "2 Apr 2024, 01:17 UTC"
    )
    assert format_when(date(2024, 4, 1)) == "1 Apr 2024"
    assert format_when("2024-04-01T23:17:00") == "1 Apr 2024, 23:17 UTC"
    assert format_when("2024-05-28") == "28 May 2024"
    assert format_percent(0.8) == "80 %" and format_percent(None) == "not set"
    assert verdict_label("mostly_true") == "Mostly true"
