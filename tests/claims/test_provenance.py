"""Claim provenance (AI-only, mixed, independent, none), the verdict guard on AI-only claims,
and `tracker claims list --provenance`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import AuditEvent, Claim, Source, Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import FieldInvalid, update_claim
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.provenance import provenance, provenance_of
from tracker.services.claims.read import load_claim
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text, iter_input_files

Invoke = Callable[..., Any]


def _source(session: Session, actor: Actor, n: int, publisher: str | None = None) -> Source:
    text = f"Melding {n}: kommunen vedtok budsjettet for år {2000 + n} etter en lang debatt."
    meta = SourceMeta(publisher=publisher).checked()
    source, _ = ingest_text(session, text, actor=actor, origin=f"{n}.txt", meta=meta)
    return source


def _claim(session: Session, actor: Actor, text: str, *links: tuple[Source, str]) -> Claim:
    claim_id: int | None = None
    for source, stance in links or ((None, "supports"),):
        result = intake_claim(
            session,
            text,
            actor=actor,
            source_id=source.id if source else None,
            quote="kommunen vedtok budsjettet" if source else None,
            stance=stance,
            link_to=claim_id,
        )
        claim_id = result.claim.id
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return claim


@pytest.fixture
def world(session: Session, actor: Actor) -> dict[str, Claim]:
    ai1 = _source(session, actor, 1, "Fabrikken")
    ai2 = _source(session, actor, 2, "Fabrikken")
    set_ai_status(session, ai1.id, "ai_disclosed", reason="says so", actor=actor)
    set_ai_status(session, ai2.id, "ai_reviewer", reason="leftovers", actor=actor)
    a1 = _source(session, actor, 3, "Avisa")
    a2 = _source(session, actor, 4, "avisa")  # the same publisher
    b = _source(session, actor, 5, "Bladet")
    loose = _source(session, actor, 6)  # no publisher: counts as its own
    suspected = _source(session, actor, 7, "Tvil")
    set_ai_status(session, suspected.id, "suspected", reason="odd", actor=actor)
    claims = {
        "ai_only": _claim(session, actor, "Budget passed", (ai1, "supports"), (ai2, "supports")),
        "mixed": _claim(session, actor, "Budget approved", (ai1, "supports"), (a1, "supports")),
        "independent": _claim(
            session,
            actor,
            "Council voted",
            (a1, "supports"),
            (a2, "supports"),
            (b, "supports"),
            (loose, "supports"),
            (ai1, "refutes"),  # only support counts
        ),
        "suspected": _claim(session, actor, "Budget debated", (suspected, "supports")),
        "none": _claim(session, actor, "Budget mentioned", (ai1, "mentions")),
        "bare": _claim(session, actor, "No evidence at all"),
    }
    session.flush()
    return claims


def test_classes(
    session: Session, world: dict[str, Claim], count_queries: Callable[[], Any]
) -> None:
    counter = count_queries()
    found = provenance(session, [c.id for c in world.values()] + [987654])
    assert counter.count == 1
    got = {name: (found[c.id].cls, found[c.id].independent) for name, c in world.items()}
    assert got == {
        "ai_only": ("ai_only", 0),
        "mixed": ("mixed", 1),
        # Avisa (twice: one publisher) and Bladet; a source without publisher never counts.
        "independent": ("independent", 2),
        "suspected": ("independent", 1),  # suspected is not a finding
        "none": ("none", 0),
        "bare": ("none", 0),
    }
    assert found[987654].cls == "none"
    assert found[world["ai_only"].id].as_dict() == {
        "class": "ai_only",
        "independent": 0,
        "supporting_sources": 2,
        "ai_supporting_sources": 2,
        "excerpts": 2,
        "sources": 2,
        "unknown_publisher_sources": 0,
        "ai_sources": 2,
        "flagged_publisher_sources": 0,
        "summary": "2 excerpts from 2 sources; 0 independent publishers established; "
        "2 AI-generated",
    }
    independent = found[world["independent"].id]
    assert independent.summary == (
        "5 excerpts from 5 sources; 2 independent publishers established; "
        "1 source with an unknown publisher; 1 AI-generated"
    )


def test_provenance_of_a_loaded_claim_equals_the_query(
    session: Session, world: dict[str, Claim]
) -> None:
    found = provenance(session, [c.id for c in world.values()])
    session.expire_all()
    for claim in world.values():
        assert provenance_of(load_claim(session, claim.id)) == found[claim.id]


def _update_events(session: Session, claim_id: int) -> list[AuditEvent]:
    query = select(AuditEvent).where(
        AuditEvent.action == "claim.update", AuditEvent.entity_id == str(claim_id)
    )
    return list(session.scalars(query))


@pytest.mark.parametrize("field", ["verdict", "proposed_verdict"])
@pytest.mark.parametrize("value", ["true", "mostly_true"])
def test_verdict_guard(
    session: Session, actor: Actor, world: dict[str, Claim], field: str, value: str
) -> None:
    claim = world["ai_only"]
    version = claim.version
    with pytest.raises(FieldInvalid, match="rests only on AI-generated sources") as refused:
        update_claim(
            session, claim.id, expected_version=version, actor=actor, reason="r", **{field: value}
        )
    assert refused.value.field == "override_reason"
    assert getattr(claim, field) != Verdict(value) and claim.version == version
    assert _update_events(session, claim.id) == []
    with pytest.raises(FieldInvalid):  # a blank override is no override
        update_claim(
            session,
            claim.id,
            expected_version=version,
            actor=actor,
            reason="r",
            override_reason="  ",
            **{field: value},
        )
    update_claim(
        session,
        claim.id,
        expected_version=version,
        actor=actor,
        reason="checked",
        override_reason="confirmed by the ministry by phone",
        **{field: value},
    )
    assert getattr(claim, field) == Verdict(value)
    [event] = _update_events(session, claim.id)
    assert event.changes["ai_only_override"] == {
        "before": None,
        "after": "confirmed by the ministry by phone",
    }


def test_guard_leaves_other_claims_and_verdicts_alone(
    session: Session, actor: Actor, world: dict[str, Claim]
) -> None:
    for name in ("mixed", "independent", "none"):
        claim = world[name]
        update_claim(
            session,
            claim.id,
            expected_version=claim.version,
            actor=actor,
            reason="r",
            verdict="true",
        )
        assert claim.verdict == Verdict.TRUE
    ai_only = world["ai_only"]
    update_claim(
        session,
        ai_only.id,
        expected_version=ai_only.version,
        actor=actor,
        reason="r",
        verdict="false",
    )
    assert ai_only.verdict == Verdict.FALSE
    [event] = _update_events(session, ai_only.id)
    assert "ai_only_override" not in event.changes


def test_demo_claims_resting_on_seed_000_are_ai_only(session: Session, actor: Actor) -> None:
    ids = {}
    for path, skipped in iter_input_files([SEEDS]):
        if not skipped:
            result = ingest_path(session, path, actor=actor)
            assert result.source_id is not None
            ids[path.name[:3]] = result.source_id
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    claims = list(session.scalars(select(Claim).order_by(Claim.id)))
    found = provenance(session, [c.id for c in claims])
    ai_only = {c.text[:40] for c in claims if found[c.id].cls == "ai_only"}
    assert ai_only >= {
        "The terrorist attack in Moscow on 22 Mar",
        "The Moscow attack was carried out by Isl",
    }
    supporting: dict[int, set[int]] = {}
    for claim in claims:
        for ev in claim.evidence:
            if ev.stance.value == "supports":
                supporting.setdefault(claim.id, set()).add(ev.excerpt.source_id)
    expected = {c.text[:40] for c in claims if supporting.get(c.id) == {ids["000"]}}
    assert ai_only == expected
    # Seed 001 is only suspected: its claims count as independent support.
    on_001 = [c for c in claims if supporting.get(c.id) == {ids["001"]}]
    assert on_001 and all(found[c.id].cls == "independent" for c in on_001)


def test_cli_claims_list_provenance(
    run_cli: Invoke, session: Session, world: dict[str, Claim]
) -> None:
    session.commit()
    listed = json.loads(run_cli("claims", "list", "--provenance", "ai-only", "--json").stdout)
    assert [c["id"] for c in listed] == [world["ai_only"].id]
    assert listed[0]["provenance"]["class"] == "ai_only"
    assert listed[0]["provenance"]["independent"] == 0
    assert listed[0]["provenance"]["summary"].startswith("2 excerpts from 2 sources;")
    mixed = json.loads(run_cli("claims", "list", "--provenance", "MIXED", "--json").stdout)
    assert [c["id"] for c in mixed] == [world["mixed"].id]
    none = json.loads(run_cli("claims", "list", "--provenance", "none", "--json").stdout)
    assert {c["id"] for c in none} == {world["none"].id, world["bare"].id}
    everything = json.loads(run_cli("claims", "list", "--json").stdout)
    assert {c["provenance"]["class"] for c in everything} == {
        "ai_only",
        "mixed",
        "independent",
        "none",
    }
    bad = run_cli("claims", "list", "--provenance", "ai")
    assert bad.exit_code == 2 and "Invalid value for '--provenance'" in bad.stderr
