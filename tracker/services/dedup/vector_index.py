"""The approximate nearest-neighbour index over claim vectors: a rebuildable cache of the
``claim_vectors`` rows, never the truth.

Library: usearch (HNSW; maintained, a single small wheel, int8/float16 storage, removal and
re-insertion by key, save/load of one file, multi-threaded construction, and a memory-mapped
read-only view of a saved file). hnswlib has had no release since 2023, and faiss-cpu's HNSW
cannot remove a vector, which an edited claim needs.

Each process keeps one index per database and model. Before a search it reads the highest
vector row id of the model (one indexed lookup): rows above its watermark are added (a row
that replaces an older vector of the same claim replaces it in the index); a watermark above
the database's, or a row count that no longer agrees (checked every VERIFY_SECONDS), makes it
rebuild from the database. The index only proposes candidates: their cosine is recomputed
from the stored vectors and merged or deleted claims are filtered out by the database, so a
stale index can cost recall for a moment but never gives a wrong score.

With a cache folder configured (the instance folder), the index is saved there, one file per
database and model named by its watermark, and the next process maps that file read-only
(``Index.restore(view=True)``) instead of rebuilding: the workers of one server share its
pages. Rows added since the file was saved go to a small in-memory index searched alongside
it; a claim whose vector changed is answered from there (its old key in the file is skipped).
After SAVE_AFTER_ROWS such rows the two are merged into a new file. A file that is unreadable
or disagrees with its metadata is ignored, and the index is rebuilt from the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
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
READ_BATCH = 50_000
# HNSW settings (docs/benchmarks.md): on 40,000 real embeddings of the synthetic corpus, an
# insertion beam of 64 built in half the CPU time of 128 with the same recall; a search beam
# of 64 costs about half a millisecond.
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 64
# Rows added at once are spread over the cores (a rebuild); a refresh of a few rows stays on
# the request's thread.
THREADED_ADD_ROWS = 1000

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


def _threads(rows: int) -> int:
    return max(1, os.cpu_count() or 1) if rows >= THREADED_ADD_ROWS else 1


@dataclass
class _State:
    live: Any  # usearch Index in memory: everything after a rebuild, else rows since the file
    watermark: int
    verified: float
    base: Any = None  # the saved file, mapped read-only (None: everything is in ``live``)
    base_file: Path | None = None
    shadowed: set[int] = field(default_factory=set)  # keys of ``base`` replaced in ``live``

    def __len__(self) -> int:
        if self.base is None:
            return len(self.live)
        return len(self.live) + len(self.base) - len(self.shadowed)


def _restore(path: Path, *, view: bool) -> Any:
    """A saved index: mapped read-only (``view``) or copied into memory; ValueError when the
    file is no index."""
    from usearch.index import Index

    index: Any = Index.restore(str(path), view=view)
    if index is None:
        raise ValueError(f"{path.name} is no usearch index")
    index.expansion_search = EXPANSION_SEARCH
    return index


def _rows(found: Any, queries: int) -> list[list[tuple[float, int]]]:
    """usearch matches as (distance, key) lists, one per query."""
    if queries == 1 and found.keys.ndim == 1:  # usearch answers one query with plain Matches
        return [[(float(d), int(k)) for d, k in zip(found.distances, found.keys, strict=True)]]
    return [
        [(float(d), int(k)) for d, k in zip(ds[:n], ks[:n], strict=True)]
        for ds, ks, n in zip(found.distances, found.keys, found.counts, strict=True)
    ]


class VectorIndex:
    def __init__(self, encoder: Encoder, url: str) -> None:
        self.encoder = encoder
        self.url = url
        self._lock = threading.RLock()
        self._state: _State | None = None
        self._unsaved = 0
        self.rebuilds = 0

    # --- files ------------------------------------------------------------------------

    def _digest(self) -> str | None:
        if _folder is None or ":memory:" in self.url or self.url.endswith("sqlite://"):
            return None
        key = f"{self.url}|{self.encoder.name}|{self.encoder.version}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def _meta_path(self) -> Path | None:
        digest = self._digest()
        return (
            None
            if digest is None or _folder is None
            else _folder / "vector-index" / f"{digest}.json"
        )

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
        """The saved file mapped read-only, if its metadata and size agree."""
        meta_path = self._meta_path()
        if meta_path is None or not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text())
            path = meta_path.parent / str(meta["file"])
            if path.parent != meta_path.parent:
                raise ValueError(f"unexpected file name {meta['file']!r}")
            base = _restore(path, view=True)
            if len(base) != int(meta["count"]) or base.ndim != self.encoder.dimension:
                raise ValueError("the file does not match its metadata")
            return _State(self._new(), int(meta["watermark"]), 0.0, base, path)
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            log.warning("vector index cache %s unreadable (%s): rebuilding", meta_path, exc)
            return None

    def save(self) -> None:
        """Write the cache file (only for an index of at least SAVE_AFTER_ROWS vectors) and
        map it read-only from now on: rows added since a loaded file are merged into the new
        one. Other processes keep the file they mapped until they save or restart."""
        meta_path = self._meta_path()
        with self._lock:
            state = self._state
            if meta_path is None or state is None or len(state) < SAVE_AFTER_ROWS:
                return
            if state.base is not None and not len(state.live):
                self._unsaved = 0
                return  # the mapped file is the whole index already
            folder = meta_path.parent
            folder.mkdir(parents=True, exist_ok=True)
            full = state.live
            if state.base is not None:
                assert state.base_file is not None
                full = _restore(state.base_file, view=False)  # a private, writable copy
                keys = np.asarray(state.live.keys, dtype=np.uint64)
                if state.shadowed:
                    full.remove(np.fromiter(state.shadowed, dtype=np.uint64))
                vectors = np.asarray(state.live.get(keys, dtype=np.float32), dtype=np.float32)
                full.add(keys, vectors, threads=_threads(len(keys)))
            name = f"{meta_path.stem}.{state.watermark}.usearch"
            tmp = folder / f"{name}.{os.getpid()}.tmp"
            full.save(str(tmp))
            tmp.replace(folder / name)
            meta = {"file": name, "watermark": state.watermark, "count": len(full)}
            meta_tmp = folder / f"{meta_path.name}.{os.getpid()}.tmp"
            meta_tmp.write_text(json.dumps(meta))
            meta_tmp.replace(meta_path)
            for old in folder.glob(f"{meta_path.stem}.*.usearch"):
                if old.name != name:  # a process mapping it keeps its pages until it lets go
                    old.unlink(missing_ok=True)
            base = _restore(folder / name, view=True)
            self._state = _State(self._new(), state.watermark, state.verified, base, folder / name)
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
            if len(state.live):
                present = keys[np.asarray(state.live.contains(keys), dtype=bool)]
                if len(present):
                    state.live.remove(present)
            if state.base is not None:
                in_base = keys[np.asarray(state.base.contains(keys), dtype=bool)]
                state.shadowed.update(int(k) for k in in_base)
            state.live.add(keys, vectors, threads=_threads(len(keys)))
            state.watermark = max(state.watermark, int(rows[-1].id))
            after = int(rows[-1].id)
            read += len(rows)
            if len(rows) < READ_BATCH:  # a short page is the last one: no query for an empty one
                return read

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
                self._unsaved = len(state)
            elif top > state.watermark:
                self._unsaved += self._read_from(conn, state, max(state.watermark - OVERLAP, 0))
            if time.monotonic() - state.verified > VERIFY_SECONDS:
                if self._db_count(conn) != len(state):
                    state = self._rebuild(conn)
                    self._unsaved = len(state)
                state.verified = time.monotonic()
            self._state = state
            if self._unsaved >= SAVE_AFTER_ROWS:
                self.save()

    def _search(self, vectors: npt.NDArray[np.float32], k: int) -> list[list[int]]:
        with self._lock:
            state = self._state
            assert state is not None
            queries = 1 if vectors.ndim == 1 else len(vectors)
            if not len(state) or not queries:
                return [[] for _ in range(queries)]
            found: list[list[tuple[float, int]]] = [[] for _ in range(queries)]
            if len(state.live):
                found = _rows(state.live.search(vectors, k, threads=1), queries)
            if state.base is not None:
                # Keys replaced since the file was saved may hold some of its nearest places.
                wider = k + min(len(state.shadowed), k)
                older = _rows(state.base.search(vectors, wider, threads=1), queries)
                for mine, theirs in zip(found, older, strict=True):
                    mine.extend(m for m in theirs if m[1] not in state.shadowed)
                    mine.sort()
        result = []
        for matches in found:
            keys = list(dict.fromkeys(key for _, key in matches))
            result.append(keys[:k])
        return result

    def nearest(self, session: Session, vector: npt.NDArray[np.float32], k: int) -> list[int]:
        """Claim ids of the ~k nearest stored vectors (candidates only: verify in the DB)."""
        self.refresh(session)
        return self._search(vector, k)[0]

    def nearest_many(
        self, session: Session, vectors: npt.NDArray[np.float32], k: int
    ) -> list[list[int]]:
        """``nearest`` for many query vectors at once (the batch scan)."""
        self.refresh(session)
        if not len(vectors):
            return []
        return self._search(vectors, k)

    def __len__(self) -> int:
        return len(self._state) if self._state else 0

    @property
    def mapped(self) -> bool:
        """Whether the bulk of the index is a saved file mapped read-only (shared pages)."""
        return self._state is not None and self._state.base is not None

    def invalidate(self) -> None:
        """Forget the in-memory state (the next refresh loads the file or rebuilds)."""
        with self._lock:
            self._state = None
