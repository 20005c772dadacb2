"""Where a claim's evidence comes from, computed once for every surface (pages, API, CLI, PROV
export, the AI-only verdict rule).

The rules:
- A source is AI-generated when its status is "ai_disclosed" or "ai_reviewer" ("suspected" is
  not a finding).
- The class (ai_only, mixed, independent, none) looks at the *supporting* sources only.
- ``independent`` counts the distinct publishers *established* among the supporting sources:
  a source whose publisher is unknown never counts, two sources of one publisher are one
  publisher, and neither an AI-generated source nor a source of a publisher flagged as AI ever
  counts as an independent human source.
- The summary sentence counts every linked excerpt and source: "3 excerpts from 2 sources;
  0 independent publishers established; 2 sources with an unknown publisher"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AiStatus, Claim, Evidence, Excerpt, Publisher, Source, Stance
from tracker.services.errors import Invalid

AI_ONLY = "ai_only"
MIXED = "mixed"
INDEPENDENT = "independent"
NONE = "none"
CLASSES = (AI_ONLY, MIXED, INDEPENDENT, NONE)
_AI = (AiStatus.AI_DISCLOSED, AiStatus.AI_REVIEWER)
_CHUNK = 500  # claim ids per query (bound parameters)

# Why a supporting source does or does not count as an independent publisher.
COUNTS = "independent publisher"
SAME_PUBLISHER = "same publisher as another source"
UNKNOWN_PUBLISHER = "unknown publisher: not counted"
AI_SOURCE = "AI-generated: not counted"
FLAGGED_PUBLISHER = "publisher flagged for AI: not counted"
NOT_SUPPORTING = "does not support the claim"


@dataclass(frozen=True)
class SourceFact:
    """What provenance needs of one source cited by a claim."""

    source_id: int
    publisher_id: int | None
    publisher_flagged: bool
    ai: bool
    supports: bool


@dataclass(frozen=True)
class Provenance:
    cls: str  # ai_only | mixed | independent | none
    independent: int  # publishers established among the supporting human sources
    supporting: int = 0  # supporting sources
    ai_supporting: int = 0  # of those, AI-generated
    excerpts: int = 0  # evidence links (every stance)
    sources: int = 0  # distinct sources cited (every stance)
    unknown_publisher: int = 0  # of those, sources whose publisher is unknown
    ai_sources: int = 0  # of those, AI-generated
    flagged_publisher: int = 0  # of those, from a publisher flagged as AI

    @property
    def summary(self) -> str:
        """The sentence every surface shows."""
        if not self.excerpts:
            return "no evidence; 0 independent publishers established"
        parts = [
            f"{_n(self.excerpts, 'excerpt')} from {_n(self.sources, 'source')}",
            f"{_n(self.independent, 'independent publisher')} established",
        ]
        if self.unknown_publisher:
            parts.append(f"{_n(self.unknown_publisher, 'source')} with an unknown publisher")
        if self.ai_sources:
            parts.append(f"{self.ai_sources} AI-generated")
        if self.flagged_publisher:
            parts.append(f"{self.flagged_publisher} from a publisher flagged for AI")
        if not self.supporting:
            parts.append("no supporting source")
        return "; ".join(parts)

    @property
    def label(self) -> str:
        """The class in words, for lists."""
        if self.cls == AI_ONLY:
            return "AI-only"
        if self.cls == MIXED:
            return f"mixed: AI and human; {_n(self.independent, 'independent publisher')}"
        if self.cls == INDEPENDENT:
            return f"human sources; {_n(self.independent, 'independent publisher')}"
        return "no supporting source"

    def as_dict(self) -> dict[str, Any]:
        return {
            "class": self.cls,
            "independent": self.independent,
            "supporting_sources": self.supporting,
            "ai_supporting_sources": self.ai_supporting,
            "excerpts": self.excerpts,
            "sources": self.sources,
            "unknown_publisher_sources": self.unknown_publisher,
            "ai_sources": self.ai_sources,
            "flagged_publisher_sources": self.flagged_publisher,
            "summary": self.summary,
        }


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
    links: dict[int, list[SourceFact]] = {claim_id: [] for claim_id in ids}
    for offset in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(
                Evidence.claim_id,
                Evidence.stance,
                Source.id,
                Source.publisher_id,
                Publisher.ai_flag,
                Source.ai_status,
            )
            .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
            .join(Source, Source.id == Excerpt.source_id)
            .outerjoin(Publisher, Publisher.id == Source.publisher_id)
            .where(Evidence.claim_id.in_(ids[offset : offset + _CHUNK]))
            .order_by(Evidence.id)
        )
        for claim_id, stance, source_id, publisher_id, flagged, status in rows:
            links[claim_id].append(
                SourceFact(
                    source_id, publisher_id, bool(flagged), status in _AI, stance == Stance.SUPPORTS
                )
            )
    return {claim_id: classify(found) for claim_id, found in links.items()}


def fact_of(source: Source, stance: Stance) -> SourceFact:
    publisher = source.publisher_ref
    return SourceFact(
        source.id,
        source.publisher_id,
        bool(publisher is not None and publisher.ai_flag),
        source.ai_status in _AI,
        stance == Stance.SUPPORTS,
    )


def provenance_of(claim: Claim) -> Provenance:
    """The provenance of a claim whose evidence, excerpts and sources are loaded already."""
    return classify([fact_of(link.excerpt.source, link.stance) for link in claim.evidence])


def counts_as(facts: list[SourceFact]) -> dict[int, str]:
    """Source id -> why it does (or does not) count as an independent publisher; the first
    source of a publisher counts, the later ones are "same publisher"."""
    supporting = {f.source_id for f in facts if f.supports}
    first: dict[int, SourceFact] = {}
    for fact in facts:
        first.setdefault(fact.source_id, fact)
    seen: set[int] = set()
    found: dict[int, str] = {}
    for source_id, fact in first.items():
        if source_id not in supporting:
            found[source_id] = NOT_SUPPORTING
        elif fact.ai:
            found[source_id] = AI_SOURCE
        elif fact.publisher_id is None:
            found[source_id] = UNKNOWN_PUBLISHER
        elif fact.publisher_flagged:
            found[source_id] = FLAGGED_PUBLISHER
        elif fact.publisher_id in seen:
            found[source_id] = SAME_PUBLISHER
        else:
            seen.add(fact.publisher_id)
            found[source_id] = COUNTS
    return found


def classify(facts: list[SourceFact]) -> Provenance:
    """The provenance of one claim from its evidence links (one fact per link)."""
    by_source: dict[int, SourceFact] = {}
    supporting: dict[int, SourceFact] = {}
    for fact in facts:
        by_source.setdefault(fact.source_id, fact)
        if fact.supports:
            supporting.setdefault(fact.source_id, fact)
    why = counts_as(facts)
    independent = sum(reason == COUNTS for reason in why.values())
    ai = sum(f.ai for f in supporting.values())
    if not supporting:
        cls = NONE
    elif ai == len(supporting):
        cls = AI_ONLY
    elif ai:
        cls = MIXED
    else:
        cls = INDEPENDENT
    return Provenance(
        cls,
        independent,
        supporting=len(supporting),
        ai_supporting=ai,
        excerpts=len(facts),
        sources=len(by_source),
        unknown_publisher=sum(f.publisher_id is None for f in by_source.values()),
        ai_sources=sum(f.ai for f in by_source.values()),
        flagged_publisher=sum(
            f.publisher_flagged and f.publisher_id is not None for f in by_source.values()
        ),
    )


# --- the per-source table of one claim ----------------------------------------------------------


@dataclass
class ProvenanceSource:
    """One cited source of a claim with its evidence and why it counts (or does not)."""

    source: Source
    publisher_label: str
    counts_as: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def ai_generated(self) -> bool:
        return self.source.ai_status in _AI


@dataclass
class ClaimProvenance:
    summary: Provenance
    sources: list[ProvenanceSource]

    @property
    def ai_only(self) -> bool:
        return self.summary.cls == AI_ONLY

    @property
    def independent_publishers(self) -> int:
        return self.summary.independent


def claim_provenance(claim: Claim) -> ClaimProvenance:
    """The claim's cited sources (first cited first), each with its evidence and why it counts,
    and the summary; the claim's evidence, excerpts, sources and publishers must be loaded."""
    facts = [fact_of(link.excerpt.source, link.stance) for link in claim.evidence]
    why = counts_as(facts)
    rows: dict[int, ProvenanceSource] = {}
    for link in claim.evidence:
        source = link.excerpt.source
        row = rows.get(source.id)
        if row is None:
            label = source.publisher_ref.name if source.publisher_ref else "unknown publisher"
            row = rows[source.id] = ProvenanceSource(source, label, why[source.id])
        row.evidence.append(link)
    return ClaimProvenance(classify(facts), list(rows.values()))
