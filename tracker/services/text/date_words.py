"""Month, weekday and byline-keyword tables for the date finder (see ``dates.py``), from
``tracker/data/dates/``: one ``<language>.toml`` per language and ``common.toml``.

Names are lower-case; matching is case-insensitive and a trailing dot after any name is
accepted, so abbreviations are listed without their dot. Loaded once, when this module is first
imported, and checked: a list of the wrong length or a name listed twice raises DataFileError
with the file (and the line, where it can be found). A language is added by adding its file and
naming it in ``common.toml``'s ``languages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from tracker.datafiles import DataFileError, load_toml, no_duplicates

FOLDER = "dates"


@dataclass(frozen=True)
class LanguageWords:
    """Date vocabulary of one language."""

    months: tuple[tuple[str, ...], ...]  # 12 entries, January first
    weekdays: tuple[tuple[str, ...], ...]  # 7 entries, Monday first
    dayfirst: bool  # how to read an ambiguous "03/04/2024"
    published: tuple[str, ...]  # byline keywords meaning "published"
    updated: tuple[str, ...]  # byline keywords meaning "updated"


def _words(name: str, data: dict[str, Any], key: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(name, None, f"{key} must be a list of strings")
    no_duplicates(name, value, f"{key} entry")
    return tuple(value)


def _names(name: str, data: dict[str, Any], key: str, size: int) -> tuple[tuple[str, ...], ...]:
    value = data.get(key)
    if not isinstance(value, list) or len(value) != size:
        raise DataFileError(name, None, f"{key} must list {size} entries")
    entries = tuple(_words(name, {key: entry}, key) for entry in value)
    no_duplicates(name, [n for entry in entries for n in entry], f"{key} name")
    return entries


def load_language(code: str) -> LanguageWords:
    name = f"{FOLDER}/{code}.toml"
    data = load_toml(name)
    if not isinstance(data.get("dayfirst"), bool):
        raise DataFileError(name, None, "dayfirst must be true or false")
    return LanguageWords(
        months=_names(name, data, "months", 12),
        weekdays=_names(name, data, "weekdays", 7),
        dayfirst=data["dayfirst"],
        published=_words(name, data, "published"),
        updated=_words(name, data, "updated"),
    )


@cache
def load_common() -> dict[str, Any]:
    name = f"{FOLDER}/common.toml"
    data = load_toml(name)
    lists = ("languages", "common_published", "connectors", "time_markers", "time_suffixes")
    for key in (*lists, "byline_starts", "ordinals"):
        _words(name, data, key)
    offsets = data.get("tz_offsets")
    if not isinstance(offsets, dict) or not all(isinstance(v, int) for v in offsets.values()):
        raise DataFileError(name, None, "[tz_offsets] must map zone names to minutes")
    return data


@cache
def load_words() -> dict[str, LanguageWords]:
    return {code: load_language(code) for code in load_common()["languages"]}


_COMMON = load_common()
WORDS: dict[str, LanguageWords] = load_words()
LANGUAGES: tuple[str, ...] = tuple(WORDS)
COMMON_PUBLISHED: tuple[str, ...] = tuple(_COMMON["common_published"])
CONNECTORS: tuple[str, ...] = tuple(_COMMON["connectors"])
TIME_MARKERS: tuple[str, ...] = tuple(_COMMON["time_markers"])
TIME_SUFFIXES: tuple[str, ...] = tuple(_COMMON["time_suffixes"])
BYLINE_STARTS: tuple[str, ...] = tuple(_COMMON["byline_starts"])
ORDINALS: tuple[str, ...] = tuple(_COMMON["ordinals"])
TZ_OFFSETS: dict[str, int] = dict(_COMMON["tz_offsets"])
