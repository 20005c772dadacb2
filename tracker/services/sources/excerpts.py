"""Excerpts: exact spans of a source with W3C TextQuote/TextPosition selectors.

Offsets count Python characters (code points) over the source's original text.

- ``anchor_quote`` finds a quote: exactly first, else the best fuzzy passage (see
  ``fuzzy_match``), refused below ``DEFAULT_MIN_SCORE``. Several equally good places (a source
  that repeats its body) are told apart by ``occurrence`` or by a prefix/suffix, never guessed.
- ``selectors_for`` builds the W3C selectors; ``reanchor`` finds them again in a changed text,
  as Hypothesis does: the old position, then the exact quote ranked by its context, then a
  fuzzy quote; otherwise the excerpt is orphaned.
- ``copy_of`` says which copy of a repeated block a span lies in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Excerpt, Source
from tracker.services.audit import log as audit
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.quote_match import (
    fuzzy_find,
    is_whole_words,
    normalize,
    prefix_similarity,
    suffix_similarity,
)

CONTEXT_CHARS = 32
# Indel similarity (0..100) a fuzzy passage needs. One typo costs about 200/(2 * length)
# points, so 85 lets a 40-character quote carry three typos, or a sentence of 80 characters
# miss a word of ten, while different sentences about the same subject score 40-75.
DEFAULT_MIN_SCORE: float = 85.0
# Fuzzy passages this close to the best score count as equally good places for the quote.
TIE_MARGIN = 2.0
_SHOWN = 80  # characters of a near-match quoted in an error message

__all__ = [
    "CONTEXT_CHARS",
    "DEFAULT_MIN_SCORE",
    "Anchor",
    "Reanchored",
    "anchor_quote",
    "copy_of",
    "excerpt_from_quote",
    "find_occurrences",
    "get_or_create_excerpt",
    "locate_quote",
    "reanchor",
    "selectors_for",
]


def find_occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote``."""
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def locate_quote(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """Offsets of an exact quote; ``occurrence`` (1-based) picks one of several copies."""
    if not quote:
        raise Invalid("the quote is empty")
    starts = find_occurrences(text, quote)
    if not starts:
        raise Invalid(f"the quote does not occur in the source: {quote[:60]!r}")
    if occurrence is None:
        if len(starts) > 1:
            raise Invalid(
                f"the quote occurs {len(starts)} times in the source; say which occurrence"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise Invalid(f"occurrence {occurrence} does not exist (the quote occurs {len(starts)}x)")
    start = starts[occurrence - 1]
    return start, start + len(quote)


# --- quotes to spans ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int  # text[start:end] is the anchored passage
    score: float  # 100.0 for an exact match
    method: str  # "exact" | "fuzzy"
    occurrences: int  # exact occurrences of the quote (0 for a fuzzy match)
    copy: tuple[int, int, int] | None = None  # (group, copy, copies) inside a repeated block


def _field(span: Any, *names: str) -> Any:
    """The first of ``names`` that the span (an object or a mapping) has a value for."""
    for name in names:
        value = span.get(name) if isinstance(span, Mapping) else getattr(span, name, None)
        if value is not None:
            return value
    return None


def copy_of(spans: Iterable[Any], start: int, end: int) -> tuple[int, int, int] | None:
    """(group, copy, copies) of the repeated-block copy containing [start, end), or None.

    Accepts ``SourceSpan`` rows (``start_offset``, ``group_no``, ``copy_no``), ``spans.Span``
    objects (``start``, ``group``, ``copy``) and mappings with either set of keys.
    """
    for span in spans:
        if _field(span, "kind") != "repeated":  # SpanKind is a StrEnum: compares as str
            continue
        lo, hi = _field(span, "start_offset", "start"), _field(span, "end_offset", "end")
        group, copy = _field(span, "group_no", "group"), _field(span, "copy_no", "copy")
        copies = _field(span, "copies")
        if None in (lo, hi, group, copy, copies):
            continue
        if lo <= start and end <= hi:
            return int(group), int(copy), int(copies)
    return None


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN else flat[: _SHOWN - 1] + "…"


def _where(spans: Sequence[Any], places: Sequence[tuple[int, int]]) -> str:
    """ " (in copies 1 and 2 of a block the source repeats)" when that explains the places."""
    copies = [copy_of(spans, s, e) for s, e in places]
    if not spans or None in copies or len({c[0] for c in copies if c}) != 1:
        return ""
    numbers = [str(c[1]) for c in copies if c]
    return f" (in copies {', '.join(numbers[:-1])} and {numbers[-1]} of a block the source repeats)"


def _choose(
    text: str,
    places: Sequence[tuple[int, int]],
    *,
    occurrence: int | None,
    prefix: str,
    suffix: str,
    spans: Sequence[Any],
    fuzzy: bool,
) -> tuple[int, int]:
    """One of several equally good places: by ``occurrence``, else by prefix/suffix."""
    count = len(places)
    if fuzzy:
        what = "matches 1 passage" if count == 1 else f"matches {count} passages equally well"
    else:
        what = "occurs once" if count == 1 else f"occurs {count} times"
    if occurrence is not None:
        if not 1 <= occurrence <= count:
            raise Invalid(f"occurrence {occurrence} does not exist (the quote {what})")
        return places[occurrence - 1]
    if count == 1:
        return places[0]
    where = f" in the source{_where(spans, places)}"
    if prefix.strip() or suffix.strip():
        ranked = sorted(
            ((_context_score(text, s, e, prefix, suffix), (s, e)) for s, e in places),
            reverse=True,
        )
        if ranked[0][0] > ranked[1][0]:
            return ranked[0][1]
        raise Invalid(
            f"the quote {what}{where} and the prefix/suffix fit more than one of them "
            f"equally; say which occurrence (1-{count})"
        )
    raise Invalid(
        f"the quote {what}{where}; say which occurrence (1-{count}) or give a prefix or suffix"
    )


def anchor_quote(
    text: str,
    quote: str,
    *,
    occurrence: int | None = None,
    prefix: str = "",
    suffix: str = "",
    min_score: float = DEFAULT_MIN_SCORE,
    spans: Iterable[Any] = (),
) -> Anchor:
    """The passage of ``text`` that ``quote`` refers to; raises Invalid when there is none.

    The quote is stripped of surrounding whitespace. Exact occurrences come first; when some
    of them are whole words, the ones that cut a word in two are ignored. Without one, the
    best fuzzy passage (whole words, original offsets) must score at least ``min_score``.
    ``occurrence`` (1-based, in text order) or ``prefix``/``suffix`` choose between several
    places; ``spans`` (a source's derived spans) fill in ``Anchor.copy``.
    """
    quote = quote.strip()
    if not quote:
        raise Invalid("the quote is empty")
    if not 0 <= min_score <= 100:
        raise Invalid(f"the minimum score must be between 0 and 100, not {min_score:g}")
    span_list = list(spans)
    starts = find_occurrences(text, quote)
    whole = [s for s in starts if is_whole_words(text, s, s + len(quote))]
    places = [(s, s + len(quote)) for s in (whole or starts)]

    def choose(places: Sequence[tuple[int, int]], fuzzy: bool) -> tuple[int, int]:
        return _choose(
            text,
            places,
            occurrence=occurrence,
            prefix=prefix,
            suffix=suffix,
            spans=span_list,
            fuzzy=fuzzy,
        )

    if places:
        start, end = choose(places, fuzzy=False)
        return Anchor(start, end, 100.0, "exact", len(places), copy_of(span_list, start, end))
    matches = fuzzy_find(text, quote, floor=min_score)
    if not matches:
        what = "the quote has no visible text" if not normalize(quote) else "the source is blank"
        raise Invalid(f"{what}: nothing to match")
    best = matches[0]
    if best.score < min_score:
        raise Invalid(
            f"the quote does not occur in the source; the closest passage is "
            f"{_shorten(text[best.start : best.end])!r} (score {best.score:.1f}, "
            f"below the minimum of {min_score:g})"
        )
    tied = sorted((m.start, m.end) for m in matches if m.score >= best.score - TIE_MARGIN)
    start, end = choose(tied, fuzzy=True)
    score = next(m.score for m in matches if (m.start, m.end) == (start, end))
    return Anchor(start, end, score, "fuzzy", 0, copy_of(span_list, start, end))


# --- selectors and re-anchoring ----------------------------------------------------------------


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """The W3C prefix and suffix: up to CONTEXT_CHARS characters either side."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def selectors_for(text: str, start: int, end: int) -> list[dict[str, Any]]:
    """The W3C TextQuoteSelector and TextPositionSelector of [start, end), as
    ``Excerpt.selectors()`` returns them."""
    if not (0 <= start < end <= len(text)):
        raise Invalid(f"offsets {start}-{end} are outside the text (length {len(text)})")
    prefix, suffix = _context(text, start, end)
    return [
        {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


@dataclass(frozen=True)
class Reanchored:
    status: str  # "anchored" | "orphaned"
    start: int | None
    end: int | None
    score: float  # quote similarity; for an orphan, that of the best passage found (or 0)
    method: str | None  # "position" | "exact" | "fuzzy"; None for an orphan


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """Prefix plus suffix similarity (0..200) of the place [start, end)."""
    score = prefix_similarity(text, start, prefix) if prefix.strip() else 0.0
    return score + (suffix_similarity(text, end, suffix) if suffix.strip() else 0.0)


def _is_offset(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_selectors(
    selector: Sequence[Mapping[str, Any]] | Mapping[str, Any],
) -> tuple[str, str, str, tuple[int, int] | None]:
    """(exact, prefix, suffix, old position) from one selector or a list of them."""
    items = [selector] if isinstance(selector, Mapping) else list(selector)
    exact, prefix, suffix, position = "", "", "", None
    for item in items:
        if not isinstance(item, Mapping):
            raise Invalid(f"a selector must be a mapping, not {type(item).__name__}")
        if isinstance(item.get("exact"), str):
            exact = item["exact"]
            prefix, suffix = str(item.get("prefix") or ""), str(item.get("suffix") or "")
        start, end = item.get("start"), item.get("end")
        if _is_offset(start) and _is_offset(end):
            position = (start, end)
    if not exact and position is None:
        raise Invalid("no TextQuoteSelector or TextPositionSelector to re-anchor")
    return exact, prefix, suffix, position


def reanchor(
    selector: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    text: str,
    *,
    min_score: float = DEFAULT_MIN_SCORE,
) -> Reanchored:
    """Find an excerpt again in a changed ``text`` from its W3C selectors.

    Tried in order: (1) the old position, when it still holds the exact quote; (2) exact
    occurrences of the quote, ranked by prefix/suffix similarity and closeness to the old
    position; (3) fuzzy passages scoring at least ``min_score``, ranked by score, context and
    closeness (Hypothesis' weights: quote 50, prefix 20, suffix 20, position 2). Otherwise
    the excerpt is orphaned. A position without a quote is kept when it still fits the text.
    """
    exact, prefix, suffix, position = _parse_selectors(selector)
    fits = position is not None and 0 <= position[0] < position[1] <= len(text)
    if position is not None and fits and (not exact or text[position[0] : position[1]] == exact):
        return Reanchored("anchored", position[0], position[1], 100.0, "position")
    if not exact:
        return Reanchored("orphaned", None, None, 0.0, None)

    def rank(start: int, end: int, score: float) -> float:
        near = 0.0
        if position is not None:
            near = 1 - min(abs(start - position[0]), len(text)) / max(len(text), 1)
        context = 0.2 * _context_score(text, start, end, prefix, suffix)  # 0..40
        return 0.5 * score + context + 2 * near

    starts = find_occurrences(text, exact)
    if starts:
        start = max(starts, key=lambda s: rank(s, s + len(exact), 100.0))
        return Reanchored("anchored", start, start + len(exact), 100.0, "exact")
    matches = fuzzy_find(text, exact, floor=min_score)
    good = [m for m in matches if m.score >= min_score]
    if not good:
        best_score = matches[0].score if matches else 0.0
        return Reanchored("orphaned", None, None, best_score, None)
    best = max(good, key=lambda m: rank(m.start, m.end, m.score))
    return Reanchored("anchored", best.start, best.end, best.score, "fuzzy")


# --- excerpts in the database ------------------------------------------------------------------


def get_excerpt(session: Session, excerpt_id: int) -> Excerpt:
    """The excerpt with its evidence links; NotFound when there is none."""
    excerpt = session.get(Excerpt, excerpt_id, options=[selectinload(Excerpt.evidence)])
    if excerpt is None:
        raise NotFound(f"excerpt {excerpt_id} does not exist")
    return excerpt


def excerpt_at(session: Session, source_id: int, start: int, end: int) -> int | None:
    """The id of the excerpt of exactly this span, if it is stored."""
    found: int | None = session.scalar(
        select(Excerpt.id).where(
            Excerpt.source_id == source_id,
            Excerpt.start_offset == start,
            Excerpt.end_offset == end,
        )
    )
    return found


def excerpts_after(
    session: Session, *, source_id: int | None = None, after: int | None = None, limit: int
) -> list[Excerpt]:
    """Up to ``limit`` excerpts with ids above ``after`` (of one source, if given), in id order,
    with their evidence links (the API's keyset pages)."""
    stmt = select(Excerpt).options(selectinload(Excerpt.evidence)).order_by(Excerpt.id)
    if source_id is not None:
        stmt = stmt.where(Excerpt.source_id == source_id)
    if after is not None:
        stmt = stmt.where(Excerpt.id > after)
    return list(session.scalars(stmt.limit(limit)))


def get_or_create_excerpt(
    session: Session,
    source: Source,
    start: int,
    end: int,
    *,
    actor: audit.Actor,
    reason: str | None = None,
) -> tuple[Excerpt, bool]:
    """The excerpt at [start, end) of the source, created with its selectors if new."""
    if not (0 <= start < end <= len(source.text)):
        raise Invalid(f"offsets {start}-{end} are outside the source (length {len(source.text)})")
    existing = session.scalar(
        select(Excerpt).where(
            Excerpt.source_id == source.id, Excerpt.start_offset == start, Excerpt.end_offset == end
        )
    )
    if existing is not None:
        return existing, False
    text = source.text
    prefix, suffix = _context(text, start, end)
    excerpt = Excerpt(
        source=source,
        start_offset=start,
        end_offset=end,
        exact=text[start:end],
        prefix=prefix,
        suffix=suffix,
        created_by=actor.name,
    )
    session.add(excerpt)
    session.flush()
    audit.record(
        session,
        actor,
        "excerpt.create",
        "excerpt",
        excerpt.id,
        audit.created({"source_id": source.id, "start": start, "end": end, "exact": excerpt.exact}),
        reason=reason,
    )
    return excerpt, True


def excerpt_from_quote(
    session: Session,
    source: Source,
    quote: str,
    *,
    actor: audit.Actor,
    occurrence: int | None = None,
    prefix: str = "",
    suffix: str = "",
    min_score: float = DEFAULT_MIN_SCORE,
) -> tuple[Excerpt, Anchor]:
    """The excerpt a quote refers to (``anchor_quote``), created and audited if new. A fuzzy
    match records the quote as given and its score as the audit event's reason."""
    anchor = anchor_quote(
        source.text,
        quote,
        occurrence=occurrence,
        prefix=prefix,
        suffix=suffix,
        min_score=min_score,
        spans=source.spans,
    )
    reason = None
    if anchor.method == "fuzzy":
        reason = f"fuzzy match (score {anchor.score:.1f}) of the quote {_shorten(quote)!r}"
    excerpt, _ = get_or_create_excerpt(
        session, source, anchor.start, anchor.end, actor=actor, reason=reason
    )
    return excerpt, anchor
