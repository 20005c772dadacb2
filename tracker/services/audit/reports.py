"""Built-in audit reports: each a name, a description, its columns and a function
``(session, ReportFilter) -> rows`` (dicts, streamed where the input can be large).

Reports on events (verdict-after-final, confidence-jumps, merges, activity,
sources-reflagged) filter the events by time and actor; reports on the current state of
claims (ai-only, single-publisher) filter the claims by when and by whom they were created;
sources-changed-after-verdict filters by when a recapture found the change."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from tracker.models import (
    AuditEvent,
    Claim,
    Evidence,
    Excerpt,
    ExcerptAnchor,
    Publisher,
    Source,
    Stance,
    Verdict,
)
from tracker.services.audit.query import (
    AuditFilter,
    as_date,
    day_column,
    filter_clauses,
    stream_events,
)
from tracker.services.claims.provenance import AI_ONLY, provenance
from tracker.services.errors import NotFound

FINAL = (Verdict.TRUE, Verdict.MOSTLY_TRUE, Verdict.MISLEADING, Verdict.FALSE, Verdict.UNVERIFIABLE)
_FINAL_VALUES = frozenset(v.value for v in FINAL)
_CHUNK = 500  # claims per query


@dataclass(frozen=True)
class ReportFilter:
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    actor: str | None = None
    points: float = 20.0  # confidence-jumps: the smallest change shown is above this
    after_link_only: bool = False  # sources-reflagged: only flags after claims were linked

    def events(self, **more: Any) -> AuditFilter:
        return AuditFilter(actor=self.actor, since=self.since, until=self.until, **more)


Rows = Iterator[dict[str, Any]]


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    run: Callable[[Session, ReportFilter], Rows]


def _change(changes: dict[str, Any] | None, field: str) -> tuple[Any, Any] | None:
    change = (changes or {}).get(field)
    if isinstance(change, dict) and ("before" in change or "after" in change):
        return change.get("before"), change.get("after")
    return None


def _claim_updates(
    session: Session, rf: ReportFilter, field: str
) -> Iterator[tuple[dict[str, Any], Any, Any]]:
    """claim.update events in the period that change ``field``: (event, before, after)."""
    for event in stream_events(session, rf.events(action="claim.update"), oldest_first=True):
        if (pair := _change(event["changes"], field)) is not None:
            yield event, pair[0], pair[1]


def verdict_after_final(session: Session, rf: ReportFilter) -> Rows:
    """Verdict changes whose previous verdict was final, with when it was set final."""
    found = [
        (event, before, after)
        for event, before, after in _claim_updates(session, rf, "verdict")
        if before in _FINAL_VALUES
    ]
    earlier = _verdict_settings(session, {e["entity_id"] for e, _, _ in found})
    for event, before, after in found:
        setting = next(
            (
                s
                for s in reversed(earlier[event["entity_id"]])
                if s[0] < event["id"] and s[3] == before
            ),
            None,
        )
        yield {
            "claim_id": int(event["entity_id"]),
            "changed_at": event["occurred_at"],
            "actor": event["actor"],
            "verdict_before": before,
            "verdict_after": after,
            "reason": event["reason"],
            "final_set_at": setting[1] if setting else None,
            "final_set_by": setting[2] if setting else None,
        }


def _verdict_settings(
    session: Session, claim_ids: set[str]
) -> dict[str, list[tuple[int, datetime, str, Any]]]:
    """Every event that set a verdict on these claims: (id, time, actor, verdict), in order."""
    settings: dict[str, list[tuple[int, datetime, str, Any]]] = defaultdict(list)
    ids = sorted(claim_ids)
    for offset in range(0, len(ids), _CHUNK):
        query = (
            select(
                AuditEvent.id,
                AuditEvent.occurred_at,
                AuditEvent.actor,
                AuditEvent.entity_id,
                AuditEvent.changes,
            )
            .where(
                AuditEvent.entity_type == "claim",
                AuditEvent.entity_id.in_(ids[offset : offset + _CHUNK]),
                AuditEvent.action.in_(("claim.create", "claim.update")),
            )
            .order_by(AuditEvent.id)
        )
        for row in session.execute(query):
            if (pair := _change(row.changes, "verdict")) is not None:
                settings[row.entity_id].append((row.id, row.occurred_at, row.actor, pair[1]))
    return settings


def confidence_jumps(session: Session, rf: ReportFilter) -> Rows:
    """Confidence edits (0 to 1, shown in points of 100) larger than ``rf.points``."""
    for event, before, after in _claim_updates(session, rf, "confidence"):
        if not all(isinstance(v, int | float) for v in (before, after)):
            continue  # set for the first time, or cleared: not a jump
        points = round((after - before) * 100, 6)
        if abs(points) > rf.points:
            yield {
                "claim_id": int(event["entity_id"]),
                "occurred_at": event["occurred_at"],
                "actor": event["actor"],
                "confidence_before": before,
                "confidence_after": after,
                "points": points,
                "reason": event["reason"],
            }


def _claim_batches(
    session: Session, rf: ReportFilter, *where: ColumnElement[bool]
) -> Iterator[list[Claim]]:
    """Unmerged claims created in the period (by the actor), 500 at a time by id."""
    clauses = [Claim.merged_into_id.is_(None), *where]
    if rf.since:
        clauses.append(Claim.created_at >= rf.since)
    if rf.until:
        clauses.append(Claim.created_at < rf.until)
    if actor := (rf.actor or "").strip():
        clauses.append(Claim.created_by.in_([actor, f"user:{actor}"]))
    last = 0
    while True:
        query = select(Claim).where(*clauses, Claim.id > last).order_by(Claim.id).limit(_CHUNK)
        claims = list(session.scalars(query))
        if claims:
            yield claims
        if len(claims) < _CHUNK:
            return
        last = claims[-1].id


def ai_only(session: Session, rf: ReportFilter) -> Rows:
    for claims in _claim_batches(session, rf):
        found = provenance(session, [c.id for c in claims])
        for claim in claims:
            if found[claim.id].cls == AI_ONLY:
                yield {
                    "claim_id": claim.id,
                    "text": claim.text,
                    "verdict": claim.verdict.value,
                    "supporting_sources": found[claim.id].supporting,
                    "created_at": claim.created_at,
                    "created_by": claim.created_by,
                }


def single_publisher(session: Session, rf: ReportFilter) -> Rows:
    """Claims with a final verdict whose supporting sources all come from one publisher (a
    source without a publisher counts as one of its own)."""
    for claims in _claim_batches(session, rf, Claim.verdict.in_(FINAL)):
        query = (
            select(Evidence.claim_id, Source.id, Source.publisher_id, Publisher.name, Source.title)
            .join(Excerpt, Excerpt.id == Evidence.excerpt_id)
            .join(Source, Source.id == Excerpt.source_id)
            .outerjoin(Publisher, Publisher.id == Source.publisher_id)
            .where(
                Evidence.claim_id.in_([c.id for c in claims]), Evidence.stance == Stance.SUPPORTS
            )
            .distinct()
        )
        sources: dict[int, dict[int, tuple[Any, str]]] = defaultdict(dict)
        for claim_id, source_id, publisher_id, name, title in session.execute(query):
            key = ("publisher", publisher_id) if publisher_id is not None else ("source", source_id)
            label = (
                name if publisher_id is not None else f"source {source_id}: {title or '(untitled)'}"
            )
            sources[claim_id][source_id] = (key, label)
        for claim in claims:
            found = sources.get(claim.id, {})
            if len({key for key, _ in found.values()}) == 1:
                yield {
                    "claim_id": claim.id,
                    "text": claim.text,
                    "verdict": claim.verdict.value,
                    "publisher": next(iter(found.values()))[1],
                    "supporting_sources": len(found),
                    "created_at": claim.created_at,
                }


def merges(session: Session, rf: ReportFilter) -> Rows:
    actions = AuditEvent.action.in_(("claim.merge", "claim.unmerge"))
    for event in stream_events(session, rf.events(entity_type="claim"), extra=[actions]):
        into = _change(event["changes"], "merged_into") or (None, None)
        moved = _change(event["changes"], "evidence_moved")
        yield {
            "occurred_at": event["occurred_at"],
            "action": event["action"],
            "claim_id": event["entity_id"],
            "into_id": into[1] if event["action"] == "claim.merge" else into[0],
            "actor": event["actor"],
            "evidence_moved": len(moved[1]) if moved and isinstance(moved[1], list) else None,
            "reason": event["reason"],
        }


def activity(session: Session, rf: ReportFilter) -> Rows:
    """Events per actor per UTC day, newest day first (one GROUP BY query)."""
    day = day_column(session)
    count = func.count().label("events")
    query = (
        select(day.label("day"), AuditEvent.actor, count)
        .where(*filter_clauses(rf.events()))
        .group_by(day, AuditEvent.actor)
        .order_by(day.desc(), AuditEvent.actor)
    )
    for raw_day, actor, events in session.execute(query):
        yield {"day": as_date(raw_day), "actor": actor, "events": int(events)}


def sources_reflagged(session: Session, rf: ReportFilter) -> Rows:
    """Changes of a source's AI status, with how many claims had been linked to one of its
    excerpts (evidence.link events) before the change."""
    flags = [
        (event, pair)
        for event in stream_events(session, rf.events(action="source.ai_flag"), oldest_first=True)
        if (pair := _change(event["changes"], "ai_status")) is not None
    ]
    if not flags:
        return
    source_ids = sorted({int(e["entity_id"]) for e, _ in flags if e["entity_id"].isdigit()})
    excerpts = select(Excerpt.id, Excerpt.source_id).where(Excerpt.source_id.in_(source_ids))
    excerpt_source = {excerpt: source for excerpt, source in session.execute(excerpts)}
    titles_query = select(Source.id, Source.title).where(Source.id.in_(source_ids))
    titles = {source: title for source, title in session.execute(titles_query)}
    links: dict[int, list[tuple[datetime, str]]] = defaultdict(list)  # source -> (time, claim)
    latest = max(e["occurred_at"] for e, _ in flags)
    for event in stream_events(
        session, AuditFilter(action="evidence.link", until=latest), oldest_first=True
    ):
        excerpt = _change(event["changes"], "excerpt_id")
        if excerpt and excerpt[1] in excerpt_source:
            links[excerpt_source[excerpt[1]]].append((event["occurred_at"], event["entity_id"]))
    for event, (before, after) in flags:
        source_id = int(event["entity_id"]) if event["entity_id"].isdigit() else None
        linked = {
            claim for at, claim in links.get(source_id or -1, []) if at < event["occurred_at"]
        }
        if rf.after_link_only and not linked:
            continue
        yield {
            "source_id": source_id,
            "title": titles.get(source_id or -1),
            "flagged_at": event["occurred_at"],
            "actor": event["actor"],
            "status_before": before,
            "status_after": after,
            "reason": event["reason"],
            "claims_linked_before": len(linked),
        }


def sources_changed_after_verdict(session: Session, rf: ReportFilter) -> Rows:
    """Excerpts supporting or refuting a final verdict that a later capture of their page
    found edited or orphaned after the verdict was set (the period bounds when it was found)."""
    query = (
        select(ExcerptAnchor, Evidence.claim_id, Evidence.stance, Claim.verdict, Excerpt)
        .join(Excerpt, Excerpt.id == ExcerptAnchor.excerpt_id)
        .join(Evidence, Evidence.excerpt_id == Excerpt.id)
        .join(Claim, Claim.id == Evidence.claim_id)
        .where(
            ExcerptAnchor.status.in_(("edited", "orphaned")),
            Claim.verdict.in_(FINAL),
            Claim.merged_into_id.is_(None),
            Evidence.stance.in_((Stance.SUPPORTS, Stance.REFUTES)),
        )
        .order_by(ExcerptAnchor.checked_at, ExcerptAnchor.id, Evidence.claim_id)
    )
    if rf.since:
        query = query.where(ExcerptAnchor.checked_at >= rf.since)
    if rf.until:
        query = query.where(ExcerptAnchor.checked_at < rf.until)
    rows = list(session.execute(query))
    settings = _verdict_settings(session, {str(claim_id) for _, claim_id, *_ in rows})
    for anchor, claim_id, stance, verdict, excerpt in rows:
        set_at = next(
            (at for _, at, _, value in reversed(settings[str(claim_id)]) if value == verdict),
            None,
        )
        if set_at is not None and set_at > anchor.checked_at:
            continue  # the verdict was given after the change was seen
        yield {
            "claim_id": claim_id,
            "verdict": verdict.value,
            "verdict_set_at": set_at,
            "stance": stance.value,
            "excerpt_id": excerpt.id,
            "source_id": excerpt.source_id,
            "version_source_id": anchor.source_id,
            "status": anchor.status,
            "score": anchor.score,
            "found_at": anchor.checked_at,
            "quote": excerpt.exact,
        }


REPORTS: dict[str, Report] = {
    report.name: report
    for report in (
        Report(
            "verdict-after-final",
            "Verdicts changed after they were final",
            "Claims whose verdict was changed after it had been set to a final verdict "
            "(true, mostly true, misleading, false, unverifiable).",
            (
                "claim_id",
                "changed_at",
                "actor",
                "verdict_before",
                "verdict_after",
                "reason",
                "final_set_at",
                "final_set_by",
            ),
            verdict_after_final,
        ),
        Report(
            "confidence-jumps",
            "Confidence jumps",
            "Confidence changes larger than N points (of 100) in the period.",
            (
                "claim_id",
                "occurred_at",
                "actor",
                "confidence_before",
                "confidence_after",
                "points",
                "reason",
            ),
            confidence_jumps,
        ),
        Report(
            "ai-only",
            "Claims supported by AI-generated sources only",
            "Unmerged claims whose supporting sources are all AI-generated.",
            ("claim_id", "text", "verdict", "supporting_sources", "created_at", "created_by"),
            ai_only,
        ),
        Report(
            "single-publisher",
            "Final verdicts resting on one publisher",
            "Claims with a final verdict whose supporting sources all come from a single "
            "publisher (a source without a publisher counts on its own).",
            ("claim_id", "text", "verdict", "publisher", "supporting_sources", "created_at"),
            single_publisher,
        ),
        Report(
            "merges",
            "Merges and unmerges",
            "Claim merges and unmerges in the period, newest first.",
            ("occurred_at", "action", "claim_id", "into_id", "actor", "evidence_moved", "reason"),
            merges,
        ),
        Report(
            "activity",
            "Activity per user per day",
            "The number of audit events per actor per UTC day.",
            ("day", "actor", "events"),
            activity,
        ),
        Report(
            "sources-reflagged",
            "Sources whose AI status changed",
            "Changes of a source's AI status, and how many claims had been linked to the "
            "source before the change.",
            (
                "source_id",
                "title",
                "flagged_at",
                "actor",
                "status_before",
                "status_after",
                "reason",
                "claims_linked_before",
            ),
            sources_reflagged,
        ),
        Report(
            "sources-changed-after-verdict",
            "Sources changed after the verdict",
            "Excerpts that support or refute a final verdict and that a later capture of "
            "their page found edited or orphaned after the verdict was set.",
            (
                "claim_id",
                "verdict",
                "verdict_set_at",
                "stance",
                "excerpt_id",
                "source_id",
                "version_source_id",
                "status",
                "score",
                "found_at",
                "quote",
            ),
            sources_changed_after_verdict,
        ),
    )
}


def get_report(name: str) -> Report:
    report = REPORTS.get(name)
    if report is None:
        raise NotFound(f"no report named {name!r}; the reports are {', '.join(REPORTS)}")
    return report
