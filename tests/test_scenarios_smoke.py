"""The issue 8 scenario scripts (benchmarks/scenarios/), each run once with tiny parameters
against a real `tracker serve`: they must finish and report every criterion passed.

Out of the default run (marked slow): `pytest -m slow tests/test_scenarios_smoke.py`. With
TRACKER_TEST_POSTGRES_URL set they also run on PostgreSQL (the scripts create and drop their
own scratch database on that server). read_load.py's throughput targets are not asserted here
(a tiny run on a shared machine says nothing about them), only that every page answered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

SCENARIOS = Path(__file__).resolve().parent.parent / "benchmarks" / "scenarios"
TINY = {
    "concurrent_reviewers.py": ["--users", "6", "--seconds", "4"],
    "crash_writes.py": ["--rounds", "2", "--pairs", "2", "--load-seconds", "2"],
    "backup_under_load.py": ["--backups", "1", "--interval", "1"],
    "brute_force.py": ["--attempts", "60", "--clients", "4", "--addresses", "2"],
}
ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TRACKER_TEST_POSTGRES_URL") else [])

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _only_when_asked_for(request: pytest.FixtureRequest) -> None:
    """Skipped in the default run (addopts has no ``-m "not slow"``): only ``-m slow`` runs
    these."""
    if "slow" not in str(request.config.getoption("markexpr", "")):
        pytest.skip("a slow scenario: run with `pytest -m slow tests/test_scenarios_smoke.py`")


def _run(script: str, engine: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    pg = os.environ.get("TRACKER_TEST_POSTGRES_URL")
    if pg:
        base = make_url(pg)
        if base.drivername == "postgresql":
            base = base.set(drivername="postgresql+psycopg")
        env["SCENARIO_PG_URL"] = base.set(database="postgres").render_as_string(hide_password=False)
    return subprocess.run(
        [sys.executable, str(SCENARIOS / script), "--engine", engine, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("script", sorted(TINY))
def test_scenario_passes(script: str, engine: str) -> None:
    done = _run(script, engine, *TINY[script])
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "all criteria passed" in done.stdout
    assert "FAIL" not in done.stdout


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_read_load_answers_every_page(engine: str) -> None:
    done = _run("read_load.py", engine, "--n", "300", "--seconds", "2", "--connections", "4")
    out = done.stdout
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    for page in ("claim list", "search", "claim page"):
        assert f"PASS  {page}: no errors" in out, out
    assert "PASS  server stopped cleanly" in out
