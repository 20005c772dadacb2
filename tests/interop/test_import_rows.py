"""Rows of a bulk import checked in a worker process give the same claims and errors as rows
checked in process."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.services.audit.log import Actor
from tracker.services.dedup.aliases import alias_index
from tracker.services.interop import import_rows
from tracker.services.interop.bulk_import import import_claims


def _rows() -> list[Any]:
    rows: list[Any] = []
    for i in range(37):
        rows.append({"text": f"DPRK ratified   the defence treaty no. {i} with Russland"})
        if i % 5 == 0:
            rows.append({"text": "  "})
        if i % 7 == 0:
            rows.append({"text": f"Claim {i}", "confidence": "abc"})
        if i % 11 == 0:
            rows.append(["not", "an", "object"])
    rows.append({"text": "Nordkorea hat den Vertrag nicht ratifiziert", "language": "de"})
    rows.append({"text": "bad language", "language": "xx-not-a-language"})
    return rows


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_rows, "BATCH", 4)
    monkeypatch.setattr(import_rows, "PARALLEL_AFTER", 8)


def test_worker_checks_rows_like_the_importing_process(
    session: Session, small_batches: None
) -> None:
    table = alias_index(session)
    in_process = list(import_rows.checked_rows(_rows(), table, workers=0))
    in_worker = list(import_rows.checked_rows(iter(_rows()), table, workers=1))
    assert in_worker == in_process
    assert [n for n, *_ in in_worker] == list(range(1, len(_rows()) + 1))
    errors = [e for *_, e in in_worker if e]
    assert len(errors) == 8 + 6 + 4 + 1 and "text is empty" in errors


def test_import_with_a_worker_keeps_order_and_reports_bad_rows(
    session: Session, actor: Actor, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.services.interop import bulk_import as claim_import

    monkeypatch.setattr(claim_import, "CHUNK", 6)
    report = import_claims(session, iter(_rows()), actor=actor, workers=1)
    expected = list(import_rows.checked_rows(_rows(), alias_index(session), workers=0))
    assert report.created == sum(v is not None for _, _, v, _ in expected)
    assert report.errors == [{"row": n, "error": e} for n, _, v, e in expected if v is None]
    stored = session.execute(select(Claim.text, Claim.normalized_text).order_by(Claim.id)).all()
    assert [tuple(r) for r in stored] == [
        (v["text"], v["normalized_text"]) for _, _, v, _ in expected if v is not None
    ]


def test_short_imports_stay_in_process(
    session: Session, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_workers(*args: object, **kwargs: object) -> None:
        raise AssertionError("a short import started worker processes")

    monkeypatch.setattr(import_rows, "_in_workers", no_workers)
    rows = [{"text": f"claim {i}"} for i in range(7)]
    assert len(list(import_rows.checked_rows(rows, alias_index(session), workers=2))) == 7


def test_workers_default_to_the_spare_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_rows.os, "cpu_count", lambda: 1)
    assert import_rows.default_workers() == 0
    monkeypatch.setattr(import_rows.os, "cpu_count", lambda: 2)
    assert import_rows.default_workers() == 1
    monkeypatch.setattr(import_rows.os, "cpu_count", lambda: 16)
    assert import_rows.default_workers() == 2
