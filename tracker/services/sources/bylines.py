"""Bylines: "By Jane Doe", "Von: lvd", "Door Jan de Vries", "Skrevet av Kari Nordmann" near the
top of a text name its author. The openers are in ``tracker/data/bylines/<language>.toml``;
every language's openers are tried (a detected language can be wrong on short texts)."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("en", "de", "nl", "nb")
SEARCH_LINES = 12  # bylines sit among the first non-blank lines
MAX_NAME = 80
MAX_WORDS = 6


def _load(name: str) -> dict[str, list[str]]:
    path = resources.files("tracker").joinpath(f"data/bylines/{name}.toml")
    data: dict[str, list[str]] = tomllib.loads(path.read_text("utf-8"))
    return data


@cache
def _pattern() -> re.Pattern[str]:
    prefixes = {p for lang in LANGUAGES for p in _load(lang)["prefixes"]}
    # Longest first, so "Skrevet av" wins over "Av" and "Written by" over "By".
    alternatives = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(rf"^(?:{alternatives})(?:\s*:\s*|\s+)(?P<name>\S.*)$", re.IGNORECASE)


@cache
def _particles() -> frozenset[str]:
    return frozenset(_load("_names")["particles"])


def _looks_like_name(name: str, with_colon: bool) -> bool:
    """A handle ("lvd") after a colon, or a few capitalised words ("Jan de Vries")."""
    if len(name) > MAX_NAME or not any(ch.isalpha() for ch in name):
        return False
    if re.search(r"[.!?]\s|[.!?]$", name) and not re.fullmatch(r"(?:\w\.\s*)+\w+.*", name):
        return False  # a sentence, not a name (initials such as "J. Doe" are fine)
    words = name.replace(",", " ").split()
    if len(words) > MAX_WORDS:
        return False
    if len(words) == 1 and with_colon:
        return True
    particles = _particles()
    return all(w[0].isupper() or w.casefold() in particles or w == "&" for w in words) and any(
        w[0].isupper() for w in words
    )


def find_author(text: str) -> str | None:
    """The author named by a byline among the first lines of ``text``, or None."""
    seen = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > SEARCH_LINES:
            break
        match = _pattern().match(line)
        if match is None:
            continue
        name = match.group("name").split("|", 1)[0].strip().rstrip(",;:–-").strip()
        with_colon = ":" in line[: match.start("name")]
        if _looks_like_name(name, with_colon):
            return name
    return None
