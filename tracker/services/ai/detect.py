"""Find AI-use disclosures and leftover chatbot output in a source text.

A *disclosure* is a sentence in which the text or its outlet says the content was generated,
written, translated, ... with AI ("Dieser Text wurde mit KI erstellt", "Nyhetsartikler generert
ved hjelp av kunstig intelligens."). Reporting *about* AI is not one: a disclosure needs a
self-reference ("this article", a bare outlet disclaimer line, "we used AI to write this"), a
production verb and an AI agent, and is dropped when the sentence warns, cites studies or
laws, hedges, reports speech, asks, negates or sits inside quotation marks.

A *chatbot leftover* is pasted assistant output: "As an AI language model, I ...",
"Certainly! Here is ...", "Regenerate response".

Sentences are judged as disclosures in ``ai_disclosure`` (languages gated and chosen in
``ai_language``); this module picks the candidate sentences, finds chatbot leftovers and drops
quoted statements. Pure Python over one string; offsets are str indices into the exact text.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Iterator

from tracker.services.ai import leftover_patterns as leftover
from tracker.services.ai import patterns as pat
from tracker.services.ai.disclosure import AGENT_PREFILTER, Hit, disclosure_hit
from tracker.services.ai.disclosure import MAX_USE_RULE_WORDS as MAX_USE_RULE_WORDS  # re-export
from tracker.services.ai.language_gate import normalize_hint, pick_language
from tracker.services.text.sentences import line_spans, sentence_spans

DETECTOR_VERSION = "ai-detect/2"

DISCLOSURE = "disclosure"
CHATBOT_LEFTOVER = "chatbot_leftover"

# Disclosures are short; longer "sentences" are run-on text and are not searched.
MAX_DISCLOSURE_CHARS = 600


@dataclasses.dataclass(frozen=True)
class AiSignal:
    kind: str  # DISCLOSURE | CHATBOT_LEFTOVER
    start: int  # span of the whole sentence (sentences, for multi-sentence phrases)
    end: int
    sentence: str  # == text[start:end]
    language: str  # language of the matching pattern
    pattern: str  # stable id, e.g. "nb.generated_with_ai"
    confidence: float  # 0..1


# --- chatbot leftovers -------------------------------------------------------------------

_F = re.IGNORECASE
_LEFTOVER_RES = [re.compile(row[4], _F) for row in leftover.LEFTOVERS]
_LEFTOVER_TRIGGERS: list[tuple[int, tuple[str, ...]]] = [
    (i, leftover.LEFTOVER_TRIGGERS[f"{row[0][0]}.{row[1]}"])
    for i, row in enumerate(leftover.LEFTOVERS)
]
_REPORT_CUE_RE = re.compile(rf"\b{pat.LEFTOVER_REPORT_CUES}(?!\w)", _F)
_LEAD_RE = re.compile(r"[\s\-–—•*>#\"“„«'‘]*")
_TRAIL_RE = re.compile(r"[\s.!:\"”»'’)]*")


# --- quotation tracking ------------------------------------------------------------------


class _Quotes:
    """Is a position inside quotation marks of its line? Queries must come in text order."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._line = -1
        self._pos = 0
        self._open = False

    def inside(self, pos: int, line: int, line_start: int) -> bool:
        if line != self._line or pos < self._pos:
            self._line, self._pos, self._open = line, line_start, False
        seg = self._text[self._pos : pos]
        k = seg.rfind("„")  # German opening quote; the others toggle
        if k >= 0:
            self._open, seg = True, seg[k + 1 :]
        if sum(seg.count(q) for q in '"“”«»') % 2:
            self._open = not self._open
        self._pos = pos
        return self._open


# --- main entry --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Candidate:
    anchor: int  # absolute start of the matched statement, for the quotation check
    line: int
    signal: AiSignal


def _candidates(text: str, lines: list[tuple[int, int]], hint: str | None) -> Iterator[_Candidate]:
    sents = sentence_spans(text, lines)
    if not sents:
        return
    starts = [a for a, _, _ in sents]

    def sentence_at(pos: int) -> int:
        i = bisect_right(starts, pos) - 1
        return i if i >= 0 and pos < sents[i][1] else -1

    memo: dict[str, Hit | None] = {}  # repeated sentences (boilerplate) are judged once
    pos = 0
    while (m := AGENT_PREFILTER.search(text, pos)) is not None:
        i = sentence_at(m.start())
        if i < 0:
            pos = m.end()
            continue
        a, b, li = sents[i]
        pos = b  # one look per sentence
        if b - a > MAX_DISCLOSURE_CHARS:
            continue
        s = text[a:b]
        if s not in memo:
            memo[s] = disclosure_hit(s, hint)
        hit = memo[s]
        if hit is not None and hit.bare and not _is_bare_label(text, lines, a, b, li):
            continue
        if hit is not None:
            sig = AiSignal(
                DISCLOSURE, a, b, s, hit.lang, f"{hit.lang}.{hit.name}", round(hit.confidence, 2)
            )
            yield _Candidate(a + hit.offset, li, sig)

    # Leftovers: literal triggers pick the sentences and rules worth a regex search.
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets aligned
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    todo: dict[int, set[int]] = {}
    for k, triggers in _LEFTOVER_TRIGGERS:
        for trigger in triggers:
            p = low.find(trigger)
            while p >= 0:
                i = sentence_at(p)
                if i >= 0:
                    todo.setdefault(i, set()).add(k)
                    p = low.find(trigger, sents[i][1])
                else:
                    p = low.find(trigger, p + 1)
    for i in sorted(todo):
        a, b, li = sents[i]
        # The window reaches into the next sentence of the line ("Certainly! Here is").
        wend = sents[i + 1][1] if i + 1 < len(sents) and sents[i + 1][2] == li else b
        for k in sorted(todo[i]):
            m = _LEFTOVER_RES[k].search(text, a, wend)
            if m is None or m.start() >= b:
                continue
            cand = _leftover(text, m, k, sents, i, lines[li], hint)
            if cand is not None:
                yield cand


def _is_bare_label(text: str, lines: list[tuple[int, int]], a: int, b: int, li: int) -> bool:
    """An unpunctuated "AI-generated content" counts as the outlet's label only as a whole first
    or last line of a longer text that nowhere else mentions AI (else it may be a headline)."""
    ls, le = lines[li]
    if text[ls:le].strip() != text[a:b].strip():
        return False
    filled = [i for i, (s, e) in enumerate(lines) if text[s:e].strip()]
    if len(filled) < 2 or li not in (filled[0], filled[-1]):
        return False
    return AGENT_PREFILTER.search(text, 0, a) is None and AGENT_PREFILTER.search(text, b) is None


def _leftover(
    text: str,
    m: re.Match[str],
    k: int,
    sents: list[tuple[int, int, int]],
    i: int,
    line: tuple[int, int],
    hint: str | None,
) -> _Candidate | None:
    langs, name, where, conf, _src = leftover.LEFTOVERS[k]
    a, _, li = sents[i]
    j = i
    while j + 1 < len(sents) and sents[j][1] < m.end():
        j += 1
    b = sents[j][1]
    ls, le = line
    if where == "start" and not _LEAD_RE.fullmatch(text, a, m.start()):
        return None
    if where == "line" and not (
        _LEAD_RE.fullmatch(text, ls, m.start()) and _TRAIL_RE.fullmatch(text, m.end(), le)
    ):
        return None
    # Cues before the phrase report it ("the phrase ... appeared"); weak phrases ("Sure! Here
    # is") are also dropped for cues after them ("..., the spokesman said").
    if _REPORT_CUE_RE.search(text, a, b if conf < 0.7 else m.start()):
        return None
    s = text[a:b]
    lang = pick_language(list(langs), s, hint)
    sig = AiSignal(CHATBOT_LEFTOVER, a, b, s, lang, f"{lang}.{name}", conf)
    return _Candidate(m.start(), li, sig)


def detect_ai_signals(text: str, language: str | None = None) -> list[AiSignal]:
    """AI-use disclosures and chatbot leftovers in ``text``, sorted by start offset.

    ``language`` is only a hint for telling related languages apart; patterns of all supported
    languages are tried. Never raises on str input; returns [] for anything else.
    """
    if not isinstance(text, str) or not text:
        return []
    hint = normalize_hint(language)
    lines = line_spans(text)
    quotes = _Quotes(text)
    best: dict[tuple[str, int, int], AiSignal] = {}
    for c in sorted(_candidates(text, lines, hint), key=lambda c: c.anchor):
        if quotes.inside(c.anchor, c.line, lines[c.line][0]):
            continue  # quoted: the text reports someone else's statement
        sig = c.signal
        key = (sig.kind, sig.start, sig.end)
        if key not in best or best[key].confidence < sig.confidence:
            best[key] = sig
    return sorted(best.values(), key=lambda s: (s.start, s.end, s.kind))
