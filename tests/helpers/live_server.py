"""A real `tracker serve` (gunicorn, several workers) for tests that need separate processes:
locks held across requests, limits shared between workers."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor

TRACKER = Path(sys.executable).parent / "tracker"
LIVE_PASSWORD = "Vq7-mauve-lantern-orbit-31"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(url: str, users: dict[str, str], setup: Callable[..., None] | None = None) -> None:
    """Upgrade the database and create ``users`` (name: role), all with LIVE_PASSWORD."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        for name, role in users.items():
            create_user(session, name, role=role, password=LIVE_PASSWORD, actor=Actor("cli:t"))
        if setup is not None:
            setup(session)
    engine.dispose()


@contextmanager
def live_server(
    tmp_path: Path, url: str, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`tracker serve` with ``workers`` workers on a free port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(TRACKER), "serve", "--workers", str(workers), "--port", str(port)],
        env={
            **os.environ,
            "TRACKER_DATABASE_URL": url,
            "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
            "TRACKER_SECRET_KEY": secrets.token_urlsafe(48),
            **(env or {}),
        },
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise AssertionError(f"serve exited with {process.returncode}")
            try:
                httpx.get(f"{base}/login", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise AssertionError("serve did not answer in time") from None
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: httpx.Client, path: str) -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(
    base: str, username: str, password: str = LIVE_PASSWORD, headers: dict[str, str] | None = None
) -> tuple[httpx.Client, httpx.Response]:
    """A client of ``base`` after one sign-in attempt, and the answer to that attempt."""
    client = httpx.Client(base_url=base, timeout=30, headers=headers or {})
    token = csrf_token(client, "/login")
    answer = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    return client, answer
