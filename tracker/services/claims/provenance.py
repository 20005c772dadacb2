"""Where a claim's support comes from: only AI-generated sources, a mix, or independent
publishers.

Only evidence with the stance "supports" counts. A source is AI-generated when its status is
"ai_disclosed" or "ai_reviewer" ("suspected" is not a finding). ``independent`` counts the
distinct publishers among the supporting sources that are not AI-generated; a source without
a publisher counts as one of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AiStatus, Claim, Evidence, Excerpt, Source, Stance
from tracker.services.errors import Invalid

AI_ONLY = "ai_only"
MIXED = "mixed"
INDEPENDENT = "independent"
NONE = "none"
CLASSES = (AI_ONLY, MIXED, INDEPENDENT, NONE)
_AI = (AiStatus.AI_DISCLOSED, AiStatus.AI_REVIEWER)
_CHUNK = 500  # claim ids per query (bound parameters)


@dataclass(frozen=True)
class Provenance:
    cls: str  # ai_only | mixed | independent | none
    independent: int  # distinct publishers among the supporting sources that are not AI
    supporting: int = 0  # supporting sources
    ai_supporting: int = 0  # of those, AI-generated

    def as_dict(self) -> dict[str, Any]:
        return {"class": self.cls, "independent": self.independent}


def check_class(value: str) -> str:
    """A provenance class; "ai-only" is accepted for "ai_only"."""
    cls = (value or "").strip().lower().replace("-", "_")
    if cls not in CLASSES:
        names = ", ".join(c.replace("_", "-") for c in CLASSES)
        raise Invalid(f"the provenance class must be one of {names} (got {value!r})")
    return cls


def provenance(session: Session, claim_ids: Iterable[int]) -> dict[int, Provenance]:
    """The provenance of each claim id (one query per 500 ids); unknown ids read "none"."""
    ids = sorted(set(claim_ids))
    sources: dict[int, dict[int, tuple[int | None, bool]]] = {claim_id: {} for claim_id in ids}
    for offset in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Evidence.claim_id, Source.id, Source.publisher_id, Source.ai_status)
            .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
            .join(Source, Source.id == Excerpt.source_id)
            .where(
                Evidence.claim_id.in_(ids[offset : offset + _CHUNK]),
                Evidence.stance == Stance.SUPPORTS,
            )
            .distinct()
        )
        for claim_id, source_id, publisher_id, status in rows:
            sources[claim_id][source_id] = (publisher_id, status in _AI)
    return {claim_id: _classify(found) for claim_id, found in sources.items()}


def provenance_of(claim: Claim) -> Provenance:
    """The provenance of a claim whose evidence, excerpts and sources are loaded already."""
    found = {
        link.excerpt.source.id: (
            link.excerpt.source.publisher_id,
            link.excerpt.source.ai_status in _AI,
        )
        for link in claim.evidence
        if link.stance == Stance.SUPPORTS
    }
    return _classify(found)


def _classify(found: dict[int, tuple[int | None, bool]]) -> Provenance:
    if not found:
        return Provenance(NONE, 0)
    ai = sum(is_ai for _, is_ai in found.values())
    publishers = {
        ("p", publisher_id) if publisher_id is not None else ("s", source_id)
        for source_id, (publisher_id, is_ai) in found.items()
        if not is_ai
    }
    if ai == len(found):
        cls = AI_ONLY
    elif ai:
        cls = MIXED
    else:
        cls = INDEPENDENT
    return Provenance(cls, len(publishers), len(found), ai)
