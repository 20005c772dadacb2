"""services/claim_edit.update_claim: optimistic locking, reasons, proposals, re-indexing, audit.

Role logic (reviewer proposes, editor sets) is in the web view; here the service is given
``verdict`` or ``proposed_verdict`` directly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim, ClaimToken, Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import FieldInvalid, update_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim
from tracker.services.dedup import matching as dedup
from tracker.services.dedup.token_index import tokens_of
from tracker.services.errors import Conflict, Invalid, NotFound

EDITOR = Actor(name="user:ed")
REVIEWER = Actor(name="user:rita")


@pytest.fixture
def claim(session: Session, actor: Actor) -> Claim:
    made = create_claim(
        session,
        text="North Korea has ratified its defence treaty with Russia",
        language="en",
        verdict="in_review",
        confidence=0.5,
        rationale="One outlet so far.",
        actor=actor,
    )
    session.commit()
    return made


def _updates(session: Session, claim_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.action == "claim.update",
                AuditEvent.entity_type == "claim",
                AuditEvent.entity_id == str(claim_id),
            )
            .order_by(AuditEvent.id)
        )
    )


def _fresh(session: Session, claim_id: int) -> Claim:
    session.expire_all()
    found = session.get(Claim, claim_id)
    assert found is not None
    return found


def test_edit_bumps_version_and_records_one_event_with_the_diff(
    session: Session, claim: Claim
) -> None:
    v0 = claim.version
    update_claim(
        session,
        claim.id,
        expected_version=v0,
        actor=EDITOR,
        reason="Second outlet confirms",
        verdict="true",
        confidence=0.9,
        rationale="Two outlets report it.",
    )
    session.commit()
    saved = _fresh(session, claim.id)
    assert (saved.verdict, saved.confidence, saved.rationale) == (
        Verdict.TRUE,
        0.9,
        "Two outlets report it.",
    )
    assert saved.version == v0 + 1
    [event] = _updates(session, claim.id)
    assert event.actor == "user:ed"
    assert event.reason == "Second outlet confirms"
    assert event.changes == {
        "confidence": {"before": 0.5, "after": 0.9},
        "rationale": {"before": "One outlet so far.", "after": "Two outlets report it."},
        "verdict": {"before": "in_review", "after": "true"},
        "version": {"before": v0, "after": v0 + 1},
    }


def test_stale_version_is_a_conflict_and_nothing_is_overwritten(
    session: Session, claim: Claim
) -> None:
    v0 = claim.version
    update_claim(session, claim.id, expected_version=v0, actor=EDITOR, reason=None, rationale="A")
    session.commit()
    with pytest.raises(Conflict, match="changed by someone else"):
        update_claim(
            session, claim.id, expected_version=v0, actor=REVIEWER, reason=None, rationale="B"
        )
    session.rollback()
    saved = _fresh(session, claim.id)
    assert saved.rationale == "A" and saved.version == v0 + 1
    assert len(_updates(session, claim.id)) == 1


def test_a_writer_between_read_and_write_is_a_conflict(session: Session, claim: Claim) -> None:
    """The ORM's version check on UPDATE catches a change the first check could not see."""
    v0 = claim.version
    # Another writer bumps the row behind this session's back (its loaded version stays v0).
    session.execute(
        update(Claim)
        .where(Claim.id == claim.id)
        .values(version=v0 + 1, rationale="theirs")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict):
        update_claim(
            session, claim.id, expected_version=v0, actor=EDITOR, reason=None, rationale="mine"
        )
    session.rollback()


@pytest.mark.parametrize(
    "change",
    [{"verdict": "false"}, {"confidence": 0.1}, {"confidence": None}, {"proposed_verdict": "true"}],
)
def test_verdict_or_confidence_change_needs_a_reason(
    session: Session, claim: Claim, change: dict[str, object]
) -> None:
    for reason in (None, "", "   "):
        with pytest.raises(FieldInvalid, match="needs a reason") as info:
            update_claim(
                session,
                claim.id,
                expected_version=claim.version,
                actor=EDITOR,
                reason=reason,
                **change,  # type: ignore[arg-type]
            )
        assert info.value.field == "reason"
        session.rollback()
    saved = _fresh(session, claim.id)
    assert (saved.verdict, saved.confidence, saved.proposed_verdict) == (
        Verdict.IN_REVIEW,
        0.5,
        None,
    )
    assert _updates(session, claim.id) == []


def test_text_and_rationale_change_without_reason(session: Session, claim: Claim) -> None:
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=REVIEWER,
        reason=None,
        rationale="More context.",
    )
    [event] = _updates(session, claim.id)
    assert event.reason is None and set(event.changes) == {"rationale", "version"}


def test_proposal_sets_proposed_verdict_and_proposer_not_the_verdict(
    session: Session, claim: Claim
) -> None:
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=REVIEWER,
        reason="Reads as false to me",
        proposed_verdict="false",
    )
    session.commit()
    saved = _fresh(session, claim.id)
    assert saved.verdict == Verdict.IN_REVIEW
    assert saved.proposed_verdict == Verdict.FALSE and saved.proposed_by == "user:rita"
    [event] = _updates(session, claim.id)
    assert event.changes == {
        "proposed_by": {"before": None, "after": "user:rita"},
        "proposed_verdict": {"before": None, "after": "false"},
        "version": {"before": saved.version - 1, "after": saved.version},
    }


def test_text_edit_renormalizes_and_reindexes(session: Session, claim: Claim) -> None:
    new_text = "Volcanic ash grounded every flight in Iceland for nine days"
    old_normalized = claim.normalized_text
    assert all(m.claim_id != claim.id for m in dedup.match(session, new_text))
    update_claim(
        session,
        claim.id,
        expected_version=claim.version,
        actor=REVIEWER,
        reason=None,
        text=new_text,
    )
    session.commit()
    saved = _fresh(session, claim.id)
    assert saved.text == new_text and saved.normalized_text != old_normalized
    tokens = set(session.scalars(select(ClaimToken.token).where(ClaimToken.claim_id == claim.id)))
    assert tokens == tokens_of(saved.normalized_text)
    best = dedup.match(session, new_text)[0]
    assert best.claim_id == claim.id and best.level == "auto"
    old = dedup.match(session, "North Korea has ratified its defence treaty with Russia")
    assert all(m.claim_id != claim.id or m.score < 60 for m in old)


def test_language_change_renormalizes_and_empty_clears(session: Session, claim: Claim) -> None:
    update_claim(
        session, claim.id, expected_version=claim.version, actor=REVIEWER, reason=None, language=""
    )
    assert claim.language is None
    with pytest.raises(FieldInvalid) as info:
        update_claim(
            session,
            claim.id,
            expected_version=claim.version,
            actor=REVIEWER,
            reason=None,
            language="not a tag!",
        )
    assert info.value.field == "language"


def test_no_op_edit_writes_nothing(session: Session, claim: Claim) -> None:
    v0, updated = claim.version, claim.updated_at
    same = update_claim(
        session,
        claim.id,
        expected_version=v0,
        actor=EDITOR,
        reason=None,  # no reason needed: nothing changes
        text="  North Korea has ratified   its defence treaty with Russia ",
        language="en",
        verdict="in_review",
        confidence=0.5000000000001,  # what a round trip through "50 %" may give
        rationale="One outlet so far.\r\n",
    )
    session.commit()
    saved = _fresh(session, claim.id)
    assert same.id == claim.id
    assert saved.version == v0 and saved.updated_at == updated
    assert _updates(session, claim.id) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"confidence": 1.5}, "confidence"),
        ({"verdict": "maybe"}, "verdict"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
    ],
)
def test_bad_values_are_refused(
    session: Session, claim: Claim, change: dict[str, object], field: str
) -> None:
    with pytest.raises(FieldInvalid) as info:
        update_claim(
            session,
            claim.id,
            expected_version=claim.version,
            actor=EDITOR,
            reason="because",
            **change,  # type: ignore[arg-type]
        )
    assert info.value.field == field
    session.rollback()
    assert _fresh(session, claim.id).text.startswith("North Korea")
    assert _updates(session, claim.id) == []


def test_missing_and_merged_claims_are_refused(
    session: Session, claim: Claim, actor: Actor
) -> None:
    with pytest.raises(NotFound):
        update_claim(session, 999_999, expected_version=1, actor=EDITOR, reason=None, text="x")
    other = create_claim(session, text="Russia and North Korea signed a treaty", actor=actor)
    merge_claims(session, other.id, claim.id, reason="same", actor=actor)
    merged = _fresh(session, other.id)
    with pytest.raises(Invalid, match="merged into"):
        update_claim(
            session, other.id, expected_version=merged.version, actor=EDITOR, reason=None, text="y"
        )
    count = session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "claim.update")
    )
    assert count == 0
