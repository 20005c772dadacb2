"""Claims and the evidence that links them to excerpts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base
from tracker.models.source import Excerpt
from tracker.models.types import Stance, UTCDateTime, Verdict, str_enum, utcnow


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence_range"
        ),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_self_merged"),
        # The dashboard: counts by verdict of unmerged claims read the first index alone; the
        # review queue (unmerged, oldest first) walks the second in order.
        Index("ix_claims_merged_into_id_verdict", "merged_into_id", "verdict"),
        Index("ix_claims_merged_into_id_created_at", "merged_into_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))
    verdict: Mapped[Verdict] = mapped_column(
        str_enum(Verdict, "verdict"), default=Verdict.UNREVIEWED, index=True
    )
    confidence: Mapped[float | None] = mapped_column(Float)
    # A reviewer's proposals; an editor sets ``verdict`` and ``confidence``.
    proposed_verdict: Mapped[Verdict | None] = mapped_column(str_enum(Verdict, "proposed_verdict"))
    proposed_confidence: Mapped[float | None] = mapped_column(Float)
    proposed_by: Mapped[str | None] = mapped_column(String(200))
    rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    merged_into: Mapped[Claim | None] = relationship(remote_side=[id])
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    # The needs-re-review marker (services/claims/rereview.py); a row of its own, so that marking a
    # claim does not bump its version.
    rereview: Mapped[ClaimRereview | None] = relationship(
        back_populates="claim", cascade="all, delete-orphan", uselist=False
    )

    @property
    def needs_review(self) -> bool:
        return self.rereview is not None

    @property
    def needs_review_reasons(self) -> list[str]:
        return list(self.rereview.reasons) if self.rereview is not None else []

    # Optimistic locking: every UPDATE checks and bumps ``version``.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads this dict)


class Evidence(Base):
    """A claim linked to an excerpt with a stance."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("claim_id", "excerpt_id", name="uq_evidence_claim_excerpt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    excerpt_id: Mapped[int] = mapped_column(ForeignKey("excerpts.id"), index=True)
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    linked_by: Mapped[str] = mapped_column(String(200))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="evidence")
    excerpt: Mapped[Excerpt] = relationship(back_populates="evidence")


class ClaimRereview(Base):
    """A claim whose verdict needs re-review: the ground under it changed (reasons kept in the
    order they arose). Only an editor clears it, by confirming or changing the verdict."""

    __tablename__ = "claim_rereview"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    marked_by: Mapped[str] = mapped_column(String(200))

    claim: Mapped[Claim] = relationship(back_populates="rereview")
