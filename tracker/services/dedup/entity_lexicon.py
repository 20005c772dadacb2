"""The seed list of named entities and their surface forms (``tracker/data/dedup/entities.txt``;
its header explains the format and the choices made).

Loaded once, when this module is first imported, and checked: an entity or a form listed twice,
or a line that is not ``canonical type: forms``, raises DataFileError with the file and line."""

from __future__ import annotations

from functools import cache

from tracker.datafiles import DataFileError, content_lines
from tracker.services.dedup.word_files import extra_aliases

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


def _with_data_file(
    aliases: dict[str, tuple[str, ...]], types: dict[str, str]
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The seed list plus ``tracker/data/lexical/aliases.txt`` (new entities, more forms)."""
    merged, kinds = dict(aliases), dict(types)
    for canonical, (kind, forms) in extra_aliases().items():
        if kinds.setdefault(canonical, kind) != kind:
            raise ValueError(f"aliases.txt: {canonical} is a {kinds[canonical]}, not a {kind}")
        known = merged.get(canonical, ())
        merged[canonical] = known + tuple(f for f in forms if f not in known)
    return merged, kinds


DEFAULT_ALIASES, ENTITY_TYPES = _with_data_file(*load_entities())
