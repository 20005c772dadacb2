"""Pattern tables for leftover chatbot output (regex sources, compiled in ``ai_detect``), from
``tracker/data/ai/leftovers.toml`` (its header explains the fields).

Loaded once, when this module is first imported, and checked: a rule listed twice for its first
language, a ``where`` other than any/start/line, a confidence outside (0, 1], or a pattern that
does not compile raises DataFileError with the file and line."""

from __future__ import annotations

import re
from typing import Any

from tracker.datafiles import DataFileError, checked_pattern, line_of, load_toml

LEFTOVERS_FILE = "ai/leftovers.toml"
WHERE = ("any", "start", "line")
Row = tuple[tuple[str, ...], str, str, float, str]


def _row(entry: Any, number: int) -> tuple[Row, tuple[str, ...]]:
    """The NUMBER-th [[leftover]] (from 1), checked."""
    name = LEFTOVERS_FILE
    if not isinstance(entry, dict):
        raise DataFileError(name, None, "every [[leftover]] must be a table")
    langs, rule, where = entry.get("languages"), entry.get("rule"), entry.get("where")
    conf, pattern, triggers = entry.get("confidence"), entry.get("pattern"), entry.get("triggers")
    line = line_of(name, "[[leftover]]", number)
    if not (isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs)):
        raise DataFileError(name, line, "languages must be a list of language codes")
    if not isinstance(rule, str) or where not in WHERE:
        raise DataFileError(name, line, f"rule must be a name and where one of {WHERE}")
    if not (isinstance(conf, float) and 0 < conf <= 1):
        raise DataFileError(name, line, "confidence must be a number in (0, 1]")
    if not (isinstance(triggers, list) and all(isinstance(t, str) for t in triggers)):
        raise DataFileError(name, line, "triggers must be a list of strings")
    if not isinstance(pattern, str):
        raise DataFileError(name, line, "pattern must be a string")
    before = line_of(name, "\npattern = ", number)  # the line before the pattern's
    checked_pattern(name, before and before + 1, pattern, re.IGNORECASE)
    return (tuple(langs), rule, str(where), conf, pattern), tuple(triggers)


def load_leftovers() -> tuple[tuple[Row, ...], dict[str, tuple[str, ...]]]:
    """(rows, triggers by "<first language>.<rule>")."""
    rows: list[Row] = []
    triggers: dict[str, tuple[str, ...]] = {}
    for number, entry in enumerate(load_toml(LEFTOVERS_FILE).get("leftover", []), start=1):
        row, words = _row(entry, number)
        key = f"{row[0][0]}.{row[1]}"
        if key in triggers:
            line = line_of(LEFTOVERS_FILE, "[[leftover]]", number)
            raise DataFileError(LEFTOVERS_FILE, line, f"rule {key} is listed twice")
        rows.append(row)
        triggers[key] = words
    return tuple(rows), triggers


# (languages, rule, where, confidence, regex); triggers by "<first language>.<rule>".
LEFTOVERS, LEFTOVER_TRIGGERS = load_leftovers()
