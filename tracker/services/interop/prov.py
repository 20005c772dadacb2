"""A claim's lineage as W3C PROV (PROV-DM), serialized as PROV-JSON with the ``prov`` package.

Everything comes from the database and its audit log (``audit_history.history`` and the
claim's versions rebuilt by ``claim_asof.claim_versions``):

- entities: the claim (``claim:<id>``, as it is now) and each of its states
  (``claimstate:<id>-e<event>``, a ``specializationOf`` the claim, one per event that wrote
  the claim row, linked by ``wasRevisionOf``), the excerpts that are or were its evidence,
  their source snapshots (with ``tracker:sha256`` and the URL as ``prov:location``), and the
  claims merged into it, merged with it or compared with it;
- activities, one per audit event (``event:<id>``, carrying the event's ``tracker:auditSeq``
  and ``tracker:auditHash``, so each can be checked against the hash chain), typed
  ``tracker:Ingest`` (source.create), ``tracker:Excerpt`` (excerpt.create), ``tracker:Link``
  (evidence.link), ``tracker:Create``/``tracker:Import``, ``tracker:Review`` (verdict,
  proposed verdict, confidence or rationale changes), ``tracker:Edit``, ``tracker:Revert``,
  ``tracker:Merge``, ``tracker:Unmerge``, ``tracker:Match`` (dedup decisions),
  ``tracker:Renormalize``;
- agents: the actors of those events (``user:alice`` and ``cli:root`` are ``prov:Person``,
  ``system:...`` a ``prov:SoftwareAgent``) and the sources' publishers (``prov:Organization``).

An excerpt is a quotation of its source: PROV-JSON writes ``wasQuotedFrom`` as a
``wasDerivedFrom`` with ``"prov:type": "prov:Quotation"`` (PROV-JSON has no separate key)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from prov.constants import PROV, PROV_LABEL, PROV_LOCATION, PROV_TYPE, PROV_VALUE
from prov.identifier import QualifiedName
from prov.model import ProvDocument
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import AuditEvent, Claim, Excerpt, Source
from tracker.models.audit import canonical_json
from tracker.services.audit.history import describe_changes, history
from tracker.services.claims.as_of import Version, claim_versions, json_text
from tracker.services.claims.provenance import provenance
from tracker.services.errors import Invalid, NotFound
from tracker.services.interop.web_annotation import Iris

VOCAB = "urn:tracker:vocab#"
# Record kinds whose identifiers are under the tracker's IRIs (see annotations_export.Iris).
KINDS = {
    "claim": "claims",
    "claimstate": "claim-states",
    "excerpt": "excerpts",
    "source": "sources",
    "event": "audit-events",
    "publisher": "publishers",
    "user": "users",
    "cli": "cli-users",
    "system": "components",
}
ACTIVITY_TYPES = {
    "source.create": "Ingest",
    "excerpt.create": "Excerpt",
    "evidence.link": "Link",
    "claim.create": "Create",
    "claim.import": "Import",
    "claim.propose_verdict": "Review",
    "claim.revert": "Revert",
    "claim.merge": "Merge",
    "claim.unmerge": "Unmerge",
    "claim.renormalize": "Renormalize",
}
REVIEW_FIELDS = {"verdict", "proposed_verdict", "confidence", "rationale"}


def activity_type(event: AuditEvent) -> str:
    """The lineage's name for what an audit event did (see the module docstring)."""
    if event.action.startswith("dedup."):
        return "Match"
    if event.action == "claim.update":
        return "Review" if REVIEW_FIELDS & set(event.changes or {}) else "Edit"
    return ACTIVITY_TYPES.get(event.action, "Change")


@dataclass
class _Builder:
    session: Session
    iris: Iris
    doc: ProvDocument = field(default_factory=ProvDocument)
    activities: dict[int, QualifiedName] = field(default_factory=dict)
    agents: dict[str, QualifiedName] = field(default_factory=dict)
    entities: dict[str, QualifiedName] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.doc.add_namespace("tracker", VOCAB)
        for prefix, kind in KINDS.items():
            self.doc.add_namespace(prefix, self.iris.namespace(kind))

    def qname(self, prefix: str, local: object) -> QualifiedName:
        # Percent-encoding keeps any actor or id a valid PROV local name.
        name = self.doc.valid_qualified_name(f"{prefix}:{quote(str(local), safe='-._~')}")
        assert name is not None
        return name

    def vocab(self, term: str) -> QualifiedName:
        return self.qname("tracker", term)

    # --- agents and activities ----------------------------------------------------------

    def agent(self, actor: str) -> QualifiedName:
        if actor not in self.agents:
            kind, _, name = actor.partition(":")
            if kind not in ("user", "cli", "system") or not name:
                kind, name = "system", actor
            ident = self.qname(kind, name)
            kind_type = PROV["SoftwareAgent"] if kind == "system" else PROV["Person"]
            attrs: dict[Any, Any] = {PROV_TYPE: kind_type, PROV_LABEL: actor}
            self.doc.agent(ident, attrs)
            self.agents[actor] = ident
        return self.agents[actor]

    def activity(self, event: AuditEvent) -> QualifiedName:
        if event.id not in self.activities:
            ident = self.qname("event", event.id)
            attrs: dict[Any, Any] = {
                PROV_TYPE: self.vocab(activity_type(event)),
                PROV_LABEL: f"{event.action} by {event.actor}",
                self.vocab("action"): event.action,
                self.vocab("auditSeq"): event.seq,
                self.vocab("auditHash"): event.hash,
                self.vocab("changes"): canonical_json(event.changes or {}),
            }
            if summary := describe_changes(event.changes or {}):
                attrs[self.vocab("summary")] = summary
            if event.reason:
                attrs[self.vocab("reason")] = event.reason
            self.doc.activity(ident, event.occurred_at, event.occurred_at, attrs)
            self.doc.association(ident, self.agent(event.actor))
            self.activities[event.id] = ident
        return self.activities[event.id]

    # --- entities -----------------------------------------------------------------------

    def claim(self, claim: Claim) -> QualifiedName:
        key = f"claim:{claim.id}"
        if key not in self.entities:
            attrs: dict[Any, Any] = {
                PROV_TYPE: self.vocab("Claim"),
                PROV_LABEL: f"claim {claim.id}",
                PROV_VALUE: claim.text,
                self.vocab("verdict"): claim.verdict.value,
                self.vocab("version"): claim.version,
            }
            optional = {"language": claim.language, "confidence": claim.confidence}
            attrs.update({self.vocab(k): v for k, v in optional.items() if v is not None})
            # Provenance as every page says it (services/claims/provenance.py).
            support = provenance(self.session, [claim.id])[claim.id]
            attrs[self.vocab("provenance")] = support.summary
            attrs[self.vocab("provenanceClass")] = support.cls
            attrs[self.vocab("independentPublishers")] = support.independent
            attrs[self.vocab("unknownPublisherSources")] = support.unknown_publisher
            if claim.needs_review:
                attrs[self.vocab("needsReview")] = "; ".join(claim.needs_review_reasons)
            if claim.merged_into_id is not None:
                attrs[self.vocab("mergedInto")] = self.qname("claim", claim.merged_into_id)
            self.entities[key] = ident = self.qname("claim", claim.id)
            self.doc.entity(ident, attrs)
        return self.entities[key]

    def claim_by_id(self, claim_id: int) -> QualifiedName:
        claim = self.session.get(Claim, claim_id)
        if claim is None:  # a claim the log names but the database no longer holds
            return self.qname("claim", claim_id)
        return self.claim(claim)

    def state(self, claim: Claim, version: Version, event: AuditEvent) -> QualifiedName:
        attrs: dict[Any, Any] = {
            PROV_TYPE: self.vocab("ClaimState"),
            PROV_LABEL: f"claim {claim.id}, version {version.version}",
            self.vocab("version"): version.version,
        }
        for name, value in version.fields.items():
            if value is not None:
                attrs[PROV_VALUE if name == "text" else self.vocab(_camel(name))] = value
        if version.merged_into is not None:
            attrs[self.vocab("mergedInto")] = self.qname("claim", version.merged_into)
        ident = self.qname("claimstate", f"{claim.id}-e{event.id}")
        self.doc.entity(ident, attrs)
        self.doc.specialization(ident, self.claim(claim))
        return ident

    def source(self, source: Source) -> QualifiedName:
        key = f"source:{source.id}"
        if key not in self.entities:
            attrs: dict[Any, Any] = {
                PROV_TYPE: self.vocab("SourceSnapshot"),
                PROV_LABEL: source.title or source.origin,
                self.vocab("sha256"): source.sha256,
                self.vocab("origin"): source.origin,
                self.vocab("retrievedAt"): source.retrieved_at,
                self.vocab("aiStatus"): source.ai_status.value,
                self.vocab("aiStatusLabel"): source.ai_status.label,
            }
            publisher = source.publisher_ref.name if source.publisher_ref else source.publisher
            optional = {"publisher": publisher, "language": source.language}
            attrs.update({self.vocab(k): v for k, v in optional.items() if v})
            if source.url:
                attrs[PROV_LOCATION] = source.url
            ident = self.qname("source", source.id)
            self.doc.entity(ident, attrs)
            if source.publisher_id is not None:
                org = self.qname("publisher", source.publisher_id)
                if f"publisher:{source.publisher_id}" not in self.entities:
                    org_attrs: dict[Any, Any] = {
                        PROV_TYPE: PROV["Organization"],
                        PROV_LABEL: publisher or "",
                    }
                    self.doc.agent(org, org_attrs)
                    self.entities[f"publisher:{source.publisher_id}"] = org
                self.doc.attribution(ident, org)
            self.entities[key] = ident
        return self.entities[key]

    def excerpt(self, excerpt: Excerpt, created: AuditEvent | None) -> QualifiedName:
        key = f"excerpt:{excerpt.id}"
        if key not in self.entities:
            attrs: dict[Any, Any] = {
                PROV_TYPE: self.vocab("Excerpt"),
                PROV_LABEL: f"excerpt {excerpt.id} of source {excerpt.source_id}",
                PROV_VALUE: excerpt.exact,
                self.vocab("start"): excerpt.start_offset,
                self.vocab("end"): excerpt.end_offset,
            }
            ident = self.qname("excerpt", excerpt.id)
            self.doc.entity(ident, attrs)
            source = self.source(excerpt.source)
            act = self.activity(created) if created is not None else None
            if act is not None:
                self.doc.generation(ident, act, created.occurred_at if created else None)
                self.doc.usage(act, source)
            self.doc.quotation(ident, source, act)
            self.doc.attribution(ident, self.agent(excerpt.created_by))
            self.entities[key] = ident
        return self.entities[key]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _events(session: Session, condition: Any) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(condition).order_by(AuditEvent.id)))


def _by_entity(session: Session, action: str, kind: str, ids: Iterable[int]) -> dict[int, Any]:
    """The first ``action`` event of each entity of type ``kind`` in ``ids``."""
    keys = sorted({str(i) for i in ids})
    if not keys:
        return {}
    found: dict[int, AuditEvent] = {}
    events = _events(
        session,
        (AuditEvent.action == action)
        & (AuditEvent.entity_type == kind)
        & AuditEvent.entity_id.in_(keys),
    )
    for event in events:
        found.setdefault(int(event.entity_id), event)
    return found


def _link_events(session: Session, evidence_ids: Iterable[int]) -> dict[int, AuditEvent]:
    keys = sorted({str(i) for i in evidence_ids})
    if not keys:
        return {}
    events = _events(
        session,
        (AuditEvent.action == "evidence.link") & json_text(("evidence_id", "after")).in_(keys),
    )
    return {int(e.changes["evidence_id"]["after"]): e for e in events}


def _after(event: AuditEvent, name: str) -> Any:
    change = (event.changes or {}).get(name)
    return change.get("after") if isinstance(change, dict) else None


def _versions(session: Session, claim_id: int) -> list[Version]:
    try:
        return claim_versions(session, claim_id)
    except (Invalid, NotFound):  # bulk-imported (fields never recorded), or no creation event
        return []


def _add_states(b: _Builder, claim: Claim, events: dict[int, AuditEvent]) -> None:
    previous = None
    for version in _versions(b.session, claim.id):
        event = events.get(version.event.id) or b.session.get(AuditEvent, version.event.id)
        assert event is not None
        act = b.activity(event)
        state = b.state(claim, version, event)
        b.doc.generation(state, act, event.occurred_at)
        b.doc.attribution(state, b.agent(event.actor))
        if previous is not None:
            b.doc.usage(act, previous, event.occurred_at)
            b.doc.revision(state, previous, act)
        previous = state
    if previous is None:  # no rebuilt states: the import (or creation) made the claim
        made = [e for e in events.values() if e.action in ("claim.import", "claim.create")]
        if made:
            b.doc.generation(b.claim(claim), b.activity(made[0]), made[0].occurred_at)
            b.doc.attribution(b.claim(claim), b.agent(made[0].actor))


def _add_evidence(b: _Builder, claim: Claim, events: list[AuditEvent]) -> None:
    """Current evidence (derivations of the claim) and excerpts it was ever linked to."""
    current = {link.id: link for link in claim.evidence}
    link_events = _link_events(b.session, current)
    own_links = [e for e in events if e.action == "evidence.link" and e.entity_id == str(claim.id)]
    excerpt_ids = {link.excerpt_id for link in current.values()}
    excerpt_ids |= {int(_after(e, "excerpt_id")) for e in own_links}
    excerpts = {
        x.id: x
        for x in b.session.scalars(
            select(Excerpt).where(Excerpt.id.in_(excerpt_ids)).options(selectinload(Excerpt.source))
        )
    }
    created = _by_entity(b.session, "excerpt.create", "excerpt", excerpts)
    for excerpt in excerpts.values():
        b.excerpt(excerpt, created.get(excerpt.id))
    ingests = _by_entity(
        b.session, "source.create", "source", {x.source_id for x in excerpts.values()}
    )
    for source_id, event in ingests.items():
        ident = b.entities[f"source:{source_id}"]
        b.doc.generation(ident, b.activity(event), event.occurred_at)
    for link_id, link in sorted(current.items()):
        event = link_events.get(link_id)
        act = b.activity(event) if event is not None else None
        quoted = b.entities[f"excerpt:{link.excerpt_id}"]
        attrs = {b.vocab("stance"): link.stance.value, b.vocab("evidenceId"): link.id}
        b.doc.derivation(b.claim(claim), quoted, act, other_attributes=attrs)
        if act is not None:
            b.doc.usage(act, quoted)
    for event in own_links:
        if int(_after(event, "evidence_id")) not in current:  # moved away by a merge
            b.doc.usage(b.activity(event), b.entities[f"excerpt:{_after(event, 'excerpt_id')}"])


def _add_merges_and_matches(b: _Builder, claim: Claim, events: list[AuditEvent]) -> None:
    for event in events:
        if event.action == "claim.merge":
            merged, into = int(event.entity_id), int(_after(event, "merged_into"))
            act = b.activity(event)
            b.doc.usage(act, b.claim_by_id(merged), event.occurred_at)
            b.doc.derivation(b.claim_by_id(into), b.claim_by_id(merged), act)
        elif event.entity_type == "dedup_decision":
            act = b.activity(event)
            for name in ("claim_id", "other_id"):
                other = _after(event, name)
                if isinstance(other, int):
                    b.doc.usage(act, b.claim_by_id(other), event.occurred_at)


def claim_lineage(session: Session, claim_id: int, *, base_url: str | None = None) -> ProvDocument:
    """The PROV document of a claim's lineage (NotFound for an unknown claim)."""
    claim = session.get(Claim, claim_id, options=[selectinload(Claim.evidence)])
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    b = _Builder(session, Iris.for_base(base_url))
    events = history(session, "claim", claim_id)
    b.claim(claim)
    _add_states(b, claim, {e.id: e for e in events})
    _add_evidence(b, claim, events)
    _add_merges_and_matches(b, claim, events)
    return b.doc


def prov_json(session: Session, claim_id: int, *, base_url: str | None = None) -> str:
    """``claim_lineage`` as PROV-JSON text."""
    doc = claim_lineage(session, claim_id, base_url=base_url)
    text = doc.serialize(format="json", indent=2, ensure_ascii=False)
    assert isinstance(text, str)
    return text


def prov_dict(session: Session, claim_id: int, *, base_url: str | None = None) -> dict[str, Any]:
    """``claim_lineage`` as a PROV-JSON object."""
    data: dict[str, Any] = json.loads(prov_json(session, claim_id, base_url=base_url))
    return data


__all__ = ["activity_type", "claim_lineage", "prov_dict", "prov_json"]
