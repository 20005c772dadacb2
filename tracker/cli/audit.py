"""`tracker audit ...`: the audit log's integrity, history and queries (one module each)."""

from __future__ import annotations

import click

from tracker.cli import audit_chain, audit_history, audit_query
from tracker.cli.claims import claims


@click.group()
def audit() -> None:
    """Verify, read and query the audit log."""


for _module in (audit_chain, audit_history, audit_query):
    _module.register(audit, claims)
