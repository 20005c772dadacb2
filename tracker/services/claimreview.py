"""schema.org ClaimReview export (placeholder: the interface the API and CLI build on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ReviewSettings:
    """Who publishes the reviews, from configuration (``config.review_settings()``)."""

    org_name: str
    org_url: str
    public_url: str  # base URL under which claim pages are public, e.g. https://desk.example


def claim_review(session: Session, claim_id: int, settings: ReviewSettings) -> dict[str, Any]:
    """The claim as one ClaimReview JSON-LD object. Raises NotFound for an unknown claim."""
    raise NotImplementedError
