"""The similarity score of two claims, and the exact top-k search for it through the index.

Score (``score_pair``, 0-100), over the token sets of the two normalized texts, each token
weighted by its idf w = ln(1 + N / df) from ``token_stats``:

    lexical = S / (Q ** (1 - BETA) * C ** BETA)

where S, Q and C sum w**2 over the shared, the query's and the candidate's tokens. Squared
weights let rare words (names, places) dominate; BETA < 0.5 penalises a candidate's extra words
less than the query's, so a short typed claim finds the longer stored one and a long post finds
the short claim it contains. The lexical part is then scaled by rapidfuzz's token_set_ratio:

    score = 100 * lexical * (FUZZY_FLOOR + (1 - FUZZY_FLOOR) * token_set_ratio / 100)

Since C >= S, a claim holding query tokens of squared weight S scores at most
100 * (S / Q) ** (1 - BETA) (``score_bound``). ``top_matches`` uses that bound to read only the
postings and score only the claims that can still reach the top k, and so finds the same top k
as scoring every claim (within a posting budget; see MAX_POSTINGS_READ).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Integer, any_, bindparam, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import InstrumentedAttribute, Session

from tracker.models import Claim, ClaimToken, TokenStat
from tracker.services.token_index import document_frequencies, tokens_of

BETA = 0.4
FUZZY_FLOOR = 0.5
# Postings of rare tokens are read together, up to this many claims in one query.
ANCHOR_POSTINGS = 3000
# At most this many posting entries are read per search; within it the search is exact.
MAX_POSTINGS_READ = 3_000
MAX_SCORED = 250
SCORE_BATCH = 250
COMPLETE_TOKENS = 3


class Weights:
    """idf weights from document frequencies: a token held by df of N claims weighs
    ln(1 + N / df); a token no claim holds weighs ln(1 + N), the most."""

    def __init__(self, dfs: Mapping[str, int], total: int) -> None:
        self.dfs = dict(dfs)
        self.total = max(total, 1)
        self._squares: dict[str, float] = {}

    def df(self, token: str) -> int:
        return self.dfs.get(token, 0)

    def __call__(self, token: str) -> float:
        return math.log(1 + self.total / max(self.dfs.get(token, 0), 1))

    def square(self, token: str) -> float:
        value = self._squares.get(token)
        if value is None:
            value = self._squares[token] = self(token) ** 2
        return value


def weights_for(session: Session, tokens: Iterable[str]) -> Weights:
    total = int(session.scalar(select(func.max(Claim.id))) or 1)
    return Weights(document_frequencies(session, tokens), total)


def _square(tokens: Iterable[str], weight: Weights) -> float:
    return float(sum(map(weight.square, tokens)))


def lexical(q_tokens: set[str], c_tokens: set[str], weight: Weights) -> float:
    """0-1: the weighted overlap of two token sets (see the module docstring)."""
    q2, c2 = _square(q_tokens, weight), _square(c_tokens, weight)
    if not q2 or not c2:
        return 0.0
    return float(_square(q_tokens & c_tokens, weight) / (q2 ** (1 - BETA) * c2**BETA))


def _blend(lex: float, q_tokens: set[str], c_tokens: set[str]) -> float:
    # token_set_ratio depends on the token sets only: the sorted tokens give the same value.
    fuzzy = fuzz.token_set_ratio(" ".join(sorted(q_tokens)), " ".join(sorted(c_tokens))) / 100
    return round(100 * lex * (FUZZY_FLOOR + (1 - FUZZY_FLOOR) * fuzzy), 1)


def score_pair(query: str, candidate: str, weight: Weights) -> float:
    """0-100 similarity of two normalized texts (see the module docstring)."""
    q_tokens, c_tokens = tokens_of(query), tokens_of(candidate)
    lex = lexical(q_tokens, c_tokens, weight)
    return _blend(lex, q_tokens, c_tokens) if lex else 0.0


def score_bound(shared_square: float, query_square: float) -> float:
    """The most ``score_pair`` gives a claim holding query tokens of squared weight
    ``shared_square`` (its own extra tokens can only lower it)."""
    if query_square <= 0 or shared_square <= 0:
        return 0.0
    return float(100 * min(1.0, shared_square / query_square) ** (1 - BETA))


def _among(column: InstrumentedAttribute[int], ids: list[int], session: Session) -> Any:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter instead of thousands
    (half the time of a long IN list there)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=postgresql.ARRAY(Integer)))
    return column.in_(ids)


# --- the search -----------------------------------------------------------------------------


@dataclass
class _Search:
    query_tokens: set[str]
    weight: Weights
    k: int
    skip: set[int]
    partial: dict[int, float] = field(default_factory=dict)  # squared weight of tokens read
    complete: set[int] = field(default_factory=set)  # claims whose partial also counts ``extra``
    extra: set[str] = field(default_factory=set)  # the unread tokens completed claims counted
    done: set[int] = field(default_factory=set)
    best: list[tuple[float, int, int]] = field(default_factory=list)  # min-heap
    scored: int = 0

    def kth(self) -> float:
        return self.best[0][0] if len(self.best) >= self.k else -1.0

    def offer(self, score: float, claim_id: int) -> None:
        item = (score, -claim_id, claim_id)  # ties: the lower id ranks higher
        if len(self.best) < self.k:
            heapq.heappush(self.best, item)
        elif item > self.best[0]:
            heapq.heapreplace(self.best, item)


def _read_postings(session: Session, search: _Search, tokens: list[str], limit: int | None) -> None:
    query = select(ClaimToken.token, ClaimToken.claim_id).where(ClaimToken.token.in_(tokens))
    if limit is not None:  # only a capped read: a LIMIT can turn PostgreSQL to a table scan
        query = query.limit(limit)
    rows = session.connection().execute(query).all()  # Core rows: no ORM overhead
    partial, weight = search.partial, search.weight
    counted = search.complete if set(tokens) & search.extra else set()
    for token, claim_id in rows:
        if token in search.extra and claim_id in counted:
            continue  # completion already counted it
        partial[claim_id] = partial.get(claim_id, 0.0) + weight.square(token)


def _score_batch(session: Session, search: _Search, ids: list[int]) -> None:
    """Score claims exactly from their index rows, with each token's document frequency read
    in the same query (token_set_ratio needs only the token sets)."""
    conn = session.connection()
    rows = conn.execute(
        select(ClaimToken.claim_id, ClaimToken.token, TokenStat.df)
        .join(TokenStat, TokenStat.token == ClaimToken.token)
        .where(_among(ClaimToken.claim_id, ids, session))
    ).all()
    # Merged claims are few: a separate lookup keeps the plan an index join on every engine.
    merged = set(
        conn.execute(
            select(Claim.id).where(
                _among(Claim.id, ids, session), Claim.merged_into_id.is_not(None)
            )
        ).scalars()
    )
    token_sets: dict[int, set[str]] = {}
    dfs = search.weight.dfs
    for claim_id, token, df in rows:
        if claim_id not in merged:
            token_sets.setdefault(claim_id, set()).add(token)
        dfs[token] = df
    for claim_id, tokens in token_sets.items():
        lex = lexical(search.query_tokens, tokens, search.weight)
        if lex and 100 * lex >= search.kth():  # the fuzzy part can only lower it
            search.offer(_blend(lex, search.query_tokens, tokens), claim_id)
    search.done.update(ids)
    search.scored += len(ids)


def _complete(session: Session, search: _Search, ids: list[int], tokens: list[str]) -> None:
    """Add ``tokens`` (unread query tokens) that these claims hold to their partial weights,
    one index probe per (token, claim), so that they rank by the weight that tells them apart."""
    weight = search.weight
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        if tokens:
            rows = session.connection().execute(
                select(ClaimToken.claim_id, ClaimToken.token).where(
                    ClaimToken.token.in_(tokens), _among(ClaimToken.claim_id, chunk, session)
                )
            )
            for claim_id, token in rows.all():
                search.partial[claim_id] += weight.square(token)
        search.complete.update(chunk)


def _refine(session: Session, search: _Search, unread: list[str], query: float) -> None:
    """Score the claims seen so far, most promising first, while one could still reach the
    top k. A claim's bound counts the query tokens it holds among those read (and among the
    completed ``extra`` ones), plus every other token not read. When more claims could reach
    the top than a batch holds, they are first completed with the heaviest unread tokens."""
    weight = search.weight
    if not search.extra and unread:
        search.extra = set(unread[:COMPLETE_TOKENS])  # rarest first: the heaviest
    slack = _square(unread, weight)
    slack_complete = _square((t for t in unread if t not in search.extra), weight)

    def bound(claim_id: int) -> float:
        extra = slack_complete if claim_id in search.complete else slack
        return score_bound(search.partial[claim_id] + extra, query)

    kth = search.kth()
    pending = [
        c
        for c in search.partial
        if c not in search.done and c not in search.skip and bound(c) >= kth
    ]
    if unread and len(pending) > SCORE_BATCH:
        todo = [c for c in pending if c not in search.complete]
        _complete(session, search, todo, [t for t in unread if t in search.extra])
    pending.sort(key=lambda c: (-bound(c), c))
    for start in range(0, len(pending), SCORE_BATCH):
        batch = pending[start : start + SCORE_BATCH]
        if search.scored >= MAX_SCORED or bound(batch[0]) < search.kth():
            return
        _score_batch(session, search, batch)


def top_matches(
    session: Session, normalized: str, k: int, weight: Weights, skip: set[int]
) -> list[tuple[float, int]]:
    """The k best unmerged claims for ``normalized`` by ``score_pair``: (score, claim id).

    Postings are read rarest token first. A claim holding only tokens not read yet scores at
    most ``score_bound`` of their weight, so reading stops once that falls below the k-th best
    exact score. The search is exact unless it hits its work limits (MAX_POSTINGS_READ,
    MAX_SCORED), which only a query made of common words reaches."""
    q_tokens = tokens_of(normalized)
    present = sorted((t for t in q_tokens if weight.df(t) > 0), key=lambda t: (weight.df(t), t))
    search = _Search(q_tokens, weight, k, skip)
    query = _square(q_tokens, weight)
    read, budget = 0, MAX_POSTINGS_READ
    while read < len(present):
        if score_bound(_square(present[read:], weight), query) < search.kth():
            break  # exact: no claim left unseen can reach the top k
        step, spent, start = [present[read]], weight.df(present[read]), read
        read += 1
        while read < len(present) and spent + weight.df(present[read]) <= ANCHOR_POSTINGS:
            spent += weight.df(present[read])
            step.append(present[read])
            read += 1
        if start and (spent > budget or search.scored >= MAX_SCORED):
            break  # the work limit: the best found so far
        _read_postings(session, search, step, max(budget, 1) if spent > budget else None)
        budget -= spent
        _refine(session, search, present[read:], query)
    return [(score, cid) for score, _, cid in sorted(search.best, reverse=True)]
