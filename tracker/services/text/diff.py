"""A readable diff of two snapshot texts, paragraph by paragraph (difflib): paragraphs kept,
removed, added or changed, and inside a changed paragraph the words removed and added.
Long runs of kept paragraphs are folded to their first and last ``CONTEXT`` paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

CONTEXT = 2
_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same" | "removed" | "added"
    text: str


@dataclass(frozen=True)
class Row:
    kind: str  # "same" | "removed" | "added" | "changed" | "folded"
    old: str = ""
    new: str = ""
    old_no: int | None = None  # 1-based paragraph numbers
    new_no: int | None = None
    segments: list[Segment] = field(default_factory=list)  # "changed": word-level
    folded: int = 0  # "folded": how many kept paragraphs are hidden


@dataclass(frozen=True)
class TextDiff:
    rows: list[Row]

    @property
    def changed(self) -> int:
        return sum(row.kind in ("removed", "added", "changed") for row in self.rows)


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def word_segments(old: str, new: str) -> list[Segment]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(b[j1:j2])))
    return segments


def _pairs(old: list[str], new: list[str], i1: int, j1: int) -> list[Row]:
    """A replaced block: paragraphs paired in order as changed, the rest removed or added."""
    rows = []
    for k in range(max(len(old), len(new))):
        if k < len(old) and k < len(new):
            similar = SequenceMatcher(None, old[k], new[k], autojunk=False).ratio() >= 0.4
            if similar:
                rows.append(
                    Row("changed", old[k], new[k], i1 + k + 1, j1 + k + 1,
                        word_segments(old[k], new[k]))
                )  # fmt: skip
                continue
            rows.append(Row("removed", old=old[k], old_no=i1 + k + 1))
            rows.append(Row("added", new=new[k], new_no=j1 + k + 1))
        elif k < len(old):
            rows.append(Row("removed", old=old[k], old_no=i1 + k + 1))
        else:
            rows.append(Row("added", new=new[k], new_no=j1 + k + 1))
    return rows


def _fold(kept: list[Row], first: bool, last: bool) -> list[Row]:
    head = [] if first else kept[:CONTEXT]
    tail = [] if last else kept[-CONTEXT:]
    hidden = len(kept) - len(head) - len(tail)
    if hidden <= 1:
        return kept
    return [*head, Row("folded", folded=hidden), *tail]


def diff_texts(old_text: str, new_text: str) -> TextDiff:
    old, new = paragraphs(old_text), paragraphs(new_text)
    opcodes = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    rows: list[Row] = []
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            kept = [
                Row("same", old[i1 + k], new[j1 + k], i1 + k + 1, j1 + k + 1)
                for k in range(i2 - i1)
            ]
            rows += _fold(kept, first=n == 0, last=n == len(opcodes) - 1)
        elif tag == "delete":
            rows += [Row("removed", old=old[i], old_no=i + 1) for i in range(i1, i2)]
        elif tag == "insert":
            rows += [Row("added", new=new[j], new_no=j + 1) for j in range(j1, j2)]
        else:
            rows += _pairs(old[i1:i2], new[j1:j2], i1, j1)
    return TextDiff(rows)
