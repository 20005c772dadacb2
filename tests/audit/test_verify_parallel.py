"""Parallel verification (seq ranges in worker processes) reports exactly what one walk does:
on an intact chain, and with tampering inside a range and across range boundaries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.helpers.audit import (
    forge_event,
    move_event,
    record_chain,
    run_sql,
    shift_tail,
    triggers_off,
)
from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.services.audit import chain as audit_chain
from tracker.services.audit.chain import VerifyReport, verify
from tracker.services.audit.log import Actor

N = 30  # events; three workers take seq 1-10, 11-20 and 21-30


def _content(s: Session, _h: list[str]) -> None:
    run_sql(s, "UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 11")


def _delete_at_boundary(s: Session, _h: list[str]) -> None:
    run_sql(s, "DELETE FROM audit_events WHERE seq = 21")


def _swap_across(s: Session, _h: list[str]) -> None:
    move_event(s, 10, -1)
    move_event(s, 11, 10)
    move_event(s, -1, 11)


def _insert_at_boundary(s: Session, h: list[str]) -> None:
    shift_tail(s, 11, 1)
    forge_event(s, 11, h[9])


def _two_breaks(s: Session, _h: list[str]) -> None:
    run_sql(s, "UPDATE audit_events SET reason = 'later' WHERE seq = 25")
    run_sql(s, "UPDATE audit_events SET reason = 'first' WHERE seq = 14")


@pytest.mark.parametrize(
    "tamper",
    [None, _content, _delete_at_boundary, _swap_across, _insert_at_boundary, _two_breaks],
)
def test_parallel_report_equals_one_walk(
    fresh_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tamper: Callable[[Session, list[str]], None] | None,
) -> None:
    monkeypatch.setattr(audit_chain, "PARALLEL_MIN", 1)
    # verify(workers=3) returns verify_parallel's report when there is one: record it, so each
    # parallel verification below is checked to have run in workers (one pool of processes
    # each, not two).
    parallel_reports: list[VerifyReport | None] = []
    real_verify_parallel = audit_chain.verify_parallel

    def recorded(*args: Any, **kwargs: Any) -> VerifyReport | None:
        report = real_verify_parallel(*args, **kwargs)
        parallel_reports.append(report)
        return report

    monkeypatch.setattr(audit_chain, "verify_parallel", recorded)
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        hashes = [e.hash for e in record_chain(session, Actor.system("test"), N)]
    if tamper is not None:
        with sessions() as session, session.begin(), triggers_off(session):
            tamper(session, hashes)
    with sessions() as session:
        one = verify(session)
        assert parallel_reports == []
        assert verify(session, workers=3) == one
        assert parallel_reports == [one]
        assert one.ok is (tamper is None)
        if tamper is _two_breaks:
            assert one.index == 14
        expected = verify(session, expect_head=hashes[4], workers=3)
        assert parallel_reports[1:] == [expected]
        assert expected == verify(session, expect_head=hashes[4])
    engine.dispose()


def test_small_logs_and_memory_databases_walk_once(session: Session, actor: Actor) -> None:
    record_chain(session, actor, 5)
    assert audit_chain.verify_parallel(session, None, 2) is None  # under PARALLEL_MIN
    assert verify(session, workers=4).ok
