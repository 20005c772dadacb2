#!/usr/bin/env python3
"""Bootstrap and run the tracker with nothing but Python 3.11+ installed.

    python3 dev.py demo    # create .venv if needed, install, load the seeds, serve on :5000
    python3 dev.py test    # create .venv if needed, install, run the test suite
    python3 dev.py check   # ruff, mypy, and `alembic check` on a scratch database

Extra arguments are passed on (`python3 dev.py test -k ingest`, `python3 dev.py demo --port 8000`).
The virtual environment is (re)installed whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TRACKER_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".tracker-installed"


def _run(*cmd: str | Path) -> None:
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"creating virtual environment in {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing the tracker and its dependencies", file=sys.stderr)
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "check"}:
        print(__doc__, file=sys.stderr)
        return 2
    ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return subprocess.call([str(BIN / "tracker"), "demo", *rest], cwd=ROOT)
    if command == "test":
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
    return check()


def check() -> int:
    """Lint, types, and migrations against the models on a scratch SQLite database."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{scratch}/check.sqlite3"}
        for cmd in (
            [BIN / "ruff", "check", "."],
            [BIN / "ruff", "format", "--check", "."],
            [BIN / "mypy"],
            [BIN / "alembic", "upgrade", "head"],
            [BIN / "alembic", "check"],
        ):
            status = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
            if status:
                return status
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
