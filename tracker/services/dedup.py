"""Fuzzy claim deduplication: a token index in the database for candidates, rapidfuzz and
rare-word weighting for scores, guards against false merges, and stored decisions.

Candidate generation never scans every claim: it reads the postings of the query's rarer
tokens from ``claim_tokens`` (one indexed range per token) and keeps the best-weighted claims.
Those few candidates are then scored in Python.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimToken, DedupDecision
from tracker.services import audit, guards
from tracker.services.aliases import alias_index
from tracker.services.errors import Invalid, NotFound
from tracker.services.normalize import (
    NORMALIZER_VERSION,
    AliasSource,
    compile_aliases,
    normalize_claim_text,
)
from tracker.services.token_index import tokens_of

# Stored with every decision. dedup/1: candidates from the token index by idf weight; score =
# 0.5 * rapidfuzz token_set_ratio + 0.5 * the share of the query's idf weight the claim holds.
ALGORITHM = f"dedup/1+normalize/{NORMALIZER_VERSION}"
# Tokens found in more claims than this are too common to fetch postings for; they still
# count in the score of the candidates the rarer tokens bring.
MAX_POSTINGS = 5000
CANDIDATE_POOL = 50
# The rarest query tokens are read in full up to this many claims; those claims are the anchors.
ANCHOR_POSTINGS = 3000
RERANK_POOL = 20
WARNING_PENALTY = 10.0  # chosen with benchmarks/quality.py: 0 -> recall@1 0.694, 10 -> 0.710


@dataclass(frozen=True)
class Thresholds:
    auto: float = 92.0
    suggest: float = 70.0

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.auto <= 100:
            raise Invalid("thresholds must satisfy 0 <= suggest <= auto <= 100")

    def level(self, score: float, warnings: Sequence[guards.GuardWarning]) -> str:
        if score >= self.auto and not warnings:
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

    def as_dict(self) -> dict[str, object]:
        return {
            "claim_id": self.claim_id,
            "text": self.text,
            "score": self.score,
            "level": self.level,
            "warnings": [w.code for w in self.warnings],
            "warning_details": [w.detail for w in self.warnings],
        }


# --- the index ------------------------------------------------------------------------------


# Document frequencies of common tokens only weight them, so a few minutes' staleness is
# harmless, and caching them per process saves counting long postings on every query. Rare
# tokens (which decide the candidates) are cheap to count and are always counted fresh.
DF_CACHE_MIN = 100
DF_CACHE_SECONDS = 300.0
DF_CACHE_SIZE = 200_000
_df_cache: dict[tuple[str, str], tuple[float, int]] = {}


def _document_frequencies(session: Session, tokens: Iterable[str]) -> dict[str, int]:
    """How many claims hold each token, counted up to MAX_POSTINGS + 1 (enough to rank)."""
    dfs, now = {}, time.monotonic()
    bind = str(session.get_bind().engine.url)
    missing = []
    for token in tokens:
        hit = _df_cache.get((bind, token))
        if hit is not None and now - hit[0] < DF_CACHE_SECONDS:
            dfs[token] = hit[1]
        else:
            missing.append(token)
    if len(_df_cache) > DF_CACHE_SIZE:
        _df_cache.clear()
    for token in missing:
        capped = (
            select(literal(1)).where(ClaimToken.token == token).limit(MAX_POSTINGS + 1).subquery()
        )
        dfs[token] = int(session.scalar(select(func.count()).select_from(capped)) or 0)
        if dfs[token] >= DF_CACHE_MIN:
            _df_cache[(bind, token)] = (now, dfs[token])
    return dfs


def _idf(df: int, total: int) -> float:
    return math.log(1 + total / max(df, 1))


def query_weights(
    session: Session, tokens: Iterable[str]
) -> tuple[dict[str, int], dict[str, float]]:
    """Document frequencies and idf weights of ``tokens`` (counted once per query)."""
    dfs = _document_frequencies(session, tokens)
    total = int(session.scalar(select(func.max(Claim.id))) or 1)
    return dfs, {t: _idf(df, total) for t, df in dfs.items()}


def candidate_ids(
    session: Session,
    normalized: str,
    limit: int = CANDIDATE_POOL,
    weights: tuple[dict[str, int], dict[str, float]] | None = None,
) -> list[int]:
    """The ids of the claims sharing the most idf weight with ``normalized``.

    Two steps, both on the index: the query's rarest tokens (together at most ANCHOR_POSTINGS
    claims) pick the anchor set; the anchors are then ranked by the weight of *all* the query
    tokens they hold, common ones included, so that a claim sharing a rare name and the rest
    of the wording beats one sharing the name alone. A query with only common tokens falls
    back to the postings of those with at most MAX_POSTINGS claims."""
    all_dfs, idf = weights or query_weights(session, tokens_of(normalized))
    dfs = {t: df for t, df in all_dfs.items() if df > 0}
    if not dfs:
        return []
    ranked = sorted(dfs, key=lambda t: (dfs[t], t))
    anchors, budget = [], ANCHOR_POSTINGS
    for token in ranked:
        if dfs[token] > budget:
            break
        anchors.append(token)
        budget -= dfs[token]
    weight = case(*((ClaimToken.token == t, idf[t]) for t in ranked), else_=0.0)
    if anchors:
        # Fetched first (at most ANCHOR_POSTINGS ids), so each database plans the second
        # query as index lookups of (token, claim_id) pairs.
        anchor_ids = sorted(
            set(session.scalars(select(ClaimToken.claim_id).where(ClaimToken.token.in_(anchors))))
        )
        where: list[ColumnElement[bool]] = [
            ClaimToken.claim_id.in_(anchor_ids),
            ClaimToken.token.in_(ranked),
        ]
    else:
        usable = [t for t in ranked if dfs[t] <= MAX_POSTINGS] or ranked[:1]
        where = [ClaimToken.token.in_(usable)]
    query = (
        select(ClaimToken.claim_id)
        .where(*where)
        .group_by(ClaimToken.claim_id)
        .order_by(func.sum(weight).desc(), ClaimToken.claim_id)
        .limit(limit)
    )
    return list(session.scalars(query))


# --- scoring --------------------------------------------------------------------------------


def score_pair(query: str, candidate: str, idf: Mapping[str, float]) -> float:
    """0-100: half rapidfuzz token_set_ratio, half the query's idf weight the candidate holds."""
    q_tokens, c_tokens = tokens_of(query), tokens_of(candidate)
    default = max(idf.values(), default=1.0)
    total = sum(idf.get(t, default) for t in q_tokens) or 1.0
    shared = sum(idf.get(t, default) for t in q_tokens & c_tokens)
    containment = 100.0 * shared / total
    return round(0.5 * fuzz.token_set_ratio(query, candidate) + 0.5 * containment, 1)


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
) -> list[Match]:
    """The best candidates for ``text``, best first. Writes nothing.

    Merged claims are left out (their evidence lives on the claim they redirect to), and so
    are claims a reviewer marked distinct from ``exclude_claim_id``."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid("the text to match is empty")
    if limit < 1:
        raise Invalid("the limit must be at least 1")
    table = alias_index(session) if aliases is None else compile_aliases(aliases)
    normalized = normalize_claim_text(text, language, table)
    weights = query_weights(session, tokens_of(normalized))  # score_pair weighs these only
    ids = candidate_ids(session, normalized, max(CANDIDATE_POOL, limit), weights)
    skip = _distinct_pairs(session, exclude_claim_id) if exclude_claim_id else set()
    skip.add(exclude_claim_id or -1)
    claims = session.scalars(
        select(Claim).where(
            Claim.id.in_([i for i in ids if i not in skip]), Claim.merged_into_id.is_(None)
        )
    ).all()
    idf = weights[1]
    scored = sorted(
        ((score_pair(normalized, c.normalized_text, idf), c) for c in claims),
        key=lambda pair: (-pair[0], pair[1].id),
    )[: max(RERANK_POOL, limit)]
    results = []
    for score, claim in scored:
        warnings = guards.compare(
            text, claim.text, language_a=language, language_b=claim.language, aliases=table
        )
        results.append(
            Match(claim.id, claim.text, score, thresholds.level(score, warnings), warnings)
        )
    # A candidate that differs in negation, a number, an entity, ... ranks below one that
    # does not: each warning costs WARNING_PENALTY points in the ranking (not in the score).
    results.sort(key=lambda m: (-(m.score - WARNING_PENALTY * len(m.warnings)), m.claim_id))
    return results[:limit]


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
    if outcome not in ("linked", "distinct", "merged"):
        raise Invalid(f"unknown outcome {outcome!r}")
    if claim_id == other_id:
        raise Invalid("a claim cannot be paired with itself")
    a, b = session.get(Claim, claim_id), session.get(Claim, other_id)
    if a is None or b is None:
        raise NotFound(f"claim {claim_id if a is None else other_id} does not exist")
    table = alias_index(session)
    _, idf = query_weights(session, tokens_of(a.normalized_text))
    score = score_pair(a.normalized_text, b.normalized_text, idf)
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
        level=thresholds.level(score, warnings),
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
        f"dedup.{outcome}",
        "dedup_decision",
        decision.id,
        audit.created(fields),
        reason=reason,
    )
    return decision
