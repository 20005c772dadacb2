"""Placeholder: `tracker serve`, `tracker check`, `tracker backup` and `tracker restore`."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this module's commands to the main group."""
