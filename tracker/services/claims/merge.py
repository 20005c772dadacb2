"""Merging a claim into another, and undoing it exactly.

A merge moves every evidence link to the target (a link the target already has is removed
from the merged claim and remembered), points the merged claim at the target through
``merged_into``, and stores a snapshot. Unmerge puts the links back, restores the fields and
the version counter from the snapshot, and clears ``merged_into``. Each runs inside one
savepoint: a failure halfway changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tracker.models import Claim, ClaimMerge, Evidence
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.claims import rereview
from tracker.services.claims.records import get_claim
from tracker.services.dedup import matching as dedup
from tracker.services.dedup.token_index import index_claim
from tracker.services.errors import Conflict, Invalid, NotFound

SNAPSHOT_FIELDS = ("text", "normalized_text", "language", "verdict", "confidence", "rationale")


def _snapshot(claim: Claim) -> dict[str, Any]:
    return {
        "fields": {name: audit.jsonable(getattr(claim, name)) for name in SNAPSHOT_FIELDS},
        "version": claim.version,
        "updated_at": claim.updated_at.isoformat(),
        "evidence": [
            {
                "id": link.id,
                "excerpt_id": link.excerpt_id,
                "stance": link.stance.value,
                "linked_by": link.linked_by,
                "linked_at": link.linked_at.isoformat(),
            }
            for link in claim.evidence
        ],
    }


def merge_claims(
    session: Session, claim_id: int, into_id: int, *, reason: str, actor: audit.Actor
) -> ClaimMerge:
    if not reason or not reason.strip():
        raise Invalid("a merge needs a reason")
    if claim_id == into_id:
        raise Invalid("a claim cannot be merged into itself")
    claim, target = get_claim(session, claim_id), get_claim(session, into_id)
    if claim.merged_into_id is not None:
        raise Conflict(f"claim {claim_id} is already merged into claim {claim.merged_into_id}")
    if target.merged_into_id is not None:
        raise Conflict(
            f"claim {into_id} is merged into claim {target.merged_into_id}; "
            "merge into that one instead"
        )
    with session.begin_nested():
        snapshot = _snapshot(claim)
        held = {link.excerpt_id for link in target.evidence}
        moved, dropped = [], []
        for link in list(claim.evidence):
            if link.excerpt_id in held:
                dropped.append(link.id)
                claim.evidence.remove(link)  # the target already cites this excerpt
            else:
                moved.append(link.id)
        session.flush()
        if moved:
            session.execute(
                update(Evidence).where(Evidence.id.in_(moved)).values(claim_id=target.id)
            )
        snapshot["moved"], snapshot["dropped"] = moved, dropped
        claim.merged_into_id = target.id
        record = ClaimMerge(
            claim_id=claim.id,
            into_id=target.id,
            snapshot=snapshot,
            reason=reason.strip(),
            merged_by=actor.name,
        )
        session.add(record)
        session.flush()
        dedup.record_decision(session, claim.id, target.id, "merged", actor=actor, reason=reason)
        audit.record(
            session,
            actor,
            "claim.merge",
            "claim",
            claim.id,
            {
                "merged_into": {"before": None, "after": target.id},
                "evidence_moved": {"before": None, "after": moved},
                "evidence_already_on_target": {"before": None, "after": dropped},
            },
            reason=reason.strip(),
        )
    session.expire_all()
    return record


def _active_merge(session: Session, claim_id: int) -> ClaimMerge:
    record = session.scalar(
        select(ClaimMerge)
        .where(ClaimMerge.claim_id == claim_id, ClaimMerge.unmerged_at.is_(None))
        .order_by(ClaimMerge.id.desc())
    )
    if record is None:
        raise NotFound(f"claim {claim_id} is not merged")
    return record


def unmerge_claim(
    session: Session, claim_id: int, *, actor: audit.Actor, reason: str | None = None
) -> Claim:
    claim = get_claim(session, claim_id)
    record = _active_merge(session, claim_id)
    snap = record.snapshot
    with session.begin_nested():
        present = set(session.scalars(select(Evidence.id).where(Evidence.id.in_(snap["moved"]))))
        if present != set(snap["moved"]):
            missing = sorted(set(snap["moved"]) - present)
            raise Conflict(
                f"evidence {missing} was removed after the merge; cannot unmerge exactly"
            )
        if snap["moved"]:
            session.execute(
                update(Evidence).where(Evidence.id.in_(snap["moved"])).values(claim_id=claim.id)
            )
        dropped = [e for e in snap["evidence"] if e["id"] in set(snap["dropped"])]
        if dropped:
            session.execute(insert(Evidence), [_evidence_row(e, claim.id) for e in dropped])
        # Restore the fields as they were, bypassing the ORM's versioning; the version counter
        # moves on (a version number never comes back, so a form opened before the merge is
        # stale now).
        version = claim.version + 1
        session.execute(
            update(Claim)
            .where(Claim.id == claim.id)
            .values(
                **snap["fields"],
                version=version,
                merged_into_id=None,
                updated_at=datetime.fromisoformat(snap["updated_at"]),
            )
            .execution_options(synchronize_session=False)
        )
        record.unmerged_at = utcnow()
        record.unmerged_by = actor.name
        session.flush()
        audit.record(
            session,
            actor,
            "claim.unmerge",
            "claim",
            claim.id,
            {
                "merged_into": {"before": record.into_id, "after": None},
                "version": {"before": version - 1, "after": version},
            },
            reason=reason,
        )
    session.expire_all()
    restored = get_claim(session, claim_id)
    index_claim(session, restored)
    _target_lost_evidence(session, record, claim_id, actor)
    return restored


def _target_lost_evidence(
    session: Session, record: ClaimMerge, claim_id: int, actor: audit.Actor
) -> None:
    """The unmerge took the moved evidence away from the target: a final verdict there has
    lost ground and needs re-review."""
    moved = set(record.snapshot["moved"])
    excerpts = sorted(e["excerpt_id"] for e in record.snapshot["evidence"] if e["id"] in moved)
    target = session.get(Claim, record.into_id)
    if not excerpts or target is None or target.verdict not in rereview.FINAL_VERDICTS:
        return
    names = ", ".join(str(e) for e in excerpts)
    why = f"evidence (excerpts {names}) was unlinked from the claim by unmerging claim {claim_id}"
    rereview.mark_needs_review(session, target.id, why, actor)


def _evidence_row(entry: dict[str, Any], claim_id: int) -> dict[str, Any]:
    return {
        "id": entry["id"],
        "claim_id": claim_id,
        "excerpt_id": entry["excerpt_id"],
        "stance": entry["stance"],
        "linked_by": entry["linked_by"],
        "linked_at": datetime.fromisoformat(entry["linked_at"]),
    }
