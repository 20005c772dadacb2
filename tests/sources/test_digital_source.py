"""IPTC digitalSourceType on source exports."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import AiStatus
from tracker.services.audit.log import Actor
from tracker.services.sources.digital_source import COMPOSITE, TRAINED, digital_source_type
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text


def test_disclosed_seed_is_trained_algorithmic_media(session: Session, actor: Actor) -> None:
    result = ingest_path(session, next(SEEDS.glob("000_*.txt")), actor=actor)
    assert result.source_id is not None
    from tracker.services.sources.read import get_source, source_summary

    source = get_source(session, result.source_id)
    assert source.ai_status is AiStatus.AI_DISCLOSED
    assert digital_source_type(source) == TRAINED
    assert source_summary(source)["digital_source_type"] == TRAINED


def test_human_edit_makes_it_composite_and_other_statuses_carry_none(
    session: Session, actor: Actor, run_cli: Callable[..., object]
) -> None:
    text = "Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen.\n\nEr gilt ab Mai."
    source, _ = ingest_text(session, text, actor=actor, origin="t1", meta=SourceMeta())
    assert digital_source_type(source) is None  # unknown: no claim either way
    set_ai_status(session, source.id, "human_reviewer", reason="called the author", actor=actor)
    assert digital_source_type(source) is None
    set_ai_status(
        session,
        source.id,
        "ai_reviewer",
        reason="The outlet says ChatGPT wrote it and an editor checked it",
        actor=actor,
    )
    assert digital_source_type(source) == COMPOSITE
    set_ai_status(session, source.id, "ai_reviewer", reason="Tool output, no byline", actor=actor)
    assert digital_source_type(source) == TRAINED
    session.commit()
    shown = run_cli("sources", "show", str(source.id), "--json")
    assert json.loads(shown.stdout)["digital_source_type"] == TRAINED  # type: ignore[attr-defined]
