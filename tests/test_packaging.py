"""The tracker works installed from a wheel, away from the checkout: the migrations and the
demo seeds travel inside the package (``tracker.migrations``, mapped from the top-level
folder; the top-level seeds/ copied into ``tracker/data/seeds/`` when the wheel is built).

The full install (a fresh virtual environment, ``pip install .``) is slow and marked so:
`pytest -m slow tests/test_packaging.py`."""

from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

from tracker import migrate
from tracker.services.ops.demo import seeds_folder

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_are_found_as_a_package_resource() -> None:
    folder = migrate.scripts_folder()
    assert folder == ROOT / "migrations"  # in a checkout: the top-level folder, mapped
    assert (folder / "env.py").is_file()
    assert migrate.head_revision() is not None


def test_seeds_are_found_as_a_package_resource() -> None:
    assert seeds_folder() == ROOT / "seeds"
    assert (seeds_folder() / "claims.json").is_file()


@pytest.mark.slow
def test_a_wheel_installed_into_a_fresh_venv_migrates_checks_and_loads_the_demo(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if "slow" not in str(request.config.getoption("markexpr", "")):
        pytest.skip(
            "builds and installs a wheel: run with `pytest -m slow tests/test_packaging.py`"
        )
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(ROOT)],
        check=True,
        cwd=tmp_path,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_INSTANCE_PATH"] = str(tmp_path / "instance")

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(bin_dir / "tracker"), *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    # The installed copy is used, not the checkout.
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import tracker; print(tracker.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(env_dir)

    upgraded = tracker("db", "upgrade", "--json")
    assert upgraded.returncode == 0, upgraded.stderr
    heads = json.loads(upgraded.stdout)
    assert heads["current"] == heads["head"] == migrate.head_revision()

    checked = tracker("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 failed" in checked.stdout

    demo = tracker("demo", "--no-serve", "--json")
    assert demo.returncode == 0, demo.stderr
    loaded = json.loads(demo.stdout)
    assert loaded["claims"]["created"] > 0
    assert {s["status"] for s in loaded["sources"]} == {"created"}
