"""A source's AI status: set at ingest (disclosure, flagged publisher, weak signals), set by
hand (new statuses and the old yes/no/unknown), the derived ``ai_generated``, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import AiEvidence, AiGenerated, AiStatus, AuditEvent, Source
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid
from tracker.services.sources.flags import set_ai_flag, set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text, iter_input_files
from tracker.services.sources.publishers import set_publisher_flag
from tracker.services.sources.read import filter_sources, list_sources

Invoke = Callable[..., Any]

DISCLOSURE = "Nyhetsartikler generert ved hjelp av kunstig intelligens."


def _text(n: int, *extra: str) -> str:
    """A short plain news text, different for every n."""
    words = ["Stortinget", "regjeringen", "kommunen", "fylket", "domstolen", "styret"]
    lines = [
        f"Sak nummer {n}: {words[n % len(words)]} behandlet saken om veier i distriktet {n}.",
        f"Debatten varte i {n + 2} timer, og flertallet stemte for forslaget nummer {n * 7}.",
        *extra,
    ]
    return "\n\n".join(lines)


def _add(session: Session, actor: Actor, text: str, **meta: str) -> Source:
    source, created = ingest_text(
        session, text, actor=actor, origin="t.txt", meta=SourceMeta(**meta).checked()
    )
    assert created
    return source


def _events(session: Session, action: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.scalars(query))


# --- at ingest ------------------------------------------------------------------------------


def test_seed_statuses(session: Session, actor: Actor) -> None:
    ids = {}
    for path, skipped in iter_input_files([SEEDS]):
        if not skipped:
            result = ingest_path(session, path, actor=actor)
            assert result.source_id is not None
            ids[path.name[:3]] = result.source_id
    got = {
        name: (s.ai_status, s.ai_generated)
        for name, s in ((n, session.get(Source, i)) for n, i in ids.items())
        if s is not None
    }
    assert got == {
        "000": (AiStatus.AI_DISCLOSED, AiGenerated.YES),
        "001": (AiStatus.SUSPECTED, AiGenerated.UNKNOWN),  # the body is stated twice
        "002": (AiStatus.UNKNOWN, AiGenerated.UNKNOWN),
        "003": (AiStatus.UNKNOWN, AiGenerated.UNKNOWN),
        "004": (AiStatus.UNKNOWN, AiGenerated.UNKNOWN),
    }
    repeated = session.get(Source, ids["001"])
    assert repeated is not None
    [weak] = repeated.ai_evidence
    assert (weak.kind, weak.detector, weak.pattern) == (
        "weak:repeated_body",
        "ai-weak/1",
        "repeated_body",
    )
    assert weak.confidence <= 0.5
    assert repeated.text[weak.start_offset : weak.end_offset] == weak.sentence
    assert weak.sentence.startswith("Die russische Regierung")
    [create] = [e for e in _events(session, "source.create") if e.entity_id == str(ids["001"])]
    assert create.changes["ai_status"]["after"] == "suspected"
    assert create.changes["ai_status_why"]["after"] == ["weak:repeated_body (repeated_body)"]
    # Seed 000 names its outlet in the footer: it has a publisher.
    disclosed = session.get(Source, ids["000"])
    assert disclosed is not None and disclosed.publisher_ref is not None
    assert disclosed.publisher_ref.name == "Geopolitika"


def test_flagged_publisher_makes_new_sources_suspected(session: Session, actor: Actor) -> None:
    first = _add(session, actor, _text(1), publisher="Nyhetsfabrikken")
    assert first.ai_status == AiStatus.UNKNOWN and first.publisher_id is not None
    set_publisher_flag(session, first.publisher_id, True, reason="content farm", actor=actor)
    later = _add(session, actor, _text(2), publisher="nyhetsfabrikken ")
    assert (later.ai_status, later.ai_generated) == (AiStatus.SUSPECTED, AiGenerated.UNKNOWN)
    assert later.publisher_id == first.publisher_id
    assert first.ai_status == AiStatus.UNKNOWN  # stored sources keep their status
    # A disclosure still wins over the publisher's flag.
    disclosed = _add(session, actor, _text(3, DISCLOSURE), publisher="Nyhetsfabrikken")
    assert (disclosed.ai_status, disclosed.ai_generated) == (AiStatus.AI_DISCLOSED, AiGenerated.YES)
    # Unflagged again: new sources start unknown.
    set_publisher_flag(session, first.publisher_id, False, reason="checked", actor=actor)
    assert _add(session, actor, _text(4), publisher="Nyhetsfabrikken").ai_status == AiStatus.UNKNOWN


def test_template_sentence_across_three_sources_is_a_weak_signal(
    session: Session, actor: Actor
) -> None:
    template = "Denne artikkelen gir deg en grundig oversikt over alt du trenger å vite i dag."
    one = _add(session, actor, _text(1, template), publisher="Malbyrå", title="Første sak")
    two = _add(session, actor, _text(2, template), publisher="Malbyrå", title="Andre sak")
    assert (one.ai_status, two.ai_status) == (AiStatus.UNKNOWN, AiStatus.UNKNOWN)
    # The same article under the same title again is a snapshot, not a template.
    again = _add(session, actor, _text(22, template), publisher="Malbyrå", title="Andre sak")
    assert again.ai_status == AiStatus.UNKNOWN
    three = _add(session, actor, _text(3, template), publisher="Malbyrå", title="Tredje sak")
    assert (three.ai_status, three.ai_generated) == (AiStatus.SUSPECTED, AiGenerated.UNKNOWN)
    [weak] = three.ai_evidence
    assert (weak.kind, weak.sentence, weak.confidence) == ("weak:template", template, 0.35)
    # Another publisher's source with the same sentence is not affected.
    other = _add(session, actor, _text(4, template), publisher="Annen avis", title="Fjerde")
    assert other.ai_status == AiStatus.UNKNOWN and other.ai_evidence == []


def test_missing_author_on_a_publisher_that_names_them(session: Session, actor: Actor) -> None:
    for n in range(5):
        source = _add(session, actor, _text(n), publisher="Bylinebladet", author=f"Reporter {n}")
        assert source.ai_status == AiStatus.UNKNOWN
    bare = _add(session, actor, _text(9), publisher="Bylinebladet")
    assert (bare.ai_status, bare.ai_generated) == (AiStatus.SUSPECTED, AiGenerated.UNKNOWN)
    [weak] = bare.ai_evidence
    assert (weak.kind, weak.pattern) == ("weak:missing_metadata", "missing_author")
    assert weak.confidence <= 0.5
    # With fewer than five earlier sources nothing is inferred.
    for n in range(4):
        _add(session, actor, _text(20 + n), publisher="Litenavis", author="A")
    assert _add(session, actor, _text(30), publisher="Litenavis").ai_status == AiStatus.UNKNOWN


# --- by hand --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "stored", "derived"),
    [
        ("ai_disclosed", AiStatus.AI_DISCLOSED, AiGenerated.YES),
        ("ai_reviewer", AiStatus.AI_REVIEWER, AiGenerated.YES),
        ("human_reviewer", AiStatus.HUMAN_REVIEWER, AiGenerated.NO),
        ("suspected", AiStatus.SUSPECTED, AiGenerated.UNKNOWN),
        (" YES ", AiStatus.AI_REVIEWER, AiGenerated.YES),  # old aliases
        ("no", AiStatus.HUMAN_REVIEWER, AiGenerated.NO),
        (AiGenerated.YES, AiStatus.AI_REVIEWER, AiGenerated.YES),
    ],
)
def test_set_status_and_derived_flag(
    session: Session, actor: Actor, status: Any, stored: AiStatus, derived: AiGenerated
) -> None:
    source = _add(session, actor, _text(1))
    set_ai_status(session, source.id, status, reason="checked the byline", actor=actor)
    assert (source.ai_status, source.ai_generated) == (stored, derived)
    [event] = _events(session, "source.ai_flag")
    assert event.changes["ai_status"] == {"before": "unknown", "after": stored.value}
    assert event.reason == "checked the byline"
    # Back to unknown by its alias, with a reason; audited again.
    set_ai_flag(session, source.id, "unknown", reason="not sure after all", actor=actor)
    assert (source.ai_status, source.ai_generated) == (AiStatus.UNKNOWN, AiGenerated.UNKNOWN)
    assert source.ai_flag_reason == "not sure after all"
    assert len(_events(session, "source.ai_flag")) == 2


def test_bad_status_changes_nothing(session: Session, actor: Actor) -> None:
    source = _add(session, actor, _text(1))
    for status, reason in (("probably", "r"), ("ai_reviewer", " ")):
        with pytest.raises(Invalid):
            set_ai_status(session, source.id, status, reason=reason, actor=actor)
    assert source.ai_status == AiStatus.UNKNOWN and source.ai_flag_by is None
    assert _events(session, "source.ai_flag") == []


def test_filters_by_status(session: Session, actor: Actor) -> None:
    plain = _add(session, actor, _text(1))
    disclosed = _add(session, actor, _text(2, DISCLOSURE))
    reviewed = _add(session, actor, _text(3))
    set_ai_status(session, reviewed.id, "human_reviewer", reason="staff", actor=actor)
    assert [s.id for s in list_sources(session, ai="ai_disclosed")] == [disclosed.id]
    assert [s.id for s in list_sources(session, ai="no")] == [reviewed.id]
    assert [s.id for s in filter_sources(session, ai="unknown").items] == [plain.id]
    with pytest.raises(Invalid, match="the AI filter must be one of"):
        list_sources(session, ai="maybe")


# --- the command line -----------------------------------------------------------------------


def test_cli_list_show_and_flag(run_cli: Invoke, session: Session, actor: Actor) -> None:
    plain = _add(session, actor, _text(1))
    disclosed = _add(session, actor, _text(2, DISCLOSURE))
    session.commit()
    listed = json.loads(run_cli("sources", "list", "--ai", "ai_disclosed", "--json").stdout)
    assert [(s["id"], s["ai_status"], s["ai_generated"]) for s in listed] == [
        (disclosed.id, "ai_disclosed", "yes")
    ]
    text = run_cli("sources", "list").stdout
    assert "[AI] (AI-generated (disclosed))" in text
    shown = json.loads(run_cli("sources", "show", str(plain.id), "--json").stdout)
    assert (shown["ai_status"], shown["ai_generated"]) == ("unknown", "unknown")

    flagged = run_cli(
        "sources", "flag", str(plain.id), "--status", "suspected", "--reason", "odd", "--json"
    )
    assert flagged.exit_code == 0, flagged.output
    data = json.loads(flagged.stdout)
    assert (data["ai_status"], data["ai_generated"], data["previous"]) == (
        "suspected",
        "unknown",
        "unknown",
    )
    alias = run_cli("sources", "flag", str(plain.id), "--status", "yes", "--reason", "bot")
    assert alias.stdout.strip() == (
        f"source {plain.id}: AI status AI-generated (reviewer) (was suspected AI)"
    )
    session.expire_all()
    stored = session.get(Source, plain.id)
    assert stored is not None and stored.ai_status == AiStatus.AI_REVIEWER
    assert len(_events(session, "source.ai_flag")) == 2

    bad = run_cli("sources", "flag", str(plain.id), "--status", "maybe", "--reason", "r")
    assert bad.exit_code == 2 and "Invalid value for '--status'" in bad.stderr
    bad_list = run_cli("sources", "list", "--ai", "maybe")
    assert bad_list.exit_code == 2
    missing = run_cli("sources", "flag", "98765", "--status", "no", "--reason", "r")
    assert missing.exit_code == 1 and "source 98765 does not exist" in missing.stderr
    no_reason = run_cli("sources", "flag", str(plain.id), "--status", "no", "--reason", " ")
    assert no_reason.exit_code == 1 and "a reason is required" in no_reason.stderr
    session.expire_all()
    assert len(_events(session, "source.ai_flag")) == 2
    assert session.scalar(select(AiEvidence.id).where(AiEvidence.source_id == plain.id)) is None
