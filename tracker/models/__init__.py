"""All models, imported here so that Alembic's autogenerate sees every table."""

from tracker.models.audit import AuditEvent
from tracker.models.claim import Claim, Evidence
from tracker.models.dedup import ClaimMerge, ClaimToken, DedupDecision, EntityAlias, TokenStat
from tracker.models.source import (
    AiEvidence,
    Excerpt,
    ExcerptMismatchError,
    ImmutableFieldError,
    Source,
    SourceSpan,
)
from tracker.models.types import AiGenerated, Role, SpanKind, Stance, Verdict
from tracker.models.user import User

__all__ = [
    "AiEvidence",
    "AiGenerated",
    "AuditEvent",
    "Claim",
    "ClaimMerge",
    "ClaimToken",
    "DedupDecision",
    "EntityAlias",
    "Evidence",
    "Excerpt",
    "ExcerptMismatchError",
    "ImmutableFieldError",
    "Role",
    "Source",
    "SourceSpan",
    "SpanKind",
    "Stance",
    "TokenStat",
    "User",
    "Verdict",
]
