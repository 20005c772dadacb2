"""Word lists kept as data files under ``tracker/data/`` (read once, validated on load).

Four line formats, all UTF-8, with blank lines and ``#`` comments ignored:

- phrase lists (``guards/reversal.<lang>.txt``): one phrase a line, words of letters (inner
  hyphens and apostrophes allowed); ``...`` between words is a gap of up to ``GAP_WORDS`` words
  ("remove ... from" matches "removed the Taliban from");
- synonym lists (``lexical/synonyms.<lang>.txt``): ``canonical: form form ...``; every form of
  the language's words becomes the canonical token; a form ending in ``!`` matches only as
  written, not its inflections;
- ending lists (``lexical/inflections.txt``): ``language: ending ending ...``, the regular
  endings tried on synonym and guard-table forms;
- alias lists (``lexical/aliases.txt``): ``canonical type: form; form; ...``, the format of
  ``entity_lexicon.py``; a line that starts with a space continues the entry above.

A malformed line, a duplicate phrase or form, or a form listed under two canonical words
raises ``WordFileError`` naming the file and line, so a bad edit fails at start-up and in the
tests instead of matching silently wrong.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

GAP = "..."
GAP_WORDS = 4  # words a gap may skip
LANGUAGES = ("en", "de", "nl", "nb", "fr")

_WORD = re.compile(r"^\w+(?:['’-]\w+)*!?$")
_CANONICAL = re.compile(r"^[a-z][a-z0-9_]*$")
_TYPES = frozenset({"country", "city", "region", "organization", "institution", "person"})


class WordFileError(ValueError):
    """A data file line that cannot be used: ``name:line: message``."""

    def __init__(self, name: str, line: int, message: str) -> None:
        super().__init__(f"{name}:{line}: {message}")
        self.name, self.line = name, line


def _lines(text: str, name: str, *, continued: bool = False) -> list[tuple[int, str]]:
    """(line number, content) of the lines that hold something. With ``continued``, a line
    that starts with a space continues the line before it."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if continued and raw[:1].isspace():
            if not out:
                raise WordFileError(name, number, "a continuation line needs a line before it")
            out[-1] = (out[-1][0], f"{out[-1][1]} {line}")
        else:
            out.append((number, line))
    return out


def _is_word(word: str) -> bool:
    return bool(_WORD.match(word)) and not any(c.isdigit() for c in word)


def parse_phrases(text: str, name: str) -> tuple[tuple[str, ...], ...]:
    """The phrases of a phrase list, each a tuple of words and ``GAP`` markers."""
    seen: dict[tuple[str, ...], int] = {}
    for number, line in _lines(text, name):
        words = tuple(line.casefold().split())
        if words[0] == GAP or words[-1] == GAP:
            raise WordFileError(name, number, f"a phrase cannot start or end with {GAP}")
        if f"{GAP} {GAP}" in " ".join(words):
            raise WordFileError(name, number, f"two {GAP} in a row")
        bad = [w for w in words if w != GAP and (w.endswith("!") or not _is_word(w))]
        if bad:
            raise WordFileError(name, number, f"not a word: {bad[0]!r}")
        if words in seen:
            raise WordFileError(name, number, f"duplicate of line {seen[words]}: {line!r}")
        seen[words] = number
    return tuple(seen)


def parse_synonyms(
    text: str, name: str, *, unique_forms: bool = True
) -> dict[str, tuple[str, ...]]:
    """canonical -> forms of a synonym list (with ``unique_forms``, a form may appear under
    one canonical word only)."""
    table: dict[str, tuple[str, ...]] = {}
    where: dict[str, tuple[int, str]] = {}  # form -> (line, canonical)
    for number, line in _lines(text, name):
        head, colon, rest = line.partition(":")
        canonical = head.strip()
        if not colon or not _CANONICAL.match(canonical):
            raise WordFileError(name, number, "expected 'canonical: form form ...'")
        if canonical in table:
            raise WordFileError(name, number, f"{canonical!r} is listed twice")
        forms = rest.casefold().split()
        if not forms:
            raise WordFileError(name, number, f"no forms for {canonical!r}")
        for form in forms:
            if not _is_word(form):
                raise WordFileError(name, number, f"not a word: {form!r}")
            key = form.rstrip("!") if unique_forms else f"{canonical}:{form}"
            if key in where:
                line_no, other = where[key]
                raise WordFileError(
                    name, number, f"{form!r} is already a form of {other!r} (line {line_no})"
                )
            where[key] = (number, canonical)
        table[canonical] = tuple(forms)
    return table


def parse_aliases(text: str, name: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """canonical -> (type, surface forms) of an alias list."""
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    where: dict[str, int] = {}
    for number, line in _lines(text, name, continued=True):
        head, colon, rest = line.partition(":")
        parts = head.split()
        if not colon or len(parts) != 2 or not _CANONICAL.match(parts[0]):
            raise WordFileError(name, number, "expected 'canonical type: form; form; ...'")
        canonical, kind = parts
        if kind not in _TYPES:
            raise WordFileError(name, number, f"unknown type {kind!r}")
        if canonical in table:
            raise WordFileError(name, number, f"{canonical!r} is listed twice")
        forms = tuple(f.strip() for f in rest.split(";") if f.strip())
        if not forms:
            raise WordFileError(name, number, f"no forms for {canonical!r}")
        for form in forms:
            key = " ".join(form.casefold().split())
            if key in where:
                raise WordFileError(name, number, f"{form!r} is already listed (line {where[key]})")
            where[key] = number
        table[canonical] = (kind, forms)
    return table


def _read(path: str) -> str:
    return resources.files("tracker").joinpath("data", *path.split("/")).read_text("utf-8")


@lru_cache(maxsize=16)
def reversal_phrases(language: str) -> tuple[tuple[str, ...], ...]:
    """The removal and reversal phrases of a language ("delist", "aufheben", "oppheve")."""
    lang = "nb" if language in ("nn", "no") else language
    if lang not in LANGUAGES:
        return ()
    path = f"guards/reversal.{lang}.txt"
    return parse_phrases(_read(path), path)


@lru_cache(maxsize=16)
def synonyms(language: str) -> dict[str, tuple[str, ...]]:
    """canonical -> forms added to ``lexicon.SYNONYMS`` for a language."""
    lang = "nb" if language in ("nn", "no") else language
    if lang not in LANGUAGES:
        return {}
    path = f"lexical/synonyms.{lang}.txt"
    return parse_synonyms(_read(path), path)


@lru_cache(maxsize=16)
def inflections(language: str) -> tuple[str, ...]:
    """Regular endings tried on the synonym forms of a language (``lexical/inflections.txt``)."""
    lang = "nb" if language in ("nn", "no") else language
    path = "lexical/inflections.txt"
    table = parse_synonyms(_read(path), path, unique_forms=False)
    return tuple(table.get(lang, ()))


@lru_cache(maxsize=1)
def extra_aliases() -> dict[str, tuple[str, tuple[str, ...]]]:
    """canonical -> (type, forms) added to the seed alias list."""
    path = "lexical/aliases.txt"
    return parse_aliases(_read(path), path)
