"""Claim and source provenance tracker."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tracker.app import build_app
from tracker.cli import register_commands


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app factory (`flask --app tracker`): the web app plus the tracker CLI commands."""
    app = build_app(test_config)
    register_commands(app.cli)
    return app


__all__ = ["create_app"]
