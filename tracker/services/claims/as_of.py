"""A claim as it was at a moment, rebuilt only from the audit log.

The events of the claim, and of every claim linked to it by a merge (evidence moves between
them), are replayed in the order they were written. The version counter is replayed too:
every event that writes the claim row bumps it (the ORM's optimistic locking); a
``claim.unmerge`` records the version it wrote (unmerges before that restored the counter
saved before the merge, which the replay still follows).

A claim created by the bulk import starts from its entry in the chunk's ``claim.import``
event (import_events.py). Chunks written before those events listed the claims' fields
cannot be rebuilt from: ``claim_as_of`` refuses such claims with Invalid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from dateutil.parser import isoparse
from sqlalchemy import String, bindparam, cast, or_, select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim, ClaimMerge
from tracker.services.dedup.aliases import alias_index
from tracker.services.dedup.analysis import AliasIndex, normalize_claim_text
from tracker.services.errors import Invalid, NotFound
from tracker.services.interop import import_events

# The fields an as-of view rebuilds; EDITABLE are the ones a revert restores.
EDITABLE = (
    "text",
    "language",
    "verdict",
    "proposed_verdict",
    "confidence",
    "proposed_confidence",
    "rationale",
)
# Events that write the claim row through the ORM (each bumps ``version`` by one).
_ROW_WRITES = ("claim.update", "claim.revert", "claim.propose_verdict", "claim.renormalize")
# Events about a claim that change none of its fields (the re-review marker, an AI-only
# override recorded at creation): nothing to replay.
_NO_FIELDS = ("rereview.mark", "rereview.clear", "verdict.ai_only_override")
ACCEPTED_FORMS = (
    '"2024-05-01", "2024-05-01 12:00", "2024-05-01T12:00:30", '
    '"2024-05-01T12:00+02:00" or "2024-05-01T10:00Z" (no offset: UTC)'
)


def parse_when(text: str) -> datetime:
    """An ISO 8601 date or date-time (a browser's datetime-local value too) as aware UTC."""
    try:
        moment = isoparse(text.strip())
    except (ValueError, OverflowError) as exc:
        raise Invalid(f"cannot read the time {text!r}: use {ACCEPTED_FORMS}") from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def json_text(path: tuple[str, ...]) -> Any:
    """``changes`` at a JSON path as text ('5' for 5), for comparing with str(id) on both
    engines (SQLite quotes JSON values, PostgreSQL casts json to text)."""
    return cast(AuditEvent.changes[path], String)


# (id of the alias index, text, language) -> (the index, normalized text). Replays of the same
# claim normalize the same texts; the compiled index of an unchanged alias table is one object.
_NORMALIZED: dict[tuple[int, str, str | None], tuple[AliasIndex | None, str]] = {}
_NORMALIZED_MAX = 20_000


def _normalize(text: str, language: str | None, aliases: AliasIndex | None) -> str:
    key = (id(aliases), text, language)
    hit = _NORMALIZED.get(key)
    if hit is not None and hit[0] is aliases:
        return hit[1]
    if len(_NORMALIZED) >= _NORMALIZED_MAX:
        _NORMALIZED.clear()
    value = normalize_claim_text(text, language, aliases)
    _NORMALIZED[key] = (aliases, value)
    return value


class EventRow(Protocol):
    """The columns of an audit event the replay reads (a Row of ``CLAIM_COLUMNS``)."""

    @property
    def id(self) -> int: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def entity_id(self) -> str: ...
    @property
    def changes(self) -> dict[str, Any]: ...


CLAIM_COLUMNS = (
    AuditEvent.id,
    AuditEvent.occurred_at,
    AuditEvent.actor,
    AuditEvent.action,
    AuditEvent.entity_id,
    AuditEvent.changes,
)


def _before(event: EventRow, name: str) -> Any:
    change = event.changes.get(name) if isinstance(event.changes, dict) else None
    return change.get("before") if isinstance(change, dict) else None


def _after(event: EventRow, name: str) -> Any:
    change = event.changes.get(name) if isinstance(event.changes, dict) else None
    return change.get("after") if isinstance(change, dict) else None


@dataclass
class _Link:
    claim_id: int | None  # None: deleted (dropped by a merge; an unmerge re-inserts it)
    excerpt_id: int
    stance: str


@dataclass
class Version:
    """One state of a claim's row: its version number, editable fields and the event that
    produced it."""

    version: int
    fields: dict[str, Any]
    event: EventRow
    merged_into: int | None


@dataclass
class Replay:
    claims: dict[int, dict[str, Any]] = field(default_factory=dict)
    links: dict[int, _Link] = field(default_factory=dict)
    merges: dict[int, dict[str, Any]] = field(default_factory=dict)
    versions: list[Version] = field(default_factory=list)
    watched: int = 0
    session: Session | None = None
    _aliases: AliasIndex | None = None

    def _normalized(self, state: dict[str, Any]) -> str:
        if self._aliases is None and self.session is not None:  # read once, when needed
            self._aliases = alias_index(self.session)
        return _normalize(state["text"] or "", state["language"], self._aliases)

    def apply(self, event: EventRow) -> None:
        cid, action = int(event.entity_id), event.action
        state = self.claims.get(cid)
        if action == "claim.create":
            state = self.claims[cid] = {
                **{name: _after(event, name) for name in EDITABLE},
                "version": 1,
                "merged_into": None,
            }
            state["normalized"] = None  # computed when a text change needs it
        elif action == "evidence.link":
            self.links[int(_after(event, "evidence_id"))] = _Link(
                cid, int(_after(event, "excerpt_id")), str(_after(event, "stance"))
            )
            return
        elif action == "evidence.unlink":
            link = self.links.get(int(_before(event, "evidence_id")))
            if link is not None:
                link.claim_id = None
            return
        elif action == "claim.merge":  # evidence moves even for a claim not rebuilt here
            self._merge(cid, event, state)
        elif action == "claim.unmerge":
            self._unmerge(cid, state, _after(event, "version"))
        elif action in _ROW_WRITES:
            if state is not None:
                self._row_write(state, event)
        elif action in _NO_FIELDS:
            return
        elif action != "claim.import":
            raise Invalid(
                f"claim {self.watched}: the audit event #{event.id} ({action}) cannot be "
                "replayed, so the claim's history cannot be rebuilt"
            )
        if cid == self.watched and state is not None:
            fields = {name: state[name] for name in EDITABLE}
            self.versions.append(Version(state["version"], fields, event, state["merged_into"]))

    def _row_write(self, state: dict[str, Any], event: EventRow) -> None:
        changes = event.changes
        recorded = _after(event, "version")
        renormalizes = "text" in changes or "language" in changes
        if renormalizes and state["normalized"] is None and not isinstance(recorded, int):
            state["normalized"] = self._normalized(state)  # the text before this change
        for name in EDITABLE:
            if isinstance(changes.get(name), dict):
                state[name] = changes[name].get("after")
        if isinstance(recorded, int):  # claim.revert records the version it wrote
            state["version"], state["normalized"] = recorded, None
        elif event.action == "claim.renormalize":
            state["normalized"] = _after(event, "normalized_text")
            state["version"] += 1
        elif renormalizes:
            # claim_edit.update_claim assigns the text, then reads the alias table: the
            # autoflush writes the row once, and the new normalized text (if it differs)
            # a second time: two version bumps.
            fresh = self._normalized(state)
            state["version"] += 1 if fresh == state["normalized"] else 2
            state["normalized"] = fresh
        else:
            state["version"] += 1

    def _merge(self, cid: int, event: EventRow, state: dict[str, Any] | None) -> None:
        target = int(_after(event, "merged_into"))
        moved = [int(i) for i in _after(event, "evidence_moved") or []]
        dropped = [int(i) for i in _after(event, "evidence_already_on_target") or []]
        self.merges[cid] = {"moved": moved, "dropped": dropped}
        if state is not None:
            self.merges[cid]["version"] = state["version"]
            state["merged_into"] = target
            state["version"] += 1
        for link_id in moved:
            if link_id in self.links:
                self.links[link_id].claim_id = target
        for link_id in dropped:
            if link_id in self.links:
                self.links[link_id].claim_id = None

    def _unmerge(self, cid: int, state: dict[str, Any] | None, recorded: Any) -> None:
        merge = self.merges.pop(cid, None)
        if merge is None:
            raise Invalid(f"claim {cid}: an unmerge without a recorded merge cannot be replayed")
        if state is not None:
            state["merged_into"] = None
            # Unmerges record the version they write; older ones restored the pre-merge one.
            state["version"] = recorded if isinstance(recorded, int) else merge["version"]
        for link_id in merge["moved"] + merge["dropped"]:
            if link_id in self.links:
                self.links[link_id].claim_id = cid


_MERGES = select(ClaimMerge.claim_id, ClaimMerge.into_id).where(
    or_(ClaimMerge.claim_id == bindparam("claim_id"), ClaimMerge.into_id == bindparam("claim_id"))
)


def _merge_component(session: Session, claim_id: int) -> set[int]:
    """The claim and every claim linked to it by merges, directly or through others (from
    ``claim_merges``, written with each ``claim.merge`` event and indexed both ways)."""
    seen, frontier = {claim_id}, [claim_id]
    while frontier:
        step = frontier.pop()
        for row in session.execute(_MERGES, {"claim_id": step}):
            for linked in row:
                if linked not in seen:
                    seen.add(linked)
                    frontier.append(linked)
    return seen


@dataclass(frozen=True)
class Created:
    """A bulk-imported claim's creation, read from its import chunk as a ``claim.create``."""

    id: int
    occurred_at: datetime
    actor: str
    entity_id: str
    changes: dict[str, Any]
    action: str = "claim.create"


def _unchanged_imports(session: Session, claim_ids: set[int]) -> dict[int, import_events.Creation]:
    """Creations of imported claims still at version 1, without reading any chunk's field list.

    Every write of a claim row moves its version on, so a claim at version 1 holds the fields
    it was created with. Its import is the chunk whose id range holds it, when only one does
    (ranges of concurrent imports can overlap on PostgreSQL: those claims take the long way)."""
    if len(claim_ids) == 1:  # the claim page's case: the claim is in the session already
        claim = session.get(Claim, next(iter(claim_ids)))
        rows: Sequence[Any] = [claim] if claim is not None and claim.version == 1 else []
    else:
        rows = session.execute(
            select(Claim.id, *(getattr(Claim, name) for name in EDITABLE)).where(
                Claim.id.in_(sorted(claim_ids)), Claim.version == 1
            )
        ).all()
    if not rows:
        return {}
    spans = import_events.chunks(session, holding=rows[0].id if len(rows) == 1 else None)
    found = {}
    for row in rows:
        holders = [c for c in spans if c.bounds[0] <= row.id <= c.bounds[1]]
        if len(holders) == 1:
            chunk = holders[0]
            fields = {name: getattr(row, name) for name in EDITABLE}
            found[row.id] = import_events.Creation(
                chunk.event_id, chunk.occurred_at, chunk.actor, chunk.bounds, fields
            )
    return found


def _imported(session: Session, claim_ids: set[int], when: datetime | None) -> list[Created]:
    """Creations of the claims that came in through the bulk import (before ``when``)."""
    made_by = _unchanged_imports(session, claim_ids)
    made_by.update(import_events.creations(session, claim_ids - set(made_by)))
    created = []
    for claim_id, made in sorted(made_by.items()):
        if made.fields is not None and (when is None or made.occurred_at <= when):
            changes = {name: {"before": None, "after": made.fields.get(name)} for name in EDITABLE}
            created.append(
                Created(made.event_id, made.occurred_at, made.actor, str(claim_id), changes)
            )
    return created


def _replay(
    session: Session,
    claim_id: int,
    when: datetime | None,
    known: Sequence[EventRow] | None = None,
) -> Replay:
    """``known``: every event about the claim, when the caller has read them already."""
    component = _merge_component(session, claim_id)
    events: list[EventRow]
    if known is not None and when is None and component == {claim_id}:
        events = list(known)
    else:
        query = select(*CLAIM_COLUMNS).where(
            AuditEvent.entity_type == "claim",
            AuditEvent.entity_id.in_([str(i) for i in component]),
        )
        if when is not None:
            query = query.where(AuditEvent.occurred_at <= when)
        events = list(session.execute(query))
    created = {int(e.entity_id) for e in events if e.action == "claim.create"}
    if component - created:  # only a bulk-imported claim has no claim.create event
        events += _imported(session, component - created, when)
    replay = Replay(watched=claim_id, session=session)
    for event in sorted(events, key=lambda e: e.id):
        replay.apply(event)
    if claim_id not in replay.claims:
        _refuse(session, claim_id, when)
    return replay


def _refuse(session: Session, claim_id: int, when: datetime | None) -> None:
    imported = import_events.creations(session, [claim_id]).get(claim_id)
    if imported is not None and (when is None or imported.occurred_at <= when):
        raise Invalid(
            f"claim {claim_id} came in through a bulk import (audit event #{imported.event_id}) "
            "made before imports recorded the claims' fields: its history cannot be rebuilt"
        )
    created = session.scalar(
        select(AuditEvent.occurred_at).where(
            AuditEvent.entity_type == "claim",
            AuditEvent.entity_id == str(claim_id),
            AuditEvent.action == "claim.create",
        )
    )
    if when is not None and (created is not None or imported is not None):
        raise NotFound(f"claim {claim_id} did not exist yet on {when:%Y-%m-%d %H:%M:%S} UTC")
    raise NotFound(f"claim {claim_id} does not exist")


def _excerpts(session: Session, excerpt_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Excerpt id -> (source id, exact words), from the ``excerpt.create`` events."""
    if not excerpt_ids:
        return {}
    rows = session.execute(
        select(AuditEvent.entity_id, AuditEvent.changes).where(
            AuditEvent.entity_type == "excerpt",
            AuditEvent.action == "excerpt.create",
            AuditEvent.entity_id.in_([str(i) for i in excerpt_ids]),
        )
    )
    return {
        int(e.entity_id): (int(e.changes["source_id"]["after"]), str(e.changes["exact"]["after"]))
        for e in rows
    }


def claim_as_of(session: Session, claim_id: int, when: datetime) -> dict[str, Any]:
    """The claim's fields and evidence as they were at ``when`` (aware; naive means UTC).

    Raises NotFound when the claim did not exist yet, Invalid when its history cannot be
    rebuilt (a bulk-imported claim)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    replay = _replay(session, claim_id, when)
    state = replay.claims[claim_id]
    links = sorted(
        (link_id, link) for link_id, link in replay.links.items() if link.claim_id == claim_id
    )
    excerpts = _excerpts(session, sorted({link.excerpt_id for _, link in links}))
    last = replay.versions[-1].event if replay.versions else None
    return {
        "id": claim_id,
        "as_of": when.isoformat(),
        **{name: state[name] for name in EDITABLE},
        "version": state["version"],
        "merged_into": state["merged_into"],
        "last_event": None if last is None else last.id,
        "evidence": [
            {
                "evidence_id": link_id,
                "excerpt_id": link.excerpt_id,
                "source_id": excerpts.get(link.excerpt_id, (None, None))[0],
                "stance": link.stance,
                "exact": excerpts.get(link.excerpt_id, (None, None))[1],
            }
            for link_id, link in links
        ],
    }


def claim_versions(
    session: Session, claim_id: int, known: Sequence[EventRow] | None = None
) -> list[Version]:
    """Every state of the claim's row in order, from its creation to now (``known``: every
    audit event about the claim, if already read)."""
    return _replay(session, claim_id, None, known).versions


@dataclass(frozen=True)
class VersionRows:
    """The claim page's version list, or why there is none."""

    rows: list[Version]
    problem: str | None = None


def version_rows(
    session: Session, claim_id: int, known: Sequence[EventRow] | None = None
) -> VersionRows:
    """``claim_versions`` newest first, or the reason the history cannot be rebuilt."""
    try:
        return VersionRows(list(reversed(claim_versions(session, claim_id, known))))
    except Invalid as exc:
        return VersionRows([], str(exc))
