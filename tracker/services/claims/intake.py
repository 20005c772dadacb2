"""Taking in a claim: show the team's near-duplicates first, then link or create.

The candidates are computed before anything is written, so the caller can link the new
excerpt to an existing claim instead of creating a duplicate. The excerpt comes from a quote
(anchored exactly or fuzzily) or from code-point offsets into the source text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.models import Claim, Excerpt, Source, Stance, Verdict
from tracker.services.audit import log as audit
from tracker.services.claims.edit import check_new_claim_support
from tracker.services.claims.records import (
    check_confidence,
    check_verdict,
    create_claim,
    get_claim,
    link_evidence,
)
from tracker.services.dedup.matching import DEFAULT_THRESHOLDS, Match, Thresholds, match
from tracker.services.errors import Invalid
from tracker.services.sources.excerpts import (
    Anchor,
    anchor_quote,
    excerpt_from_quote,
    get_or_create_excerpt,
)
from tracker.services.sources.read import get_source


@dataclass
class Intake:
    claim: Claim
    candidates: list[Match]
    linked: bool  # True: the excerpt went to an existing claim; no claim was created
    excerpt: Excerpt | None = None
    anchor: Anchor | None = None


@dataclass(frozen=True)
class Span:
    """Where a new excerpt would go, found without writing anything."""

    source: Source
    start: int
    end: int
    anchor: Anchor | None  # None when the span came as offsets

    @property
    def exact(self) -> str:
        return self.source.text[self.start : self.end]


def resolve_redirects(session: Session, claim: Claim) -> Claim:
    """Follow ``merged_into`` to the claim that now holds the evidence."""
    seen = {claim.id}
    while claim.merged_into_id is not None:
        claim = get_claim(session, claim.merged_into_id)
        if claim.id in seen:
            raise Invalid(f"claim {claim.id} is in a merge cycle")
        seen.add(claim.id)
    return claim


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_span_args(
    source_id: int | None, quote: str | None, start: int | None, end: int | None
) -> bool:
    """True when a span is asked for; Invalid for an incomplete or contradictory one."""
    has_offsets = start is not None or end is not None
    if source_id is None:
        if quote is not None or has_offsets:
            raise Invalid("a quote or offsets need a source")
        return False
    if has_offsets and (start is None or end is None):
        raise Invalid("give both the start and the end offset")
    if has_offsets and quote is not None:
        raise Invalid("give a quote or offsets, not both")
    if not has_offsets and quote is None:
        raise Invalid("give both a source and a quote (or offsets), or neither")
    return True


def check_offsets(text: str, start: int, end: int) -> None:
    """Offsets count code points of the source text; the span they select may not be blank."""
    if not (_is_int(start) and _is_int(end)):
        raise Invalid("the offsets must be whole numbers")
    if not 0 <= start < end <= len(text):
        raise Invalid(f"offsets {start}-{end} are outside the source (length {len(text)})")
    if not text[start:end].strip():
        raise Invalid(f"offsets {start}-{end} select only white space")


def locate_span(
    session: Session,
    source_id: int,
    *,
    quote: str | None = None,
    start: int | None = None,
    end: int | None = None,
    occurrence: int | None = None,
) -> Span:
    """The span a quote or offsets select in a source, for showing it first. Writes nothing."""
    _check_span_args(source_id, quote, start, end)
    source = get_source(session, source_id)
    if start is not None and end is not None:
        check_offsets(source.text, start, end)
        return Span(source, start, end, None)
    assert quote is not None  # _check_span_args
    anchor = anchor_quote(source.text, quote, occurrence=occurrence, spans=source.spans)
    return Span(source, anchor.start, anchor.end, anchor)


def _propose(
    session: Session,
    claim: Claim,
    verdict: Verdict | None,
    confidence: float | None,
    actor: audit.Actor,
) -> None:
    """A reviewer's proposed verdict and/or confidence; an editor decides (``verdict`` and
    ``confidence`` stay as they are)."""
    fields = ("proposed_verdict", "proposed_confidence", "proposed_by")
    before = {name: getattr(claim, name) for name in fields}
    if verdict is not None:
        claim.proposed_verdict = verdict
    if confidence is not None:
        claim.proposed_confidence = confidence
    claim.proposed_by = actor.name
    session.flush()
    after = {name: getattr(claim, name) for name in fields}
    audit.record(
        session, actor, "claim.propose_verdict", "claim", claim.id, audit.diff(before, after)
    )


def intake_claim(
    session: Session,
    text: str,
    *,
    actor: audit.Actor,
    language: str | None = None,
    source_id: int | None = None,
    quote: str | None = None,
    occurrence: int | None = None,
    start: int | None = None,
    end: int | None = None,
    stance: str | Stance = Stance.SUPPORTS,
    verdict: str | Verdict = Verdict.UNREVIEWED,
    proposed_verdict: str | Verdict | None = None,
    confidence: float | None = None,
    proposed_confidence: float | None = None,
    rationale: str = "",
    override_reason: str | None = None,
    link_to: int | None = None,
    limit: int = 5,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    candidates: list[Match] | None = None,
) -> Intake:
    """Candidates for ``text``; then the excerpt (if a source and a quote or ``start``/``end``
    offsets are given) is linked to ``link_to`` or to a new claim. Everything happens in one
    savepoint. When linking, the claim fields (verdict, confidence...) are not used."""
    wants_span = _check_span_args(source_id, quote, start, end)
    proposal = check_verdict(proposed_verdict) if proposed_verdict is not None else None
    proposed_score = check_confidence(proposed_confidence)
    if candidates is None:  # a caller that already showed them passes them in
        candidates = match(session, text, language=language, limit=limit, thresholds=thresholds)
    with session.begin_nested():
        excerpt = anchor = None
        if wants_span and source_id is not None:
            source = get_source(session, source_id)
            if start is not None and end is not None:
                check_offsets(source.text, start, end)
                excerpt, _ = get_or_create_excerpt(session, source, start, end, actor=actor)
            elif quote is not None:
                excerpt, anchor = excerpt_from_quote(
                    session, source, quote, actor=actor, occurrence=occurrence
                )
        if link_to is not None:
            target = resolve_redirects(session, get_claim(session, link_to))
            if excerpt is None:
                raise Invalid("linking to an existing claim needs a source and a quote")
            link_evidence(session, target, excerpt, stance, actor=actor)
            return Intake(target, candidates, True, excerpt, anchor)
        claim = create_claim(
            session,
            text=text,
            language=language,
            verdict=verdict,
            confidence=confidence,
            rationale=rationale,
            actor=actor,
        )
        if proposal is not None or proposed_score is not None:
            _propose(session, claim, proposal, proposed_score, actor)
        if excerpt is not None:
            link_evidence(session, claim, excerpt, stance, actor=actor)
        # The AI-only rule, as on an edit: true on AI-generated support alone needs a reason.
        check_new_claim_support(session, claim, override_reason=override_reason, actor=actor)
    return Intake(claim, candidates, False, excerpt, anchor)
