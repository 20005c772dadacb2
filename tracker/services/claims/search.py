"""Finding claims: by text (ranked by the dedup matcher), verdict, confidence, language,
source and AI-only provenance. Reads only; each page costs a fixed number of queries."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import AiStatus, Claim, Evidence, Excerpt, Source, Stance, Verdict
from tracker.services.claims.records import MAX_CLAIM_CHARS, check_verdict
from tracker.services.dedup.matching import Match, match
from tracker.services.errors import Invalid
from tracker.services.pagination import MAX_PER_PAGE, Page, paginate
from tracker.services.text.language import validate_language

# How many matches a text search ranks before the other filters apply.
AI_STATUSES = (AiStatus.AI_DISCLOSED, AiStatus.AI_REVIEWER)
TEXT_MATCH_LIMIT = 50


@dataclass(frozen=True)
class Hit:
    """One claim in the results, with its evidence counts and, for a text search, its score."""

    claim: Claim
    evidence: int  # evidence links
    ai_evidence: int  # of those, links to AI-generated sources (disclosed or a reviewer's)
    score: float | None = None
    level: str | None = None
    supporting: int = 0  # supporting links
    ai_supporting: int = 0  # of those, links to AI-generated sources
    tiers: str | None = None  # what each matching tier gave, e.g. "semantic 0.78 · lexical 43"

    @property
    def ai_only(self) -> bool:
        """Every supporting source is AI-generated, as services/claims/provenance.py says (a claim
        without supporting evidence is not)."""
        return self.supporting > 0 and self.ai_supporting == self.supporting


def _fraction(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise Invalid(f"the {name} confidence must be from 0 to 100 %")
    return float(value)


def _filters(
    *,
    verdict: str | Verdict | None,
    min_conf: float | None,
    max_conf: float | None,
    language: str | None,
    source_id: int | None,
    ai_only: bool,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions on Claim for the non-text filters; Invalid for a bad value."""
    conds: list[ColumnElement[bool]] = [Claim.merged_into_id.is_(None)]
    if verdict is not None and verdict != "":
        conds.append(Claim.verdict == check_verdict(verdict))
    low, high = _fraction("lowest", min_conf), _fraction("highest", max_conf)
    if low is not None and high is not None and low > high:
        raise Invalid("the lowest confidence is above the highest")
    if low is not None:
        conds.append(Claim.confidence >= low)
    if high is not None:
        conds.append(Claim.confidence <= high)
    if language:
        try:
            lang = validate_language(language)
        except ValueError as exc:
            raise Invalid(str(exc)) from exc
        # Tags compare case-insensitively, and "en" also finds "en-GB".
        stored, wanted = func.lower(Claim.language), lang.lower()
        conds.append(or_(stored == wanted, stored.startswith(f"{wanted}-")))
    if source_id is not None:
        if isinstance(source_id, bool) or not isinstance(source_id, int) or source_id < 1:
            raise Invalid(f"the source must be a source id, not {source_id!r}")
        cited = (
            select(Evidence.claim_id)
            .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
            .where(Excerpt.source_id == source_id)
        )
        conds.append(Claim.id.in_(cited))
    if ai_only:  # the provenance class ai_only: supporting sources, all AI-generated
        supports = (Evidence.claim_id == Claim.id, Evidence.stance == Stance.SUPPORTS)
        has_evidence = select(Evidence.id).where(*supports).exists()
        not_ai = (
            select(Evidence.id)
            .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
            .join(Source, Source.id == Excerpt.source_id)
            .where(*supports, Source.ai_status.not_in(AI_STATUSES))
            .exists()
        )
        conds.extend([has_evidence, ~not_ai])
    return conds


def _counts(session: Session, ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """claim id -> (evidence links, links to AI-generated sources, supporting links, supporting
    links to AI-generated sources), in one query."""
    if not ids:
        return {}
    ai = Source.ai_status.in_(AI_STATUSES)
    supports = Evidence.stance == Stance.SUPPORTS
    rows = session.execute(
        select(
            Evidence.claim_id,
            func.count(Evidence.id),
            func.sum(case((ai, 1), else_=0)),
            func.sum(case((supports, 1), else_=0)),
            func.sum(case((and_(ai, supports), 1), else_=0)),
        )
        .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
        .join(Source, Source.id == Excerpt.source_id)
        .where(Evidence.claim_id.in_(ids))
        .group_by(Evidence.claim_id)
    )
    return {
        claim_id: (int(total), int(n_ai or 0), int(n_sup or 0), int(n_sup_ai or 0))
        for claim_id, total, n_ai, n_sup, n_sup_ai in rows
    }


def _hits(
    session: Session, claims: list[Claim], scores: dict[int, Match] | None = None
) -> list[Hit]:
    counts = _counts(session, [c.id for c in claims])
    hits = []
    for claim in claims:
        total, ai, supporting, ai_supporting = counts.get(claim.id, (0, 0, 0, 0))
        found = scores.get(claim.id) if scores else None
        hits.append(
            Hit(
                claim,
                total,
                ai,
                score=found.score if found else None,
                level=found.level if found else None,
                supporting=supporting,
                ai_supporting=ai_supporting,
                tiers=found.tiers if found else None,
            )
        )
    return hits


def search_claims(
    session: Session,
    *,
    text: str | None = None,
    verdict: str | Verdict | None = None,
    min_conf: float | None = None,
    max_conf: float | None = None,
    language: str | None = None,
    source_id: int | None = None,
    ai_only: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page[Hit]:
    """One page of claims. With ``text``: the dedup matches (best first, at most
    TEXT_MATCH_LIMIT) that pass the other filters; without: every claim, newest first.

    Confidence bounds are fractions (0..1, inclusive); a bound leaves out claims without a
    confidence. Merged claims are left out (their evidence lives on their target)."""
    conds = _filters(
        verdict=verdict,
        min_conf=min_conf,
        max_conf=max_conf,
        language=language,
        source_id=source_id,
        ai_only=ai_only,
    )
    query_text = " ".join(text.split()) if isinstance(text, str) else ""
    if len(query_text) > MAX_CLAIM_CHARS:
        raise Invalid(f"the search text is longer than {MAX_CLAIM_CHARS} characters")
    if not query_text:
        # Ids grow with creation time, and the primary key orders them without a sort.
        query = select(Claim).where(*conds).order_by(Claim.id.desc())
        found: Page[Claim] = paginate(session, query, page, per_page)
        return Page(_hits(session, found.items), found.page, found.per_page, found.total)

    lang = validate_language(language) if language else None  # checked by _filters
    # Results show levels, not warnings: the guards run only where they decide a level.
    matches = match(session, query_text, language=lang, limit=TEXT_MATCH_LIMIT, warnings=False)
    ids = [m.claim_id for m in matches]
    allowed = (
        set(session.scalars(select(Claim.id).where(Claim.id.in_(ids), *conds))) if ids else set()
    )
    ranked = [m for m in matches if m.claim_id in allowed]
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, min(page, max(1, math.ceil(len(ranked) / per_page))))
    shown = ranked[(page - 1) * per_page : page * per_page]
    shown_ids = [m.claim_id for m in shown]
    loaded = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(shown_ids)))}
    claims = [loaded[i] for i in shown_ids]
    return Page(_hits(session, claims, {m.claim_id: m for m in shown}), page, per_page, len(ranked))
