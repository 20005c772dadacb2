"""The entity alias table: surface forms mapped to canonical entities, editable by reviewers.

It ships with a seed list (``analysis.DEFAULT_ALIASES``). An empty table means "use the seed
list"; the first edit copies the seed list into the table, so edits never lose it."""

from __future__ import annotations

import re

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.models import Claim, EntityAlias
from tracker.services.audit import log as audit
from tracker.services.dedup.analysis import (
    DEFAULT_ALIASES,
    NORMALIZER_VERSION,
    AliasIndex,
    alias_lookup,
    compile_aliases,
    normalize_claim_text,
)
from tracker.services.dedup.token_index import index_claim
from tracker.services.errors import Conflict, Invalid, NotFound

CANONICAL = re.compile(r"^[a-z0-9_]{2,100}$")


def surface_key(surface: str) -> str:
    return " ".join(surface.casefold().split())


def alias_map(session: Session) -> dict[str, str]:
    """surface -> canonical, from the table, or the seed list while the table is empty."""
    rows = session.execute(select(EntityAlias.surface, EntityAlias.canonical)).all()
    return {s: c for s, c in rows} if rows else alias_lookup(DEFAULT_ALIASES)


def alias_index(session: Session) -> AliasIndex:
    """The compiled alias table, for normalising many texts (compiling is the costly part)."""
    return compile_aliases(alias_map(session))


def seed_aliases(session: Session, *, actor: audit.Actor) -> int:
    """Copy the seed list into an empty table; returns how many rows were added."""
    if session.scalar(select(func.count()).select_from(EntityAlias)):
        return 0
    rows = [
        EntityAlias(surface=surface, canonical=canonical, created_by=actor.name)
        for surface, canonical in sorted(alias_lookup(DEFAULT_ALIASES).items())
    ]
    session.add_all(rows)
    session.flush()
    audit.record(
        session, actor, "alias.seed", "alias", "*", {"rows": {"before": 0, "after": len(rows)}}
    )
    return len(rows)


def add_alias(session: Session, surface: str, canonical: str, *, actor: audit.Actor) -> EntityAlias:
    key, canon = surface_key(surface), canonical.strip().lower()
    if not key or len(key) > 200:
        raise Invalid("the alias must have 1 to 200 characters")
    if not CANONICAL.match(canon):
        raise Invalid("the canonical name uses a-z, 0-9 and _ (for example north_korea)")
    seed_aliases(session, actor=actor)
    if session.scalar(select(EntityAlias).where(EntityAlias.surface == key)) is not None:
        raise Conflict(f"{key!r} is already an alias")
    alias = EntityAlias(surface=key, canonical=canon, created_by=actor.name)
    session.add(alias)
    session.flush()
    audit.record(
        session,
        actor,
        "alias.add",
        "alias",
        alias.id,
        audit.created({"surface": key, "canonical": canon}),
    )
    renormalize_mentions(session, key, actor=actor)
    return alias


def remove_alias(session: Session, surface: str, *, actor: audit.Actor, reason: str) -> None:
    key = surface_key(surface)
    seed_aliases(session, actor=actor)
    alias = session.scalar(select(EntityAlias).where(EntityAlias.surface == key))
    if alias is None:
        raise NotFound(f"{key!r} is not an alias")
    changes = audit.diff({"surface": key, "canonical": alias.canonical}, {})
    session.execute(delete(EntityAlias).where(EntityAlias.id == alias.id))
    audit.record(session, actor, "alias.remove", "alias", alias.id, changes, reason=reason)
    renormalize_mentions(session, key, actor=actor)


def renormalize_mentions(session: Session, surface: str, *, actor: audit.Actor) -> list[int]:
    """Recompute the normalized text (and index rows) of claims that mention ``surface``,
    so stored claims follow an alias edit. Returns the ids that changed."""
    index = alias_index(session)
    pattern = "%" + surface.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    mentions = session.scalars(
        select(Claim).where(func.lower(Claim.text).like(pattern, escape="\\"))
    ).all()
    return [
        claim.id
        for claim in mentions
        if _renormalize(session, claim, index, actor, f"alias edit: {surface!r}")
    ]


def renormalize_all(session: Session, *, actor: audit.Actor) -> list[int]:
    """Recompute every claim's normalized text and index rows (after the normalizer changes,
    see NORMALIZER_VERSION). Returns the ids that changed; each change is audited."""
    index = alias_index(session)
    reason = f"normalizer {NORMALIZER_VERSION}"
    changed: list[int] = []
    last = 0
    while True:  # in id order, a chunk at a time, so a million claims fit in memory
        chunk = session.scalars(
            select(Claim).where(Claim.id > last).order_by(Claim.id).limit(1000)
        ).all()
        if not chunk:
            return changed
        changed += [c.id for c in chunk if _renormalize(session, c, index, actor, reason)]
        last = chunk[-1].id


def _renormalize(
    session: Session, claim: Claim, index: AliasIndex, actor: audit.Actor, reason: str
) -> bool:
    fresh = normalize_claim_text(claim.text, claim.language, index)
    if fresh == claim.normalized_text:
        return False
    before = claim.normalized_text
    claim.normalized_text = fresh
    session.flush()
    index_claim(session, claim)
    audit.record(
        session,
        actor,
        "claim.renormalize",
        "claim",
        claim.id,
        audit.diff({"normalized_text": before}, {"normalized_text": fresh}),
        reason=reason,
    )
    return True
