"""Request and response bodies of the API (Pydantic v2); the OpenAPI document is built from
them. Request bodies are strict (no "5" for 5, no unknown fields, no NaN); query and path
parameters arrive as text and are converted."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel

from tracker.models import AiGenerated, AiStatus, Role, Stance, Verdict
from tracker.services.audit.reports import REPORTS
from tracker.services.text.language import BCP47

MAX_ID = 2**31 - 1  # PostgreSQL integer columns
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_ID)]
# At least one character that is not white space (JSON Schema patterns search, not match).
Words = r"\S"


# Parameters arrive as text; these read it strictly (Pydantic's lax mode would take "5.0",
# "5_000", "0" as a date or "yes" as true, none of which the document allows).
def _text_of(pattern: str, what: str) -> Any:
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, str) and not compiled.fullmatch(value):
            raise ValueError(f"must be {what}")
        return value

    return BeforeValidator(check)


# A BCP-47 tag as the services accept it ("en", "nb", "en-GB").
Language = Annotated[str, Field(min_length=2, max_length=35, pattern=BCP47.pattern)]
LanguageOrEmpty = Annotated[
    str, Field(max_length=35, pattern=BCP47.pattern.replace("^", "^(?:", 1).replace("$", ")?$"))
]

QueryInt = Annotated[int, _text_of(r"-?[0-9]{1,19}", "a whole number")]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID), _text_of(r"-?[0-9]{1,19}", "a whole number")]
QueryBool = Annotated[bool, _text_of(r"true|false", "true or false")]
QueryDate = Annotated[date, _text_of(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date (YYYY-MM-DD)")]
QueryFloat = Annotated[
    float, _text_of(r"-?[0-9]{1,10}(\.[0-9]{1,10})?([eE][-+]?[0-9]{1,3})?", "a number")
]


class Body(BaseModel):
    """A request body: strict JSON types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Params(BaseModel):
    """Query or path parameters: text converted to the field's type, unknown names refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Out(BaseModel):
    """A response body."""

    model_config = ConfigDict(populate_by_name=True)


class PageParams(Params):
    cursor: str | None = Field(
        None, max_length=512, description="`next_cursor` of the previous page, unchanged."
    )
    limit: QueryInt = Field(50, ge=1, le=200, description="Items per page.")


# --- errors ------------------------------------------------------------------------------------


class FieldError(Out):
    location: Literal["body", "query", "path", "header"]
    field: str
    detail: str


class Problem(Out):
    """RFC 9457 problem details; some problems add members (``current_version``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI reference to the explanation of this kind of problem.")
    title: str
    status: int = Field(ge=100, le=599)
    detail: str
    errors: list[FieldError] | None = Field(None, description="One entry per bad field.")


# --- shared pieces -----------------------------------------------------------------------------


class Links(Out):
    self_: str = Field(alias="self", description="This resource in the API.")
    web: str = Field(description="Its page in the web app.")


class TextQuoteSelector(Out):
    type: Literal["TextQuoteSelector"]
    exact: str
    prefix: str
    suffix: str


class TextPositionSelector(Out):
    type: Literal["TextPositionSelector"]
    start: int = Field(description="Code-point offset of the first character.")
    end: int = Field(description="Code-point offset after the last character.")


Selector = Annotated[TextQuoteSelector | TextPositionSelector, Field(discriminator="type")]


class SpanParams(Body):
    """An excerpt of a source: a quote (anchored exactly, or fuzzily) or code-point offsets."""

    source_id: Id
    quote: str | None = Field(None, min_length=1, max_length=20_000, pattern=Words)
    occurrence: int | None = Field(
        None, ge=1, le=10_000, description="Which copy of a quote that appears more than once."
    )
    start: Offset | None = None
    end: Offset | None = None


# --- sources -----------------------------------------------------------------------------------

AiFilter = Literal[
    "unknown", "suspected", "ai_disclosed", "ai_reviewer", "human_reviewer", "yes", "no"
]


class SourceListParams(PageParams):
    language: Language | None = Field(None, description='"en" also finds "en-GB".')
    publisher: str | None = Field(None, min_length=1, max_length=200)
    ai: AiFilter | None = Field(None, description="An AI status, or yes/no (AI-generated).")
    published_from: QueryDate | None = None
    published_to: QueryDate | None = None


class SourcePath(Params):
    source_id: QueryId


class AiEvidenceOut(Out):
    kind: str
    description: str = Field(description='For people: "the whole text appears twice".')
    start: int
    end: int
    sentence: str
    language: str | None
    pattern: str | None
    detector: str
    confidence: float
    created_by: str


class SourceSummary(Out):
    id: int
    title: str | None
    publisher: str | None
    publisher_id: int | None
    url: str | None
    author: str | None
    language: str | None
    published_at: str | None = Field(description="A date, a local time, or a time with offset.")
    published_text: str | None
    sha256: str
    origin: str
    content_type: str
    created_at: datetime
    ai_status: AiStatus
    ai_status_label: str
    ai_generated: AiGenerated
    digital_source_type: str | None
    ai_flag_reason: str | None
    ai_flag_by: str | None
    ai_flag_at: datetime | None
    ai_evidence: list[AiEvidenceOut]
    links: Links


class BoilerplateSpan(Out):
    start: int
    end: int
    label: str


class RepeatedSpan(Out):
    start: int
    end: int
    group: int | None
    copy_: int | None = Field(alias="copy")
    copies: int | None


class SourceDetail(SourceSummary):
    length: int
    boilerplate_spans: list[BoilerplateSpan]
    repeated_spans: list[RepeatedSpan]
    text: str


class SourcePage(Out):
    items: list[SourceSummary]
    next_cursor: str | None


class SourceCreate(Body):
    """Pasted text, stored as an immutable source exactly as the web form and `tracker ingest`
    store it (language, date, spans and AI status detected); or, without `text`, a `url`
    whose page is fetched, its article extracted and its response archived."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        json_schema_extra={"anyOf": [{"required": ["text"]}, {"required": ["url"]}]},
    )

    text: str | None = Field(None, min_length=1, pattern=Words)
    title: str | None = Field(None, max_length=500)
    publisher: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://")
    author: str | None = Field(None, max_length=200)
    language: Language | None = None
    published: str | None = Field(
        None, min_length=1, max_length=200, description='A date as written, e.g. "2024-05-28".'
    )


class AnchorOut(Out):
    excerpt_id: int
    source_id: int = Field(description="The version the excerpt was found again in.")
    status: Literal["unchanged", "moved", "edited", "orphaned"]
    score: float
    start: int | None
    end: int | None


class CaptureOut(Out):
    """What a fetch of a watched page did."""

    outcome: Literal["created", "unchanged", "changed", "failed"]
    source_id: int | None = Field(description="The snapshot the page holds now.")
    watch_id: int | None
    capture_id: int | None
    url: str
    previous_source_id: int | None
    version: int | None
    error: str | None
    anchors: list[AnchorOut]
    claims_marked_for_rereview: list[int]


class SourcePatch(Body):
    """Set the AI status by hand (editors), with a reason, as the source page's flag form."""

    ai_status: AiStatus
    reason: str = Field(min_length=1, max_length=2000, pattern=Words)


# --- excerpts ----------------------------------------------------------------------------------


class ExcerptListParams(PageParams):
    source_id: QueryId | None = None


class ExcerptPath(Params):
    excerpt_id: QueryId


class ExcerptOut(Out):
    id: int
    source_id: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    selectors: list[Selector]
    claim_ids: list[int]
    created_by: str
    created_at: datetime


class ExcerptPage(Out):
    items: list[ExcerptOut]
    next_cursor: str | None


class ExcerptCreate(SpanParams):
    """Give ``quote`` (and maybe ``occurrence``) or ``start`` and ``end``."""


# --- claims ------------------------------------------------------------------------------------


class ClaimListParams(PageParams):
    verdict: Verdict | None = None
    language: Language | None = None
    include_merged: QueryBool = False
    source_id: QueryId | None = Field(
        None, description="Only claims with evidence from this source."
    )
    needs_review: QueryBool | None = Field(
        None, description="true: only claims marked for re-review; false: only the others."
    )


class ClaimPath(Params):
    claim_id: QueryId


class EvidencePath(Params):
    claim_id: QueryId
    evidence_id: QueryId


class ProvenanceOut(Out):
    """As every page and the CLI say it (services/claims/provenance.py)."""

    cls: Literal["ai_only", "mixed", "independent", "none"] = Field(alias="class")
    independent: int = Field(
        description="Publishers established among the supporting human sources; a source "
        "whose publisher is unknown, an AI-generated source and a source of a publisher "
        "flagged for AI never count."
    )
    supporting_sources: int
    ai_supporting_sources: int
    excerpts: int
    sources: int
    unknown_publisher_sources: int
    ai_sources: int
    flagged_publisher_sources: int
    summary: str = Field(
        description='"3 excerpts from 2 sources; 0 independent publishers established; '
        '2 sources with an unknown publisher"'
    )


class EvidenceOut(Out):
    id: int
    excerpt_id: int
    source_id: int
    source_ai_status: AiStatus
    source_ai_status_label: str
    stance: Stance
    exact: str
    selectors: list[Selector]
    linked_by: str
    linked_at: datetime


class ClaimOut(Out):
    id: int
    text: str
    language: str | None
    verdict: Verdict
    proposed_verdict: Verdict | None
    proposed_by: str | None
    confidence: float | None = Field(ge=0, le=1)
    proposed_confidence: float | None = Field(ge=0, le=1, description="A reviewer's proposal.")
    rationale: str
    version: int = Field(description="Send it back with a PATCH.")
    merged_into: int | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    provenance: ProvenanceOut
    needs_review: bool = Field(description="The ground under the verdict changed.")
    needs_review_reasons: list[str]
    evidence: list[EvidenceOut]
    links: Links


class ClaimPage(Out):
    items: list[ClaimOut]
    next_cursor: str | None


class EvidenceIn(SpanParams):
    stance: Stance = Stance.SUPPORTS


Confidence = Annotated[float, Field(ge=0, le=1, description="From 0 to 1.")]


class ClaimCreate(Body):
    """A new claim (or, with ``link_to``, the excerpt linked to that claim instead)."""

    text: str = Field(min_length=1, max_length=2000, pattern=Words)
    language: Language | None = None
    verdict: Verdict = Field(Verdict.UNREVIEWED, description="Editors only.")
    proposed_verdict: Verdict | None = Field(None, description="A reviewer's proposal.")
    confidence: Confidence | None = Field(None, description="Editors only.")
    proposed_confidence: Confidence | None = Field(None, description="A reviewer's proposal.")
    rationale: str = Field("", max_length=20_000)
    override_reason: str | None = Field(
        None,
        max_length=1000,
        description="Needed for true or mostly true when the evidence is AI-generated only.",
    )
    evidence: EvidenceIn | None = None
    link_to: Id | None = Field(None, description="Link the evidence to this claim instead.")


class WarningOut(Out):
    code: str
    detail: str


class MatchOut(Out):
    claim_id: int
    text: str
    score: float = Field(description="The fused score (0-100) that ranks and sets the level.")
    lexical: float = Field(description="The lexical tier's score (0-100).")
    semantic: float | None = Field(
        description="Cosine of the two claims' vectors; null: semantic tier off or no vector."
    )
    tiers: str = Field(description='What each tier gave, e.g. "semantic 0.78 · lexical 43".')
    level: Literal["auto", "suggest", "none"]
    warnings: list[WarningOut]


class ClaimCreated(Out):
    claim: ClaimOut
    linked: bool = Field(description="True: the evidence went to an existing claim.")
    candidates: list[MatchOut]


class ClaimPatch(Body):
    """Only the fields given change (``confidence: null`` clears it, ``language: null`` too).
    A change of verdict, confidence or a proposal needs ``reason``; a true or mostly true
    verdict on a claim resting only on AI-generated sources needs ``override_reason``.
    Reviewers propose (``proposed_verdict``, ``proposed_confidence``); ``verdict`` and
    ``confidence`` need an editor, and so does the text of a claim with a final verdict (with
    ``reason``)."""

    version: Id = Field(description="The version you read; a newer one answers 409.")
    reason: str | None = Field(None, max_length=1000)
    override_reason: str | None = Field(None, max_length=1000)
    text: str | None = Field(None, min_length=1, max_length=2000, pattern=Words)
    language: LanguageOrEmpty | None = Field(None, description='null or "" clears it.')
    verdict: Verdict | None = None
    proposed_verdict: Verdict | None = None
    confidence: Confidence | None = None
    proposed_confidence: Confidence | None = None
    rationale: str | None = Field(None, max_length=20_000)


class ConfirmIn(Body):
    """A reason: for confirming a verdict marked for re-review, or for unlinking evidence."""

    reason: str = Field(min_length=1, max_length=1000, pattern=Words)


class ClaimReview(RootModel[dict[str, Any]]):
    """A schema.org ClaimReview (JSON-LD)."""


# --- dedup, aliases, audit, the caller -----------------------------------------------------------


class MatchParams(Params):
    text: str = Field(min_length=1, max_length=2000, pattern=Words)
    language: Language | None = None
    limit: QueryInt = Field(5, ge=1, le=50)
    exclude_claim_id: QueryId | None = Field(
        None, description="Leave out this claim and the claims marked distinct from it."
    )


class MatchList(Out):
    items: list[MatchOut]


class AliasListParams(PageParams):
    canonical: str | None = Field(None, min_length=1, max_length=100)
    q: str | None = Field(None, min_length=1, max_length=200, description="Part of the alias.")


class AliasOut(Out):
    surface: str
    canonical: str


class AliasPage(Out):
    items: list[AliasOut]
    next_cursor: str | None


class AliasCreate(Body):
    surface: str = Field(min_length=1, max_length=200, pattern=Words)
    canonical: str = Field(pattern=r"^[a-z0-9_]{2,100}$")


class AliasDeleteParams(Params):
    surface: str = Field(min_length=1, max_length=200, pattern=Words)
    reason: str = Field(min_length=1, max_length=2000, pattern=Words)


class AuditListParams(PageParams):
    actor: str | None = Field(None, min_length=1, max_length=200)
    action: str | None = Field(
        None, min_length=1, max_length=64, description='Exact, or a prefix ending in "."'
    )
    entity: str | None = Field(None, min_length=1, max_length=140, description="TYPE or TYPE:ID")
    since: str | None = Field(None, min_length=1, max_length=64, description='e.g. "7d"')
    until: str | None = Field(None, min_length=1, max_length=64)
    text: str | None = Field(None, min_length=1, max_length=200, description="In the reason.")


class AuditEventOut(Out):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]
    reason: str | None
    request_id: str | None
    ip: str | None


class AuditPage(Out):
    items: list[AuditEventOut]
    next_cursor: str | None


class ReportInfo(Out):
    name: str
    title: str
    description: str
    columns: list[str]


class ReportList(Out):
    items: list[ReportInfo]


class ReportPath(Params):
    name: str = Field(min_length=1, max_length=64, json_schema_extra={"enum": list(REPORTS)})


class ReportParams(PageParams):
    since: str | None = Field(None, min_length=1, max_length=64)
    until: str | None = Field(None, min_length=1, max_length=64)
    actor: str | None = Field(None, min_length=1, max_length=200)
    points: QueryFloat = Field(
        20.0, ge=0, le=100, description="confidence-jumps: the least change."
    )
    after_link_only: QueryBool = Field(False, description="sources-reflagged only.")


class ReportPage(Out):
    report: str
    columns: list[str]
    items: list[dict[str, Any]]
    next_cursor: str | None


class Me(Out):
    actor: str
    role: Role
    anonymous: bool
    token_id: int | None
    username: str | None
    expires_at: datetime | None
