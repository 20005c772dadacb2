"""All models, imported here so that Alembic's autogenerate sees every table."""

from tracker.models.api_token import ApiToken
from tracker.models.audit import AuditEvent
from tracker.models.capture import ExcerptAnchor, SourceCapture, SourceVersion, SourceWatch
from tracker.models.claim import Claim, ClaimRereview, Evidence
from tracker.models.dedup import (
    ClaimMerge,
    ClaimToken,
    ClaimVector,
    DedupDecision,
    EntityAlias,
    TokenBlock,
    TokenStat,
)
from tracker.models.publisher import Publisher
from tracker.models.source import (
    AiEvidence,
    Excerpt,
    ExcerptMismatchError,
    ImmutableFieldError,
    Source,
    SourceSpan,
)
from tracker.models.types import AiGenerated, AiStatus, Role, SpanKind, Stance, Verdict
from tracker.models.user import User

__all__ = [
    "AiEvidence",
    "AiGenerated",
    "AiStatus",
    "ApiToken",
    "AuditEvent",
    "Claim",
    "ClaimMerge",
    "ClaimRereview",
    "ClaimToken",
    "ClaimVector",
    "DedupDecision",
    "EntityAlias",
    "Evidence",
    "Excerpt",
    "ExcerptAnchor",
    "ExcerptMismatchError",
    "ImmutableFieldError",
    "Publisher",
    "Role",
    "Source",
    "SourceCapture",
    "SourceSpan",
    "SourceVersion",
    "SourceWatch",
    "SpanKind",
    "Stance",
    "TokenBlock",
    "TokenStat",
    "User",
    "Verdict",
]
