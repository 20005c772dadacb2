"""Column types and enumerations shared by the models."""

from __future__ import annotations

import enum
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC as a naive timestamp on every engine and always returns aware UTC."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def str_enum(enum_cls: type[enum.StrEnum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class AiGenerated(enum.StrEnum):
    UNKNOWN = "unknown"
    YES = "yes"
    NO = "no"


class AiStatus(enum.StrEnum):
    """Whether a source is AI-generated, and on whose word (``ai_generated`` derives from it)."""

    UNKNOWN = "unknown"
    SUSPECTED = "suspected"  # weak signals or a flagged publisher: never "AI-generated" alone
    AI_DISCLOSED = "ai_disclosed"  # the text says so (or shows chatbot leftovers)
    AI_REVIEWER = "ai_reviewer"  # a reviewer found it AI-generated
    HUMAN_REVIEWER = "human_reviewer"  # a reviewer found it human-written

    @property
    def label(self) -> str:
        return AI_STATUS_LABELS[self]

    @property
    def is_ai(self) -> bool:
        return self in (AiStatus.AI_DISCLOSED, AiStatus.AI_REVIEWER)

    def derived(self) -> AiGenerated:
        """The backward-compatible yes/no/unknown value of this status."""
        if self.is_ai:
            return AiGenerated.YES
        if self is AiStatus.HUMAN_REVIEWER:
            return AiGenerated.NO
        return AiGenerated.UNKNOWN


def _status_labels() -> dict[AiStatus, str]:
    """The label of each status, from tracker/data/ai_status.toml (one vocabulary everywhere)."""
    with (Path(__file__).resolve().parent.parent / "data" / "ai_status.toml").open("rb") as fh:
        table = tomllib.load(fh)["status"]
    return {status: str(table[status.value]) for status in AiStatus}


AI_STATUS_LABELS = _status_labels()


class SpanKind(enum.StrEnum):
    BOILERPLATE = "boilerplate"
    REPEATED = "repeated"


class Verdict(enum.StrEnum):
    UNREVIEWED = "unreviewed"
    IN_REVIEW = "in_review"
    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    MISLEADING = "misleading"
    FALSE = "false"
    UNVERIFIABLE = "unverifiable"


class Stance(enum.StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    MENTIONS = "mentions"


class Role(enum.StrEnum):
    VIEWER = "viewer"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"
