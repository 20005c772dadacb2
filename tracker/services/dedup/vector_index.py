"""The approximate nearest-neighbour index over claim vectors: a rebuildable cache of the
``claim_vectors`` rows, never the truth.

Library: usearch (HNSW; maintained, a single small wheel, int8/float16 storage, removal and
re-insertion by key, save/load of one file). hnswlib has had no release since 2023, and
faiss-cpu's HNSW cannot remove a vector, which an edited claim needs.

Each process keeps one index per database and model. Before a search it reads the highest
vector row id of the model (one indexed lookup): rows above its watermark are added (a row
that replaces an older vector of the same claim replaces it in the index); a watermark above
the database's, or a row count that no longer agrees (checked every VERIFY_SECONDS), makes it
rebuild from the database. The index only proposes candidates: their cosine is recomputed
from the stored vectors and merged or deleted claims are filtered out by the database, so a
stale index can cost recall for a moment but never gives a wrong score. With a cache folder
configured (the instance folder), the index is saved there and reloaded by the next process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from tracker.db import READ_ONLY
from tracker.models import ClaimVector
from tracker.services.dedup import embeddings
from tracker.services.dedup.embeddings import Encoder

log = logging.getLogger(__name__)

# Rows read again below the watermark on each refresh: on PostgreSQL a transaction that took a
# lower id may commit after one with a higher id.
OVERLAP = 256
VERIFY_SECONDS = 60.0
# Save the cache file after this many additions (a smaller index rebuilds in moments).
SAVE_AFTER_ROWS = 5000
READ_BATCH = 20_000
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 64

_folder: Path | None = None
_indexes: dict[tuple[str, str, str], VectorIndex] = {}
_registry_lock = threading.Lock()


def configure(folder: Path | None) -> None:
    """Where index caches are saved (None: memory only)."""
    global _folder
    _folder = folder


def for_session(session: Session, encoder: Encoder) -> VectorIndex:
    bind = session.get_bind()
    url = bind.engine.url.render_as_string(hide_password=True)
    key = (url, encoder.name, encoder.version)
    with _registry_lock:
        index = _indexes.get(key)
        if index is None:
            index = _indexes[key] = VectorIndex(encoder, url)
    return index


def forget_all() -> None:
    """Drop every in-memory index (tests; a process that switches databases)."""
    with _registry_lock:
        _indexes.clear()


@dataclass
class _State:
    index: Any  # usearch.index.Index
    watermark: int
    verified: float


class VectorIndex:
    def __init__(self, encoder: Encoder, url: str) -> None:
        self.encoder = encoder
        self.url = url
        self._lock = threading.RLock()
        self._state: _State | None = None
        self._unsaved = 0
        self.rebuilds = 0

    # --- files ------------------------------------------------------------------------

    def _paths(self) -> tuple[Path, Path] | None:
        if _folder is None or ":memory:" in self.url or self.url.endswith("sqlite://"):
            return None
        digest = hashlib.sha256(
            f"{self.url}|{self.encoder.name}|{self.encoder.version}".encode()
        ).hexdigest()[:16]
        base = _folder / "vector-index"
        return base / f"{digest}.usearch", base / f"{digest}.json"

    def _new(self) -> Any:
        from usearch.index import Index

        return Index(
            ndim=self.encoder.dimension,
            metric="cos",
            dtype="i8",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )

    def _load(self) -> _State | None:
        paths = self._paths()
        if paths is None or not paths[0].exists() or not paths[1].exists():
            return None
        try:
            meta = json.loads(paths[1].read_text())
            index = self._new()
            index.load(str(paths[0]))
            if len(index) != meta["count"]:
                return None
            return _State(index, int(meta["watermark"]), 0.0)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            log.warning("vector index cache %s unreadable (%s): rebuilding", paths[0], exc)
            return None

    def save(self) -> None:
        """Write the cache file (only for an index of at least SAVE_AFTER_ROWS vectors)."""
        paths = self._paths()
        with self._lock:
            if paths is None or self._state is None or len(self._state.index) < SAVE_AFTER_ROWS:
                return
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            tmp = paths[0].with_suffix(".tmp")
            self._state.index.save(str(tmp))
            tmp.replace(paths[0])
            meta = {"watermark": self._state.watermark, "count": len(self._state.index)}
            paths[1].write_text(json.dumps(meta))
            self._unsaved = 0

    # --- refresh from the database ----------------------------------------------------

    def _current(self) -> Any:
        return (ClaimVector.model == self.encoder.name) & (
            ClaimVector.version == self.encoder.version
        )

    def _db_top(self, conn: Connection) -> int:
        return int(conn.scalar(select(func.max(ClaimVector.id)).where(self._current())) or 0)

    def _db_count(self, conn: Connection) -> int:
        query = select(func.count()).select_from(ClaimVector).where(self._current())
        return int(conn.scalar(query) or 0)

    def _read_from(self, conn: Connection, state: _State, after: int) -> int:
        """Add or replace the rows above ``after``; returns how many were read."""
        read = 0
        while True:
            rows = conn.execute(
                select(ClaimVector.id, ClaimVector.claim_id, ClaimVector.vector)
                .where(self._current(), ClaimVector.id > after)
                .order_by(ClaimVector.id)
                .limit(READ_BATCH)
            ).all()
            if not rows:
                return read
            keys = np.array([r.claim_id for r in rows], dtype=np.uint64)
            vectors = embeddings.unpack_many([r.vector for r in rows], self.encoder.dimension)
            # Later rows of one claim win; drop what the index holds for these claims first.
            last = {int(k): i for i, k in enumerate(keys)}
            keep = np.array(sorted(last.values()), dtype=np.intp)
            keys, vectors = keys[keep], vectors[keep]
            present = [int(k) for k in keys if int(k) in state.index]
            if present:
                state.index.remove(present)
            state.index.add(keys, vectors, threads=1)
            state.watermark = max(state.watermark, int(rows[-1].id))
            after = int(rows[-1].id)
            read += len(rows)

    def _rebuild(self, conn: Connection) -> _State:
        started = time.perf_counter()
        state = _State(self._new(), 0, time.monotonic())
        count = self._read_from(conn, state, 0)
        self.rebuilds += 1
        log.info("vector index rebuilt: %d vectors in %.1f s", count, time.perf_counter() - started)
        return state

    def refresh(self, session: Session) -> None:
        """Bring the index up to the database (see the module docstring). Reads committed rows
        through a connection of its own when the session is bound to an engine."""
        bind = session.get_bind()
        if isinstance(bind, Engine):
            # A plain deferred read: SQLite writers begin IMMEDIATE, and the session may hold
            # the write lock already.
            with bind.connect().execution_options(**{READ_ONLY: True}) as conn:
                self._refresh(conn)
        else:
            self._refresh(session.connection())

    def _refresh(self, conn: Connection) -> None:
        with self._lock:
            top = self._db_top(conn)
            state = self._state or self._load()
            if state is None or top < state.watermark:
                state = self._rebuild(conn)
                self._unsaved = len(state.index)
            elif top > state.watermark:
                self._unsaved += self._read_from(conn, state, max(state.watermark - OVERLAP, 0))
            if time.monotonic() - state.verified > VERIFY_SECONDS:
                if self._db_count(conn) != len(state.index):
                    state = self._rebuild(conn)
                    self._unsaved = len(state.index)
                state.verified = time.monotonic()
            self._state = state
            if self._unsaved >= SAVE_AFTER_ROWS:
                self.save()

    def nearest(self, session: Session, vector: npt.NDArray[np.float32], k: int) -> list[int]:
        """Claim ids of the ~k nearest stored vectors (candidates only: verify in the DB)."""
        self.refresh(session)
        with self._lock:
            assert self._state is not None
            if not len(self._state.index):
                return []
            found = self._state.index.search(vector, k, threads=1)
            return [int(key) for key in found.keys]

    def nearest_many(
        self, session: Session, vectors: npt.NDArray[np.float32], k: int
    ) -> list[list[int]]:
        """``nearest`` for many query vectors at once (the batch scan)."""
        self.refresh(session)
        with self._lock:
            assert self._state is not None
            if not len(self._state.index) or not len(vectors):
                return [[] for _ in range(len(vectors))]
            found = self._state.index.search(vectors, k, threads=1)
            if len(vectors) == 1:  # usearch answers one query with plain Matches
                return [[int(key) for key in found.keys]]
            rows = zip(found.keys, found.counts, strict=True)
            return [[int(key) for key in row[:count]] for row, count in rows]

    def __len__(self) -> int:
        return len(self._state.index) if self._state else 0

    def invalidate(self) -> None:
        """Forget the in-memory state (the next refresh loads the file or rebuilds)."""
        with self._lock:
            self._state = None
