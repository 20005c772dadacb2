"""Sentence splitting over exact text: spans are str offsets, a line break always ends a
sentence, and abbreviations, initials and dates such as "28. mai" do not."""

from __future__ import annotations

import re

_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_BOUNDARY_RE = re.compile(r"[.!?…‽]+[\"'”’»)\]]*(?=\s)")
_DOTTED_RE = re.compile(r"(?:\w\.)+\w?")
_ABBREVIATIONS = frozenset(
    (
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nr",
        "vs",
        "etc",
        "ca",
        "approx",
        "dept",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "gen",
        "col",
        "lt",
        "sgt",
        "rev",
        "hon",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "bzw",
        "usw",
        "ggf",
        "inkl",
        "evtl",
        "vgl",
        "sog",
        "bspw",
        "ua",
        "zb",
        "dh",
        "hr",
        "fr",
        "frau",
        "str",
        "tel",
        "abs",
        "ziff",
        "bl",
        "bla",
        "mfl",
        "mv",
        "osv",
        "pga",
        "ifm",
        "jf",
        "dvs",
        "evt",
        "fx",
        "kl",
        "ang",
        "red",
        "jfr",
        "resp",
        "mm",
        "mht",
        "nrk",
        "ps",
        "obs",
        "tlf",
        "dhr",
        "mevr",
        "mw",
        "blz",
        "nl",
        "bv",
        "enz",
        "mme",
        "mlle",
        "mgr",
        "env",
        "cf",
        "vol",
        "art",
        "kap",
        "nos",
    )
)


def line_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _LINE_RE.finditer(text)]


def _is_boundary(text: str, m: re.Match[str], line_start: int, line_end: int) -> bool:
    j = m.end()
    while j < line_end and text[j].isspace():
        j += 1
    if j >= line_end:
        return True
    if text[j].islower():  # "28. mai", "z. B. etwas", "... und dann"
        return False
    punct = m.group()
    if "!" in punct or "?" in punct or "…" in punct or "‽" in punct:
        return True
    lo = max(line_start, m.start() - 40)  # abbreviations are short; bounded look-back
    token = text[lo : m.start()].rsplit(None, 1)  # the token before the dot
    word = (token[-1] if token else "").lstrip("([\"'“„«").lower()
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    if _DOTTED_RE.fullmatch(word):  # "U.S", "z.B"
        return False
    return not (word.isdigit() and len(word) <= 2)  # ordinal: "am 3. Mai"


def sentence_spans(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, line index) of every sentence, whitespace trimmed."""
    out: list[tuple[int, int, int]] = []
    for li, (ls, le) in enumerate(lines):
        found = _BOUNDARY_RE.finditer(text, ls, le)
        cuts = [m.end() for m in found if _is_boundary(text, m, ls, le)]
        s = ls
        for e in [*cuts, le]:
            a, b = s, e
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                out.append((a, b, li))
            s = e
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``; a line break always ends a sentence."""
    if not isinstance(text, str) or not text:
        return []
    return [(a, b) for a, b, _ in sentence_spans(text, line_spans(text))]
