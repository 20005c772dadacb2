"""The API rate limit holds across workers and processes (issue 16, finding 6): Flask-Limiter
counts in one store; without Redis, a SQLite file in the instance folder."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import httpx
import pytest
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy.orm import Session

from tests.helpers.live_server import live_server, prepare
from tracker.rate_limit_store import SCHEME, SQLiteFileStorage
from tracker.services.accounts.api_tokens import issue_token
from tracker.services.audit.log import Actor

LIMIT = 40


def _store(path: Path) -> SQLiteFileStorage:
    storage = storage_from_string(f"{SCHEME}:///{path}")
    assert isinstance(storage, SQLiteFileStorage)
    return storage


def test_the_file_store_counts_fixed_windows(tmp_path: Path) -> None:
    limiter = FixedWindowRateLimiter(_store(tmp_path / "limits.sqlite3"))
    item = RateLimitItemPerSecond(2)
    assert [limiter.hit(item, "api", "k") for _ in range(3)] == [True, True, False]
    assert limiter.hit(item, "api", "other")  # another key has its own window
    reset, remaining = limiter.get_window_stats(item, "api", "k")
    assert remaining == 0 and time.time() < reset <= time.time() + 1
    time.sleep(1.05)
    assert limiter.hit(item, "api", "k")  # a new window


def _hammer(path: str, hits: int, allowed: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    limiter = FixedWindowRateLimiter(_store(Path(path)))
    item = RateLimitItemPerMinute(150)
    allowed.put(sum(limiter.hit(item, "api", "token:1") for _ in range(hits)))


def test_the_file_store_is_exact_across_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "limits.sqlite3")
    allowed: multiprocessing.Queue[int] = multiprocessing.get_context("fork").Queue()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_hammer, args=(path, 100, allowed)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sum(allowed.get(timeout=5) for _ in workers) == 150


@pytest.mark.parametrize("limit", [LIMIT, 0])
def test_a_token_gets_the_limit_across_two_workers(
    fresh_url: str, tmp_path: Path, limit: int
) -> None:
    token_file = tmp_path / "token"

    def setup(session: Session) -> None:
        _, token = issue_token(session, role="viewer", name="bench", actor=Actor("cli:t"))
        token_file.write_text(token)

    prepare(fresh_url, {}, setup)
    env = {"TRACKER_API_RATE_LIMIT": str(limit)}
    with live_server(tmp_path, fresh_url, workers=2, env=env) as base:
        headers = {"Authorization": f"Bearer {token_file.read_text()}"}
        statuses: list[int] = []
        # New connections each time, so both workers answer.
        for _ in range(LIMIT + 20):
            answer = httpx.get(f"{base}/api/v1/me", headers=headers)
            statuses.append(answer.status_code)
            assert "server" not in answer.headers  # no banner (issue 16)
            assert answer.headers["cache-control"] == "no-store"
    if limit:
        assert statuses.count(200) == LIMIT
        assert statuses[LIMIT:] == [429] * 20
    else:
        assert statuses == [200] * (LIMIT + 20)
