"""Batch scan: cluster the whole database into groups of likely duplicates for review.

The scan reads every unmerged claim once, builds an in-memory inverted index of their tokens,
and pairs each claim only with the claims that share its rarer tokens (blocking), so the work
grows with the number of claims, not with its square. Pairs at suggest level or above, with
their guard warnings, are grouped by connected components. Nothing is merged unless asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimToken, DedupDecision
from tracker.services.audit import log as audit
from tracker.services.claims.merge import merge_claims
from tracker.services.dedup import embeddings, guards, hybrid, vector_index
from tracker.services.dedup import vectors as claim_vectors
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.embeddings import Encoder
from tracker.services.dedup.matching import DEFAULT_THRESHOLDS, Thresholds
from tracker.services.dedup.search import Weights, score_pair
from tracker.services.dedup.token_index import document_frequencies, tokens_of
from tracker.services.errors import Invalid

BLOCK_POSTINGS = 100  # tokens shared by more claims than this do not make pairs on their own
PAIRS_PER_CLAIM = 5
SEMANTIC_PARTNERS = 5  # nearest vectors taken as partners of each claim (any language)


@dataclass
class ScanPair:
    claim_id: int
    other_id: int
    score: float
    level: str
    warnings: list[guards.GuardWarning]
    lexical: float = 0.0
    semantic: float | None = None
    languages: tuple[str | None, str | None] = (None, None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "other_id": self.other_id,
            "score": self.score,
            "lexical": self.lexical,
            "semantic": self.semantic,
            "tiers": hybrid.tiers_text(self.lexical, self.semantic),
            "languages": list(self.languages),
            "level": self.level,
            "warnings": [w.code for w in self.warnings],
            "warning_details": [w.detail for w in self.warnings],
        }


@dataclass
class ScanResult:
    claims: int = 0
    pairs_scored: int = 0
    groups: list[dict[str, Any]] = field(default_factory=list)
    merged: list[tuple[int, int]] = field(default_factory=list)


def _distinct(session: Session) -> set[tuple[int, int]]:
    rows = session.execute(
        select(DedupDecision.claim_id, DedupDecision.other_id).where(
            DedupDecision.outcome == "distinct"
        )
    )
    return {(min(a, b), max(a, b)) for a, b in rows}


def _blocked_partners(
    i: int, tokens: set[str], postings: dict[str, list[int]], idf: Weights
) -> list[int]:
    weights: dict[int, float] = defaultdict(float)
    for token in tokens:
        posting = postings[token]
        if len(posting) <= BLOCK_POSTINGS:
            for j in posting:
                if j > i:
                    weights[j] += idf(token)
    return sorted(weights, key=lambda j: -weights[j])[: PAIRS_PER_CLAIM * 2]


def _groups(pairs: list[ScanPair]) -> list[dict[str, Any]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[find(pair.claim_id)] = find(pair.other_id)
    members: dict[int, list[ScanPair]] = defaultdict(list)
    for pair in pairs:
        members[find(pair.claim_id)].append(pair)
    groups = []
    for group_pairs in members.values():
        ids = sorted({p.claim_id for p in group_pairs} | {p.other_id for p in group_pairs})
        languages = sorted({lang or "und" for p in group_pairs for lang in p.languages})
        groups.append(
            {
                "claims": ids,
                "languages": languages,
                "cross_language": len(languages) > 1,
                "pairs": [p.as_dict() for p in group_pairs],
            }
        )
    return sorted(groups, key=lambda g: (-len(g["claims"]), g["claims"][0]))


def scan(
    session: Session,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    progress: Callable[[int], None] | None = None,
    recent: int | None = None,
) -> ScanResult:
    """Groups of suggest-level pairs with their scores and warnings. Writes nothing.

    With ``recent``, only pairs that involve one of the newest ``recent`` unmerged claims are
    listed (each still compared against every claim), read through the token index, so the
    work does not grow with the size of the database (see ``_scan_recent``)."""
    if recent is not None:
        return _scan_recent(session, recent, thresholds)
    rows = session.execute(
        select(Claim.id, Claim.text, Claim.normalized_text, Claim.language)
        .where(Claim.merged_into_id.is_(None))
        .order_by(Claim.id)
    ).all()
    token_sets = [tokens_of(r.normalized_text) for r in rows]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, tokens in enumerate(token_sets):
        for token in tokens:
            postings[token].append(i)
    total = max((r.id for r in rows), default=1)
    idf = Weights({t: len(p) for t, p in postings.items()}, total)
    distinct, reader = _distinct(session), guards.Reader(alias_index(session))
    result, pairs = ScanResult(claims=len(rows)), []
    position = {row.id: i for i, row in enumerate(rows)}
    semantic = _Semantic.read(session, [row.id for row in rows])
    seen: set[tuple[int, int]] = set()
    for i, row in enumerate(rows):
        partners = _blocked_partners(i, token_sets[i], postings, idf)
        partners += [position[c] for c in semantic.nearest.get(row.id, ()) if c in position]
        scored = []
        for j in dict.fromkeys(partners):
            older, newer = sorted((i, j))
            key = (rows[older].id, rows[newer].id)
            if j == i or key in seen:
                continue
            seen.add(key)
            result.pairs_scored += 1
            lex = score_pair(rows[older].normalized_text, rows[newer].normalized_text, idf)
            cosine = semantic.cosine(*key)
            score = hybrid.fuse(lex, cosine)
            if score >= thresholds.suggest and key not in distinct:
                scored.append((score, lex, cosine, older, newer))
        for score, lex, cosine, older, newer in sorted(scored, reverse=True)[:PAIRS_PER_CLAIM]:
            a, b = rows[older], rows[newer]
            warnings = reader.compare(a.text, b.text, language_a=a.language, language_b=b.language)
            level = thresholds.level(score, warnings, lex)
            pairs.append(
                ScanPair(a.id, b.id, score, level, warnings, lex, cosine, (a.language, b.language))
            )
        if progress and i % 1000 == 999:
            progress(1000)
    result.groups = _groups(pairs)
    return result


@dataclass
class _Semantic:
    """Stored vectors of the scanned claims and each one's nearest neighbours (claim ids)."""

    vectors: dict[int, Any] = field(default_factory=dict)
    nearest: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, session: Session, claim_ids: list[int]) -> _Semantic:
        encoder = embeddings.encoder()
        if encoder is None or not claim_ids:
            return cls()
        return cls.around(session, encoder, claim_vectors.vectors_for(session, encoder, claim_ids))

    @classmethod
    def around(
        cls, session: Session, encoder: Encoder | None, vectors: dict[int, Any]
    ) -> _Semantic:
        """The nearest neighbours of claims whose vectors were read already."""
        if encoder is None or not vectors:
            return cls()
        ids = sorted(vectors)
        index = vector_index.for_session(session, encoder)
        found = index.nearest_many(
            session, np.stack([vectors[c] for c in ids]), SEMANTIC_PARTNERS + 1
        )
        return cls(
            vectors, {c: [o for o in near if o != c] for c, near in zip(ids, found, strict=True)}
        )

    def cosine(self, a: int, b: int) -> float | None:
        va, vb = self.vectors.get(a), self.vectors.get(b)
        return None if va is None or vb is None else round(float(va @ vb), 4)


# --- the bounded scan: pairs among the newest claims -----------------------------------------

CHUNK = 500


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def _distinct_among(session: Session, ids: list[int]) -> set[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for chunk in _chunks(ids):
        rows = session.execute(
            select(DedupDecision.claim_id, DedupDecision.other_id).where(
                DedupDecision.outcome == "distinct",
                DedupDecision.claim_id.in_(chunk) | DedupDecision.other_id.in_(chunk),
            )
        )
        found |= {(min(a, b), max(a, b)) for a, b in rows}
    return found


def _postings(session: Session, tokens: list[str]) -> dict[str, list[int]]:
    """The unmerged claims holding each token, from the ``claim_tokens`` index."""
    postings: dict[str, list[int]] = defaultdict(list)
    # NOT IN (the few merged claims) rather than a join: with a long token list SQLite would
    # otherwise walk every unmerged claim through the merged_into_id index.
    merged = select(Claim.id).where(Claim.merged_into_id.is_not(None))
    for chunk in _chunks(tokens):
        rows = session.execute(
            select(ClaimToken.token, ClaimToken.claim_id).where(
                ClaimToken.token.in_(chunk), ClaimToken.claim_id.not_in(merged)
            )
        )
        for token, claim_id in rows:
            postings[token].append(claim_id)
    return postings


def _scan_recent(session: Session, recent: int, thresholds: Thresholds) -> ScanResult:
    """Pairs involving the newest ``recent`` unmerged claims, each compared with every claim.

    Instead of reading the whole table, the partners come from the token index: only the
    postings of the newest claims' rarer tokens (held by at most BLOCK_POSTINGS claims, the
    same blocking as the full scan) are read, and idf weights come from ``token_stats``. Claims
    are read with their vectors in one query. The work is bounded by ``recent`` and
    BLOCK_POSTINGS, whatever the number of claims."""
    if recent < 1:
        raise Invalid("the number of recent claims must be at least 1")
    encoder = embeddings.encoder()
    columns = (Claim.id, Claim.text, Claim.normalized_text, Claim.language)
    newest = session.execute(
        claim_vectors.with_vectors(
            select(*columns)
            .where(Claim.merged_into_id.is_(None))
            .order_by(Claim.id.desc())
            .limit(recent),
            encoder,
        )
    ).all()
    result = ScanResult(claims=len(newest))
    if not newest:
        return result
    token_sets = {row.id: tokens_of(row.normalized_text) for row in newest}
    wanted = set().union(*token_sets.values())
    total = int(session.scalar(select(func.max(Claim.id))) or 1)
    idf = Weights(document_frequencies(session, wanted), total)
    postings = _postings(session, sorted(t for t in wanted if 0 < idf.df(t) <= BLOCK_POSTINGS))
    partners: dict[int, list[int]] = {}
    for row in newest:
        weights: dict[int, float] = defaultdict(float)
        for token in token_sets[row.id]:
            for other in postings.get(token, ()):
                if other != row.id:
                    weights[other] += idf(token)
        partners[row.id] = sorted(weights, key=lambda j: (-weights[j], j))[: PAIRS_PER_CLAIM * 2]
    semantic = _Semantic.around(session, encoder, claim_vectors.vectors_in(newest, encoder))
    for row in newest:
        near = [c for c in semantic.nearest.get(row.id, ()) if c not in partners[row.id]]
        partners[row.id] += near
    rows = {row.id: row for row in newest}
    missing = sorted({j for js in partners.values() for j in js} - rows.keys())
    for chunk in _chunks(missing):  # the partners' rows with their vectors
        unmerged = Claim.id.in_(chunk) & Claim.merged_into_id.is_(None)
        read = claim_vectors.with_vectors(select(*columns).where(unmerged), encoder)
        found = session.execute(read).all()
        rows.update({row.id: row for row in found})
        semantic.vectors.update(claim_vectors.vectors_in(found, encoder))
    distinct = _distinct_among(session, sorted(partners))
    reader = guards.Reader(alias_index(session))
    seen: set[tuple[int, int]] = set()
    pairs = []
    for row in newest:
        scored = []
        for other in partners[row.id]:
            if other not in rows:  # a merged claim the vector index still held
                continue
            older, newer = min(row.id, other), max(row.id, other)
            result.pairs_scored += 1
            # The older claim is the query, as in the full scan.
            lex = score_pair(rows[older].normalized_text, rows[newer].normalized_text, idf)
            cosine = semantic.cosine(older, newer)
            score = hybrid.fuse(lex, cosine)
            if score >= thresholds.suggest and (older, newer) not in distinct:
                scored.append((score, lex, cosine, older, newer))
        for score, lex, cosine, older, newer in sorted(scored, reverse=True)[:PAIRS_PER_CLAIM]:
            if (older, newer) in seen:
                continue
            seen.add((older, newer))
            a, b = rows[older], rows[newer]
            warnings = reader.compare(a.text, b.text, language_a=a.language, language_b=b.language)
            level = thresholds.level(score, warnings, lex)
            languages = (a.language, b.language)
            pairs.append(ScanPair(older, newer, score, level, warnings, lex, cosine, languages))
    result.groups = _groups(pairs)
    return result


def apply_auto(session: Session, result: ScanResult, *, actor: audit.Actor) -> None:
    """Merge every auto-level pair: the newer claim goes into the older one."""
    for group in result.groups:
        for pair in group["pairs"]:
            if pair["level"] != "auto":
                continue
            older, newer = pair["claim_id"], pair["other_id"]
            claim, target = session.get(Claim, newer), session.get(Claim, older)
            if claim is None or target is None:
                continue
            if claim.merged_into_id is None and target.merged_into_id is None:
                merge_claims(
                    session,
                    newer,
                    older,
                    actor=actor,
                    reason=f"dedup scan: auto level, score {pair['score']}",
                )
                result.merged.append((newer, older))
