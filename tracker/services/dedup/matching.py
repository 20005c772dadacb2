"""Fuzzy claim deduplication: matching (the exact top-k search of ``search``, fused with the
semantic tier by ``hybrid``), guards against false merges, levels, and stored decisions.

``match`` analyses the query text once (``analysis.analyze``): the search reads its
normalized text, and the guards read the same ``Analysis`` against each candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Claim, DedupDecision
from tracker.services.audit import log as audit
from tracker.services.dedup import analysis, embeddings, guards, hybrid
from tracker.services.dedup import vectors as claim_vectors
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.analysis import NORMALIZER_VERSION, AliasSource, compile_aliases
from tracker.services.dedup.search import (
    lexical_scores,
    score_pair,
    top_matches,
    weights_for,
)
from tracker.services.dedup.token_index import tokens_of
from tracker.services.errors import Invalid, NotFound

# Stored with every decision: the score and search (dedup_search), the normalizer and the
# fusion with the semantic tier (hybrid).
ALGORITHM = f"dedup/2+normalize/{NORMALIZER_VERSION}+hybrid/{hybrid.FLOOR:g},{hybrid.WEIGHT:g}"
# Lexical candidates taken for the fused ranking when the semantic tier is on.
LEXICAL_CANDIDATES = 20
# A reviewer's decision about a pair of claims, and the audit action it is recorded as.
OUTCOME_ACTIONS = {"linked": "dedup.linked", "distinct": "dedup.distinct", "merged": "dedup.merged"}


@dataclass(frozen=True)
class Thresholds:
    auto: float = 92.0
    suggest: float = 60.0

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.auto <= 100:
            raise Invalid("thresholds must satisfy 0 <= suggest <= auto <= 100")

    def level(
        self, score: float, warnings: Sequence[guards.GuardWarning], lexical: float | None = None
    ) -> str:
        """``score`` is the fused score; ``auto`` also needs the lexical score (when it
        differs) at the auto threshold, so the semantic tier alone never reaches it."""
        lexical = score if lexical is None else lexical
        if score >= self.auto and lexical >= self.auto and not warnings:
            return "auto"
        return "suggest" if score >= self.suggest else "none"


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Match:
    claim_id: int
    text: str
    score: float
    level: str
    warnings: list[guards.GuardWarning] = field(default_factory=list)
    # What each tier gave: the lexical score (0-100) and the cosine of the two claims'
    # vectors (None: the semantic tier is off or the claim has no vector yet).
    lexical: float = 0.0
    semantic: float | None = None

    @property
    def tiers(self) -> str:
        return hybrid.tiers_text(self.lexical, self.semantic)

    def as_dict(self) -> dict[str, object]:
        return {
            "claim_id": self.claim_id,
            "text": self.text,
            "score": self.score,
            "lexical": self.lexical,
            "semantic": self.semantic,
            "tiers": self.tiers,
            "level": self.level,
            "warnings": [w.code for w in self.warnings],
            "warning_details": [w.detail for w in self.warnings],
        }


def _distinct_pairs(session: Session, claim_id: int) -> set[int]:
    rows = session.execute(
        select(DedupDecision.claim_id, DedupDecision.other_id).where(
            DedupDecision.outcome == "distinct",
            (DedupDecision.claim_id == claim_id) | (DedupDecision.other_id == claim_id),
        )
    )
    return {b if a == claim_id else a for a, b in rows}


def match(
    session: Session,
    text: str,
    *,
    language: str | None = None,
    limit: int = 5,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    exclude_claim_id: int | None = None,
    aliases: AliasSource | None = None,
    warnings: bool = True,
) -> list[Match]:
    """The best candidates for ``text``, best first. Writes nothing.

    Merged claims are left out (their evidence lives on the claim they redirect to), and so
    are claims a reviewer marked distinct from ``exclude_claim_id``. ``warnings=False`` (for
    callers that show levels but not warnings): the guards run only where they decide the
    level, at scores of at least ``thresholds.auto``; the other matches carry no warnings."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid("the text to match is empty")
    if limit < 1:
        raise Invalid("the limit must be at least 1")
    table = alias_index(session) if aliases is None else compile_aliases(aliases)
    analysed = analysis.analyze(text, language, table)  # once: the search and guards read it
    normalized = analysed.normalized
    weight = weights_for(session, tokens_of(normalized))
    skip = _distinct_pairs(session, exclude_claim_id) if exclude_claim_id else set()
    skip.add(exclude_claim_id or -1)
    query = hybrid.Query.of(text)
    wanted = max(limit, LEXICAL_CANDIDATES) if query.vector is not None else limit
    lexical = {cid: score for score, cid in top_matches(session, normalized, wanted, weight, skip)}
    nearest = [cid for cid in query.nearest(session) if cid not in lexical and cid not in skip]
    lexical.update(lexical_scores(session, normalized, weight, nearest))
    cosines = query.cosines(session, list(lexical))
    fused = {cid: hybrid.fuse(lex, cosines.get(cid)) for cid, lex in lexical.items()}
    # A nearest vector that shares no words and sits below the cosine floor says nothing.
    fused = {cid: score for cid, score in fused.items() if score > 0 or cid not in nearest}
    ranked = sorted(fused, key=lambda cid: (-fused[cid], cid))[:limit]
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ranked)))}
    results = []
    reader = guards.Reader(table)
    for claim_id in ranked:
        claim, score, lex = claims[claim_id], fused[claim_id], lexical[claim_id]
        found = (
            reader.compare(analysed, claim.text, language_b=claim.language)
            if warnings or lex >= thresholds.auto
            else []
        )
        level = thresholds.level(score, found, lex)
        results.append(Match(claim.id, claim.text, score, level, found, lex, cosines.get(claim_id)))
    # Ranked by score alone: warnings block the auto level but do not reorder (reordering by
    # warning count cost 0.08 MAP@5 on CLEF CheckThat! posts, whose extra dates and names
    # raise warnings against every candidate).
    return results


def semantic_coverage(session: Session) -> claim_vectors.Coverage | None:
    """How many unmerged claims have a vector of the current model (None: the tier is off).
    Claims without one are matched by the lexical tier only."""
    encoder = embeddings.encoder()
    return None if encoder is None else claim_vectors.coverage(session, encoder)


# --- decisions ------------------------------------------------------------------------------


def record_decision(
    session: Session,
    claim_id: int,
    other_id: int,
    outcome: str,
    *,
    actor: audit.Actor,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    reason: str | None = None,
) -> DedupDecision:
    """Store a decision about a pair (linked, distinct or merged) with the score it had."""
    if outcome not in OUTCOME_ACTIONS:
        raise Invalid(f"unknown outcome {outcome!r}")
    if claim_id == other_id:
        raise Invalid("a claim cannot be paired with itself")
    a, b = session.get(Claim, claim_id), session.get(Claim, other_id)
    if a is None or b is None:
        raise NotFound(f"claim {claim_id if a is None else other_id} does not exist")
    table = alias_index(session)
    weight = weights_for(session, tokens_of(a.normalized_text) | tokens_of(b.normalized_text))
    lexical = score_pair(a.normalized_text, b.normalized_text, weight)
    encoder = embeddings.encoder()
    vectors = claim_vectors.vectors_for(session, encoder, [a.id, b.id]) if encoder else {}
    cosine = round(float(vectors[a.id] @ vectors[b.id]), 4) if len(vectors) == 2 else None
    score = hybrid.fuse(lexical, cosine)
    warnings = guards.compare(
        a.text, b.text, language_a=a.language, language_b=b.language, aliases=table
    )
    decision = DedupDecision(
        claim_id=min(claim_id, other_id),
        other_id=max(claim_id, other_id),
        algorithm=ALGORITHM,
        score=score,
        t_auto=thresholds.auto,
        t_suggest=thresholds.suggest,
        level=thresholds.level(score, warnings, lexical),
        warnings=[{"code": w.code, "detail": w.detail} for w in warnings],
        outcome=outcome,
        decided_by=actor.name,
        reason=reason,
    )
    session.add(decision)
    session.flush()
    fields = {
        "claim_id": decision.claim_id,
        "other_id": decision.other_id,
        "outcome": outcome,
        "score": score,
        "level": decision.level,
    }
    audit.record(
        session,
        actor,
        OUTCOME_ACTIONS[outcome],
        "dedup_decision",
        decision.id,
        audit.created(fields),
        reason=reason,
    )
    return decision
