"""Placeholder: commands are added by register()."""

from __future__ import annotations

import click


def register(export: click.Group, import_: click.Group) -> None:
    """Add this module's commands to the export and import groups."""
