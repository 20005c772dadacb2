"""`tracker serve`: gunicorn with several workers on SQLite WAL and PostgreSQL, refusing to start
on a database behind the head migration or a weak secret, stopping cleanly on SIGTERM."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tracker import migrate
from tracker.cli.ops import TrackerServer, _gunicorn_options
from tracker.db import make_engine, make_sessionmaker
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor

TRACKER = Path(sys.executable).parent / "tracker"
Serve = Callable[..., "subprocess.Popen[str]"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(tmp_path: Path, url: str, secret: str | None) -> dict[str, str]:
    """The server's environment; ``secret`` None: a strong key, "": no key configured."""
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE_PATH": str(tmp_path / "instance"),
        "TRACKER_SECRET_KEY": secret if secret is not None else secrets.token_urlsafe(48),
    }
    if not env["TRACKER_SECRET_KEY"]:
        del env["TRACKER_SECRET_KEY"]
    return env


def _upgraded_with_a_user(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        create_user(
            session, "desk", role="editor", password="a long password 123", actor=Actor("cli:t")
        )
    engine.dispose()


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status)


def _wait_until_up(process: subprocess.Popen[str], url: str, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            return _get(url)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError("serve did not answer in time")


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start `tracker serve` (``start(url, *args)``); every server still running is killed."""
    started: list[subprocess.Popen[str]] = []

    def start(url: str, *args: str, secret: str | None = None) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [str(TRACKER), "serve", *args],
            env=_env(tmp_path, url, secret),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_with_two_workers_answers_and_stops_on_sigterm(fresh_url: str, serve: Serve) -> None:
    _upgraded_with_a_user(fresh_url)
    port = _free_port()
    process = serve(fresh_url, "--workers", "2", "--port", str(port))
    assert _wait_until_up(process, f"http://127.0.0.1:{port}/login") == 200
    assert _get(f"http://127.0.0.1:{port}/login") == 200
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert err.count("Booting worker") == 2
    assert "Shutting down" in err


def test_serve_refuses_a_database_behind_the_head_migration(tmp_path: Path, serve: Serve) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE unrelated (x INTEGER)")
    engine.dispose()
    process = serve(url, "--port", str(_free_port()))
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "refusing to start" in err and "tracker db upgrade" in err
    assert "Traceback" not in err and "Booting worker" not in err


def test_serve_refuses_a_weak_secret(fresh_url: str, serve: Serve) -> None:
    _upgraded_with_a_user(fresh_url)
    process = serve(fresh_url, "--port", str(_free_port()), secret="changeme")
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "secret key" in err and "placeholder" in err and "changeme" not in err


def test_serve_creates_one_shared_key_before_the_workers_start(
    tmp_path: Path, serve: Serve
) -> None:
    url = f"sqlite:///{tmp_path / 'k.sqlite3'}"
    _upgraded_with_a_user(url)
    port = _free_port()
    process = serve(url, "--workers", "2", "--port", str(port), secret="")
    assert _wait_until_up(process, f"http://127.0.0.1:{port}/login") == 200
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.is_file() and key_file.stat().st_mode & 0o777 == 0o600
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 0


def test_gunicorn_settings() -> None:
    options = _gunicorn_options(
        {
            "host": "::1",
            "port": 8000,
            "workers": 3,
            "threads": 1,
            "timeout": 60,
            "graceful_timeout": 30,
            "access_log": True,
            "forwarded_allow_ips": "127.0.0.1",
        }
    )
    server = TrackerServer(lambda: None, options)  # type: ignore[arg-type, return-value]
    assert server.cfg.preload_app is False
    assert server.cfg.bind == ["[::1]:8000"] and server.cfg.workers == 3
    assert server.cfg.accesslog == "-"
    assert server.cfg.control_socket_disable is True
