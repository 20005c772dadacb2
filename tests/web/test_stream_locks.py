"""Streamed exports hold no lock (issue 16, finding 1): on a real server with two workers, a
write made while an export is streaming, right after it, and after a client abandons it,
succeeds within a second; on PostgreSQL no connection is left idle in a transaction."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.helpers.live_server import live_server, prepare, sign_in
from tracker.services.audit.log import Actor, record

EVENTS = 600
# A blocked writer waits out SQLite's 30 s busy timeout (on PostgreSQL, until the reader's
# transaction ends); a sign-in that returns well before that was not blocked, however loaded the
# machine. This is a check of locking, not of speed.
NOT_BLOCKED = 10.0
NOTE = "n" * 10_000  # ~6 MB of export: more than the socket buffers hold


def _many_events(session: Session) -> None:
    for i in range(EVENTS):
        record(session, Actor("cli:seed"), "seed.note", "note", i, {"note": {"after": NOTE}})


def _timed_sign_in(base: str) -> float:
    start = time.monotonic()
    client, answer = sign_in(base, "writer")
    client.close()
    assert answer.status_code == 302, answer.text[:300]
    return time.monotonic() - start


def _open_export(base: str, cookies: httpx.Cookies, path: str) -> socket.socket:
    """A raw connection that requests ``path`` and reads only its first bytes."""
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n\r\n"
    sock.sendall(request.encode())
    first = sock.recv(4096)
    assert first.startswith(b"HTTP/1.1 200"), first[:200]
    return sock


def _idle_in_transaction(url: str) -> int:
    database = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"))
    try:
        with admin.connect() as conn:
            query = text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = :db AND state LIKE 'idle in transaction%'"
            )
            return int(conn.scalar(query, {"db": database}) or 0)
    finally:
        admin.dispose()


@pytest.mark.parametrize("path", ["/audit/export.csv", "/audit/export.ndjson"])
def test_a_streamed_export_blocks_no_writer(
    fresh_url: str, backend: str, tmp_path: Path, path: str
) -> None:
    prepare(fresh_url, {"reader": "viewer", "writer": "editor"}, _many_events)
    with live_server(tmp_path, fresh_url, workers=2) as base:
        reader, answer = sign_in(base, "reader")
        assert answer.status_code == 302
        _timed_sign_in(base)  # warm both workers' imports

        # During: the export's worker is blocked on a client that reads nothing.
        sock = _open_export(base, reader.cookies, path)
        try:
            assert _timed_sign_in(base) < NOT_BLOCKED
        finally:  # abandoned: the client goes away mid-stream
            sock.close()
        assert _timed_sign_in(base) < NOT_BLOCKED

        # Right after a complete export.
        whole = reader.get(path)
        assert whole.status_code == 200
        assert _timed_sign_in(base) < NOT_BLOCKED
        report = reader.get("/audit/reports/activity/export.csv")
        assert report.status_code == 200 and "seed.note" not in report.text
        assert _timed_sign_in(base) < NOT_BLOCKED
        if backend == "postgresql":
            deadline = time.monotonic() + 5
            while _idle_in_transaction(fresh_url) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _idle_in_transaction(fresh_url) == 0
        reader.close()
