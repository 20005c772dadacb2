"""Hostile files for the CLI importers, written at test time: texts, HTML, bombs renamed as
text, CSV files with formulas and NUL bytes, JSON that nests too deep, ClaimReview records with
javascript: URLs and unknown ratings."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.hostile import corpus
from tests.hostile.strategies import ANY_TEXT, one_of_corpus, texts, urls, weighted, wire

_numbers = itertools.count(1)

# File contents by name: drawn by name, made on demand (hypothesis reports the name only).
CONTENTS: dict[str, Callable[[], bytes]] = {
    "zip bomb": corpus.zip_bomb,
    "gzip bomb": corpus.gzip_bomb,
    "100k nested divs": corpus.nested_html,
    "100k nested spans": lambda: corpus.nested_html(100_000, "span"),
    **{what: partial(bytes, blob) for what, blob in corpus.binary_blobs()},
    **{f"html {n}": partial(bytes, doc) for n, doc in enumerate(corpus.HTML_DOCUMENTS)},
}
SUFFIXES = (".txt", ".html", ".md", ".htm", ".csv", ".exe", "")
# File names, some not UTF-8 (as a hostile archive may leave them).
NAMES: tuple[str | bytes, ...] = (
    "plain",
    "\u202etxt.exe",
    "../escape",
    "-rf",
    "--help",
    "a" * 200,
    "=cmd|' /C calc'!A0",
    b"\xff\xfe-not-utf8",
    b"caf\xe9",
)


def unique_path(folder: Path, name: str | bytes, suffix: str) -> Path:
    """A new file path in ``folder`` (its own subfolder, so names may repeat)."""
    where = folder / f"f{next(_numbers)}"
    where.mkdir()
    raw = name if isinstance(name, bytes) else name.encode("utf-8", "surrogatepass")
    raw = raw.replace(b"/", b"_") or b"empty"
    return Path(os.fsdecode(os.fsencode(where) + b"/" + raw + suffix.encode()))


def write(folder: Path, name: str | bytes, suffix: str, content: bytes) -> Path:
    path = unique_path(folder, name, suffix)
    path.write_bytes(content)
    return path


# --- plain and HTML files ----------------------------------------------------------------------


def text_files() -> SearchStrategy[tuple[str, bytes]]:
    """(what, content) of a file to ingest: hostile text, or a named blob."""
    hostile = texts(plain=["The bridge reopens in May, the mayor said on Monday."])
    as_text = hostile.map(lambda t: ("text", wire(t)))
    named = st.sampled_from(sorted(CONTENTS)).map(lambda what: (what, CONTENTS[what]()))
    html = st.tuples(texts(), texts()).map(
        lambda pair: ("html", wire(f"<html><head><title>{pair[0]}</title></head><p>{pair[1]}"))
    )
    return weighted((4, as_text), (3, named), (2, html))


# --- CSV ----------------------------------------------------------------------------------------


def csv_cells(plain: Sequence[str] = ()) -> SearchStrategy[str]:
    formulas = one_of_corpus(corpus.FORMULAS)
    return weighted((3, texts(plain=plain)), (2, formulas), (1, ANY_TEXT))


def csv_bytes(rows: Sequence[Mapping[str, str]], header: Sequence[str], bom: bool) -> bytes:
    """CSV as a spreadsheet would save it (surrogates as invalid UTF-8; NUL kept)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    data = out.getvalue().encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + data if bom else data


CLAIM_HEADER = (
    *("text", "language", "verdict", "confidence", "rationale", "source", "quote", "stance"),
)
SOURCE_HEADER = ("title", "publisher", "url", "author", "language", "published", "text", "path")
VERDICTS = ("unreviewed", "true", "mostly_true", "misleading", "false", "unverifiable")


def claim_rows(quote: str) -> SearchStrategy[dict[str, Any]]:
    """A claim import row (CSV cells or JSON values)."""
    return st.fixed_dictionaries(
        {"text": csv_cells(["The treaty was ratified on Monday"])},
        optional={
            "language": weighted((3, st.sampled_from(["en", "de", ""])), (1, texts())),
            "verdict": weighted(
                (3, st.sampled_from(VERDICTS)), (2, one_of_corpus(corpus.VERDICT_TEXTS))
            ),
            "confidence": weighted(
                (2, st.sampled_from(["0.5", "1", "0"])), (3, one_of_corpus(corpus.NUMBER_TEXTS))
            ),
            "rationale": csv_cells(["Checked."]),
            "source": weighted((2, st.sampled_from(["1", "2"])), (1, one_of_corpus(corpus.IDS))),
            "quote": csv_cells([quote, quote[:12]]),
            "stance": weighted((2, st.sampled_from(["supports", "refutes"])), (1, texts())),
        },
    )


def source_rows() -> SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "title": csv_cells(["A title"]),
            "publisher": csv_cells(["Daily Example"]),
            "url": urls(),
            "author": csv_cells(["A. Writer"]),
            "language": weighted((3, st.sampled_from(["en", "de"])), (1, texts())),
            "published": csv_cells(["2024-05-28", "yesterday"]),
            "text": csv_cells(["The mayor said the bridge will reopen in May, officials said."]),
            "path": st.sampled_from(
                [
                    "../../../etc/passwd",
                    "/etc/hostname",
                    "missing.txt",
                    "bomb.txt",
                    "deep.html",
                    "ok.txt",
                    "link.txt",
                    "sub",
                    "/dev/zero",
                    "../outside.txt",
                ]
            ),
        },
    )


# --- JSON -----------------------------------------------------------------------------------------


def json_bytes(data: Any, how: str) -> bytes:
    """JSON as a file holds it: escaped, raw UTF-8 (surrogates invalid), or with NaN."""
    if how == "raw":
        return wire(json.dumps(data, ensure_ascii=False))
    return json.dumps(data, allow_nan=True).encode()


BROKEN_JSON = (
    b"",
    b"{",
    b"\xff\xfe[]",
    b"NaN",
    b'{"claims": {"text": "x"}}',
    b'[{"text": "\\u0000"}]',
    b'[{"text": "\\ud800"}]',
)


def deep_json_bytes(depth: int) -> bytes:
    return corpus.deep_json(depth).encode()


def claimreview_records() -> SearchStrategy[dict[str, Any]]:
    """A ClaimReview node (ours or someone else's) or a Fact Check Tools record."""
    hostile = texts(plain=["The moon landing was staged in a studio"])
    appearance = st.fixed_dictionaries(
        {},
        optional={
            "url": urls(),
            "headline": texts(),
            "datePublished": texts(plain=["2024-05-28"]),
            "inLanguage": texts(plain=["en"]),
            "tracker:sha256": texts(plain=["0" * 64]),
            "publisher": st.fixed_dictionaries({"name": texts(), "url": urls()}),
            "tracker:annotation": st.lists(
                st.fixed_dictionaries(
                    {
                        "tracker:stance": st.sampled_from(["supports", "refutes", "bogus"]),
                        "target": st.fixed_dictionaries(
                            {
                                "source": urls(),
                                "selector": st.lists(
                                    st.fixed_dictionaries(
                                        {
                                            "type": st.sampled_from(
                                                ["TextQuoteSelector", "TextPositionSelector"]
                                            ),
                                            "exact": texts(plain=["ratified the defence treaty"]),
                                            "start": st.integers(-5, 2**70),
                                            "end": st.integers(-5, 2**70),
                                        }
                                    ),
                                    max_size=2,
                                ),
                            }
                        ),
                    }
                ),
                max_size=2,
            ),
        },
    )
    review = st.fixed_dictionaries(
        {"@type": st.just("ClaimReview"), "claimReviewed": hostile},
        optional={
            "url": urls(),
            "author": st.fixed_dictionaries({"name": texts()}),
            "reviewBody": texts(big=True),
            "reviewRating": st.fixed_dictionaries(
                {"alternateName": texts(plain=["False", "Half true", "Mostly true"])}
            ),
            "tracker:verdict": weighted((2, st.sampled_from(VERDICTS)), (1, texts())),
            "tracker:confidence": st.sampled_from((*corpus.JSON_NUMBERS, float("nan"), 1e309)),
            "datePublished": texts(),
            "itemReviewed": st.fixed_dictionaries(
                {},
                optional={
                    "inLanguage": texts(plain=["en", "de"]),
                    "appearance": st.lists(appearance, max_size=3),
                    "firstAppearance": appearance,
                },
            ),
        },
    )
    google = st.fixed_dictionaries(
        {
            "text": hostile,
            "claimReview": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "publisher": st.fixed_dictionaries({"name": texts(), "site": texts()}),
                        "url": urls(),
                        "textualRating": texts(plain=["False", "Pants on fire"]),
                        "languageCode": texts(plain=["en"]),
                        "reviewDate": texts(),
                        "title": texts(),
                    },
                ),
                max_size=3,
            ),
        },
        optional={"claimant": texts(), "claimDate": texts()},
    )
    return weighted((3, review), (2, google))
