"""`tracker audit ...`: the audit log's integrity, history and queries (one module each)."""

from __future__ import annotations

import click

from tracker import cli_audit_chain, cli_audit_history, cli_audit_query
from tracker.cli_claims import claims


@click.group()
def audit() -> None:
    """Verify, read and query the audit log."""


for _module in (cli_audit_chain, cli_audit_history, cli_audit_query):
    _module.register(audit, claims)
