"""(Filled in by the audit work: commands added to the `audit` and `claims` groups.)"""

from __future__ import annotations

import click


def register(audit: click.Group, claims: click.Group) -> None:
    """Attach this module's commands."""
