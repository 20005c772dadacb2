"""Package layout only (metadata is in pyproject.toml).

The Alembic migrations and the demo seeds keep their top-level folders in the checkout and ship
inside the package: the migrations as ``tracker.migrations`` (a package-dir mapping), the seeds
copied into ``tracker/data/seeds/`` when the package is built. So an installed tracker can
migrate a database and load the demo without the checkout. pyproject.toml cannot combine
package discovery with such a mapping, hence this file."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

MAPPED = {"tracker.migrations": "migrations"}
SEEDS = Path(__file__).resolve().parent / "seeds"


class BuildWithSeeds(build_py):  # type: ignore[misc]
    """The usual build, plus the seed corpus as package data (tracker/data/seeds/)."""

    def run(self) -> None:
        super().run()
        if self.editable_mode or not SEEDS.is_dir():
            return  # an editable install reads the checkout's seeds/ directly
        target = Path(self.build_lib) / "tracker" / "data" / "seeds"
        target.mkdir(parents=True, exist_ok=True)
        for path in SEEDS.iterdir():
            if path.is_file():
                shutil.copy2(path, target / path.name)


setup(
    packages=[*find_packages(include=["tracker", "tracker.*"]), *MAPPED],
    package_dir=MAPPED,
    cmdclass={"build_py": BuildWithSeeds},
)
