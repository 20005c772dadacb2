"""Text the databases can store: no NUL characters (PostgreSQL refuses them in text and JSON)
and no lone surrogates (they have no UTF-8 form, so neither engine nor the audit hash can
encode them). JSON files (\\u0000, \\ud800) and command-line arguments that are not UTF-8
bring them in; the importers refuse such a record with a clear message instead of failing.
Also: whether a number can be a row id at all."""

from __future__ import annotations

from typing import Any

from tracker.services.errors import Invalid

MAX_DEPTH = 200  # deeper values are refused too: nothing we store nests like that
# Ids are integer columns: a bigger number names no row (and SQLite cannot bind past 64 bits).
MAX_ID = 2**31 - 1


def readable(text: str) -> str:
    """``text`` with its lone surrogates (the bytes of a file name or argument that are not
    UTF-8, as Python keeps them) shown as U+FFFD, so it can be stored."""
    try:
        raw = text.encode("utf-8", "surrogateescape")  # one byte per undecodable one
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")  # any other lone surrogate
    return raw.decode("utf-8", "replace")


def is_id(value: int) -> bool:
    """Could ``value`` be a row id? Lookups answer "not found" for numbers that cannot."""
    return 1 <= value <= MAX_ID


def problem_in(value: Any) -> str | None:
    """What makes ``value`` (a string, or a list or dict holding strings) unstorable; None
    when it is fine."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"values nested more than {MAX_DEPTH} levels deep"
        if isinstance(item, str):
            if "\x00" in item:
                return "a NUL character"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "an unpaired surrogate (text that is not valid Unicode)"
        elif isinstance(item, dict):
            stack.extend((part, depth + 1) for pair in item.items() for part in pair)
        elif isinstance(item, list | tuple):
            stack.extend((part, depth + 1) for part in item)
    return None


def check_storable(value: Any, what: str) -> None:
    """Raise Invalid naming ``what`` when ``value`` holds text that cannot be stored."""
    problem = problem_in(value)
    if problem is not None:
        raise Invalid(f"{what} holds {problem}, which cannot be stored")
