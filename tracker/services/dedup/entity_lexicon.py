"""The seed list of named entities and their surface forms (``tracker/data/dedup/entities.txt``;
its header explains the format and the choices made).

Loaded once, when this module is first imported, and checked: an entity or a form listed twice,
or a line that is not ``canonical type: forms``, raises DataFileError with the file and line."""

from __future__ import annotations

from functools import cache

from tracker.datafiles import DataFileError, content_lines

ENTITIES_FILE = "dedup/entities.txt"


@cache
def load_entities(
    name: str = ENTITIES_FILE,
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """(canonical -> its forms in file order, canonical -> entity type)."""
    aliases: dict[str, list[str]] = {}
    types: dict[str, str] = {}
    current = ""
    for number, line in content_lines(name):
        if line.startswith(" "):
            if not current:
                raise DataFileError(name, number, "a continuation line before any entity")
            forms = line
        else:
            head, colon, forms = line.partition(":")
            parts = head.split()
            if not colon or len(parts) != 2:
                raise DataFileError(name, number, "expected 'canonical type: form; form; ...'")
            current, kind = parts
            if current in types:
                raise DataFileError(name, number, f"entity {current!r} is listed twice")
            types[current] = kind
            aliases[current] = []
        for form in forms.split(";"):
            form = form.strip()
            if form in aliases[current]:
                raise DataFileError(name, number, f"{current}: form {form!r} is listed twice")
            if form:
                aliases[current].append(form)
    return {k: tuple(v) for k, v in aliases.items()}, types


DEFAULT_ALIASES, ENTITY_TYPES = load_entities()
