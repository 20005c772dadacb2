"""Pure quote matching over a normalized view of a text, with offsets into the original.

The normalized view applies NFKC and casefolding, folds typographic quotes and dashes to ASCII,
drops invisible format characters (soft hyphens, zero-width spaces and joiners) and collapses
every run of whitespace to one space. Each normalized character remembers the original
characters it came from, so a match in the view maps back to exact original offsets (Python
str indices). A base character and its combining marks are normalized together, so "e" plus a
combining acute matches a precomposed "é".

Scores are rapidfuzz Indel similarities (``fuzz.ratio``, 0..100) between the normalized quote
and the normalized passage. Fuzzy passages always start and end on word boundaries: a rough
window from ``partial_ratio_alignment`` has its edges moved to the best nearby boundaries.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

__all__ = [
    "Match",
    "NormalizedText",
    "fuzzy_find",
    "is_whole_words",
    "normalize",
    "normalize_view",
    "prefix_similarity",
    "suffix_similarity",
]

_QUOTES = "'\"`´‘’‚‛“”„‟«»‹›′″"
_DASHES = "‐‑‒–—―−﹘﹣－"
_FOLD = str.maketrans({**dict.fromkeys(_QUOTES, '"'), **dict.fromkeys(_DASHES, "-")})
MAX_CANDIDATES = 20  # a search stops after this many passages (so it counts at most 20)


@dataclass(frozen=True)
class NormalizedText:
    text: str  # the normalized view
    starts: tuple[int, ...]  # original start offset of each normalized character
    ends: tuple[int, ...]  # original end offset of each normalized character

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized span [start, end) (end > start)."""
        return self.starts[start], self.ends[end - 1]


@dataclass(frozen=True)
class Match:
    start: int  # original offsets
    end: int
    score: float  # 0..100


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M"


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each base character with the combining marks that follow it."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.category(text[j])[0] == "M":
            j += 1
        out.append((i, j))
        i = j
    return out


@lru_cache(maxsize=16)
def normalize_view(text: str) -> NormalizedText:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, j in _clusters(text):
        if unicodedata.category(text[i]) == "Cf":
            continue  # soft hyphen, zero-width space/joiner, BOM: invisible
        folded = unicodedata.normalize("NFKC", text[i:j]).casefold().translate(_FOLD)
        for ch in folded:
            if ch.isspace():
                if chars and chars[-1] == " ":
                    ends[-1] = j  # the collapsed space covers the whole run
                    continue
                ch = " "
            chars.append(ch)
            starts.append(i)
            ends.append(j)
    return NormalizedText("".join(chars), tuple(starts), tuple(ends))


def normalize(text: str) -> str:
    """The normalized view of ``text`` without surrounding spaces (for comparisons)."""
    return normalize_view(text).text.strip()


def is_whole_words(text: str, start: int, end: int) -> bool:
    """True when [start, end) cuts no word (or combining sequence) of ``text`` in two."""
    if 0 < start < len(text) and _is_word(text[start - 1]) and _is_word(text[start]):
        return False
    return not (0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]))


def prefix_similarity(text: str, start: int, prefix: str) -> float:
    """How closely the text just before ``start`` matches ``prefix`` (0..100)."""
    wanted = normalize(prefix)
    if not wanted:
        return 0.0
    before = normalize(text[max(0, start - len(prefix) - 16) : start])
    return fuzz.ratio(wanted, before[-len(wanted) :] if before else "")


def suffix_similarity(text: str, end: int, suffix: str) -> float:
    """How closely the text just after ``end`` matches ``suffix`` (0..100)."""
    wanted = normalize(suffix)
    if not wanted:
        return 0.0
    after = normalize(text[end : end + len(suffix) + 16])
    return fuzz.ratio(wanted, after[: len(wanted)])


@dataclass(frozen=True)
class _Cuts:
    """Valid start and end positions in a view: word boundaries, never next to a space."""

    starts: list[int]
    ends: list[int]
    start_set: frozenset[int]
    end_set: frozenset[int]


def _cuts(view: str) -> _Cuts:
    word = [_is_word(ch) for ch in view]
    n = len(view)
    starts = [p for p in range(n) if view[p] != " " and (p == 0 or not (word[p - 1] and word[p]))]
    ends = [
        p
        for p in range(1, n + 1)
        if view[p - 1] != " " and (p == n or not (word[p - 1] and word[p]))
    ]
    return _Cuts(starts, ends, frozenset(starts), frozenset(ends))


@lru_cache(maxsize=16)
def _view_cuts(text: str) -> _Cuts:
    return _cuts(normalize_view(text).text)


def _gain(quote: str, span: str) -> int:
    """What the boundary search maximises: a quote character left unmatched costs twice as
    much as an extra passage character, so a span grows over a word the quote left out (the
    symmetric ``ratio`` would rather stop short of it)."""
    common = int(LCSseq.similarity(quote, span))
    return 3 * common - len(span)


def _best_cut(
    quote: str, view: str, options: list[int], fixed: int, current: int, *, is_start: bool
) -> int:
    """The option for one edge that maximises ``_gain`` with the other edge ``fixed``."""
    best, best_key = current, (-(10**9), 0)
    for p in options:
        if (is_start and p >= fixed) or (not is_start and p <= fixed):
            continue
        span = view[p:fixed] if is_start else view[fixed:p]
        key = (_gain(quote, span), -abs(p - current))
        if key > best_key:
            best, best_key = p, key
    return best


def _between(sorted_positions: list[int], lo: int, hi: int) -> list[int]:
    """The positions p with lo <= p <= hi."""
    return sorted_positions[bisect_left(sorted_positions, lo) : bisect_right(sorted_positions, hi)]


def _edge_token(quote: str, *, last: bool) -> str:
    """The quote's first (or last) word, or its first (last) punctuation mark."""
    chars = quote[::-1] if last else quote
    n = 1
    if _is_word(chars[0]):
        while n < len(chars) and _is_word(chars[n]):
            n += 1
    return quote[-n:] if last else quote[:n]


def _reach_edge_words(
    quote: str, view: str, cuts: _Cuts, lo: int, hi: int, start: int, end: int
) -> tuple[int, int]:
    """Widen [start, end) to the quote's first and last words when they lie just outside.

    The boundary search stops short of a leading "Ein" when the quote left out the word
    after it ("Ein Bündnis" for "Ein militärisches Bündnis"): too few characters match.
    """
    gap = max(24, len(quote) // 4)
    first, last = _edge_token(quote, last=False), _edge_token(quote, last=True)
    if not view.startswith(first, start):
        at = view.rfind(first, max(lo, start - gap - len(first)), start)
        while at != -1 and not (at in cuts.start_set and at + len(first) in cuts.end_set):
            at = view.rfind(first, max(lo, start - gap - len(first)), at)
        start = start if at == -1 else at
    if not view.endswith(last, start, end):
        at = view.find(last, end, min(hi, end + gap + len(last)))
        while at != -1 and not (at in cuts.start_set and at + len(last) in cuts.end_set):
            at = view.find(last, at + 1, min(hi, end + gap + len(last)))
        end = end if at == -1 else at + len(last)
    return start, end


def _refine(
    quote: str, view: str, cuts: _Cuts, lo: int, hi: int, s: int, e: int
) -> tuple[int, int, float] | None:
    """Move the edges of the rough window [s, e) to the word boundaries that score best."""
    slack = max(8, len(quote) // 2)
    starts = _between(cuts.starts, max(lo, s - slack), min(hi - 1, s + slack))
    ends = _between(cuts.ends, max(lo + 1, e - slack), min(hi, e + slack))
    if not starts or not ends:
        return None
    start = min(starts, key=lambda p: abs(p - s))
    end = min((p for p in ends if p > start), key=lambda p: abs(p - e), default=None)
    if end is None:
        return None
    for _ in range(4):  # coordinate ascent: start, then end, until nothing changes
        new_start = _best_cut(quote, view, starts, end, start, is_start=True)
        new_end = _best_cut(quote, view, ends, new_start, end, is_start=False)
        if (new_start, new_end) == (start, end):
            break
        start, end = new_start, new_end
    start, end = _reach_edge_words(quote, view, cuts, lo, hi, start, end)
    return start, end, fuzz.ratio(quote, view[start:end])


def fuzzy_find(text: str, quote: str, *, floor: float, limit: int = MAX_CANDIDATES) -> list[Match]:
    """Non-overlapping passages of ``text`` resembling ``quote``, best first.

    The first match is the best passage found, even when it scores below ``floor`` (so a
    refusal can name it); any others score at least ``floor``. Empty when nothing at all
    can be aligned (an empty text or quote).
    """
    q = normalize(quote)
    norm = normalize_view(text)
    view = norm.text
    if not q or not view.strip():
        return []
    cuts = _view_cuts(text)
    found: list[tuple[int, int, float]] = []
    segments = [(0, len(view))]
    while segments and len(found) < limit:
        lo, hi = segments.pop()
        if found and hi - lo < max(1, len(q) // 2):
            continue  # too short a gap between two matches to hold another
        part = view[lo:hi]
        if len(part) <= len(q):
            s, e = lo, hi
        else:
            rough = fuzz.partial_ratio_alignment(q, part)
            s, e = (
                (lo, lo + len(q)) if rough is None else (lo + rough.dest_start, lo + rough.dest_end)
            )
        refined = _refine(q, view, cuts, lo, hi, s, e)
        if refined is None or (found and refined[2] < floor):
            continue
        found.append(refined)
        if refined[2] >= floor:
            segments += [(refined[1], hi), (lo, refined[0])]  # the left part is searched first
    matches = []
    for s, e, score in found:
        start, end = norm.to_original(s, e)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        matches.append(Match(start, end, score))
    return sorted(matches, key=lambda m: (-m.score, m.start))
