"""Ids in page URLs are range-checked (issue 16, finding 5): an id past the engine's integer
range is a 404 on every route with an id, never a 500 from the driver."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from tracker.web.converters import MAX_ID


def _id_routes(app: Flask) -> list[tuple[str, str, list[str]]]:
    """(rule, method, id argument names) of every page route with an ``int`` id."""
    found = []
    for rule in app.url_map.iter_rules():
        names = [name for name, conv in rule._converters.items() if conv.regex == r"\d+"]
        if names and not rule.rule.startswith("/api/"):
            method = "POST" if "POST" in (rule.methods or ()) else "GET"
            found.append((rule.rule, method, names))
    return found


def test_every_id_route_is_listed(app: Flask) -> None:
    paths = {rule for rule, _, _ in _id_routes(app)}
    # The eight routes of the report, and the rest found since.
    assert {
        "/claims/<int:claim_id>",
        "/claims/<int:claim_id>/edit",
        "/claims/<int:claim_id>/as-of",
        "/claims/<int:claim_id>/prov.json",
        "/claims/<int:claim_id>/merge",
        "/sources/<int:source_id>",
        "/sources/<int:source_id>/flag",
        "/users/<int:user_id>/role",
    } <= paths
    assert len(paths) >= 13


def test_ids_out_of_range_are_404_on_every_route(
    app: Flask, backend: str, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("admin")
    largest = MAX_ID[backend]
    for rule, method, names in _id_routes(app):
        for value in (largest + 1, 2**64, 10**30):
            path = rule
            for name in names:
                path = path.replace(f"<int:{name}>", str(value))
            response = client.open(path, method=method, data={})
            assert response.status_code == 404, (path, method, response.status_code)
        # The largest id in range is an ordinary "no such row" (404, or the form's refusal).
        path = rule
        for name in names:
            path = path.replace(f"<int:{name}>", str(largest))
        response = client.open(path, method=method, data={})
        assert response.status_code in (404, 422), (path, method, response.status_code)
