"""Shared pieces of the issue 8 scenarios: a fresh database (SQLite file or a PostgreSQL
database created and dropped here), a real `tracker serve` subprocess, signing in over HTTP
with httpx, the after-the-fact checks (audit verify, integrity) and the pass/fail report."""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tracker import migrate  # noqa: E402
from tracker.db import make_engine, make_sessionmaker  # noqa: E402
from tracker.services.accounts.users import create_user  # noqa: E402
from tracker.services.audit import log as audit  # noqa: E402
from tracker.services.audit.log import Actor  # noqa: E402

TRACKER = str(Path(sys.executable).parent / "tracker")
PG_BASE = os.environ.get("SCENARIO_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "scenario password 12345"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every scenario takes: the engine and where to keep the scratch files."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--workdir", type=Path, help="keep scratch files here (default: a temp dir)")
    return p


@contextmanager
def fresh_database(engine: str, workdir: Path, name: str = "scenario") -> Iterator[str]:
    """A new, migrated database: a SQLite file in workdir, or a PostgreSQL database that is
    dropped afterwards."""
    if engine == "sqlite":
        url = f"sqlite:///{workdir / (name + '.sqlite3')}"
        _upgrade(url)
        yield url
        return
    base = make_url(PG_BASE)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"{name}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        _upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _upgrade(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()


@contextmanager
def scratch(workdir: Path | None) -> Iterator[Path]:
    """The scratch folder; its instance/ is the instance folder of the server and of every CLI
    command run here (they share the audit key and anchors, as on one real server)."""
    if workdir is not None:
        workdir.mkdir(parents=True, exist_ok=True)
        os.environ["TRACKER_INSTANCE_PATH"] = str(workdir.resolve() / "instance")
        yield workdir
        return
    folder = Path(tempfile.mkdtemp(prefix="scenario-"))
    os.environ["TRACKER_INSTANCE_PATH"] = str(folder / "instance")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_users(url: str, names: Sequence[str], role: str) -> None:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session, session.begin():
        for name in names:
            create_user(session, name, role=role, password=PASSWORD, actor=Actor.cli())
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`tracker serve` in its own process group; its standard error goes to a log file."""

    def __init__(
        self,
        url: str,
        workdir: Path,
        workers: int,
        env: dict[str, str] | None = None,
        options: list[str] | None = None,
    ):
        self.url, self.workdir, self.workers = url, workdir, workers
        self.options = options or []
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "server.log"
        self.env = {
            **os.environ,
            "TRACKER_DATABASE_URL": url,
            "TRACKER_INSTANCE_PATH": str(workdir / "instance"),
            "TRACKER_SECRET_KEY": secrets.token_urlsafe(48),
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: float = 90) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    TRACKER,
                    "serve",
                    "--workers",
                    str(self.workers),
                    "--port",
                    str(self.port),
                    *self.options,
                ],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"tracker serve exited with {self.process.returncode}: {self.log}")
            try:
                up = httpx.get(f"{self.base}/login", timeout=5).status_code == 200
                if up and len(self.worker_pids()) >= self.workers:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"tracker serve did not answer in {wait} s: {self.log}")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> int:
        """SIGTERM (graceful); the exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill_all()
            return -9

    def kill_all(self) -> None:
        """SIGKILL the master and every worker at once."""
        assert self.process is not None
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def csrf_token(html: str) -> str:
    found = _CSRF.search(html)
    if found is None:
        raise ValueError("no CSRF token in the page")
    return found.group(1)


def sign_in(client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
    )


def percentile(values: Sequence[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def latency_line(label: str, times_s: Sequence[float], seconds: float) -> str:
    ms = [t * 1000 for t in times_s]
    return (
        f"{label:10s} n={len(ms):6d}  {len(ms) / seconds:7.1f} req/s  p50 {percentile(ms, 50):7.1f}"
        f" ms  p95 {percentile(ms, 95):7.1f} ms  p99 {percentile(ms, 99):7.1f} ms"
    )


def cli(
    url: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TRACKER, "--database-url", url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def audit_verify(url: str, env: dict[str, str] | None = None) -> tuple[bool, str]:
    done = cli(url, "audit", "verify", env=env)
    return done.returncode == 0, (done.stdout + done.stderr).strip().splitlines()[-1:][0]


def integrity_ok(url: str) -> tuple[bool, str]:
    """PRAGMA integrity_check on SQLite; PostgreSQL has no equivalent (always ok)."""
    if not url.startswith("sqlite"):
        return True, "n/a on PostgreSQL"
    with sqlite3.connect(make_url(url).database or "") as conn:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    return result == ["ok"], ", ".join(result[:3])


class Verdicts:
    """Pass criteria: printed as they are checked; exit status 1 if any failed."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        print(f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            self.failed.append(name)

    def exit(self) -> None:
        print(
            f"{'all criteria passed' if not self.failed else 'FAILED: ' + ', '.join(self.failed)}"
        )
        sys.exit(1 if self.failed else 0)


# --- readers during the write load (issue 16) -------------------------------------------------

READER = "watcher"  # a viewer: `readers_start` creates it
EXPORTS = ("/audit/export.csv", "/audit/export.ndjson")


@dataclass
class ReaderTally:
    """What the background readers saw."""

    exports: int = 0  # exports read to the end
    export_bytes: int = 0
    holds: int = 0  # pages held open, then read to the end
    hold_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def line(self) -> str:
        return (
            f"readers: {self.exports} audit exports streamed ({self.export_bytes:,} bytes), "
            f"{self.holds} pages held open for {self.hold_s:.0f} s in all, "
            f"{len(self.errors)} errors"
        )


def _export_loop(base: str, stop: threading.Event, tally: ReaderTally) -> None:
    """Stream audit exports back to back, reading each at once, until ``stop``."""
    with httpx.Client(base_url=base, timeout=120) as client:
        sign_in(client, READER)
        n = 0
        while not stop.is_set():
            path = EXPORTS[n % len(EXPORTS)]
            n += 1
            try:
                with client.stream("GET", path) as response:
                    size = sum(len(chunk) for chunk in response.iter_bytes())
                if response.status_code != 200:
                    raise ValueError(f"{path} answered {response.status_code}")
                with tally.lock:
                    tally.exports += 1
                    tally.export_bytes += size
            except (httpx.HTTPError, ValueError) as exc:
                with tally.lock:
                    tally.errors.append(f"export: {exc}")
                time.sleep(0.5)


def _hold_loop(base: str, stop: threading.Event, tally: ReaderTally, hold_s: float) -> None:
    """Open an audit export, read its first chunk, hold it open for ``hold_s`` seconds (a slow
    client), then read the rest; again until ``stop``."""
    with httpx.Client(base_url=base, timeout=120) as client:
        sign_in(client, READER)
        while not stop.is_set():
            try:
                with client.stream("GET", "/audit/export.csv") as response:
                    chunks = response.iter_raw(512)
                    next(chunks, b"")
                    began = time.monotonic()
                    stop.wait(hold_s)
                    for _ in chunks:
                        pass
                if response.status_code != 200:
                    raise ValueError(f"held export answered {response.status_code}")
                with tally.lock:
                    tally.holds += 1
                    tally.hold_s += time.monotonic() - began
            except (httpx.HTTPError, ValueError) as exc:
                with tally.lock:
                    tally.errors.append(f"hold: {exc}")
                time.sleep(0.5)


class Readers:
    """An audit export streaming back to back and a reader holding an export page open,
    during a scenario's write load. Each takes a gunicorn worker while it reads: scenarios
    start the server with 2 more workers, so the write load keeps the capacity it had."""

    EXTRA_WORKERS = 2

    def __init__(self, base: str, hold_s: float = 8.0):
        self.tally = ReaderTally()
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(target=_export_loop, args=(base, self.stop, self.tally)),
            threading.Thread(target=_hold_loop, args=(base, self.stop, self.tally, hold_s)),
        ]

    def start(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def finish(self) -> ReaderTally:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        print(self.tally.line(), flush=True)
        return self.tally


def add_reader_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-readers",
        action="store_true",
        help="skip the audit export and the held page that run during the write load",
    )
    p.add_argument("--hold-seconds", type=float, default=8.0, help="how long a page is held open")


def check_readers(v: Verdicts, tally: ReaderTally | None, crashes: bool = False) -> None:
    """The readers' criteria; with ``crashes`` a reader cut off by a kill is expected."""
    if tally is None:
        return
    v.check("readers: exports streamed to the end", tally.exports > 0, tally.line())
    v.check("readers: a page was held open and finished", tally.holds > 0)
    if not crashes:
        v.check("readers: no reader errors", not tally.errors, "; ".join(tally.errors[:3]))


def prepare_readers(url: str, events: int = 20_000) -> None:
    """The viewer the readers sign in as, and an audit log long enough (about 1 KB per event)
    that an export outgrows the socket buffers: a held page then really holds the server's
    generator open."""
    create_users(url, [READER], "viewer")
    engine = make_engine(url)
    actor = Actor(name="cli:scenario-padding", context={"command": "scenario"})
    with make_sessionmaker(engine)() as session, session.begin():
        for i in range(events):
            audit.record(
                session, actor, "scenario.padding", "scenario", i, {"note": {"after": "x" * 900}}
            )
    engine.dispose()
