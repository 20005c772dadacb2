"""Checking and normalizing the rows of a bulk claim import.

Normalization costs about as much per claim as the inserts do, so a large import checks its
rows in a worker process while the importing process writes the rows checked before: the two
run on two cores. Small imports, and machines with one core, check rows in process. Either way
the rows come back in their input order with the same values or errors."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any

from tracker.services.claims.records import MAX_CLAIM_CHARS, check_confidence, check_verdict
from tracker.services.dedup.analysis import AliasIndex, normalize_claim_text
from tracker.services.errors import DomainError, Invalid
from tracker.services.text.language import detect_claim_language, validate_language
from tracker.services.text.storable import check_storable

BATCH = 5000  # rows sent to a worker at a time
PARALLEL_AFTER = 4 * BATCH  # imports shorter than this are checked in process

# (row number, row, checked values or None, error message or None)
Checked = tuple[int, Any, dict[str, Any] | None, str | None]

_worker_aliases: AliasIndex | None = None


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def row_values(row: Any, aliases: AliasIndex) -> dict[str, Any]:
    """A row's checked claim fields with its normalized text; Invalid names what is wrong."""
    if not isinstance(row, dict):
        raise Invalid("the row is not an object")
    check_storable(row, "the row")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise Invalid("text is empty")
    text = " ".join(text.split())
    if len(text) > MAX_CLAIM_CHARS:
        raise Invalid(f"text is longer than {MAX_CLAIM_CHARS} characters")
    try:
        language = None if blank(row.get("language")) else validate_language(row["language"])
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    if language is None:  # as create_claim: detected when the row gives none
        language = detect_claim_language(text)
    raw_conf: Any = row.get("confidence")
    try:
        confidence = None if raw_conf is None or blank(raw_conf) else float(raw_conf)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"confidence {raw_conf!r} is not a number") from exc
    return {
        "text": text,
        "language": language,
        "verdict": check_verdict(row.get("verdict") or "unreviewed"),
        "confidence": check_confidence(confidence),
        "rationale": str(row.get("rationale") or "").strip(),
        "normalized_text": normalize_claim_text(text, language, aliases),
    }


def _check(row: Any, aliases: AliasIndex) -> tuple[dict[str, Any] | None, str | None]:
    try:
        return row_values(row, aliases), None
    except DomainError as exc:
        return None, str(exc)


def _init_worker(aliases: AliasIndex) -> None:
    global _worker_aliases
    _worker_aliases = aliases


def _check_batch(rows: list[Any]) -> list[tuple[dict[str, Any] | None, str | None]]:
    assert _worker_aliases is not None, "the worker was started without its alias table"
    return [_check(row, _worker_aliases) for row in rows]


def default_workers() -> int:
    """One checking process per core beyond the importing one (none on a one-core machine)."""
    return max(0, min(2, (os.cpu_count() or 1) - 1))


def checked_rows(
    rows: Iterable[Any], aliases: AliasIndex, *, workers: int | None = None
) -> Iterator[Checked]:
    """Each row, numbered from 1, with its checked values or its error, in input order."""
    workers = default_workers() if workers is None else workers
    numbered = enumerate(rows, start=1)
    head = list(islice(numbered, PARALLEL_AFTER))
    if workers < 1 or len(head) < PARALLEL_AFTER:
        for number, row in chain(head, numbered):
            yield (number, row, *_check(row, aliases))
        return
    yield from _in_workers(chain(head, numbered), aliases, workers)


def _in_workers(
    numbered: Iterator[tuple[int, Any]], aliases: AliasIndex, workers: int
) -> Iterator[Checked]:
    context = multiprocessing.get_context("spawn")  # no fork of a process holding connections
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(aliases,)
    ) as pool:
        # A bounded number of batches in flight: the input may be a stream of millions of rows.
        flight: deque[tuple[list[tuple[int, Any]], Future[Any]]] = deque()
        while True:
            while len(flight) <= workers:
                batch = list(islice(numbered, BATCH))
                if not batch:
                    break
                flight.append((batch, pool.submit(_check_batch, [row for _, row in batch])))
            if not flight:
                return
            batch, future = flight.popleft()
            for (number, row), (values, error) in zip(batch, future.result(), strict=True):
                yield number, row, values, error
