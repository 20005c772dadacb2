"""services/claim_asof (a claim rebuilt from the audit log) and services/claim_revert.

The property test applies random sequences of service operations and checks that replaying
the log up to now gives exactly the live claims (fields and evidence)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim, Excerpt, Verdict
from tracker.models.types import utcnow
from tracker.services.audit.log import Actor, record
from tracker.services.claims.as_of import claim_as_of, claim_versions, parse_when
from tracker.services.claims.edit import FieldInvalid, update_claim
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.claims.revert import revert_claim
from tracker.services.errors import Conflict, Invalid, NotFound
from tracker.services.interop.bulk_import import import_claims
from tracker.services.sources.excerpts import get_or_create_excerpt
from tracker.services.sources.ingest import SourceMeta, ingest_text

EDITOR = Actor(name="user:ed")
SOURCE_TEXT = (
    "The city council approved the new budget on Monday. Spending on schools rises by four "
    "percent. The mayor said taxes will not change this year. Critics called the plan "
    "unrealistic. The vote was seven to two. A final reading is planned for June."
)
CLAIM_FIELDS = ("text", "language", "verdict", "proposed_verdict", "confidence", "rationale")


@pytest.fixture
def excerpts(session: Session, actor: Actor) -> list[Excerpt]:
    source, _ = ingest_text(
        session, SOURCE_TEXT, actor=actor, origin="asof-test", meta=SourceMeta(language="en")
    )
    made = []
    for sentence in SOURCE_TEXT.split(". ")[:6]:
        start = SOURCE_TEXT.index(sentence)
        made.append(get_or_create_excerpt(session, source, start, start + 12, actor=actor)[0])
    session.commit()
    return made


def live(session: Session, claim_id: int) -> dict[str, Any]:
    """The claim as the tables hold it, in claim_as_of's shape."""
    session.expire_all()
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return {
        "text": claim.text,
        "language": claim.language,
        "verdict": claim.verdict.value,
        "proposed_verdict": claim.proposed_verdict.value if claim.proposed_verdict else None,
        "confidence": claim.confidence,
        "rationale": claim.rationale,
        "version": claim.version,
        "merged_into": claim.merged_into_id,
        "evidence": sorted(
            (e.id, e.excerpt_id, e.excerpt.source_id, e.stance.value) for e in claim.evidence
        ),
    }


def rebuilt(session: Session, claim_id: int, when: datetime | None = None) -> dict[str, Any]:
    state = claim_as_of(session, claim_id, when or utcnow())
    keep = {k: state[k] for k in (*CLAIM_FIELDS, "version", "merged_into")}
    keep["evidence"] = sorted(
        (e["evidence_id"], e["excerpt_id"], e["source_id"], e["stance"]) for e in state["evidence"]
    )
    return keep


def _new_claim(
    session: Session, actor: Actor, text: str = "Schools get four percent more"
) -> Claim:
    return create_claim(
        session, text=text, language="en", verdict="in_review", confidence=0.5, actor=actor
    )


# --- the property: replaying the log rebuilds the live state --------------------------------

CLAIMS = st.integers(0, 2)
OPS = st.one_of(
    st.tuples(
        st.just("text"),
        CLAIMS,
        st.sampled_from(["Taxes stay flat", "taxes stay FLAT", "The vote was 7-2"]),
    ),
    st.tuples(st.just("language"), CLAIMS, st.sampled_from(["", "en", "en-GB", "de"])),
    st.tuples(st.just("verdict"), CLAIMS, st.sampled_from([v.value for v in Verdict])),
    st.tuples(st.just("proposed_verdict"), CLAIMS, st.sampled_from([v.value for v in Verdict])),
    st.tuples(st.just("confidence"), CLAIMS, st.sampled_from([None, 0.1, 0.333, 0.9, 1.0])),
    st.tuples(st.just("rationale"), CLAIMS, st.sampled_from(["", "One outlet.", "Two\nlines"])),
    st.tuples(st.just("link"), CLAIMS, st.integers(0, 5), st.sampled_from(["supports", "refutes"])),
    st.tuples(st.just("merge"), CLAIMS, CLAIMS),
    st.tuples(st.just("unmerge"), CLAIMS),
    st.tuples(st.just("revert"), CLAIMS, st.integers(1, 8)),
)


def _apply(session: Session, ids: list[int], excerpts: list[Excerpt], op: tuple[Any, ...]) -> None:
    kind, cid = op[0], ids[op[1]]
    claim = session.get(Claim, cid)
    assert claim is not None
    if kind in CLAIM_FIELDS:
        if claim.merged_into_id is None:
            update_claim(
                session,
                cid,
                expected_version=claim.version,
                actor=EDITOR,
                reason="property test",
                override_reason="property test",
                **{kind: op[2]},
            )
    elif kind == "link":
        excerpt = excerpts[op[2]]
        if excerpt.id not in {e.excerpt_id for e in claim.evidence}:
            link_evidence(session, claim, excerpt, op[3], actor=EDITOR)
    elif kind == "merge":
        target = session.get(Claim, ids[op[2]])
        assert target is not None
        if cid != target.id and claim.merged_into_id is None and target.merged_into_id is None:
            merge_claims(session, cid, target.id, reason="same claim", actor=EDITOR)
    elif kind == "unmerge" and claim.merged_into_id is not None:
        # Conflict: its evidence was dropped by a later merge; nothing changes.
        with contextlib.suppress(Conflict):
            unmerge_claim(session, cid, actor=EDITOR, reason="not the same")
    elif (
        kind == "revert"
        and claim.merged_into_id is None
        and op[2] in {v.version for v in claim_versions(session, cid)}
    ):
        revert_claim(
            session,
            cid,
            op[2],
            reason="property test",
            actor=EDITOR,
            expected_version=claim.version,
            override_reason="property test",
        )
    session.expire_all()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=15))
def test_replay_rebuilds_the_live_claims(
    session: Session, actor: Actor, excerpts: list[Excerpt], ops: list[tuple[Any, ...]]
) -> None:
    savepoint = session.begin_nested()
    try:
        ids = [
            _new_claim(session, actor, text).id
            for text in ("Schools get four percent more", "Taxes will not change", "Vote 7-2")
        ]
        for op in ops:
            _apply(session, ids, excerpts, op)
        for cid in ids:
            assert rebuilt(session, cid) == live(session, cid), ops
    finally:
        savepoint.rollback()
        session.expire_all()


# --- as of a moment ---------------------------------------------------------------------------


def test_as_of_returns_each_earlier_state(
    session: Session, actor: Actor, excerpts: list[Excerpt]
) -> None:
    claim = _new_claim(session, actor)
    after_create = utcnow()
    update_claim(
        session, claim.id, expected_version=1, actor=EDITOR, reason="checked", verdict="false"
    )
    after_verdict = utcnow()
    link_evidence(session, claim, excerpts[0], "refutes", actor=EDITOR)
    session.commit()

    first = claim_as_of(session, claim.id, after_create)
    assert (first["verdict"], first["version"], first["evidence"]) == ("in_review", 1, [])
    second = claim_as_of(session, claim.id, after_verdict)
    assert (second["verdict"], second["version"], second["evidence"]) == ("false", 2, [])
    now = claim_as_of(session, claim.id, utcnow())
    assert now["evidence"] == [
        {
            "evidence_id": claim.evidence[0].id,
            "excerpt_id": excerpts[0].id,
            "source_id": excerpts[0].source_id,
            "stance": "refutes",
            "exact": excerpts[0].exact,
        }
    ]


def test_as_of_before_the_claim_existed_is_not_found(session: Session, actor: Actor) -> None:
    claim = _new_claim(session, actor)
    with pytest.raises(NotFound, match="did not exist yet"):
        claim_as_of(session, claim.id, utcnow() - timedelta(days=1))
    with pytest.raises(NotFound, match="does not exist"):
        claim_as_of(session, 999_999, utcnow())


def test_merge_target_gets_and_loses_evidence_in_the_replay(
    session: Session, actor: Actor, excerpts: list[Excerpt]
) -> None:
    source_claim, target = _new_claim(session, actor), _new_claim(session, actor, "Other")
    link_evidence(session, source_claim, excerpts[1], "supports", actor=EDITOR)
    merge_claims(session, source_claim.id, target.id, reason="same", actor=EDITOR)
    merged_at = utcnow()
    unmerge_claim(session, source_claim.id, actor=EDITOR, reason="not the same")
    at_merge = claim_as_of(session, target.id, merged_at)
    assert [e["excerpt_id"] for e in at_merge["evidence"]] == [excerpts[1].id]
    assert claim_as_of(session, source_claim.id, merged_at)["merged_into"] == target.id
    assert rebuilt(session, target.id)["evidence"] == []
    assert rebuilt(session, source_claim.id) == live(session, source_claim.id)


def _import(session: Session, actor: Actor, rows: list[dict[str, Any]]) -> list[int]:
    report = import_claims(session, rows, actor=actor)
    assert report.created == len(rows), report.errors
    ids = session.scalars(select(Claim.id).order_by(Claim.id.desc()).limit(len(rows)))
    return sorted(ids)


def test_bulk_imported_claims_rebuild_and_revert(
    session: Session, actor: Actor, excerpts: list[Excerpt]
) -> None:
    first, second = _import(
        session,
        actor,
        [
            {"text": "Imported claim one", "language": "en", "verdict": "false"},
            {"text": "Imported claim two", "confidence": "0.4", "rationale": "from the sheet"},
        ],
    )
    imported_at = utcnow()
    update_claim(
        session, second, expected_version=1, actor=EDITOR, reason="checked", verdict="true"
    )
    link_evidence(session, session.get(Claim, second), excerpts[0], "supports", actor=EDITOR)
    merge_claims(session, first, second, reason="same", actor=EDITOR)
    for cid in (first, second):
        assert rebuilt(session, cid) == live(session, cid)
    then = claim_as_of(session, second, imported_at)
    assert (then["text"], then["verdict"], then["confidence"], then["version"]) == (
        "Imported claim two",
        "unreviewed",
        0.4,
        1,
    )
    assert [v.version for v in claim_versions(session, second)] == [1, 2]
    revert_claim(session, second, 1, expected_version=2, actor=EDITOR, reason="wrong call")
    assert live(session, second)["verdict"] == "unreviewed"
    assert rebuilt(session, second) == live(session, second)


def test_claims_of_old_import_chunks_are_refused_clearly(session: Session, actor: Actor) -> None:
    [claim_id] = _import(session, actor, [{"text": "Imported claim"}])
    # An event as chunks were recorded before they listed the claims' fields, covering ids
    # that overlap the new chunk's: the claim is still found in the chunk that lists it.
    for first, last in ((claim_id, claim_id + 1), (claim_id + 1, claim_id + 1)):
        after = {"ids": {"before": None, "after": [first, last]}}
        record(session, actor, "claim.import", "claim", f"{first}-{last}", after)
    session.flush()
    assert rebuilt(session, claim_id) == live(session, claim_id)
    with pytest.raises(Invalid, match="before imports recorded the claims' fields"):
        claim_as_of(session, claim_id + 1, utcnow())


def test_unchanged_imported_claims_need_no_field_list(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim still at version 1 holds the fields it was imported with: its history is built
    from its row and its chunk's id range, without parsing the chunk's field list."""
    from tracker.services.interop import import_events

    first, second = _import(
        session, actor, [{"text": "Imported one", "confidence": 0.3}, {"text": "Imported two"}]
    )
    update_claim(session, second, expected_version=1, actor=EDITOR, reason="r", verdict="false")
    expected = {first: rebuilt(session, first), second: rebuilt(session, second)}
    reads: list[int] = []
    entry = import_events._entry
    monkeypatch.setattr(
        import_events, "_entry", lambda s, e, b, c: reads.append(c) or entry(s, e, b, c)
    )
    assert rebuilt(session, first) == expected[first] == live(session, first)
    [version] = claim_versions(session, first)
    assert (version.version, version.fields["confidence"], version.event.action) == (
        1,
        0.3,
        "claim.create",
    )
    assert reads == []
    assert rebuilt(session, second) == expected[second] == live(session, second)
    assert reads == [second]  # an edited claim's creation is read from the field list


def test_unchanged_claims_of_old_import_chunks_have_a_history(
    session: Session, actor: Actor
) -> None:
    [claim_id] = _import(session, actor, [{"text": "Imported claim"}])
    session.execute(Claim.__table__.update().where(Claim.id == claim_id).values(text="Old import"))
    old = {"ids": {"before": None, "after": [claim_id + 5, claim_id + 6]}}
    record(session, actor, "claim.import", "claim", f"{claim_id + 5}-{claim_id + 6}", old)
    session.flush()
    [version] = claim_versions(session, claim_id)
    assert version.fields["text"] == "Old import"  # the row, at version 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01 12:00", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01T12:00", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T14:00+02:00", datetime(2024, 5, 1, 12, 0, tzinfo=UTC)),
        ("2024-05-01T12:00:30Z", datetime(2024, 5, 1, 12, 0, 30, tzinfo=UTC)),
    ],
)
def test_parse_when_accepts_iso_forms_naive_is_utc(text: str, expected: datetime) -> None:
    assert parse_when(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "", "2024-13-01", "1 May 2024"])
def test_parse_when_refuses_other_forms_listing_accepted_ones(text: str) -> None:
    with pytest.raises(Invalid, match="2024-05-01 12:00"):
        parse_when(text)


# --- revert ------------------------------------------------------------------------------------


def _events(session: Session, claim_id: int, action: str) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id == str(claim_id), AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
    )


def test_revert_restores_fields_as_a_new_audited_version(session: Session, actor: Actor) -> None:
    claim = _new_claim(session, actor)
    update_claim(
        session,
        claim.id,
        expected_version=1,
        actor=EDITOR,
        reason="new facts",
        text="Schools get five percent more",
        verdict="false",
        confidence=None,
        proposed_verdict="misleading",
    )
    edited = claim.version  # 3: a text edit writes the row twice (see the report)
    reverted = revert_claim(
        session, claim.id, 1, reason="wrong source", actor=EDITOR, expected_version=edited
    )
    assert reverted.version == edited + 1
    state = live(session, claim.id)
    assert (state["text"], state["verdict"], state["confidence"]) == (
        "Schools get four percent more",
        "in_review",
        0.5,
    )
    assert state["proposed_verdict"] is None
    [event] = _events(session, claim.id, "claim.revert")
    assert event.reason == "wrong source"
    assert event.changes["verdict"] == {"before": "false", "after": "in_review"}
    assert event.changes["reverted_to_version"] == {"before": edited, "after": 1}
    assert event.changes["version"] == {"before": edited, "after": edited + 1}
    assert rebuilt(session, claim.id) == state


def test_revert_refusals_change_nothing(session: Session, actor: Actor) -> None:
    claim = _new_claim(session, actor)
    update_claim(session, claim.id, expected_version=1, actor=EDITOR, reason="x", verdict="false")
    with pytest.raises(FieldInvalid, match="needs a reason"):
        revert_claim(session, claim.id, 1, reason="  ", actor=EDITOR, expected_version=2)
    with pytest.raises(Conflict, match="changed by someone else"):
        revert_claim(session, claim.id, 1, reason="r", actor=EDITOR, expected_version=1)
    with pytest.raises(Invalid, match="never had version 9"):
        revert_claim(session, claim.id, 9, reason="r", actor=EDITOR, expected_version=2)
    with pytest.raises(NotFound):
        revert_claim(session, 999_999, 1, reason="r", actor=EDITOR, expected_version=1)
    assert live(session, claim.id)["version"] == 2
    assert _events(session, claim.id, "claim.revert") == []


def test_revert_to_the_current_fields_writes_nothing(session: Session, actor: Actor) -> None:
    claim = _new_claim(session, actor)
    same = revert_claim(session, claim.id, 1, reason="r", actor=EDITOR, expected_version=1)
    assert same.version == 1
    assert _events(session, claim.id, "claim.revert") == []


def test_revert_to_true_on_ai_only_evidence_needs_the_override(
    session: Session, actor: Actor, excerpts: list[Excerpt], monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = create_claim(session, text="Budget approved", verdict="true", actor=actor)
    update_claim(session, claim.id, expected_version=1, actor=EDITOR, reason="x", verdict="false")
    from tracker.services.claims import edit as claim_edit
    from tracker.services.claims.provenance import AI_ONLY

    class Only:
        cls = AI_ONLY

    monkeypatch.setattr(claim_edit, "provenance", lambda _s, ids: {i: Only() for i in ids})
    with pytest.raises(FieldInvalid, match="override reason") as caught:
        revert_claim(session, claim.id, 1, reason="r", actor=EDITOR, expected_version=2)
    assert caught.value.field == "override_reason"
    done = revert_claim(
        session,
        claim.id,
        1,
        reason="r",
        actor=EDITOR,
        expected_version=2,
        override_reason="a human source confirms it by phone",
    )
    assert done.verdict == Verdict.TRUE
    [event] = _events(session, claim.id, "claim.revert")
    assert event.changes["ai_only_override"]["after"] == "a human source confirms it by phone"


def test_revert_of_a_merged_claim_is_refused(session: Session, actor: Actor) -> None:
    claim, other = _new_claim(session, actor), _new_claim(session, actor, "Other")
    merge_claims(session, claim.id, other.id, reason="same", actor=EDITOR)
    with pytest.raises(Invalid, match="unmerge it first"):
        revert_claim(session, claim.id, 1, reason="r", actor=EDITOR, expected_version=2)
