"""Pattern tables for ``ai_detect``: regex *sources* only, compiled with re.IGNORECASE in
``ai_disclosure`` and ``ai_language``.

Case-sensitive pieces (acronyms such as AI/KI/IA, model names) use a scoped ``(?-i:...)``.
Per language, ``Lang`` holds the words a disclosure is built from (self-reference subject,
auxiliary, production participle, agent preposition, ...); ``ai_disclosure`` assembles them into
sentence templates.

This module is the public face: the shared pieces and ``Lang`` live in ``patterns_base``; the
per-language tables are data, ``tracker/data/ai/disclosure/<language>.toml`` (and
``common.toml``, the languages in the order they are tried), loaded once when this module is
first imported into ``TABLES`` (language code -> ``Lang``). A value may be a list of pieces
joined with nothing between them, ``<NOUN>`` stands for the language's ``noun`` and ``never``
for a piece that matches nothing. A missing or unknown field, a value of the wrong kind, or a
piece that does not compile raises DataFileError with the file (and the line).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from tracker.datafiles import DataFileError, checked_pattern, key_line, load_toml
from tracker.services.ai.patterns_base import (
    AGENT_ACRONYM,
    AGENT_ADJ,
    AGENT_CORE,
    AGENT_DET,
    AGENT_FOLLOW_BLOCK,
    AGENT_MODEL,
    AGENT_PHRASE,
    AGENT_SUFFIX,
    GAP_BLOCK_AUX,
    GAP_BLOCK_LIGHT,
    GAP_BLOCK_STRICT,
    LABEL_WORDS,
    LANGUAGES,
    LEFTOVER_REPORT_CUES,
    NEGATION,
    NEVER,
    PRE_BLOCK,
    REPORT_COLON,
    TRAIL_CONJ,
    USE_BLOCK,
    Lang,
)

__all__ = [
    "AGENT_ACRONYM",
    "AGENT_ADJ",
    "AGENT_CORE",
    "AGENT_DET",
    "AGENT_FOLLOW_BLOCK",
    "AGENT_MODEL",
    "AGENT_PHRASE",
    "AGENT_SUFFIX",
    "GAP_BLOCK_AUX",
    "GAP_BLOCK_LIGHT",
    "GAP_BLOCK_STRICT",
    "LABEL_WORDS",
    "LANGUAGES",
    "LEFTOVER_REPORT_CUES",
    "NEGATION",
    "NEVER",
    "PRE_BLOCK",
    "REPORT_COLON",
    "TABLES",
    "TRAIL_CONJ",
    "USE_BLOCK",
    "Lang",
]

FOLDER = "ai/disclosure"
_FIELDS = {f.name: f for f in dataclasses.fields(Lang) if f.name != "code"}


def _piece(name: str, key: str, value: Any, noun: str) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "".join(value)
    if not isinstance(value, str):
        raise DataFileError(name, key_line(name, key), f"{key} must be a string or pieces")
    piece = NEVER if value == "never" else value.replace("<NOUN>", noun)
    # act_extra templates hold <AGENT>, <OBJ>, <GAP>... filled in by disclosure.py
    checkable = re.sub(r"<[A-Z]+>", "(?:x)", piece) if key == "act_extra" else piece
    checked_pattern(name, key_line(name, key), checkable, re.IGNORECASE)
    return piece


def load_language(code: str) -> Lang:
    name = f"{FOLDER}/{code}.toml"
    data = load_toml(name)
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise DataFileError(name, key_line(name, unknown[0]), f"unknown field {unknown[0]!r}")
    noun = _piece(name, "noun", data.get("noun"), "")
    values: dict[str, Any] = {"code": code, "noun": noun}
    for key, field in _FIELDS.items():
        if key == "noun" or (key not in data and field.default is not dataclasses.MISSING):
            continue
        if key in ("markers", "act_extra"):
            words = data.get(key)
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise DataFileError(name, key_line(name, key), f"{key} must be a list of strings")
            values[key] = (
                tuple(words)
                if key == "markers"
                else tuple(_piece(name, key, w, noun) for w in words)
            )
        else:
            values[key] = _piece(name, key, data.get(key), noun)
    return Lang(**values)


TABLES: dict[str, Lang] = {
    code: load_language(code) for code in load_toml(f"{FOLDER}/common.toml")["languages"]
}
