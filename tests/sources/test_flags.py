"""Setting a source's AI flag by hand: the service and `tracker sources flag`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import AiGenerated, AuditEvent, Source
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.flags import read_published, set_ai_flag, set_published
from tracker.services.sources.ingest import ingest_text

Invoke = Callable[..., Any]

TEXT = (
    "Oslo, 14. februar 2023\n\nStortinget vedtok i dag en ny lov om pressestøtte etter en lang "
    "debatt om mediemangfold i distriktene."
)


@pytest.fixture
def source(session: Session, actor: Actor) -> Source:
    created, _ = ingest_text(session, TEXT, actor=actor, origin="test.txt")
    session.commit()
    assert created.ai_generated == AiGenerated.UNKNOWN
    return created


def _events(session: Session, action: str = "source.ai_flag") -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.scalars(query))


def test_set_ai_flag_records_who_when_why(session: Session, source: Source) -> None:
    editor = Actor(name="user:eva", request_id="r1")
    flagged = set_ai_flag(
        session, source.id, "yes", reason="  Says so in the footer ", actor=editor
    )
    assert flagged is source
    assert source.ai_generated == AiGenerated.YES
    assert (source.ai_flag_reason, source.ai_flag_by) == ("Says so in the footer", "user:eva")
    assert source.ai_flag_at is not None
    [event] = _events(session)
    assert (event.actor, event.entity_id, event.request_id) == ("user:eva", str(source.id), "r1")
    assert event.reason == "Says so in the footer"
    assert event.changes["ai_generated"] == {"before": "unknown", "after": "yes"}
    assert event.changes["ai_flag_reason"] == {"before": None, "after": "Says so in the footer"}
    assert event.changes["ai_flag_by"] == {"before": None, "after": "user:eva"}


def test_same_flag_and_reason_is_a_no_op(session: Session, source: Source, actor: Actor) -> None:
    set_ai_flag(session, source.id, AiGenerated.NO, reason="Staff reporter", actor=actor)
    stamp = source.ai_flag_at
    again = set_ai_flag(session, source.id, "NO", reason="Staff reporter ", actor=actor)
    assert again.ai_flag_at == stamp
    assert len(_events(session)) == 1
    # A new reason for the same status is a change, and is recorded.
    set_ai_flag(session, source.id, "no", reason="Byline checked with the desk", actor=actor)
    events = _events(session)
    assert len(events) == 2
    assert set(events[1].changes) >= {"ai_flag_reason", "ai_flag_at"}
    assert "ai_generated" not in events[1].changes


@pytest.mark.parametrize(
    ("status", "reason", "message"),
    [
        ("maybe", "a reason", "must be one of unknown, suspected, ai_disclosed"),
        ("", "a reason", "must be one of"),
        ("yes", "", "a reason is required"),
        ("yes", "   \n ", "a reason is required"),
        ("yes", "x" * 2001, "longer than 2000"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    session: Session, source: Source, actor: Actor, status: str, reason: str, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        set_ai_flag(session, source.id, status, reason=reason, actor=actor)
    assert source.ai_generated == AiGenerated.UNKNOWN and source.ai_flag_by is None
    assert _events(session) == []


def test_unknown_source(session: Session, actor: Actor) -> None:
    with pytest.raises(NotFound, match="source 987654 does not exist"):
        set_ai_flag(session, 987654, "yes", reason="r", actor=actor)


def test_set_published_by_hand(session: Session, source: Source, actor: Actor) -> None:
    assert source.published_iso == "2023-02-14"
    given = read_published("28. mai 2024 kl. 10.15", "nb")
    assert given.iso == "2024-05-28T10:15:00"
    assert set_published(session, source, given, actor=actor, reason="from the print edition")
    assert (source.published_iso, source.published_text) == (
        "2024-05-28T10:15:00",
        "28. mai 2024 kl. 10.15",
    )
    [event] = _events(session, "source.published")
    assert event.changes["published_at"] == {"before": "2023-02-14", "after": "2024-05-28T10:15:00"}
    assert event.reason == "from the print edition"
    assert not set_published(session, source, given, actor=actor, reason="again")
    assert len(_events(session, "source.published")) == 1
    with pytest.raises(Invalid, match="cannot read 'next week' as a date"):
        read_published("next week")


# --- the command line -----------------------------------------------------------------------


def test_cli_flag_json(run_cli: Invoke, session: Session, source: Source) -> None:
    result = run_cli(
        "sources",
        "flag",
        str(source.id),
        "--status",
        "yes",
        "--reason",
        "Chatbot leftovers",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ai_generated"] == "yes" and data["previous"] == "unknown"
    assert data["changed"] is True and data["ai_flag_reason"] == "Chatbot leftovers"
    assert data["ai_flag_by"].startswith("cli:")
    session.expire_all()
    stored = session.get(Source, source.id)
    assert stored is not None and stored.ai_generated == AiGenerated.YES
    [event] = _events(session)
    assert event.reason == "Chatbot leftovers" and event.actor.startswith("cli:")
    again = run_cli(
        "sources", "flag", str(source.id), "--status", "YES", "--reason", "Chatbot leftovers"
    )
    assert again.exit_code == 0
    assert (
        again.stdout.strip()
        == f"source {source.id}: unchanged (already ai_reviewer with this reason)"
    )
    assert len(_events(session)) == 1


def test_cli_flag_plain(run_cli: Invoke, source: Source) -> None:
    result = run_cli("sources", "flag", str(source.id), "--status", "no", "--reason", "Checked")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"source {source.id}: AI status human (reviewer) (was unknown)"
    )


def _unchanged(session: Session, source_id: int) -> None:
    session.expire_all()
    stored = session.get(Source, source_id)
    assert stored is not None
    assert (stored.ai_generated, stored.ai_flag_by) == (AiGenerated.UNKNOWN, None)
    assert _events(session) == []


def test_cli_flag_refusals(run_cli: Invoke, session: Session, source: Source) -> None:
    bad_status = run_cli("sources", "flag", str(source.id), "--status", "maybe", "--reason", "r")
    assert bad_status.exit_code == 2
    assert "'maybe' is not one of" in bad_status.stderr
    no_reason = run_cli("sources", "flag", str(source.id), "--status", "yes")
    assert no_reason.exit_code == 2 and "Missing option '--reason'" in no_reason.stderr
    blank = run_cli("sources", "flag", str(source.id), "--status", "yes", "--reason", "  ")
    assert blank.exit_code == 1
    assert blank.stderr.strip() == "Error: a reason is required to set the AI flag"
    missing = run_cli("sources", "flag", "987654", "--status", "yes", "--reason", "r")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Error: source 987654 does not exist"
    _unchanged(session, source.id)
    assert session.scalar(select(func.count()).select_from(Source)) == 1
