"""Guards against false claim merges: differences that a similarity score misses.

``compare(a, b)`` returns one ``GuardWarning`` per kind of difference found, in this order:

- ``negation``: a negation ("not", "no longer", "nicht", "kein", "ikke", "niet", "inte",
  "ne ... pas" ...) in one claim and none in the other. A negation that turns a word into its
  opposite ("did not approve" vs "rejected") explains itself and raises nothing. Removal and
  reversal verbs ("delist", "revoke", "lift", "withdraw from", "streichen", "opheffen",
  "fjerne ... fra", "retirer ... de"; ``tracker/data/guards/reversal.<lang>.txt``) carry the
  same "no longer": "delists" against "no longer lists" raises nothing, against "lists" it
  warns. A negated reversal ("did not revoke") cancels out, and a reversal word that the
  polarity guard already compares ("lifted" vs "imposed") is left to it.
- ``polarity``: opposite words ("imposes"/"lifts", "ratified"/"withdrew", "increase"/
  "decrease", "legal"/"illegal"), also by prefix ("unconstitutional"/"constitutional",
  "disapproves"/"approves", "ulovlig"/"lovlig") and opposite suffixes ("verfassungswidrig"/
  "verfassungsgemäß").
- ``number``: numbers of one claim that the other contradicts ("45 vs 54", "three vs four",
  "dozens vs millions"); "3" and "three" are the same, "thousands" allows 3000. Days and years
  of dates are left to ``date``; model numbers such as "F-16" are skipped.
- ``date``: different years, days, months, weekdays or relative days ("yesterday"/"gestern").
- ``entity``: an entity replaced by another of the same type after aliasing (North vs South
  Korea, Chile vs Peru, Moscow vs Kazan), or an unknown capitalised name replaced by another.
- ``event_verb``: different stages of one kind of event (proposed vs adopted, announced vs
  signed, planned vs carried out, arrested vs convicted, threatened vs attacked).

A difference counts only when both claims say something of the kind: a claim that omits the
date, a number or an entity is not contradicted. Limits: word lists, not parsing, so scope is
ignored ("not only ... but"), negation is matched in a window of three words before (two
after in de/nl/nb/da/sv), separated German/Dutch verb particles are not joined, unknown
names are not used for all-capitalised or title-case texts and only guessed for German
(where every noun is capitalised), and French numbers from 70 to 99 are not parsed.

What each claim says (its negations, reversal phrases, numbers, dates, names ...) is read once
per claim by ``guard_facts``, from the claim's ``Analysis``; this module compares two claims'
facts. A ``Reader`` remembers the facts of the claims it has read, so one query compared with
many candidates is read once; a caller that analysed the query already (``matching``) passes
its ``Analysis`` and the text is not analysed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.services.dedup import analysis
from tracker.services.dedup import guard_lexicon as gl
from tracker.services.dedup.analysis import AliasSource, Analysis, compile_aliases
from tracker.services.dedup.guard_facts import Facts, Number, read_facts

CODES = ("negation", "polarity", "number", "date", "entity", "event_verb")
_VERB_SECOND = frozenset({"de", "nl", "nb", "nn", "da", "sv"})


@dataclass(frozen=True)
class GuardWarning:
    code: str
    detail: str


def compare(
    a: str | Analysis,
    b: str | Analysis,
    *,
    language_a: str | None = None,
    language_b: str | None = None,
    aliases: AliasSource | None = None,
) -> list[GuardWarning]:
    """Warnings about differences between claims ``a`` and ``b`` (see the module docstring).
    Each is a text or its ``Analysis`` (then read as it is: its language and aliases were
    fixed when it was analysed). ``aliases`` is the same table ``normalize_claim_text`` takes
    (default: the seed list)."""
    return Reader(aliases).compare(a, b, language_a=language_a, language_b=language_b)


class Reader:
    """``compare`` that reads each claim once: one query against many candidates reads the
    query once (the facts of a text depend only on it, its language and the aliases; those of
    an ``Analysis`` only on it)."""

    MEMO = 2_000  # claims remembered (a batch scan reads every claim: bounded memory)

    def __init__(self, aliases: AliasSource | None = None) -> None:
        self.index = compile_aliases(aliases)
        self._read: dict[tuple[str, str | None], Facts] = {}
        self._analysed: dict[int, tuple[Analysis, Facts]] = {}  # by id, the analysis kept

    def facts(self, claim: str | Analysis, language: str | None = None) -> Facts:
        """The facts of a claim text (analysed in ``language``) or of an ``Analysis``."""
        if isinstance(claim, Analysis):
            known = self._analysed.get(id(claim))
            if known is None:
                if len(self._analysed) >= self.MEMO:
                    self._analysed.clear()
                known = self._analysed[id(claim)] = (claim, read_facts(claim))
            return known[1]
        key = (claim, language)
        if key not in self._read:
            if len(self._read) >= self.MEMO:
                self._read.clear()
            self._read[key] = read_facts(analysis.analyze(claim, language, self.index))
        return self._read[key]

    def compare(
        self,
        a: str | Analysis,
        b: str | Analysis,
        *,
        language_a: str | None = None,
        language_b: str | None = None,
    ) -> list[GuardWarning]:
        return _warnings(self.facts(a, language_a), self.facts(b, language_b))


def _warnings(fa: Facts, fb: Facts) -> list[GuardWarning]:
    polarity, (explained_a, compared_a), (explained_b, compared_b) = _polarity(fa, fb)
    found = {
        "negation": _negation(fa, fb, (explained_a, compared_a), (explained_b, compared_b)),
        "polarity": polarity,
        "number": _numbers(fa, fb),
        "date": _dates(fa, fb),
        "entity": _entities(fa, fb),
        "event_verb": _events(fa, fb),
    }
    return [GuardWarning(code, found[code]) for code in CODES if found[code]]


# --- negation and polarity ------------------------------------------------------------------


def _negated_by(facts: Facts, position: int, *, reversal: bool = False) -> list[int]:
    """Token indexes of the negations that govern the word at ``position``. A reversal verb
    gets wider windows: its object may stand between it and the negation ("hat die Taliban
    nicht von der Liste gestrichen", "strich die Taliban nicht"), and French "pas" follows it."""
    before = 3
    after = 2 if facts.language in _VERB_SECOND else 0
    if reversal:
        before = 5 if facts.language in _VERB_SECOND else 3
        after = 4 if facts.language in _VERB_SECOND else int(facts.language == "fr")
    return [
        i
        for i, _ in facts.negations
        if position - before <= i < position or position < i <= position + after
    ]


_PREFIX_EXCEPTIONS = tuple(sorted(gl.PREFIX_EXCEPTIONS))


def _opposite_words(fa: Facts, fb: Facts) -> list[tuple[str, int, int, str]]:
    """Pseudo pair hits for claim ``fa`` from prefixes and suffixes against claim ``fb``."""
    hits: list[tuple[str, int, int, str]] = []
    prefixes = set(gl.PREFIX_NEGATORS.get(fa.language, ())) | set(
        gl.PREFIX_NEGATORS.get(fb.language, ())
    )
    for stem, i in fa.stems.items():
        if stem in fb.stems or stem.startswith(_PREFIX_EXCEPTIONS):
            continue
        for prefix in prefixes:
            rest = stem[len(prefix) :]
            # "unlawful" here and "lawful" there (not when this claim has both)
            if (
                stem.startswith(prefix)
                and len(rest) >= 4
                and rest in fb.stems
                and rest not in fa.stems
            ):
                hits.append((f"prefix:{rest}", 1, i, fa.analysis.tokens[i].surface.lower()))
        word = fa.analysis.tokens[i].folded
        for one, other in gl.SUFFIX_OPPOSITES + tuple((y, x) for x, y in gl.SUFFIX_OPPOSITES):
            at = word.rfind(one)
            if at >= 3 and len(word) - at - len(one) <= 3:
                base = word[:at]
                if any(w.startswith(base + other) for w in fb.words):
                    hits.append((f"suffix:{base}", one < other, i, word))
    return hits


_Used = tuple[set[int], set[int]]  # negations explained, token indexes the pairs compared


def _polarity(fa: Facts, fb: Facts) -> tuple[str, _Used, _Used]:
    """(detail, (negations explained, words compared) in a, the same in b)."""
    hits_a = fa.polarity + _opposite_words(fa, fb)
    hits_b = fb.polarity + _opposite_words(fb, fa)
    # The base word of a prefix/suffix pair is a hit of its own claim too.
    for hits, other, facts in ((hits_a, hits_b, fa), (hits_b, hits_a, fb)):
        for key, side, _, _ in list(other):
            if key.startswith("prefix:") and side == 1:
                rest = key.removeprefix("prefix:")
                if rest in facts.stems:
                    i = facts.stems[rest]
                    hits.append((key, 0, i, facts.analysis.tokens[i].surface.lower()))
    details: list[str] = []
    explained_a: set[int] = set()
    explained_b: set[int] = set()
    compared_a: set[int] = set()
    compared_b: set[int] = set()
    for key in sorted({h[0] for h in hits_a} & {h[0] for h in hits_b}):
        side_a = [(s, i, w) for k, s, i, w in hits_a if k == key]
        side_b = [(s, i, w) for k, s, i, w in hits_b if k == key]
        compared_a.update(i for _, i, _ in side_a)
        compared_b.update(i for _, i, _ in side_b)
        plain_a, plain_b = {s for s, _, _ in side_a}, {s for s, _, _ in side_b}
        if not plain_a.isdisjoint(plain_b):
            continue
        flipped_a = {s ^ bool(_negated_by(fa, i)) for s, i, _ in side_a}
        flipped_b = {s ^ bool(_negated_by(fb, i)) for s, i, _ in side_b}
        if flipped_a == flipped_b:  # "did not approve" vs "rejected"
            explained_a.update(n for _, i, _ in side_a for n in _negated_by(fa, i))
            explained_b.update(n for _, i, _ in side_b for n in _negated_by(fb, i))
            continue
        words_a = "/".join(dict.fromkeys(w for _, _, w in side_a))
        words_b = "/".join(dict.fromkeys(w for _, _, w in side_b))
        detail = f"{words_a} vs {words_b}"
        if detail not in details:
            details.append(detail)
    return "; ".join(details), (explained_a, compared_a), (explained_b, compared_b)


def _markers(facts: Facts, explained: set[int], compared: set[int]) -> list[str]:
    """The "no longer" markers of a claim: negations no opposite word explains, and reversal
    words the polarity guard did not compare. A negation governing a reversal ("did not
    revoke") cancels it, and both drop out."""
    cancelled: set[int] = set()
    reversals = []
    for i, words in facts.reversals:
        if i in compared:
            continue
        governing = [n for n in _negated_by(facts, i, reversal=True) if n not in explained]
        if governing:
            cancelled.update(governing)
        else:
            reversals.append(words)
    negations = [m for i, m in facts.negations if i not in explained and i not in cancelled]
    return negations + reversals


def _negation(fa: Facts, fb: Facts, used_a: _Used, used_b: _Used) -> str:
    found_a = _markers(fa, *used_a)
    found_b = _markers(fb, *used_b)
    if bool(found_a) == bool(found_b):
        return ""
    if found_a:
        return f"negated ({', '.join(dict.fromkeys(found_a))}) vs not negated"
    return f"not negated vs negated ({', '.join(dict.fromkeys(found_b))})"


# --- numbers, dates, entities and event stages ----------------------------------------------


def _numbers(fa: Facts, fb: Facts) -> str:
    def unmatched(mine: list[Number], theirs: list[Number]) -> list[str]:
        return [s for lo, hi, s in mine if not any(lo <= h and low <= hi for low, h, _ in theirs)]

    only_a, only_b = unmatched(fa.numbers, fb.numbers), unmatched(fb.numbers, fa.numbers)
    if only_a and only_b:
        return f"{', '.join(dict.fromkeys(only_a))} vs {', '.join(dict.fromkeys(only_b))}"
    return ""


def _dates(fa: Facts, fb: Facts) -> str:
    details: list[str] = []
    for part in ("year", "day", "month", "weekday", "relative"):
        only_a = sorted(fa.dates[part] - fb.dates[part])
        only_b = sorted(fb.dates[part] - fa.dates[part])
        if only_a and only_b:
            details.append(f"{', '.join(only_a)} vs {', '.join(only_b)}")
    return "; ".join(details)


def _entities(fa: Facts, fb: Facts) -> str:
    details = []
    left_a, left_b = [], []  # entities not compared within their type
    for kind in sorted(set(fa.entities.values()) | set(fb.entities.values())):
        only_a = sorted(e for e, t in fa.entities.items() if t == kind and e not in fb.entities)
        only_b = sorted(e for e, t in fb.entities.items() if t == kind and e not in fa.entities)
        if only_a and only_b:
            shown_a = ", ".join(e.replace("_", " ") for e in only_a)
            details.append(f"{shown_a} vs {', '.join(e.replace('_', ' ') for e in only_b)}")
        else:
            left_a += [e.replace("_", " ") for e in only_a]
            left_b += [e.replace("_", " ") for e in only_b]

    def lonely(mine: Facts, theirs: Facts) -> list[str]:
        out = []
        for name in mine.names:
            shared = all(w in theirs.words for w in name) or any(
                set(name) <= set(other) or set(other) <= set(name) for other in theirs.names
            )
            if not shared:
                out.append(" ".join(name))
        return out

    # An unknown name may stand in for an entity of any type ("Scholz" vs "Merz").
    names_a, names_b = lonely(fa, fb), lonely(fb, fa)
    if (names_a or names_b) and names_a + left_a and names_b + left_b:
        details.append(f"{', '.join(left_a + names_a)} vs {', '.join(left_b + names_b)}")
    return "; ".join(details)


# Stages that say an event has not (yet) happened: "considered easing" is not "eased".
TENTATIVE_STAGES = frozenset({"consider", "plan", "propose", "negotiate", "announce"})


def _tentative(facts: Facts) -> list[str]:
    return sorted(
        {w for stages in facts.events.values() for s, w in stages.items() if s in TENTATIVE_STAGES}
    )


def _events(fa: Facts, fb: Facts) -> str:
    details = []
    tentative_a, tentative_b = _tentative(fa), _tentative(fb)
    if bool(tentative_a) != bool(tentative_b):
        said = "/".join(tentative_a or tentative_b)
        details.append(f"{said} vs done" if tentative_a else f"done vs {said}")
    for group in sorted(set(fa.events) & set(fb.events)):
        stages_a, stages_b = fa.events[group], fb.events[group]
        only_a = [w for s, w in stages_a.items() if s not in stages_b]
        only_b = [w for s, w in stages_b.items() if s not in stages_a]
        if only_a and only_b:
            details.append(f"{'/'.join(only_a)} vs {'/'.join(only_b)}")
    return "; ".join(details)
