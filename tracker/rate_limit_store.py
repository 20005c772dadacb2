"""A `limits` storage in one SQLite file, for the API rate limit without a Redis server.

`limits` (under Flask-Limiter) offers memory (one process), Redis, Memcached and MongoDB. The
workers of one `tracker serve` share the instance folder, so a small SQLite file there gives
them one exact count: each hit is an UPSERT inside BEGIN IMMEDIATE, so two workers never both
read a count under the limit. Only the fixed-window strategy is supported (``incr``/``get``).
Several machines need a shared server: set TRACKER_RATE_LIMIT_STORAGE to a Redis URL."""

from __future__ import annotations

import os
import sqlite3
import threading
import time

from limits.storage import Storage

SCHEME = "tracker+sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, hits INTEGER, expires REAL)"
PURGE_EVERY = 1000  # hits between deletions of finished windows


class SQLiteFileStorage(Storage):
    """``tracker+sqlite:///path/to/file.sqlite3``: fixed windows in one SQLite file."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (limits reads this list)

    def __init__(
        self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool
    ) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = uri.removeprefix(f"{SCHEME}://")
        self._local = threading.local()
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        """One connection per thread and process (a forked worker opens its own)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        db, now = self._db(), time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "INSERT INTO windows (key, hits, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET "
                "hits = CASE WHEN expires <= ? THEN excluded.hits ELSE hits + excluded.hits END, "
                "expires = CASE WHEN expires <= ? THEN excluded.expires ELSE expires END",
                (key, amount, now + expiry, now, now),
            )
            (hits,) = db.execute("SELECT hits FROM windows WHERE key = ?", (key,)).fetchone()
            self._hits += 1
            if self._hits % PURGE_EVERY == 0:
                db.execute("DELETE FROM windows WHERE expires <= ?", (now,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return int(hits)

    def get(self, key: str) -> int:
        row = self._db().execute(
            "SELECT hits FROM windows WHERE key = ? AND expires > ?", (key, time.time())
        )
        found = row.fetchone()
        return int(found[0]) if found else 0

    def get_expiry(self, key: str) -> float:
        row = self._db().execute("SELECT expires FROM windows WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM windows").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM windows WHERE key = ?", (key,))
