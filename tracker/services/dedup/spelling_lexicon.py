"""British -> American spelling variants, generated from the word families and single words in
``tracker/data/dedup/spelling_en_gb.toml`` (its header explains the format).

Loaded once, when this module is first imported, and checked: a root or word listed twice, or a
British form that two entries map differently, raises DataFileError with the file and line."""

from __future__ import annotations

from functools import cache
from typing import Any

from tracker.datafiles import DataFileError, key_line, line_of, load_toml, no_duplicates

SPELLING_FILE = "dedup/spelling_en_gb.toml"


def _add(table: dict[str, str], name: str, british: str, american: str) -> None:
    if table.get(british, american) != american:
        line = key_line(name, british) or line_of(name, f'"{british}"')
        raise DataFileError(name, line, f"{british!r} maps to two spellings")
    table[british] = american


def _strings(name: str, value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise DataFileError(name, None, f"{what} must be a table of strings")
    return value


@cache
def load_spelling(name: str = SPELLING_FILE) -> dict[str, str]:
    """British spelling -> American spelling, lower-case."""
    data = load_toml(name)
    table: dict[str, str] = {}
    for family in data.get("family", []):
        roots = family.get("roots")
        if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
            raise DataFileError(name, None, "every [[family]] needs roots = [strings]")
        no_duplicates(name, roots, "root")
        endings = _strings(name, family.get("endings"), "[family.endings]")
        for root in roots:
            for british, american in endings.items():
                _add(table, name, root + british, root + american)
    for british, american in _strings(name, data.get("words", {}), "[words]").items():
        _add(table, name, british, american)
    return table


# British spelling -> American spelling, lower-case.
SPELLING_VARIANTS: dict[str, str] = load_spelling()
