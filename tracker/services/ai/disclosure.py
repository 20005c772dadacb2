"""Judge one sentence as an AI-use disclosure, for ``ai_detect``.

Assembles the ai_patterns tables into per-language rules (compiled on first need) and tries
them on the sentence with every AI agent phrase masked to one character; questions, negations
and blocking cues drop a match.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from bisect import bisect_right

from tracker.services.ai import patterns as pat
from tracker.services.ai.language_gate import gated_languages, pick_language

MAX_USE_RULE_WORDS = 40

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
# Cheap test for an agent word: only sentences containing one are worth judging.
AGENT_PREFILTER = re.compile(rf"(?<!\w){pat.AGENT_CORE}", _F)
_LABEL = rf"[\s\-–—•*>#(\[_]*(?P<label>{pat.LABEL_WORDS}(?:\s*[:：|]\s*|\s+[-–—]\s+))?"
_LABEL_NG = rf"[\s\-–—•*>#(\[_]*(?:{pat.LABEL_WORDS}(?:\s*[:：|]\s*|\s+[-–—]\s+))?"
_END = r"[\s)\]*_]*(?P<term>[.!])?[\s)\]*_.!]*$"
_PAREN = r"(?:\s*\([^()]{0,60}\))?"
_NEGATION_RE = re.compile(rf"\b{pat.NEGATION}(?!\w)", _F)
_PRE_BLOCK_RE = re.compile(rf"\b{pat.PRE_BLOCK}\W*(?:\w+\W+)?$", _F)
_REPORT_COLON_RE = re.compile(rf"\b{pat.REPORT_COLON}", _F)
_USE_BLOCK_RE = re.compile(rf"\b{pat.USE_BLOCK}(?!\w)", _F)
_QUESTION_RE = re.compile(r"[?¿]")
_DEMCOP_TAIL_RE = re.compile(
    r"^(?:\s+(?:of|for|about|from|des|der|dieses|zu|zum|über|av|om|for|til|på|van|over|voor|"
    r"de|du|sur|pour|för|fra|från)\b[^,;:]{0,60})?[\s.!:)\]]*$",
    _F,
)


def _gap(n: int, block: str) -> str:
    return rf"(?:{_SEP}(?!{block}\b)[^\s,;:!?()\[\]]+){{0,{n}}}{_SEP}"


# A proper name at the sentence start: up to four capitalised words ("The Times Herald").
# A lone article is no name ("A reader wrote ...", "Die Forscher ...").
_NAME = (
    r"(?-i:(?!(?:A|An|The|Der|Die|Das|Ein|Eine|En|Ei|Et|Ett|Eit|De|Het|Een|Le|La|Les|Un|Une)\s+"
    r"[^A-ZÀ-ÖØ-Þ\s])(?:The\s+)?[A-ZÀ-ÖØ-Þ][\w'’&.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’&.-]*){0,3})"
)


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
    made: re.Pattern[str]  # production participle or finite verb ("produced", "erstellt")
    prep_agent: re.Pattern[str]  # "with the help of <agent>"


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
    # "..., and reviewed by our editors" after a standalone disclaimer.
    review_tail = (
        rf"(?:(?:\s*,)?\s+(?:{pat.TRAIL_CONJ}\s+)?[^.!?]{{0,80}}?\b(?:{t.review})\b[^.!?]{{0,80}})?"
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
            rf"{part}){review_tail}{_PAREN}{_END}",
            0.8,
            True,
        ),
        (
            "ai_label",
            rf"{_LABEL}(?:(?:{t.gen_noun})\s*[:–—-]\s*)?{adv}(?:\s+(?P<noun>{t.gen_noun}))?"
            rf"{review_tail}{_PAREN}{_END}",
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

    # The subject may also be a name right before the verb ("Harbour Gazette used AI ...",
    # "Geopolitika har brukt KI ..."): capitalised words, at most one other word, the verb.
    name = rf"{_NAME}(?:\s+\w+)?\s+(?=(?:{t.use}|{t.act_verb})(?![\w-]))"
    return _UseRule(
        t.code,
        re.compile(rf"{_LABEL_NG}(?:(?:{t.firstp})(?:(?<=['’])|(?![\w-]))|{name})", _F),
        comp(t.passive_aux),
        comp(t.use),
        comp(t.prod),
        comp(t.obj),
        comp(rf"{t.part}|{t.act_verb}|{t.finite}"),
        re.compile(rf"\b(?:{t.prep}){_PA}{_AG}", _F),
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


# --- judging a sentence ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Hit:
    """A matched disclosure rule: its language, stable name and confidence."""

    lang: str
    name: str
    confidence: float
    offset: int  # where the matched statement starts, relative to the sentence
    bare: bool = False  # an unpunctuated label line ("AI-generated content"): needs context


def _rule_hit(rule: _Rule, s: str) -> Hit | None:
    m = rule.regex.match(s) if rule.anchored else rule.regex.search(s)
    if m is None:
        return None
    groups = m.groupdict()
    if _NEGATION_RE.search(s, 0, m.end()):
        return None  # "not written by AI", "None of our articles are written by AI"
    # "AI-generated images" alone may be a headline about AI; a disclaimer has a period or a
    # label, or is a bare header/footer line that ai_detect checks against the whole text.
    bare = bool(groups.get("noun") and not groups.get("label") and not groups.get("term"))
    if rule.name == "this_is_ai_content" and not _DEMCOP_TAIL_RE.match(groups.get("tail") or ""):
        return None
    if not rule.anchored and _PRE_BLOCK_RE.search(s[: m.start()]):
        return None  # "if this article was written by AI", "ob dieser Text ..."
    if _REPORT_COLON_RE.search(s, 0, m.start() + 1):
        return None  # "A reader wrote: this article was generated by AI"
    name = rule.name
    if groups.get("contain"):
        name = "contains_ai_content"
    elif groups.get("adv") or groups.get("adv2"):
        name = "self_ai_compound"
    if bare:
        return Hit(rule.lang, name, 0.6, m.start(), bare=True)
    return Hit(rule.lang, name, rule.confidence, m.start())


def _use_hit(u: _UseRule, s: str) -> Hit | None:
    """Order-free "we used AI to write this article", "Bei der Erstellung dieses Textes wurde KI
    eingesetzt": a use verb, a production word, a self-reference and an agent. Also "We produced
    this summary with the help of AI": a first-person or named subject, a production verb, a
    self-reference object and an agent after a preposition."""
    if len(s.split()) > MAX_USE_RULE_WORDS or _AG not in s or not u.obj.search(s):
        return None
    if _USE_BLOCK_RE.search(s) or _REPORT_COLON_RE.search(s):
        return None
    first = u.firstp.match(s) is not None
    if u.use.search(s) and u.prod.search(s) and (first or u.passive_aux.search(s)):
        return Hit(u.lang, "used_ai", 0.8, 0)
    if first and u.made.search(s) and u.prep_agent.search(s):
        return Hit(u.lang, "made_with_ai", 0.8, 0)
    return None


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


def disclosure_hit(s: str, hint: str | None) -> Hit | None:
    """The disclosure in sentence ``s``, if any; ``hint`` breaks ties between languages."""
    if _QUESTION_RE.search(s):
        return None
    gated = gated_languages(s.lower())
    if not gated:
        return None
    masked, ends, shifts = _mask_agents(s)
    hits: list[Hit] = []
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
    lang = pick_language([h.lang for h in hits], s, hint)
    hit = next(h for h in hits if h.lang == lang)
    k = bisect_right(ends, hit.offset)  # agents wholly before the statement's start
    return dataclasses.replace(hit, offset=hit.offset + (shifts[k - 1] if k else 0))
