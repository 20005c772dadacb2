"""Packed postings (``token_blocks``): for each token and each block of 65,536 claim ids, the
ids of the claims holding the token, as sorted little-endian uint16 offsets in one blob.

``claim_tokens`` answers "which tokens does this claim hold"; the blocks answer "which claims
hold this token" in one row per block, so a search can add up a query's weighted overlap with
every claim in C (numpy) instead of reading one row per claim. They are written in the same
transaction as ``claim_tokens``. An id is only ever added with its ``claim_tokens`` row and
removed with it, so the blocks hold exactly the index's postings (tests compare the two)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.models import TokenBlock

BLOCK_BITS = 16
BLOCK_SIZE = 1 << BLOCK_BITS
_DTYPE = np.dtype("<u2")
_EMPTY = np.zeros(0, dtype=_DTYPE)
_READ_CHUNK = 500

Offsets = npt.NDArray[np.uint16]
Key = tuple[str, int]  # (token, block)


def encode(offsets: Offsets) -> bytes:
    return offsets.astype(_DTYPE, copy=False).tobytes()


def decode(blob: bytes | memoryview) -> Offsets:
    return np.frombuffer(blob, dtype=_DTYPE)


def group(postings: Iterable[tuple[str, int]]) -> dict[Key, Offsets]:
    """(token, claim id) pairs as sorted offsets per (token, block)."""
    grouped: dict[Key, list[int]] = defaultdict(list)
    for token, claim_id in postings:
        grouped[(token, claim_id >> BLOCK_BITS)].append(claim_id & (BLOCK_SIZE - 1))
    return {key: np.unique(np.array(ids, dtype=_DTYPE)) for key, ids in grouped.items()}


def _load(session: Session, keys: list[Key]) -> dict[Key, Offsets]:
    """The stored offsets of these keys, locked for update on PostgreSQL (SQLite writers
    already hold the database's write lock: BEGIN IMMEDIATE)."""
    conn = session.connection()
    found: dict[Key, Offsets] = {}
    for start in range(0, len(keys), _READ_CHUNK):
        chunk = keys[start : start + _READ_CHUNK]
        query = (
            select(TokenBlock.token, TokenBlock.block, TokenBlock.ids)
            .where(tuple_(TokenBlock.token, TokenBlock.block).in_(chunk))
            .order_by(TokenBlock.token, TokenBlock.block)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        for token, block, blob in conn.execute(query):
            found[(token, block)] = decode(blob)
    return found


def update(
    session: Session,
    added: Mapping[Key, Offsets] | None = None,
    removed: Mapping[Key, Offsets] | None = None,
) -> None:
    """Add and remove postings (grouped by ``group``). Keys are written in sorted order, so
    concurrent writers lock rows in the same order."""
    added, removed = added or {}, removed or {}
    keys = sorted(set(added) | set(removed))
    if not keys:
        return
    stored = _load(session, keys)
    rows: list[dict[str, Any]] = []
    emptied: list[Key] = []
    for key in keys:
        offsets = np.union1d(stored.get(key, _EMPTY), added.get(key, _EMPTY))
        if key in removed:
            offsets = np.setdiff1d(offsets, removed[key], assume_unique=True)
        if len(offsets):
            rows.append({"token": key[0], "block": key[1], "ids": encode(offsets)})
        elif key in stored:
            emptied.append(key)
    _upsert(session.connection(), rows)
    if emptied:
        session.execute(
            delete(TokenBlock).where(tuple_(TokenBlock.token, TokenBlock.block).in_(emptied))
        )


def _upsert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = module.insert(TokenBlock)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TokenBlock.token, TokenBlock.block], set_={"ids": stmt.excluded.ids}
    )
    for start in range(0, len(rows), 1000):
        conn.execute(stmt, rows[start : start + 1000])


def accumulate(session: Session, weights: Mapping[str, float]) -> npt.NDArray[np.float32] | None:
    """For every claim id, the sum of ``weights`` over the tokens it holds (index = claim id),
    or None when no claim holds any of them. One row per (token, block) is read."""
    tokens = sorted(weights)
    rows: list[tuple[str, int, Any]] = []
    conn = session.connection()
    for start in range(0, len(tokens), _READ_CHUNK):
        chunk = tokens[start : start + _READ_CHUNK]
        query = select(TokenBlock.token, TokenBlock.block, TokenBlock.ids).where(
            TokenBlock.token.in_(chunk)
        )
        rows.extend((t, b, blob) for t, b, blob in conn.execute(query))
    if not rows:
        return None
    size = (max(block for _, block, _ in rows) + 1) << BLOCK_BITS
    acc = np.zeros(size, dtype=np.float32)
    for token, block, blob in rows:
        view = acc[block << BLOCK_BITS : (block + 1) << BLOCK_BITS]
        view[decode(blob)] += weights[token]  # offsets are unique within a blob
    return acc
