"""Claim and source provenance tracker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app factory (`flask --app tracker`): the web app plus the tracker CLI commands.

    Imported here, not at the top: `import tracker.services...` (worker processes, scripts)
    should not load the web app."""
    from tracker.app import build_app
    from tracker.cli import register_commands

    app = build_app(test_config)
    register_commands(app.cli)
    return app


__all__ = ["create_app"]
