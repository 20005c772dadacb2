"""Hypothesis strategies over the corpus, the example budget, and raw request encodings.

``TRACKER_HOSTILE_EXAMPLES`` is the example budget per database engine (default
``DEFAULT_BUDGET``): each test takes its share of it, so the shares of all hostile tests add up
to the budget, and every example makes at least one submission. The full run sets it to
10000 or more."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import TypeVar
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.hostile import corpus

ENV = "TRACKER_HOSTILE_EXAMPLES"
DEFAULT_BUDGET = 700
FULL_BUDGET = 10_000


def budget() -> int:
    raw = os.environ.get(ENV, "").strip()
    return int(raw) if raw else DEFAULT_BUDGET


def full_run() -> bool:
    return budget() >= FULL_BUDGET


def hostile_settings(share: float) -> settings:
    """Settings for a test that takes ``share`` (a fraction) of the budget."""
    return settings(
        max_examples=max(3, math.ceil(budget() * share)),
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
    )


T = TypeVar("T")


def weighted(*options: tuple[int, SearchStrategy[T]]) -> SearchStrategy[T]:
    """One of ``options``, each drawn with its weight (drawn by index: the strategy's repr,
    which hypothesis prints when a test fails, stays short)."""
    picks = [strategy for weight, strategy in options for _ in range(weight)]
    return st.integers(0, len(picks) - 1).flatmap(lambda index: picks[index])


def one_of_corpus(items: Sequence[T]) -> SearchStrategy[T]:
    """An item of ``items``, drawn by index (a short repr, as in ``weighted``)."""
    return st.integers(0, len(items) - 1).map(lambda index: items[index])


_ANY_CHAR = st.characters(codec=None, exclude_categories=())
ANY_TEXT = st.text(_ANY_CHAR, max_size=60)  # surrogates and control characters included
CORPUS = one_of_corpus(corpus.STRINGS)
MIXED = st.tuples(CORPUS, ANY_TEXT, CORPUS).map("".join)


def texts(big: bool = False, plain: Sequence[str] = ()) -> SearchStrategy[str]:
    """Hostile text: corpus payloads, random text (with surrogates), mixes, and with ``big``
    now and then a 1 MB field; ``plain``: ordinary values that pass validation."""
    options: list[tuple[int, SearchStrategy[str]]] = []
    if plain:
        options.append((3, st.tuples(st.sampled_from(plain), CORPUS).map(" ".join)))
        options.append((3, st.sampled_from(plain)))
    options += [(6, CORPUS), (3, ANY_TEXT), (4, MIXED)]
    if big:
        options.append((1, st.sampled_from([corpus.megabyte_field(), corpus.big_text()])))
    return weighted(*options)


def numbers(plain: Sequence[str] = ("50", "0", "100", "12.5")) -> SearchStrategy[str]:
    floats = st.floats(allow_nan=True, allow_infinity=True).map(repr)
    return weighted(
        (5, st.sampled_from(corpus.NUMBER_TEXTS)),
        (2, st.integers().map(str)),
        (2, floats),
        (1, ANY_TEXT),
        (3, st.sampled_from(plain)),
    )


def ids(known: Sequence[int] = ()) -> SearchStrategy[str]:
    options: list[tuple[int, SearchStrategy[str]]] = [
        (4, st.sampled_from(corpus.IDS)),
        (2, st.integers(-5, 2**65).map(str)),
        (1, ANY_TEXT),
    ]
    if known:
        options.append((4, st.sampled_from([str(k) for k in known])))
    return weighted(*options)


def choice(
    valid: Sequence[str], hostile: Sequence[str] = corpus.VERDICT_TEXTS
) -> SearchStrategy[str]:
    return weighted((3, st.sampled_from(valid)), (2, st.sampled_from(hostile)), (1, ANY_TEXT))


def urls() -> SearchStrategy[str]:
    return weighted(
        (5, st.sampled_from(corpus.URLS)),
        (2, st.sampled_from(["https://example.org/a", "http://news.example/x?y=1"])),
        (2, ANY_TEXT.map(lambda t: "https://example.org/" + t)),
        (1, ANY_TEXT),
    )


# --- raw encodings ---------------------------------------------------------------------------

Value = str | bytes


def wire(value: Value) -> bytes:
    """A value's bytes as a hostile client sends them: lone surrogates become invalid UTF-8."""
    return value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")


def form_body(fields: Mapping[str, Value | list[Value]]) -> bytes:
    """An application/x-www-form-urlencoded body, byte for byte."""
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(quote_from_bytes(wire(name)) + "=" + quote_from_bytes(wire(item)))
    return "&".join(parts).encode("ascii")


def query_string(fields: Mapping[str, Value]) -> str:
    """A query string for ``environ_overrides={"QUERY_STRING": ...}`` (WSGI's latin-1)."""
    return form_body(fields).decode("latin-1")


def raw_query(fields: Mapping[str, Value]) -> str:
    """A query string whose bytes are sent without percent-encoding (invalid UTF-8 stays raw)."""
    return "&".join(
        wire(name).decode("latin-1") + "=" + wire(value).decode("latin-1").replace("&", "%26")
        for name, value in fields.items()
    )


def maybe_bytes(strategy: SearchStrategy[str]) -> SearchStrategy[Value]:
    """Mostly the text, sometimes bytes that are not UTF-8."""
    invalid: SearchStrategy[Value] = st.sampled_from(corpus.INVALID_UTF8)
    return weighted((8, strategy), (1, invalid))
