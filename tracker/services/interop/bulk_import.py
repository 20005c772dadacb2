"""Bulk import of claims from CSV or JSON: per-row errors, good rows kept, fast.

Rows without a source quote go in with bulk INSERTs (claims, then their token-index rows) in
chunks; each chunk is one savepoint and one audit event listing the ids it created. Rows with a
source and quote go through the regular intake (excerpt anchoring and evidence)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.claims.intake import intake_claim
from tracker.services.dedup import postings as token_blocks
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.token_index import add_frequencies, index_pairs, insert_pairs
from tracker.services.errors import DomainError, Invalid
from tracker.services.interop.csv_io import restore_cell
from tracker.services.interop.import_rows import blank, checked_rows

CHUNK = 5000
_RECORDED = ("text", "language", "verdict", "confidence", "rationale")
ANALYZE_AFTER = 10_000  # rows imported


@dataclass
class ImportReport:
    created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "failed": len(self.errors), "errors": self.errors}


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a .csv (header: text,language,verdict,confidence,source,quote,...) or a .json
    list (or {"claims": [...]}) file."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:  # a BOM is skipped
                for row in csv.DictReader(handle):
                    # Cells our CSV export protected against formula injection come back as typed.
                    yield {k: restore_cell(v) if isinstance(v, str) else v for k, v in row.items()}
            return
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.get("claims") if isinstance(data, dict) else data
            if not isinstance(items, list):
                raise Invalid("the JSON file must hold a list of claims")
            yield from items
            return
    except (OSError, UnicodeDecodeError, ValueError, RecursionError, csv.Error) as exc:
        raise Invalid(f"cannot read {path.name}: {exc}") from exc
    raise Invalid(f"unsupported file type {suffix!r}: use .csv or .json")


def _insert_claims(conn: Connection, values: list[dict[str, Any]]) -> list[int]:
    """Insert claim rows; their ids in the order given.

    PostgreSQL: INSERT ... RETURNING sorted by parameter order. SQLite: ids sorted that way cost
    one statement per row, so a plain executemany runs instead: SQLite gives each new row the
    largest id + 1, and this transaction holds the write lock (BEGIN IMMEDIATE), so the chunk's
    ids are the next ones in order (checked)."""
    claims = cast(Table, Claim.__table__)
    if conn.dialect.name != "sqlite":
        stmt = insert(claims).returning(claims.c.id, sort_by_parameter_order=True)
        return list(conn.execute(stmt, values).scalars())
    before = int(conn.execute(select(func.max(claims.c.id))).scalar() or 0)
    conn.execute(insert(claims), values)
    count, first, last = conn.execute(
        select(func.count(), func.min(claims.c.id), func.max(claims.c.id)).where(
            claims.c.id > before
        )
    ).one()
    if (count, first, last) != (len(values), before + 1, before + len(values)):
        raise RuntimeError("claim ids of the imported chunk are not consecutive")
    return list(range(before + 1, before + len(values) + 1))


class _Postings:
    """Packed postings of the imported chunks, written to ``token_blocks`` together: one
    read-modify-write per (token, block) for many chunks instead of one per chunk."""

    FLUSH_CLAIMS = 65_536

    def __init__(self) -> None:
        self.parts: dict[token_blocks.Key, list[token_blocks.Offsets]] = {}
        self.claims = 0

    def add(self, count: int, pairs: list[tuple[str, int]]) -> None:
        """Buffer a chunk of ``count`` claims with its (token, claim id) rows."""
        for key, offsets in token_blocks.group(pairs).items():
            self.parts.setdefault(key, []).append(offsets)
        self.claims += count

    def flush(self, session: Session) -> None:
        if self.parts:
            merged = {key: np.concatenate(arrays) for key, arrays in self.parts.items()}
            token_blocks.update(session, added=merged)
        self.parts, self.claims = {}, 0


def _insert_chunk(
    session: Session, rows: list[dict[str, Any]], actor: audit.Actor
) -> tuple[list[int], list[tuple[str, int]]]:
    """Insert a chunk of claims; their ids and their (token, claim id) index rows."""
    now = utcnow()
    values = [
        {**r, "created_at": now, "updated_at": now, "created_by": actor.name, "version": 1}
        for r in rows
    ]
    with session.begin_nested():
        # Core inserts on the tables: the ORM's bulk path costs more than the database here.
        conn = session.connection()
        ids = _insert_claims(conn, values)
        pairs = [
            pair
            for cid, r in zip(ids, rows, strict=True)
            for pair in index_pairs(cid, r["normalized_text"])
        ]
        if pairs:
            add_frequencies(session, Counter(token for token, _ in pairs))
            insert_pairs(session, pairs)
        audit.record(
            session,
            actor,
            "claim.import",
            "claim",
            f"{ids[0]}-{ids[-1]}",
            {
                "ids": {"before": None, "after": [ids[0], ids[-1]]},
                "count": {"before": 0, "after": len(ids)},
                # Each claim's fields, so that its history can be rebuilt (import_events.py).
                "claims": {
                    "before": None,
                    "after": [
                        {"id": cid, **{name: r.get(name) for name in _RECORDED}}
                        for cid, r in zip(ids, rows, strict=True)
                    ],
                },
            },
        )
    return ids, pairs


def import_claims(
    session: Session,
    rows: Iterable[Any],
    *,
    actor: audit.Actor,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import rows; a bad row is reported with its number and skipped, the others stay.

    ``workers``: processes that check and normalize rows while this one writes (default: one
    per spare core; 0 checks them in process). Only imports of many rows start them."""
    report, table = ImportReport(), alias_index(session)
    pending: list[dict[str, Any]] = []
    postings = _Postings()

    def flush_pending() -> None:
        if pending:
            ids, pairs = _insert_chunk(session, pending, actor)
            postings.add(len(ids), pairs)
            report.created += len(ids)
            if progress:
                progress(len(pending))
            pending.clear()
        if postings.claims >= _Postings.FLUSH_CLAIMS:
            postings.flush(session)

    for number, row, values, error in checked_rows(rows, table, workers=workers):
        if values is None:
            report.errors.append({"row": number, "error": error})
            continue
        if isinstance(row, dict) and not blank(row.get("source")):
            flush_pending()
            postings.flush(session)  # matching must see every claim imported before
            try:
                _import_with_quote(session, row, values, actor)
            except DomainError as exc:
                report.errors.append({"row": number, "error": str(exc)})
                continue
            report.created += 1
            if progress:
                progress(1)
            continue
        pending.append(values)
        if len(pending) >= CHUNK:
            flush_pending()
    flush_pending()
    postings.flush(session)
    if report.created >= ANALYZE_AFTER and session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, or the planner scans whole tables for the index lookups of
        # matching until autovacuum gets round to it (it sees this transaction's rows).
        session.execute(text("ANALYZE claims, claim_tokens, token_stats, token_blocks"))
    return report


def _import_with_quote(
    session: Session, row: dict[str, Any], values: dict[str, Any], actor: audit.Actor
) -> None:
    try:
        source_id = int(row["source"])
    except (TypeError, ValueError) as exc:
        raise Invalid(f"source {row.get('source')!r} is not a source id") from exc
    if blank(row.get("quote")):
        raise Invalid("a source needs a quote")
    intake_claim(
        session,
        values["text"],
        actor=actor,
        language=values["language"],
        source_id=source_id,
        quote=str(row["quote"]),
        stance=str(row.get("stance") or "supports"),
        verdict=values["verdict"],
        confidence=values["confidence"],
        rationale=values["rationale"],
        limit=1,
    )
