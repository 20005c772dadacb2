"""The audit log's hash chain: chaining on record, append-only triggers, verification of every
kind of tampering (raw SQL with the triggers disabled), the CLI, concurrent writers, and a
property test over random chains and single mutations."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from tests.helpers.audit import (
    forge_event,
    move_event,
    record_chain,
    reference_hash,
    run_sql,
    shift_tail,
    triggers_off,
)
from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent
from tracker.models.audit import GENESIS_HASH, canonical_json, canonical_time, event_hash
from tracker.services.audit import log as audit
from tracker.services.audit.chain import (
    ANCHOR_MISMATCH,
    CONTENT_CHANGED,
    ROW_INSERTED,
    ROW_MISSING,
    ROW_REORDERED,
    TRUNCATED,
    head,
    verify,
)
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "changes": event.changes,
        "reason": event.reason,
        "request_id": event.request_id,
        "context": event.context,
    }


# --- chaining on record ---------------------------------------------------------------------


def test_record_chains_events_with_the_specified_hash(session: Session, actor: Actor) -> None:
    events = record_chain(session, actor, 3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS_HASH == "0" * 64
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    for event in events:
        assert event.hash == reference_hash(event.prev_hash, _fields(event))
    # What the database holds hashes the same (timestamps and JSON read back unchanged).
    session.expire_all()
    stored = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.hash for e in stored] == [reference_hash(e.prev_hash, _fields(e)) for e in stored]
    report = verify(session)
    assert (report.ok, report.count, report.head) == (True, 3, events[-1].hash)
    assert head(session).hash == events[-1].hash and head(session).count == 3


def test_events_added_directly_are_chained_in_order(session: Session) -> None:
    base = datetime(2024, 3, 1, 12, tzinfo=timezone(timedelta(hours=3)))
    for n in range(5):
        session.add(
            AuditEvent(
                occurred_at=base + timedelta(minutes=n),
                actor=f"user:a{n}",
                action="test.event",
                entity_type="claim",
                entity_id=str(n),
                changes={"k": (1, 2)},  # a tuple reads back as a list: hashed as a list
            )
        )
    session.commit()
    session.expire_all()
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.actor for e in events] == [f"user:a{n}" for n in range(5)]
    assert [e.id for e in events] == sorted(e.id for e in events)
    assert events[0].occurred_at == datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert events[0].changes == {"k": [1, 2]}
    assert verify(session).ok and verify(session).count == 5


def test_canonical_form() -> None:
    value = {"b": [1, 2.5, None, True], "a": {"ü": "→", "z": {}}}
    assert canonical_json(value) == '{"a":{"z":{},"ü":"→"},"b":[1,2.5,null,true]}'
    assert canonical_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == (
        "2026-01-02T03:04:05.000000Z"
    )
    fields = {
        "occurred_at": "2026-01-02T03:04:05.000007Z",
        "actor": "user:ä",
        "action": "a",
        "entity_type": "claim",
        "entity_id": "1",
        "changes": value,
        "reason": None,
        "request_id": "r",
        "context": {"command": "x"},
    }
    assert event_hash(GENESIS_HASH, **fields) == reference_hash(GENESIS_HASH, fields)


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES)
def test_canonical_json_is_sorted_compact_json_dumps(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == expected


# --- append-only at the database level ------------------------------------------------------


def test_triggers_reject_update_delete_and_unchained_inserts(
    session: Session, actor: Actor
) -> None:
    record_chain(session, actor, 2)
    refused = [
        "UPDATE audit_events SET reason = 'rewritten' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 2",
        "DELETE FROM audit_events",
        "INSERT INTO audit_events (occurred_at, actor, action, entity_type, entity_id, changes,"
        " context) VALUES ('2026-01-01 00:00:00.000000', 'x', 'x', 'x', 'x', '{}', '{}')",
    ]
    if session.connection().dialect.name == "postgresql":
        refused.append("TRUNCATE audit_events")
    for statement in refused:
        with pytest.raises(DBAPIError) as caught, session.begin_nested():
            run_sql(session, statement)
        assert "append-only" in str(caught.value) or "need seq" in str(caught.value)
    assert session.scalar(text("SELECT count(*) FROM audit_events")) == 2
    assert session.scalar(text("SELECT reason FROM audit_events WHERE seq = 1")) == "reason 0"
    assert verify(session).ok


# --- tampering, each detected at the right place --------------------------------------------


def _tampered(session: Session, actor: Actor, tamper: Callable[[list[str]], None]) -> list[str]:
    hashes = [e.hash for e in record_chain(session, actor, 6)]
    with triggers_off(session):
        tamper(hashes)
    return hashes


@pytest.mark.parametrize(
    ("case", "index", "reason"),
    [
        ("content", 3, CONTENT_CHANGED),
        ("changes_json", 4, CONTENT_CHANGED),
        ("occurred_at", 2, CONTENT_CHANGED),
        ("stored_hash", 5, CONTENT_CHANGED),
        ("delete_middle", 3, ROW_MISSING),
        ("delete_first", 1, ROW_MISSING),
        ("delete_and_renumber", 3, ROW_MISSING),
        ("swap_adjacent", 3, ROW_REORDERED),
        ("swap_apart", 2, ROW_REORDERED),
        ("swap_ids", 2, ROW_REORDERED),
        ("insert_chained", 3, ROW_INSERTED),
        ("insert_unchained", 3, ROW_INSERTED),
        ("insert_bad_hash", 3, CONTENT_CHANGED),
    ],
)
def test_tampering_is_detected_at_the_right_index(
    session: Session, actor: Actor, case: str, index: int, reason: str
) -> None:
    def tamper(h: list[str]) -> None:
        if case == "content":
            run_sql(session, "UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 3")
        elif case == "changes_json":
            run_sql(session, """UPDATE audit_events SET changes = '{"x": 1}' WHERE seq = 4""")
        elif case == "occurred_at":
            run_sql(
                session,
                "UPDATE audit_events SET occurred_at = :t WHERE seq = 2",
                t=datetime(2020, 1, 1),
            )
        elif case == "stored_hash":
            run_sql(session, "UPDATE audit_events SET hash = :h WHERE seq = 5", h="a" * 64)
        elif case == "delete_middle":
            run_sql(session, "DELETE FROM audit_events WHERE seq = 3")
        elif case == "delete_first":
            run_sql(session, "DELETE FROM audit_events WHERE seq = 1")
        elif case == "delete_and_renumber":
            run_sql(session, "DELETE FROM audit_events WHERE seq = 3")
            shift_tail(session, 4, -1)
        elif case in ("swap_adjacent", "swap_apart"):
            a, b = (3, 4) if case == "swap_adjacent" else (2, 5)
            move_event(session, a, -1)
            move_event(session, b, a)
            move_event(session, -1, b)
        elif case == "swap_ids":
            ids = {s: i for s, i in session.execute(text("SELECT seq, id FROM audit_events"))}
            run_sql(session, "UPDATE audit_events SET id = -1 WHERE seq = 2")
            run_sql(session, "UPDATE audit_events SET id = :i WHERE seq = 4", i=ids[2])
            run_sql(session, "UPDATE audit_events SET id = :i WHERE seq = 2", i=ids[4])
        elif case.startswith("insert"):
            shift_tail(session, 3, 1)
            prev = h[1] if case != "insert_unchained" else "e" * 64
            forge_event(session, 3, prev, valid=case != "insert_bad_hash")

    _tampered(session, actor, tamper)
    report = verify(session)
    assert not report.ok
    assert (report.index, report.reason) == (index, reason), report
    assert report.detail


def test_truncated_tail_is_detected_with_expect_head(session: Session, actor: Actor) -> None:
    hashes = _tampered(
        session, actor, lambda h: run_sql(session, "DELETE FROM audit_events WHERE seq >= 5")
    )
    # Without a head seen earlier a cut tail cannot be told from a shorter log.
    assert verify(session).ok and verify(session).count == 4
    report = verify(session, expect_head=hashes[5])
    assert (report.ok, report.index, report.reason) == (False, 5, TRUNCATED)
    assert report.head == hashes[3] and report.count == 4
    # An older head is still in the chain: the log only grew since.
    assert verify(session, expect_head=hashes[1]).ok
    assert verify(session, expect_head=hashes[3]).ok
    assert verify(session, expect_head=GENESIS_HASH).ok


def test_truncated_then_extended_is_detected(session: Session, actor: Actor) -> None:
    hashes = _tampered(
        session, actor, lambda h: run_sql(session, "DELETE FROM audit_events WHERE seq >= 4")
    )
    audit.record(session, actor, "claim.update", "claim", 9, {})
    report = verify(session, expect_head=hashes[5])
    assert (report.ok, report.count, report.reason, report.index) == (False, 4, TRUNCATED, 5)


def test_empty_log_verifies(session: Session) -> None:
    report = verify(session)
    assert (report.ok, report.count, report.head) == (True, 0, GENESIS_HASH)
    assert verify(session, expect_head="1" * 64).reason == TRUNCATED


# --- the CLI --------------------------------------------------------------------------------


def test_cli_head_and_verify(session: Session, actor: Actor, run_cli: Callable[..., Any]) -> None:
    hashes = [e.hash for e in record_chain(session, actor, 4)]
    session.commit()
    result = run_cli("audit", "head", "--json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {"head": hashes[-1], "count": 4}
    result = run_cli("audit", "head")
    assert result.exit_code == 0 and hashes[-1] in result.output and "4 events" in result.output

    result = run_cli("audit", "verify")
    assert result.exit_code == 0 and result.output.startswith("ok: 4 events")
    result = run_cli("audit", "verify", "--json", "--expect-head", hashes[2])
    assert result.exit_code == 0
    assert json.loads(result.output)["ok"] is True

    with triggers_off(session):
        run_sql(session, "UPDATE audit_events SET reason = 'forged' WHERE seq = 2")
    session.commit()
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    assert "index 2" in result.output and CONTENT_CHANGED in result.output
    result = run_cli("audit", "verify", "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["ok"], data["index"], data["reason"], data["count"]) == (
        False,
        2,
        CONTENT_CHANGED,
        4,
    )


def test_cli_verify_reports_truncation(
    session: Session, actor: Actor, run_cli: Callable[..., Any]
) -> None:
    hashes = _tampered(
        session, actor, lambda h: run_sql(session, "DELETE FROM audit_events WHERE seq = 6")
    )
    session.commit()
    # The instance folder anchored the head the commit wrote (seq 6): a plain verify sees the
    # deletion (issue 16; before, only --expect-head did).
    result = run_cli("audit", "verify", "--json")
    assert result.exit_code == 1 and json.loads(result.output)["reason"] == TRUNCATED
    result = run_cli("audit", "verify", "--json", "--expect-head", hashes[5].upper())
    assert result.exit_code == 1
    assert json.loads(result.output)["reason"] == TRUNCATED
    result = run_cli("audit", "verify", "--expect-head", "not-a-hash")
    assert result.exit_code == 2 and "64 hexadecimal digits" in result.output


# --- concurrency and migration (real commits on a database of their own) ------------------------


def test_concurrent_writers_never_fork_the_chain(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    threads, writes = 4, 15
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            actor = Actor(name=f"cli:writer{n}")
            for i in range(writes):
                with sessions() as s, s.begin():
                    if i % 5 == 0:  # a real service: the claim and its event together
                        create_claim(s, text=f"Writer {n} claims thing number {i}", actor=actor)
                    else:
                        audit.record(s, actor, "test.write", "claim", f"{n}-{i}", {})
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with sessions() as s:
        report = verify(s)
        seqs = s.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        per_writer = s.execute(
            select(AuditEvent.actor, AuditEvent.id).order_by(AuditEvent.seq)
        ).all()
    assert report.ok, report
    assert report.count == threads * writes == len(seqs)
    assert seqs == list(range(1, threads * writes + 1))
    assert {actor for actor, _ in per_writer} == {f"cli:writer{n}" for n in range(threads)}
    engine.dispose()


def test_migration_backfills_the_chain_and_installs_triggers(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine, "d24088757364")
    with engine.begin() as conn:
        for n in range(3):
            conn.execute(
                text(
                    "INSERT INTO audit_events (occurred_at, actor, action, entity_type,"
                    " entity_id, changes, reason, request_id, context) VALUES (:t, 'cli:old',"
                    " 'claim.create', 'claim', :e, :c, NULL, NULL, '{\"command\": \"ingest\"}')"
                ),
                {
                    "t": datetime(2025, 5, 1, 10, n, 0, 123),
                    "e": str(n),
                    "c": '{"text": {"after": "é"}}',
                },
            )
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as s, s.begin():
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.seq for e in events] == [1, 2, 3]
        assert events[0].prev_hash == GENESIS_HASH
        for event in events:
            assert event.hash == reference_hash(event.prev_hash, _fields(event))
        assert verify(s).ok
        new = audit.record(s, Actor(name="cli:new"), "claim.update", "claim", 1, {})
        assert (new.seq, new.prev_hash) == (4, events[-1].hash)
    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
    with sessions() as s:
        assert verify(s).count == 4
    migrate.downgrade(engine, "d24088757364")
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET reason = 'triggers are gone'"))
    migrate.upgrade(engine)
    with sessions() as s:
        # The rebuilt chain is consistent, but the instance folder anchored the old head
        # (seq 3 when the key was created, seq 4 after the commit): the rewrite shows.
        assert verify(s, anchored=False).ok and verify(s).count == 4
        report = verify(s)
        assert (report.ok, report.index, report.reason) == (False, 3, ANCHOR_MISMATCH)
    engine.dispose()


# --- property: any single mutation is flagged at or before its position -------------------------

_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12
)
_EVENT = st.fixed_dictionaries(
    {
        "actor": _TEXT,
        "action": _TEXT,
        "entity_id": _TEXT,
        "reason": st.none() | _TEXT,
        "changes": st.dictionaries(_TEXT, st.none() | st.integers() | _TEXT, max_size=3),
    }
)
_MUTATION = st.sampled_from(["field", "delete", "swap", "insert"])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=st.lists(_EVENT, min_size=2, max_size=7), kind=_MUTATION, data=st.data())
def test_any_single_mutation_is_flagged_at_or_before_it(
    session: Session, events: list[dict[str, Any]], kind: str, data: st.DataObject
) -> None:
    savepoint = session.begin_nested()
    try:
        actor = Actor(name="cli:prop", request_id="r1", context={"command": "pytest"})
        hashes = [
            audit.record(
                session,
                actor,
                e["action"] or "a",
                "claim",
                e["entity_id"],
                e["changes"],
                reason=e["reason"],
            ).hash
            for e in events
        ]
        session.flush()
        n = len(hashes)
        position = data.draw(st.integers(1, n), label="position")
        with triggers_off(session):
            if kind == "field":
                column = data.draw(
                    st.sampled_from(
                        ["actor", "action", "entity_id", "reason", "changes", "prev_hash"]
                    )
                )
                value = '{"tampered": true}' if column == "changes" else "t" * 64
                run_sql(
                    session,
                    f"UPDATE audit_events SET {column} = :v WHERE seq = :s",
                    v=value,
                    s=position,
                )
                expected = CONTENT_CHANGED
            elif kind == "delete":
                run_sql(session, "DELETE FROM audit_events WHERE seq = :s", s=position)
                expected = TRUNCATED if position == n else ROW_MISSING
            elif kind == "swap":
                other = data.draw(st.integers(1, n).filter(lambda k: k != position), label="other")
                move_event(session, position, -1)
                move_event(session, other, position)
                move_event(session, -1, other)
                position = min(position, other)
                expected = ROW_REORDERED
            else:
                shift_tail(session, position, 1)
                forge_event(
                    session, position, hashes[position - 2] if position > 1 else GENESIS_HASH
                )
                expected = ROW_INSERTED
        report = verify(session, expect_head=hashes[-1])
        assert not report.ok
        assert report.index is not None and 1 <= report.index <= position, report
        assert report.reason == expected, report
    finally:
        savepoint.rollback()
