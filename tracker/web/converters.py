"""The ``int`` URL converter bounded by the database's id range.

An id past the engine's integer range (SQLite: 64-bit, PostgreSQL's ``integer``: 32-bit)
cannot name a row: such a URL does not match its route and is a 404, never an overflow error
from the driver."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

MAX_ID = {"sqlite": 2**63 - 1, "postgresql": 2**31 - 1}


def bounded_ids(app: Flask, dialect: str) -> None:
    """Make every ``<int:...>`` of ``app`` refuse values past ``dialect``'s id range (to be
    called before any route is added)."""
    largest = MAX_ID.get(dialect, 2**31 - 1)

    class IdConverter(IntegerConverter):
        def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
            kwargs["max"] = min(kwargs.get("max") or largest, largest)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter
