"""`tracker audit verify --state`: compare the claims, evidence links, excerpts and sources in
the database with the state the audit log rebuilds (issue 16).

Every change goes through a service that records an event in the same transaction, so a row
that differs from its replay was changed behind the app's back (or the log was). The replay is
the as-of replay of ``claim_asof`` run over every claim at once; excerpts and sources are
rebuilt from their creation events and the later events that change them.

Compared: a claim's editable fields, version and merge target; an evidence link's claim,
excerpt and stance; an excerpt's source, offsets and words; a source's content hash (the
SHA-256 of its stored text too), title, URL, author, language, origin, AI status and
publication date. A row no event created, and a logged entity whose row is gone, are reported
as well. Claims that came in through an import from before imports listed their fields cannot
be rebuilt: they are counted apart, not reported as different.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim, Evidence, Excerpt, Source
from tracker.services.audit.log import jsonable
from tracker.services.claims.as_of import CLAIM_COLUMNS, EDITABLE, Created, Replay
from tracker.services.errors import Invalid
from tracker.services.interop import import_events

_SOURCE_FIELDS = (
    "sha256",
    "title",
    "url",
    "author",
    "language",
    "origin",
    "ai_status",
    "ai_generated",
    "published_at",
)
_SOURCE_EVENTS = ("source.create", "source.ai_flag", "source.published")
MISSING = "(no row)"
NO_EVENT = "(no event)"


@dataclass(frozen=True)
class Difference:
    entity: str  # claim, evidence, excerpt, source
    id: int
    field: str
    current: Any  # MISSING: the log has the entity, the table has no row
    logged: Any  # NO_EVENT: the table has a row no event created

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StateReport:
    checked: dict[str, int] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    not_rebuildable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "differences": [d.to_dict() for d in self.differences],
            "not_rebuildable": self.not_rebuildable,
        }


def check_state(session: Session) -> StateReport:
    """Every row of claims, evidence, excerpts and sources against its replay."""
    report = StateReport()
    replay, skipped = _replay_claims(session, report)
    _compare_claims(session, replay, skipped, report)
    _compare_evidence(session, replay, report)
    _compare_excerpts(session, report)
    _compare_sources(session, report)
    return report


def _same(current: Any, logged: Any) -> bool:
    return bool(jsonable(current) == jsonable(logged))


def _rows(
    report: StateReport,
    entity: str,
    current: dict[int, dict[str, Any]],
    logged: dict[int, dict[str, Any]],
) -> None:
    report.checked[entity] = len(current)
    for row_id in sorted(set(current) | set(logged)):
        now, then = current.get(row_id), logged.get(row_id)
        if now is None:
            report.differences.append(Difference(entity, row_id, "*", MISSING, "(logged)"))
        elif then is None:
            report.differences.append(Difference(entity, row_id, "*", "(row)", NO_EVENT))
        else:
            for name, value in then.items():
                if not _same(now.get(name), value):
                    current_value = jsonable(now.get(name))
                    logged_value = jsonable(value)
                    report.differences.append(
                        Difference(entity, row_id, name, current_value, logged_value)
                    )


# --- claims and evidence ----------------------------------------------------------------------


def _replay_claims(session: Session, report: StateReport) -> tuple[Replay, set[int]]:
    """The replay of every claim, and the claims it cannot rebuild."""
    events: list[Any] = list(
        session.execute(
            select(*CLAIM_COLUMNS)
            .where(AuditEvent.entity_type == "claim", AuditEvent.action != "claim.import")
            .order_by(AuditEvent.id)
        )
    )
    created = {int(e.entity_id) for e in events if e.action == "claim.create"}
    claim_ids = set(session.scalars(select(Claim.id)))
    skipped = set()
    for claim_id, made in sorted(import_events.creations(session, claim_ids - created).items()):
        if made.fields is None:
            report.not_rebuildable.append(
                f"claim {claim_id}: imported (audit event #{made.event_id}) before imports "
                "recorded the claims' fields"
            )
            skipped.add(claim_id)
            continue
        changes = {name: {"before": None, "after": made.fields.get(name)} for name in EDITABLE}
        events.append(Created(made.event_id, made.occurred_at, made.actor, str(claim_id), changes))
    replay = Replay(watched=0, session=session)
    for event in sorted(events, key=lambda e: e.id):
        try:
            replay.apply(event)
        except (Invalid, KeyError, TypeError, ValueError) as exc:
            report.not_rebuildable.append(f"audit event #{event.id} ({event.action}): {exc}")
    return replay, skipped


def _compare_claims(
    session: Session, replay: Replay, skipped: set[int], report: StateReport
) -> None:
    columns = [getattr(Claim, name) for name in EDITABLE]
    current = {
        row.id: {
            **{name: getattr(row, name) for name in EDITABLE},
            "version": row.version,
            "merged_into": row.merged_into_id,
        }
        for row in session.execute(select(Claim.id, Claim.version, Claim.merged_into_id, *columns))
        if row.id not in skipped
    }
    logged = {
        claim_id: {
            **{name: state[name] for name in EDITABLE},
            "version": state["version"],
            "merged_into": state["merged_into"],
        }
        for claim_id, state in replay.claims.items()
        if claim_id not in skipped
    }
    _rows(report, "claim", current, logged)


def _compare_evidence(session: Session, replay: Replay, report: StateReport) -> None:
    current = {
        row.id: {"claim_id": row.claim_id, "excerpt_id": row.excerpt_id, "stance": row.stance}
        for row in session.execute(
            select(Evidence.id, Evidence.claim_id, Evidence.excerpt_id, Evidence.stance)
        )
    }
    logged = {
        link_id: {"claim_id": link.claim_id, "excerpt_id": link.excerpt_id, "stance": link.stance}
        for link_id, link in replay.links.items()
        if link.claim_id is not None  # dropped by a merge: the row is deleted
    }
    _rows(report, "evidence", current, logged)


# --- excerpts and sources ---------------------------------------------------------------------


def _after(changes: Any, name: str) -> Any:
    change = changes.get(name) if isinstance(changes, dict) else None
    return change.get("after") if isinstance(change, dict) else None


def _compare_excerpts(session: Session, report: StateReport) -> None:
    logged = {
        int(e.entity_id): {
            "source_id": _after(e.changes, "source_id"),
            "start": _after(e.changes, "start"),
            "end": _after(e.changes, "end"),
            "exact": _after(e.changes, "exact"),
        }
        for e in session.execute(
            select(AuditEvent.entity_id, AuditEvent.changes).where(
                AuditEvent.entity_type == "excerpt", AuditEvent.action == "excerpt.create"
            )
        )
    }
    current = {
        row.id: {
            "source_id": row.source_id,
            "start": row.start_offset,
            "end": row.end_offset,
            "exact": row.exact,
        }
        for row in session.execute(
            select(
                Excerpt.id,
                Excerpt.source_id,
                Excerpt.start_offset,
                Excerpt.end_offset,
                Excerpt.exact,
            )
        )
    }
    _rows(report, "excerpt", current, logged)


def _compare_sources(session: Session, report: StateReport) -> None:
    logged: dict[int, dict[str, Any]] = {}
    for e in session.execute(
        select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.changes)
        .where(AuditEvent.entity_type == "source", AuditEvent.action.in_(_SOURCE_EVENTS))
        .order_by(AuditEvent.id)
    ):
        source_id = int(e.entity_id)
        if e.action == "source.create":
            logged[source_id] = {name: _after(e.changes, name) for name in _SOURCE_FIELDS}
        elif source_id in logged:
            for name in _SOURCE_FIELDS:
                if isinstance(e.changes, dict) and isinstance(e.changes.get(name), dict):
                    logged[source_id][name] = e.changes[name].get("after")
    current = {}
    for source in session.scalars(select(Source).execution_options(yield_per=500)):
        row = {name: getattr(source, name) for name in _SOURCE_FIELDS if name != "published_at"}
        row["published_at"] = source.published_iso
        if hashlib.sha256(source.text.encode("utf-8")).hexdigest() != source.sha256:
            row["sha256"] = "(the stored text no longer has this hash)"
        current[source.id] = row
        session.expunge(source)
    _rows(report, "source", current, logged)
