"""Excerpts, claims and evidence: the invariants the rest of the tracker relies on."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tests.helpers import SEEDS
from tracker.models import AuditEvent, Claim, Excerpt, ExcerptMismatchError, Source
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.errors import Invalid
from tracker.services.sources.excerpts import get_or_create_excerpt, locate_quote
from tracker.services.sources.ingest import ingest_path


@pytest.fixture
def seed001(session: Session, actor: Actor) -> Source:
    result = ingest_path(session, SEEDS / "001_041022425303b5a7.txt", actor=actor)
    source = session.get(Source, result.source_id)
    assert source is not None
    return source


def test_excerpt_selectors_and_offsets(session: Session, actor: Actor, seed001: Source) -> None:
    quote = "nicht mehr als terroristische Vereinigung einstufen"
    start, end = locate_quote(seed001.text, quote, occurrence=1)
    excerpt, created = get_or_create_excerpt(session, seed001, start, end, actor=actor)
    assert created and excerpt.exact == quote
    quote_sel, pos_sel = excerpt.selectors()
    assert quote_sel["type"] == "TextQuoteSelector"
    assert seed001.text[start - 32 : start] == quote_sel["prefix"]
    assert seed001.text[end : end + 32] == quote_sel["suffix"]
    assert pos_sel == {"type": "TextPositionSelector", "start": start, "end": end}
    again, created_again = get_or_create_excerpt(session, seed001, start, end, actor=actor)
    assert again.id == excerpt.id and not created_again


def test_repeated_quote_needs_an_occurrence(seed001: Source) -> None:
    quote = "Die Taliban erklärten"
    with pytest.raises(Invalid, match="occurs 2 times"):
        locate_quote(seed001.text, quote)
    first = locate_quote(seed001.text, quote, 1)
    second = locate_quote(seed001.text, quote, 2)
    assert first[0] < second[0]
    with pytest.raises(Invalid, match="does not exist"):
        locate_quote(seed001.text, quote, 3)
    with pytest.raises(Invalid, match="does not occur"):
        locate_quote(seed001.text, "Die Taliban lehnten ab")


def test_excerpt_that_does_not_match_its_source_is_refused(
    session: Session, seed001: Source
) -> None:
    session.add(
        Excerpt(source=seed001, start_offset=0, end_offset=5, exact="wrong", created_by="x")
    )
    with pytest.raises(ExcerptMismatchError):
        session.flush()


def test_claim_with_evidence_and_audit(session: Session, actor: Actor, seed001: Source) -> None:
    claim = create_claim(
        session,
        text="  Russia no longer lists the Taliban as a terrorist organisation. ",
        language="en",
        verdict="in_review",
        confidence=0.4,
        actor=actor,
    )
    assert claim.text == "Russia no longer lists the Taliban as a terrorist organisation."
    assert {"ent_russia", "ent_taliban"} <= set(claim.normalized_text.split())
    assert claim.normalized_text == claim.normalized_text.casefold()
    assert claim.version == 1
    start, end = locate_quote(seed001.text, "als terroristische Vereinigung einstufen", 1)
    excerpt, _ = get_or_create_excerpt(session, seed001, start, end, actor=actor)
    link_evidence(session, claim, excerpt, "supports", actor=actor)
    with pytest.raises(Invalid, match="already linked"):
        link_evidence(session, claim, excerpt, "refutes", actor=actor)
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["claim.create", "excerpt.create", "evidence.link"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": "   "}, "empty"),
        ({"text": "x", "confidence": 1.5}, "confidence"),
        ({"text": "x", "confidence": True}, "confidence"),
        ({"text": "x", "verdict": "probably"}, "unknown verdict"),
        ({"text": "x", "language": "english please"}, "BCP-47"),
    ],
)
def test_bad_claims_are_refused_and_write_nothing(
    session: Session, actor: Actor, kwargs: dict[str, object], message: str
) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(Invalid, match=message):
        create_claim(session, actor=actor, **kwargs)  # type: ignore[arg-type]
    assert session.scalar(select(func.count()).select_from(Claim)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_claim_version_counter_detects_stale_writes(session: Session, actor: Actor) -> None:
    claim = create_claim(session, text="DPRK ratified the defence treaty", actor=actor)
    claim.rationale = "first edit"
    session.flush()
    assert claim.version == 2
    # Another writer bumped the version behind this session's back.
    session.execute(Claim.__table__.update().where(Claim.id == claim.id).values(version=7))
    claim.rationale = "stale edit"
    with pytest.raises(StaleDataError):
        session.flush()


def test_audit_events_cannot_be_changed_or_deleted(session: Session, actor: Actor) -> None:
    from tracker.models.audit import AuditLogIsAppendOnly

    create_claim(session, text="Kazan hosts the Russia–Islamic world summit", actor=actor)
    event = session.scalars(select(AuditEvent)).first()
    assert event is not None
    with pytest.raises(AuditLogIsAppendOnly), session.begin_nested():
        event.reason = "rewritten history"
        session.flush()
    with pytest.raises(AuditLogIsAppendOnly), session.begin_nested():
        session.delete(event)
        session.flush()
    assert session.get(AuditEvent, event.id) is not None
