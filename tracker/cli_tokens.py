"""Placeholder for `tracker tokens ...`."""

from __future__ import annotations

import click


@click.group()
def tokens() -> None:
    """Personal API tokens."""
