"""Opaque cursors for keyset pagination.

A cursor is base64url (no padding) of a small JSON object: the list it belongs to and the
sort key of the last item sent (``{"k": "claims", "v": [42]}``). Clients pass it back
unchanged as ``cursor``; a cursor that is damaged, or from another list, is refused (422)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from tracker.api.problems import ApiProblem, field_error

MAX_CURSOR_CHARS = 512


def encode_cursor(kind: str, *values: Any) -> str:
    raw = json.dumps({"k": kind, "v": list(values)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def _bad_cursor() -> ApiProblem:
    detail = "the cursor is not one this list gave out: pass next_cursor back unchanged"
    return ApiProblem(422, detail, errors=[field_error("query", "cursor", detail)])


def decode_cursor(kind: str, cursor: str | None, types: tuple[type, ...]) -> list[Any] | None:
    """The values of a cursor of list ``kind`` (checked against ``types``); None for none."""
    if cursor is None:
        return None
    if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise _bad_cursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad_cursor() from None
    if not isinstance(data, dict) or data.get("k") != kind:
        raise _bad_cursor()
    values = data.get("v")
    if not isinstance(values, list) or len(values) != len(types):
        raise _bad_cursor()
    for value, wanted in zip(values, types, strict=True):
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise _bad_cursor()
        if isinstance(value, int) and not 0 <= value <= 2**31 - 1:
            raise _bad_cursor()
        if isinstance(value, str) and ("\x00" in value or len(value) > 300):
            raise _bad_cursor()
    return values
