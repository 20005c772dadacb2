"""Pattern tables for line-level boilerplate (navigation, widgets, paywalls) in eight languages.

Each table maps a label to {language code: regex alternatives}. ``"*"`` marks patterns that do
not depend on the language. Patterns are case-insensitive and are matched against a normalised
line: surrounding whitespace, list bullets and decorative symbols (emoji, arrows, »/›, …) are
stripped and inner whitespace is collapsed to single spaces. ``boilerplate.py`` compiles the
tables. The patterns live in ``tracker/data/boilerplate/``: ``any.toml`` for ``"*"`` and one
``<language>.toml`` per language, each with ``[full]``, ``[prefix]`` and ``[search]`` tables of
label = [patterns]. They are loaded once, when this module is first imported, and checked: a
pattern listed twice for a label, one that does not compile, or an unknown label raises
DataFileError with the file and line.

- FULL: the alternative must match the whole line (an optional trailing ``:``, ``.`` or ``!`` is
  allowed).
- PREFIX: the alternative must start the line and be followed by a separator (``:``, or a
  spaced dash, bar or arrow) and then anything.
- SEARCH: the alternative may occur anywhere in the line (whole words), for calls to action
  that are phrased as sentences (paywalls, newsletter sign-ups, cookie notices).
"""

from __future__ import annotations

import re
from typing import Any

from tracker.datafiles import (
    DataFileError,
    checked_pattern,
    key_line,
    line_of,
    load_toml,
    no_duplicates,
)

Table = dict[str, dict[str, tuple[str, ...]]]

LANGUAGES: tuple[str, ...] = ("en", "de", "nl", "nb", "nn", "da", "sv", "fr")

# Closely related languages whose patterns are always used together (Scandinavian sites mix
# them and detectors confuse them).
RELATED: dict[str, frozenset[str]] = {
    code: frozenset({"nb", "nn", "da", "sv"}) for code in ("nb", "nn", "da", "sv")
}

# Priority: when several labels match a line, the first in this order wins.
LABEL_ORDER: tuple[str, ...] = (
    "comments",
    "read_also",
    "topics",
    "cookie",
    "newsletter",
    "paywall",
    "copy_link",
    "email",
    "print",
    "share",
    "read_more",
    "most_read",
    "latest_news",
    "advertisement",
    "photo_credit",
    "copyright",
)

# Longest normalised line (in characters) that a label may claim.
MAX_LEN: dict[str, int] = {
    "comments": 80,
    "read_also": 200,
    "topics": 200,
    "cookie": 400,
    "newsletter": 250,
    "paywall": 250,
    "share": 80,
    "copy_link": 40,
    "email": 50,
    "print": 40,
    "read_more": 50,
    "most_read": 50,
    "latest_news": 50,
    "advertisement": 80,
    "photo_credit": 80,
    "copyright": 120,
}

FOLDER = "boilerplate"
KINDS = ("full", "prefix", "search")


def _patterns(name: str, kind: str, label: str, value: Any) -> tuple[str, ...]:
    if label not in MAX_LEN:
        raise DataFileError(name, key_line(name, label), f"[{kind}]: unknown label {label!r}")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(name, None, f"[{kind}] {label} must be a list of patterns")
    no_duplicates(name, value, f"{kind} {label} pattern")
    for pattern in value:
        literal = f"'{pattern}'" if "'" not in pattern else pattern
        checked_pattern(name, line_of(name, literal), pattern, re.IGNORECASE)
    return tuple(value)


def load_tables() -> tuple[Table, Table, Table]:
    """(FULL, PREFIX, SEARCH); within a label, "*" comes first, then LANGUAGES in order."""
    tables: dict[str, Table] = {kind: {} for kind in KINDS}
    for code in ("*", *LANGUAGES):
        name = f"{FOLDER}/{'any' if code == '*' else code}.toml"
        data = load_toml(name)
        for kind in KINDS:
            for label, value in data.get(kind, {}).items():
                patterns = _patterns(name, kind, label, value)
                tables[kind].setdefault(label, {})[code] = patterns
    return tables["full"], tables["prefix"], tables["search"]


FULL, PREFIX, SEARCH = load_tables()
