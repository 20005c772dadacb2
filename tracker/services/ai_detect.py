"""Find AI-use disclosures and leftover chatbot output in a source text.

A *disclosure* is a sentence in which the text or its outlet says the content was generated,
written, translated, ... with AI ("Dieser Text wurde mit KI erstellt", "Nyhetsartikler generert
ved hjelp av kunstig intelligens."). Reporting *about* AI is not one: a disclosure needs a
self-reference ("this article", a bare outlet disclaimer line, "we used AI to write this"), a
production verb and an AI agent, and is dropped when the sentence warns, cites studies or
laws, hedges, reports speech, asks, negates or sits inside quotation marks.

A *chatbot leftover* is pasted assistant output: "As an AI language model, I ...",
"Certainly! Here is ...", "Regenerate response".

Pure Python over one string; offsets are str indices into the exact text.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from bisect import bisect_right
from collections.abc import Iterator

from tracker.services import ai_leftover_patterns as leftover
from tracker.services import ai_patterns as pat
from tracker.services.language import primary_language
from tracker.services.sentences import line_spans, sentence_spans

DETECTOR_VERSION = "ai-detect/1"

DISCLOSURE = "disclosure"
CHATBOT_LEFTOVER = "chatbot_leftover"

# Disclosures are short; longer "sentences" are run-on text and are not searched.
MAX_DISCLOSURE_CHARS = 600
MAX_USE_RULE_WORDS = 40


@dataclasses.dataclass(frozen=True)
class AiSignal:
    kind: str  # DISCLOSURE | CHATBOT_LEFTOVER
    start: int  # span of the whole sentence (sentences, for multi-sentence phrases)
    end: int
    sentence: str  # == text[start:end]
    language: str  # language of the matching pattern
    pattern: str  # stable id, e.g. "nb.generated_with_ai"
    confidence: float  # 0..1


# --- regex assembly ----------------------------------------------------------------------

_F = re.IGNORECASE
_SEP = r"(?:\s*,)?\s+"
_PA = r"(?:(?<=['’])\s?|\s+)"  # between a preposition and the agent ("d'une IA", "by AI")
_AGENT = (
    rf"(?<![\w-])(?:{pat.AGENT_DET}\s+)?(?:l['’]\s?)?(?:{pat.AGENT_ADJ}\s+){{0,2}}"
    rf"{pat.AGENT_CORE}{pat.AGENT_SUFFIX}(?:\s+(?:génératives?|generativa))?"
    rf"(?![\w‐‑-])(?!\s+{pat.AGENT_FOLLOW_BLOCK}\b)(?!\s+(?-i:[A-ZÀ-ÖØ-Þ])\w)"
)
_AGENT_RE = re.compile(_AGENT, _F)
# Rules see each agent phrase masked as this one character: small regexes, fast to compile.
_AG = "\ue000"
_AGENT_PREFILTER = re.compile(rf"(?<!\w){pat.AGENT_CORE}", _F)
_LABEL = rf"[\s\-–—•*>#(\[_]*(?P<label>{pat.LABEL_WORDS}(?:\s*[:：|]\s*|\s+[-–—]\s+))?"
_LABEL_NG = rf"[\s\-–—•*>#(\[_]*(?:{pat.LABEL_WORDS}(?:\s*[:：|]\s*|\s+[-–—]\s+))?"
_END = r"[\s)\]*_]*(?P<term>[.!])?[\s)\]*_.!]*$"
_PAREN = r"(?:\s*\([^()]{0,60}\))?"
_NEGATION_RE = re.compile(rf"\b{pat.NEGATION}(?!\w)", _F)
_PRE_BLOCK_RE = re.compile(rf"\b{pat.PRE_BLOCK}\W*(?:\w+\W+)?$", _F)
_USE_BLOCK_RE = re.compile(rf"\b{pat.USE_BLOCK}(?!\w)", _F)
_QUESTION_RE = re.compile(r"[?¿]")
_DEMCOP_TAIL_RE = re.compile(
    r"^(?:\s+(?:of|for|about|from|des|der|dieses|zu|zum|über|av|om|for|til|på|van|over|voor|"
    r"de|du|sur|pour|för|fra|från)\b[^,;:]{0,60})?[\s.!:)\]]*$",
    _F,
)
_WORD_RE = re.compile(r"\w+")


def _gap(n: int, block: str) -> str:
    return rf"(?:{_SEP}(?!{block}\b)[^\s,;:!?()\[\]]+){{0,{n}}}{_SEP}"


_GS2, _GS3 = _gap(2, pat.GAP_BLOCK_STRICT), _gap(3, pat.GAP_BLOCK_STRICT)
_GA3 = _gap(3, pat.GAP_BLOCK_AUX)
_GL2, _GL3, _GL4 = (_gap(n, pat.GAP_BLOCK_LIGHT) for n in (2, 3, 4))


@dataclasses.dataclass(frozen=True)
class _Rule:
    lang: str
    name: str
    regex: re.Pattern[str]
    confidence: float
    anchored: bool  # match at the sentence start (after bullets/labels) instead of search


@dataclasses.dataclass(frozen=True)
class _UseRule:
    lang: str
    firstp: re.Pattern[str]
    passive_aux: re.Pattern[str]
    use: re.Pattern[str]
    prod: re.Pattern[str]
    obj: re.Pattern[str]


def _rules_for(t: pat.Lang) -> list[_Rule]:
    part = rf"(?:{t.part})(?![\w-])"
    adv = rf"(?:{t.adv_agent})(?![\w-])"
    agent_phrase = rf"(?:{t.part}){_GL4}(?:{t.prep}){_PA}{_AG}|(?:{t.prep}){_PA}{_AG}{_GL3}{part}"
    # After a self-reference subject: passive, finite verb, or "contains AI-generated ...".
    predicate = (
        rf"(?:(?:{t.aux})(?:{_GA3}(?:(?P<adv>{adv})|{agent_phrase})"
        rf"|{_SEP}(?:{t.dets}){_SEP}(?P<adv2>{adv}))"
        rf"|(?:{t.finite}){_GL3}(?:{t.prep}){_PA}{_AG}"
        rf"|(?P<contain>{t.contain}){_GS3}(?:{adv}|(?:{t.part}){_GL2}(?:{t.prep}){_PA}{_AG}"
        rf"|(?:{t.prep}){_PA}{_AG}{_SEP}(?:{t.part_adj})))"
    )
    templates: list[tuple[str, str, float, bool]] = [
        ("self_passive", rf"(?<![\w-]){t.subj}{_GS3}{predicate}", 0.9, False),
        # "Der Artikel wurde ...": a definite subject must be followed by its verb at once
        # ("Die Artikel der Konkurrenz werden mit KI erstellt" is about others).
        ("self_passive", rf"{_LABEL_NG}(?P<start>{t.subj_start}){_SEP}{predicate}", 0.8, True),
        (
            "this_is_ai_content",
            rf"{_LABEL}(?:{t.demcop}){_SEP}(?:(?:{t.dets})(?:{_SEP}|(?<=['’])))?(?:{adv}{_SEP}"
            rf"(?:{t.noun})|(?:{t.noun})(?:{_SEP}[\w-]+)?{_SEP}(?:{adv}|(?:{t.part}){_GL2}"
            rf"(?:{t.prep}){_PA}{_AG})|(?:{t.prep}){_PA}{_AG}{_SEP}(?:{t.part_adj}){_SEP}"
            rf"(?:{t.noun}))\b(?P<tail>.*)$",
            0.85,
            True,
        ),
        (
            "generated_with_ai",
            rf"{_LABEL}(?P<noun>(?:{t.gen_noun})\s*[,:–—-]?\s+)?(?:(?:{t.adverb}){_SEP})?"
            rf"(?:{part}(?:{_SEP}(?:{t.conj}){_SEP}{part})?(?:{_SEP}(?:{t.adverb}))?{_SEP}"
            rf"(?:{t.prep}){_PA}{_AG}|(?:{t.prep}){_PA}{_AG}(?:{_SEP}(?:{t.adverb}))?{_SEP}"
            rf"{part})(?:(?:\s*,)?\s+(?:{pat.TRAIL_CONJ}\s+)?[^.!?]{{0,80}}?\b(?:{t.review})\b"
            rf"[^.!?]{{0,80}})?{_PAREN}{_END}",
            0.8,
            True,
        ),
        (
            "ai_label",
            rf"{_LABEL}(?:(?:{t.gen_noun})\s*[:–—-]\s*)?{adv}(?:\s+(?P<noun>{t.gen_noun}))?"
            rf"{_PAREN}{_END}",
            0.75,
            True,
        ),
        ("ai_wrote_this", rf"{_LABEL_NG}{_AG}{_SEP}(?:{t.act_verb}){_SEP}(?:{t.obj})", 0.85, True),
    ]
    for extra in t.act_extra:
        src = (
            extra.replace("<AGENT>", _AG)
            .replace("<SEP>", _SEP)
            .replace("<GAP2>", _GS2)
            .replace("<GAP3>", _GL3)
            .replace("<OBJ>", rf"(?:{t.obj})")
            .replace("<PART>", part)
        )
        templates.append(("ai_wrote_this", _LABEL_NG + src, 0.85, True))
    if t.code == "en":  # "An AI wrote this."
        templates.append(
            (
                "ai_wrote_this",
                rf"{_LABEL_NG}{_AG}{_SEP}(?:{t.act_verb})\s+this"
                r"\s*[.!]?\s*$",
                0.85,
                True,
            )
        )
    return [_Rule(t.code, n, re.compile(s, _F), c, a) for n, s, c, a in templates]


def _use_rule_for(t: pat.Lang) -> _UseRule:
    def comp(src: str) -> re.Pattern[str]:
        return re.compile(rf"\b(?:{src})(?:(?<=['’])|(?![\w-]))", _F)

    return _UseRule(
        t.code,
        re.compile(rf"{_LABEL_NG}(?:{t.firstp})(?:(?<=['’])|(?![\w-]))", _F),
        comp(t.passive_aux),
        comp(t.use),
        comp(t.prod),
        comp(t.obj),
    )


@functools.cache
def _rules(code: str) -> tuple[list[_Rule], _UseRule]:
    """A language's compiled rules, built on first need (keeps the import cheap)."""
    return _rules_for(pat.TABLES[code]), _use_rule_for(pat.TABLES[code])


_SCANDINAVIAN = ("nb", "nn", "da", "sv")


def _neg_re(code: str) -> re.Pattern[str]:
    # Scandinavian languages share words, so a sentence is judged by the cues of all four.
    codes = _SCANDINAVIAN if code in _SCANDINAVIAN else (code,)
    cues = "|".join(pat.TABLES[c].neg for c in codes)
    return re.compile(rf"\b(?:{cues})(?!\w)", _F)


_NEG_RE: dict[str, re.Pattern[str]] = {c: _neg_re(c) for c in pat.TABLES}


def _unique_markers() -> dict[str, frozenset[str]]:
    seen: dict[str, int] = {}
    for t in pat.TABLES.values():
        for w in set(t.markers):
            seen[w] = seen.get(w, 0) + 1
    return {c: frozenset(w for w in t.markers if seen[w] == 1) for c, t in pat.TABLES.items()}


_MARKERS = _unique_markers()
_ORDER = {c: i for i, c in enumerate(pat.LANGUAGES)}


def _normalize_hint(language: str | None) -> str | None:
    code = primary_language(language)
    return code if code in pat.TABLES else None


def _pick_language(langs: list[str], sentence: str, hint: str | None) -> str:
    """Among languages whose patterns matched, prefer the hint, then the sentence's words."""
    if hint in langs:
        return hint
    words = {w.lower() for w in _WORD_RE.findall(sentence)}
    return max(langs, key=lambda c: (len(words & _LEXICON[c]), -_ORDER[c]))


# --- disclosures -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Hit:
    lang: str
    name: str
    confidence: float
    offset: int  # where the matched statement starts, relative to the sentence


def _rule_hit(rule: _Rule, s: str) -> _Hit | None:
    m = rule.regex.match(s) if rule.anchored else rule.regex.search(s)
    if m is None:
        return None
    groups = m.groupdict()
    if _NEGATION_RE.search(m.group()):
        return None
    # "AI-generated images" alone is a headline about AI; a disclaimer has a period or label.
    if groups.get("noun") and not groups.get("label") and not groups.get("term"):
        return None
    if rule.name == "this_is_ai_content" and not _DEMCOP_TAIL_RE.match(groups.get("tail") or ""):
        return None
    if not rule.anchored and _PRE_BLOCK_RE.search(s[: m.start()]):
        return None  # "if this article was written by AI", "ob dieser Text ..."
    name = rule.name
    if groups.get("contain"):
        name = "contains_ai_content"
    elif groups.get("adv") or groups.get("adv2"):
        name = "self_ai_compound"
    return _Hit(rule.lang, name, rule.confidence, m.start())


def _use_hit(u: _UseRule, s: str) -> _Hit | None:
    """Order-free "we used AI to write this article", "Bei der Erstellung dieses Textes wurde KI
    eingesetzt": a use verb, a production word, a self-reference and an agent."""
    if len(s.split()) > MAX_USE_RULE_WORDS:
        return None
    if not (u.use.search(s) and u.prod.search(s) and u.obj.search(s)):
        return None
    if not (u.firstp.match(s) or u.passive_aux.search(s)):
        return None
    if _USE_BLOCK_RE.search(s) or _AG not in s:
        return None
    return _Hit(u.lang, "used_ai", 0.8, 0)


_CLASS_RE = re.compile(r"\[\^?\]?(?:\\.|[^\]])*\]")
_QUANT_RE = re.compile(r"[?*+]\??|\{(\d*),?\d*\}\??")
_GROUP_HEAD_RE = re.compile(r"\((?:\?(?:[:=!]|<[=!]|-i:|P<\w+>))?")


def _end(regex: re.Pattern[str], src: str, pos: int) -> int:
    m = regex.match(src, pos)
    return m.end() if m else pos + 1


def _required_words(src: str) -> frozenset[str] | None:
    """Literal words (3+ chars, lower-cased) of which every match of the regex source ``src``
    contains one; None when no such set can be read off. Handles the syntax used in
    ai_patterns: groups, alternation, classes, escapes, lookarounds and quantifiers."""
    pos = 0

    def alternation() -> frozenset[str] | None:
        nonlocal pos
        options = [sequence()]
        while pos < len(src) and src[pos] == "|":
            pos += 1
            options.append(sequence())
        known = [o for o in options if o is not None]
        return frozenset().union(*known) if len(known) == len(options) else None

    def sequence() -> frozenset[str] | None:
        nonlocal pos
        found: list[frozenset[str]] = []
        run = ""
        while pos < len(src) and src[pos] not in "|)":
            ch, atom, inner = src[pos], "other", None
            if ch == "(":
                look = src.startswith(("(?=", "(?!", "(?<=", "(?<!"), pos)
                pos = _end(_GROUP_HEAD_RE, src, pos)
                inner = alternation()
                pos += 1
                atom = "look" if look else "group"
            elif ch == "[":
                pos = _end(_CLASS_RE, src, pos)
            elif ch == "\\":
                ch, pos = src[pos + 1], pos + 2
                atom = "other" if ch.isalnum() else "char"
            else:
                pos += 1
                atom = "other" if ch in ".^$" else "char"
            quant = _QUANT_RE.match(src, pos)
            optional = False
            if quant:
                pos = quant.end()
                optional = quant.group()[0] in "?*" or quant.group(1) in ("", "0")
            if atom == "char" and not quant:
                run += ch
                continue
            if len(run) >= 3:
                found.append(frozenset({run.lower()}))
            run = ""
            if atom == "group" and inner is not None and not optional:
                found.append(inner)
        if len(run) >= 3:
            found.append(frozenset({run.lower()}))
        return max(found, key=lambda c: (min(map(len, c)), -len(c))) if found else None

    return alternation()


def _gate_words(t: pat.Lang) -> frozenset[str] | None:
    """Every disclosure rule needs a production word: the union of the fields' required words
    (None: this language cannot be gated)."""
    fields = (t.part, t.part_adj, t.finite, t.adv_agent, t.act_verb, t.use, t.contain)
    words: set[str] = set()
    for field in fields:
        if field == pat.NEVER:
            continue
        req = _required_words(field)
        if req is None:
            return None
        words |= req
    return frozenset(words)


_Trie = dict[str, "_Trie"]


def _trie_regex(words: list[str]) -> str:
    """One alternation with shared prefixes factored out: far faster than a flat one."""
    root: _Trie = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def build(node: _Trie) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else f"(?:{'|'.join(alts)})"
        return body + "?" if "" in node else body

    return build(root)


def _stem_index() -> tuple[re.Pattern[str], dict[str, frozenset[str]], frozenset[str]]:
    langs_of: dict[str, set[str]] = {}
    ungated: set[str] = set()
    for code, t in pat.TABLES.items():
        words = _gate_words(t)
        if words is None:
            ungated.add(code)
        for word in words or ():
            langs_of.setdefault(word, set()).add(code)
    # The regex reports the longest word at a position; it stands for its prefixes too.
    index = {
        word: frozenset().union(*(langs_of[p] for p in langs_of if word.startswith(p)))
        for word in langs_of
    }
    return re.compile(f"(?=({_trie_regex(sorted(langs_of))}))"), index, frozenset(ungated)


_STEM_RE, _STEM_LANGS, _UNGATED = _stem_index()
# Words that point to one language: its unique markers and its production words.
_LEXICON = {c: _MARKERS[c] | (_gate_words(t) or frozenset()) for c, t in pat.TABLES.items()}


def _gated_languages(low: str) -> set[str]:
    """Languages with a production word in the (lower-cased) sentence."""
    found = set(_UNGATED)
    for m in _STEM_RE.finditer(low):
        found |= _STEM_LANGS[m.group(1)]
    return found


def _mask_agents(s: str) -> tuple[str, list[int], list[int]]:
    """``s`` with every AI agent phrase replaced by _AG, plus (masked position after each
    agent, characters removed so far) to map positions back."""
    s = s.replace(_AG, "\ufffd")
    parts: list[str] = []
    ends: list[int] = []
    shifts: list[int] = []
    last = size = shift = 0
    for m in _AGENT_RE.finditer(s):
        parts += (s[last : m.start()], _AG)
        size += m.start() - last + 1
        shift += m.end() - m.start() - 1
        ends.append(size)
        shifts.append(shift)
        last = m.end()
    parts.append(s[last:])
    return "".join(parts), ends, shifts


def _disclosure(s: str, hint: str | None) -> _Hit | None:
    if _QUESTION_RE.search(s):
        return None
    gated = _gated_languages(s.lower())
    if not gated:
        return None
    masked, ends, shifts = _mask_agents(s)
    hits: list[_Hit] = []
    for code in pat.TABLES:
        if code not in gated:
            continue  # no production word of this language: no rule can match
        rules, use_rule = _rules(code)
        hit = next((h for r in rules if (h := _rule_hit(r, masked)) is not None), None)
        if hit is None:
            hit = _use_hit(use_rule, masked)
        if hit is not None and not _NEG_RE[code].search(s):
            hits.append(hit)
    if not hits:
        return None
    lang = _pick_language([h.lang for h in hits], s, hint)
    hit = next(h for h in hits if h.lang == lang)
    k = bisect_right(ends, hit.offset)  # agents wholly before the statement's start
    return dataclasses.replace(hit, offset=hit.offset + (shifts[k - 1] if k else 0))


# --- chatbot leftovers -------------------------------------------------------------------

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

    memo: dict[str, _Hit | None] = {}  # repeated sentences (boilerplate) are judged once
    pos = 0
    while (m := _AGENT_PREFILTER.search(text, pos)) is not None:
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
            memo[s] = _disclosure(s, hint)
        hit = memo[s]
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
    lang = _pick_language(list(langs), s, hint)
    sig = AiSignal(CHATBOT_LEFTOVER, a, b, s, lang, f"{lang}.{name}", conf)
    return _Candidate(m.start(), li, sig)


def detect_ai_signals(text: str, language: str | None = None) -> list[AiSignal]:
    """AI-use disclosures and chatbot leftovers in ``text``, sorted by start offset.

    ``language`` is only a hint for telling related languages apart; patterns of all supported
    languages are tried. Never raises on str input; returns [] for anything else.
    """
    if not isinstance(text, str) or not text:
        return []
    hint = _normalize_hint(language)
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
