"""Language gating and choice for ``ai_detect``.

Gating: every disclosure rule needs a production word of its language, so a sentence is only
tried against the languages whose production words (read off the ai_patterns regex sources)
it contains; a language whose words cannot be read off is always tried. Choice: among the
languages that matched, prefer the hint, then the language the sentence's words point to.
"""

from __future__ import annotations

import re

from tracker.services.ai import patterns as pat
from tracker.services.text.language import primary_language

_WORD_RE = re.compile(r"\w+")


def _unique_markers() -> dict[str, frozenset[str]]:
    seen: dict[str, int] = {}
    for t in pat.TABLES.values():
        for w in set(t.markers):
            seen[w] = seen.get(w, 0) + 1
    return {c: frozenset(w for w in t.markers if seen[w] == 1) for c, t in pat.TABLES.items()}


_MARKERS = _unique_markers()
_ORDER = {c: i for i, c in enumerate(pat.LANGUAGES)}


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


def gated_languages(low: str) -> set[str]:
    """Languages with a production word in the (lower-cased) sentence."""
    found = set(_UNGATED)
    for m in _STEM_RE.finditer(low):
        found |= _STEM_LANGS[m.group(1)]
    return found


def normalize_hint(language: str | None) -> str | None:
    """The hint's primary language code if ai_patterns has a table for it, else None."""
    code = primary_language(language)
    return code if code in pat.TABLES else None


def pick_language(langs: list[str], sentence: str, hint: str | None) -> str:
    """Among languages whose patterns matched, prefer the hint, then the sentence's words."""
    if hint in langs:
        return hint
    words = {w.lower() for w in _WORD_RE.findall(sentence)}
    return max(langs, key=lambda c: (len(words & _LEXICON[c]), -_ORDER[c]))
