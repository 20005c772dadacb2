"""Package layout only (metadata is in pyproject.toml).

The Alembic migrations keep their top-level folder in the checkout and ship inside the package as
``tracker.migrations``, so an installed tracker can migrate a database without the checkout.
pyproject.toml cannot combine package discovery with such a mapping, hence this file."""

from setuptools import find_packages, setup

MAPPED = {"tracker.migrations": "migrations"}

setup(
    packages=[*find_packages(include=["tracker", "tracker.*"]), *MAPPED],
    package_dir=MAPPED,
)
