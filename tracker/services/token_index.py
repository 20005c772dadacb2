"""The claim token index (``claim_tokens``): one row per distinct token of a claim's
normalized text, written in the claim's own transaction."""

from __future__ import annotations

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimToken

MAX_TOKEN_CHARS = 100


def tokens_of(normalized: str) -> set[str]:
    return {t[:MAX_TOKEN_CHARS] for t in normalized.split() if t}


def index_claim(session: Session, claim: Claim) -> None:
    """Replace the claim's rows in the token index (call after its normalized text changes)."""
    session.execute(delete(ClaimToken).where(ClaimToken.claim_id == claim.id))
    rows = [{"token": t, "claim_id": claim.id} for t in sorted(tokens_of(claim.normalized_text))]
    if rows:
        session.execute(insert(ClaimToken), rows)


def index_rows(claim_id: int, normalized: str) -> list[dict[str, object]]:
    """Token rows for bulk inserts."""
    return [{"token": t, "claim_id": claim_id} for t in sorted(tokens_of(normalized))]
