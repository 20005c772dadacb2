"""Deduplication state: entity aliases, the claim token index, decisions and merges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base
from tracker.models.types import UTCDateTime, utcnow


class EntityAlias(Base):
    """A surface form ("DPRK", "Nordkorea") of a canonical entity ("north_korea")."""

    __tablename__ = "entity_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    canonical: Mapped[str] = mapped_column(String(100), index=True)
    # Casefolded, whitespace collapsed: the form normalisation matches on.
    surface: Mapped[str] = mapped_column(String(200), unique=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClaimToken(Base):
    """The candidate index: one row per distinct token of a claim's normalized text.

    A plain table works the same on SQLite and PostgreSQL, is updated in the claim's own
    transaction, and lets candidate search weight rare tokens above common ones."""

    __tablename__ = "claim_tokens"
    __table_args__ = (Index("ix_claim_tokens_claim_id", "claim_id"),)

    token: Mapped[str] = mapped_column(String(100), primary_key=True)
    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )


class TokenStat(Base):
    """How many claims hold a token (its document frequency), kept with ``claim_tokens`` in the
    same transaction, so that idf weights are one indexed lookup per token."""

    __tablename__ = "token_stats"

    token: Mapped[str] = mapped_column(String(100), primary_key=True)
    df: Mapped[int] = mapped_column(Integer)


class TokenBlock(Base):
    """The postings of one token for one block of 65,536 claim ids, packed: the sorted claim
    ids minus the block's first id, as little-endian uint16. Kept with ``claim_tokens`` in the
    same transaction; a search reads one row per block instead of one row per claim."""

    __tablename__ = "token_blocks"

    token: Mapped[str] = mapped_column(String(100), primary_key=True)
    block: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ids: Mapped[bytes] = mapped_column(LargeBinary)


class ClaimVector(Base):
    """A claim's sentence embedding for the semantic tier, with the model that made it.

    Written in the claim's own transaction when it is created or edited (``tracker dedup
    embed`` fills in bulk imports). Every write takes a new id, so an index cache refreshes
    from the rows above its watermark (the highest id it has read)."""

    __tablename__ = "claim_vectors"
    # AUTOINCREMENT: SQLite would otherwise hand a replaced row's id to its successor.
    __table_args__ = (
        Index("ix_claim_vectors_model", "model", "version", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), unique=True)
    model: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(64))
    # Little-endian float16, L2-normalized.
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DedupDecision(Base):
    """A decision about a pair of claims, by a user or the system, with everything it used."""

    __tablename__ = "dedup_decisions"
    __table_args__ = (Index("ix_dedup_decisions_pair", "claim_id", "other_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    algorithm: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    t_auto: Mapped[float] = mapped_column(Float)
    t_suggest: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(16))  # auto | suggest | none
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(16))  # linked | distinct | merged
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)


class ClaimMerge(Base):
    """A merge of one claim into another, with what is needed to undo it exactly."""

    __tablename__ = "claim_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    into_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    # The merged claim's fields and version, and its evidence rows, as they were.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    merged_by: Mapped[str] = mapped_column(String(200))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unmerged_by: Mapped[str | None] = mapped_column(String(200))
    unmerged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
