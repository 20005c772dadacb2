"""The test run's summary: skips are counted per reason in one line each (addopts has -rfE, not
-ra), so a run without PostgreSQL or with slow tests left out stays short but says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

PROBE = """
import pytest

@pytest.mark.parametrize("n", range(3))
def test_left_out(n):
    pytest.skip("a reason shared by three")

def test_alone():
    pytest.skip("a reason of its own")

def test_runs():
    assert True
"""


def test_skips_are_summed_up_per_reason(tmp_path: Path) -> None:
    (tmp_path / "test_probe.py").write_text(PROBE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRACKER_TEST_POSTGRES_URL", None)
    command = [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, "-rfE", "test_probe.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "3 skipped: a reason shared by three" in lines
    assert "1 skipped: a reason of its own" in lines
    assert not [line for line in lines if line.startswith("SKIPPED")]
    assert "1 passed, 4 skipped" in lines[-1]
