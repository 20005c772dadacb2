"""Word lists and pattern tables shipped as data files under ``tracker/data/``.

Files are read with importlib.resources (so they work from a wheel), parsed once and cached by
their loaders, and checked when loaded: a duplicate entry or a bad regular expression raises
``DataFileError`` naming the file and the line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import Any


class DataFileError(ValueError):
    """A data file that cannot be used: ``<file>:<line>: <what is wrong>``."""

    def __init__(self, name: str, line: int | None, message: str) -> None:
        where = f"tracker/data/{name}" + (f":{line}" if line else "")
        super().__init__(f"{where}: {message}")
        self.name, self.line = name, line


@cache
def read_text(name: str) -> str:
    """The text of ``tracker/data/<name>`` (``name`` uses ``/`` between folders)."""
    return files("tracker").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


def content_lines(name: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for every line that is not blank or a ``#`` comment; the line keeps
    its leading spaces (continuation lines) but not its trailing ones."""
    for number, line in enumerate(read_text(name).splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, line.rstrip()


@cache
def load_toml(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(read_text(name))
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        raise DataFileError(name, None, str(exc)) from exc


def line_of(name: str, needle: str, occurrence: int = 1) -> int | None:
    """The line of the OCCURRENCE-th appearance of NEEDLE in the file (for error messages about
    values whose position a parser does not report, such as TOML array items)."""
    text, start = read_text(name), -1
    for _ in range(occurrence):
        start = text.find(needle, start + 1)
        if start < 0:
            return None
    return text.count("\n", 0, start) + 1


def key_line(name: str, key: str) -> int | None:
    """The line where a TOML key ``key = ...`` starts a line."""
    if read_text(name).startswith(f"{key} ="):
        return 1
    found = line_of(name, f"\n{key} =")
    return found + 1 if found else None


def no_duplicates(name: str, items: Iterable[str], what: str = "entry") -> None:
    """Refuse a value listed twice; the error names the line of the second copy (quoted either
    way in TOML)."""
    seen: set[str] = set()
    for item in items:
        if item in seen:
            line = line_of(name, f'"{item}"', 2) or line_of(name, f"'{item}'", 2)
            raise DataFileError(name, line, f"duplicate {what} {item!r}")
        seen.add(item)


def checked_pattern(name: str, line: int | None, pattern: str, flags: int = 0) -> re.Pattern[str]:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise DataFileError(name, line, f"bad pattern {pattern!r}: {exc}") from exc
