"""The exact top-k search, the token counts it reads, and social-media markup in texts."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import migrate
from tracker.db import make_engine, make_sessionmaker
from tracker.models import Claim, ClaimToken, TokenBlock, TokenStat
from tracker.services.audit.log import Actor
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.records import create_claim
from tracker.services.dedup import postings as token_blocks
from tracker.services.dedup.aliases import add_alias, remove_alias
from tracker.services.dedup.analysis import normalize_claim_text
from tracker.services.dedup.search import (
    Weights,
    score_bound,
    score_pair,
    top_matches,
    weights_for,
)
from tracker.services.dedup.token_index import index_claim, tokens_of
from tracker.services.dedup.tokens import strip_post_markup
from tracker.services.interop.bulk_import import import_claims

Invoke = Callable[..., Any]

SUBJECTS = ["Russia", "North Korea", "Iran", "Norway", "the Taliban", "Pakistan", "Chile"]
VERBS = ["ratified", "signed", "rejected", "proposed", "extended"]
OBJECTS = ["a defence treaty", "a grain deal", "a gas accord", "sanctions", "a ceasefire"]
TAILS = ["with Peru", "in March 2024", "says the ministry", "after talks in Oslo", ""]


def _corpus(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(
            [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(TAILS)]
        ).strip()
        + f" according to source {rng.randrange(40)}"
        for _ in range(n)
    ]


def _stats(session: Session) -> dict[str, int]:
    rows = session.execute(select(TokenStat.token, TokenStat.df).where(TokenStat.df > 0)).all()
    return {token: df for token, df in rows}


def _counted(session: Session) -> dict[str, int]:
    rows = session.execute(select(ClaimToken.token, func.count()).group_by(ClaimToken.token)).all()
    return {token: count for token, count in rows}


def _blocks(session: Session) -> set[tuple[str, int]]:
    """The postings the packed blocks hold, as (token, claim id) pairs."""
    rows = session.execute(select(TokenBlock.token, TokenBlock.block, TokenBlock.ids)).all()
    return {
        (token, (block << token_blocks.BLOCK_BITS) + int(offset))
        for token, block, blob in rows
        for offset in token_blocks.decode(blob)
    }


def _postings(session: Session) -> set[tuple[str, int]]:
    return {(t, c) for t, c in session.execute(select(ClaimToken.token, ClaimToken.claim_id))}


def test_packed_blocks_span_blocks_and_sum_weights(session: Session) -> None:
    ids = [1, 7, 65_535, 65_536, 65_537, 200_000, 3 * 65_536 + 11]
    token_blocks.update(session, added=token_blocks.group(("a", i) for i in ids))
    token_blocks.update(session, added=token_blocks.group(("b", i) for i in ids[::2]))
    token_blocks.update(session, added=token_blocks.group([("b", 7), ("b", 200_000)]))
    token_blocks.update(session, removed=token_blocks.group([("a", 65_536), ("b", 1)]))
    acc = token_blocks.accumulate(session, {"a": 2.0, "b": 0.5, "absent": 9.0})
    assert acc is not None
    expected = {i: 2.0 for i in ids if i != 65_536}
    for i in [65_535, 65_537, 200_000, 3 * 65_536 + 11, 7]:
        expected[i] = expected.get(i, 0.0) + 0.5
    assert {int(i): float(acc[i]) for i in acc.nonzero()[0]} == expected
    # A block emptied by removals is deleted, not kept as an empty blob.
    token_blocks.update(session, removed=token_blocks.group([("b", 65_537)]))
    blocks = session.execute(select(TokenBlock.block).where(TokenBlock.token == "b")).scalars()
    assert sorted(blocks) == [0, 3]
    assert token_blocks.accumulate(session, {"absent": 1.0}) is None


def test_top_matches_equals_scoring_every_claim(session: Session, actor: Actor) -> None:
    texts = _corpus(400, seed=5)
    import_claims(session, ({"text": t, "language": "en"} for t in texts), actor=actor)
    rows = session.execute(select(ClaimToken.claim_id, ClaimToken.token)).all()
    by_claim: dict[int, set[str]] = {}
    for claim_id, token in rows:
        by_claim.setdefault(claim_id, set()).add(token)
    rng = random.Random(9)
    for query_text in rng.sample(texts, 15) + _corpus(15, seed=77):
        query = normalize_claim_text(query_text, "en")
        weight = weights_for(session, tokens_of(query))
        found = top_matches(session, query, 5, weight, set())
        full = Weights(Counter(t for ts in by_claim.values() for t in ts), weight.total)
        every = sorted(
            ((score_pair(query, " ".join(sorted(ts)), full), cid) for cid, ts in by_claim.items()),
            key=lambda pair: (-pair[0], pair[1]),
        )[:5]
        assert [s for s, _ in found] == [s for s, _ in every], query_text
        assert [c for _, c in found] == [c for _, c in every], query_text


def test_score_bound_holds(session: Session, actor: Actor) -> None:
    texts = _corpus(60, seed=3)
    norms = [normalize_claim_text(t, "en") for t in texts]
    weight = Weights(Counter(t for n in norms for t in tokens_of(n)), len(norms))
    for query in norms[:10]:
        q = tokens_of(query)
        q_square = sum(weight(t) ** 2 for t in q)
        for other in norms:
            shared = sum(weight(t) ** 2 for t in q & tokens_of(other))
            assert score_pair(query, other, weight) <= score_bound(shared, q_square) + 0.05


def test_token_counts_follow_every_write(session: Session, actor: Actor) -> None:
    a = create_claim(session, text="The Hermit Kingdom ratified the treaty", actor=actor)
    b = create_claim(session, text="North Korea ratified the treaty", actor=actor)
    import_claims(session, [{"text": "Iran ratified the treaty"}], actor=actor)
    assert _stats(session) == _counted(session)
    add_alias(session, "Hermit Kingdom", "north_korea", actor=actor)
    assert _stats(session) == _counted(session)
    assert _blocks(session) == _postings(session)
    merge_claims(session, a.id, b.id, reason="same", actor=actor)
    unmerge_claim(session, a.id, actor=actor)
    remove_alias(session, "hermit kingdom", actor=actor, reason="too vague")
    assert _stats(session) == _counted(session)
    assert _blocks(session) == _postings(session)
    ratify = normalize_claim_text("ratified", "en")
    assert _stats(session)[ratify] == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#BoycottCVS now", "Boycott CVS now"),
        ("thanks @IlhanMN.", "thanks Ilhan MN ."),
        ("#FreeIran2020pic.twitter.com/uB3zOG5EKA", "Free Iran 2020"),
        ("see https://t.co/abc and www.example.org/x.", "see and"),
        ("@realDonaldTrump #25thAmendmentNow", "real Donald Trump 25th Amendment Now"),
        ("#Nordkorea_Russland", "Nordkorea Russland"),
        ("C# and F# and a@b.com", "C# and F# and a@b.com"),
    ],
)
def test_post_markup(text: str, expected: str) -> None:
    assert " ".join(strip_post_markup(text).split()) == expected


def test_hashtags_match_claim_words(session: Session, actor: Actor) -> None:
    claim = create_claim(
        session, text="Hillary Clinton urged people to draft our daughters", actor=actor
    )
    create_claim(session, text="Hillary Clinton wants to ban guns", actor=actor)
    query = "Hillary wants to #DraftOurDaughters https://t.co/x — Someone (@someone) Oct 1, 2016"
    normalized = normalize_claim_text(query)
    assert "http" not in normalized and "draft" in normalized.split()
    weight = weights_for(session, tokens_of(normalized))
    [(_, best)] = top_matches(session, normalized, 1, weight, set())
    assert best == claim.id


def test_migration_counts_existing_index_rows(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        import_claims(session, [{"text": "Iran ratified the treaty"}], actor=Actor.system("t"))
    migrate.downgrade(engine, "-1")
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session:
        assert _stats(session) == _counted(session) and _stats(session)["ent_iran"] == 1
    engine.dispose()


def test_reindex_renormalizes_stale_claims(run_cli: Invoke, session: Session) -> None:
    added = run_cli("claims", "add", "Hillary wants to #DraftOurDaughters", "--json")
    claim_id = json.loads(added.stdout)["claim"]["id"]
    claim = session.get(Claim, claim_id)
    assert claim is not None
    fresh = claim.normalized_text
    claim.normalized_text = "hillary want to draftourdaughters"  # as an older normalizer had it
    index_claim(session, claim)
    session.commit()
    result = run_cli("dedup", "reindex", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"changed": [claim_id]}
    session.expire_all()
    assert session.get(Claim, claim_id).normalized_text == fresh  # type: ignore[union-attr]
    assert _stats(session) == _counted(session)
    assert _blocks(session) == _postings(session)
    assert json.loads(run_cli("dedup", "reindex", "--json").stdout) == {"changed": []}


def test_migration_packs_existing_postings(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    texts = [{"text": f"Iran ratified treaty number {i} with Peru"} for i in range(30)]
    with make_sessionmaker(engine)() as session, session.begin():
        import_claims(session, texts, actor=Actor.system("t"))
        before = _postings(session)
    migrate.downgrade(engine, "0ff53de38556")
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session:
        assert _blocks(session) == before and len(before) > 100
    engine.dispose()


def test_bulk_import_packs_postings_across_chunks(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.services.interop import bulk_import as claim_import

    monkeypatch.setattr(claim_import, "CHUNK", 4)
    monkeypatch.setattr(claim_import._Postings, "FLUSH_CLAIMS", 6)
    texts = _corpus(23, seed=4)
    import_claims(session, ({"text": t, "language": "en"} for t in texts), actor=actor)
    assert _blocks(session) == _postings(session)
    query = normalize_claim_text(texts[-1], "en")
    [(score, best)] = top_matches(session, query, 1, weights_for(session, tokens_of(query)), set())
    assert score == 100.0 and session.get(Claim, best).text == texts[-1]  # type: ignore[union-attr]
