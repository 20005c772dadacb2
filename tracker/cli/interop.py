"""`tracker export ...` and `tracker import ...`: interchange formats (one module each)."""

from __future__ import annotations

import click

from tracker.cli import claimreview, exports


@click.group()
def export() -> None:
    """Write claims, excerpts and lineage in interchange formats."""


@click.group("import")
def import_() -> None:
    """Read claims and sources from interchange formats."""


for _module in (claimreview, exports):
    _module.register(export, import_)
