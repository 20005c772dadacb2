"""The claim token index (``claim_tokens``, one row per distinct token of a claim's normalized
text) and the document frequency of each token (``token_stats``), both written in the claim's
own transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from sqlalchemy import String, any_, bindparam, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimToken, TokenStat
from tracker.services.dedup import postings as token_blocks

MAX_TOKEN_CHARS = 100


def tokens_of(normalized: str) -> set[str]:
    return {t[:MAX_TOKEN_CHARS] for t in normalized.split() if t}


def index_claim(session: Session, claim: Claim) -> None:
    """Bring the claim's index rows and the token counts up to date with its normalized text
    (call after it changes)."""
    old = set(session.scalars(select(ClaimToken.token).where(ClaimToken.claim_id == claim.id)))
    new = tokens_of(claim.normalized_text)
    gone, added = old - new, new - old
    if gone:
        session.execute(
            delete(ClaimToken).where(
                ClaimToken.claim_id == claim.id, ClaimToken.token.in_(sorted(gone))
            )
        )
    if added:
        session.execute(
            insert(ClaimToken), [{"token": t, "claim_id": claim.id} for t in sorted(added)]
        )
    add_frequencies(session, Counter(added), negative=gone)
    token_blocks.update(
        session,
        added=token_blocks.group((t, claim.id) for t in added),
        removed=token_blocks.group((t, claim.id) for t in gone),
    )


def index_pairs(claim_id: int, normalized: str) -> list[tuple[str, int]]:
    """(token, claim id) rows for bulk inserts (count them with ``add_frequencies``)."""
    return [(t, claim_id) for t in tokens_of(normalized)]


def insert_pairs(session: Session, pairs: list[tuple[str, int]]) -> None:
    """Insert ``claim_tokens`` rows in bulk. SQLite takes the tuples through the driver's own
    executemany: building a parameter dict per row costs more than SQLite's insert."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO claim_tokens (token, claim_id) VALUES (?, ?)", pairs)
        return
    session.execute(insert(ClaimToken), [{"token": t, "claim_id": c} for t, c in pairs])


def add_frequencies(
    session: Session, counts: Mapping[str, int], negative: Iterable[str] = ()
) -> None:
    """Add ``counts`` to the tokens' document frequencies and take one off each ``negative``
    token. Tokens go in sorted order, so concurrent writers lock rows in the same order."""
    delta = Counter(counts)
    delta.subtract(negative)
    rows = [{"token": t, "df": n} for t, n in sorted(delta.items()) if n]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    stmt = module.insert(TokenStat)
    stmt = stmt.on_conflict_do_update(
        index_elements=[TokenStat.token], set_={"df": TokenStat.df + stmt.excluded.df}
    )
    for start in range(0, len(rows), 5000):
        session.execute(stmt, rows[start : start + 5000])


def document_frequencies(session: Session, tokens: Iterable[str]) -> dict[str, int]:
    """Each token's document frequency (0 for a token no claim holds)."""
    wanted = sorted(set(tokens))
    dfs = dict.fromkeys(wanted, 0)
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter: a long IN list costs PostgreSQL more to parse and plan than
        # the lookups themselves.
        among = TokenStat.token == any_(bindparam("tokens", wanted, type_=ARRAY(String)))
        rows = session.execute(select(TokenStat.token, TokenStat.df).where(among))
        dfs.update({token: max(df, 0) for token, df in rows})
        return dfs
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(TokenStat.token, TokenStat.df).where(TokenStat.token.in_(chunk))
        )
        dfs.update({token: max(df, 0) for token, df in rows})
    return dfs
