"""Reading the pages fetched by URL: the page a source is a version of, its versions and
checks, the archived response of a snapshot, excerpt anchors, and what the source page shows
(the history and a diff between two versions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import config
from tracker.models import Excerpt, ExcerptAnchor, Source, SourceCapture, SourceVersion, SourceWatch
from tracker.services.errors import Invalid
from tracker.services.text.diff import TextDiff, diff_texts
from tracker.services.text.storable import is_id


def watch_of(session: Session, source_id: int) -> SourceWatch | None:
    """The watched page a source is a version of, or None."""
    if not is_id(source_id):
        return None
    watch_id = session.scalar(
        select(SourceVersion.watch_id).where(SourceVersion.source_id == source_id)
    )
    return session.get(SourceWatch, watch_id) if watch_id is not None else None


def versions(session: Session, watch: SourceWatch) -> list[SourceVersion]:
    query = (
        select(SourceVersion)
        .where(SourceVersion.watch_id == watch.id)
        .order_by(SourceVersion.version_no)
    )
    return list(session.scalars(query))


def captures(session: Session, watch: SourceWatch, limit: int = 200) -> list[SourceCapture]:
    """The watch's fetches, newest first."""
    query = (
        select(SourceCapture)
        .where(SourceCapture.watch_id == watch.id)
        .order_by(SourceCapture.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def archived_capture(session: Session, source_id: int) -> SourceCapture | None:
    """The fetch whose raw response produced this snapshot (None for pasted sources)."""
    query = (
        select(SourceCapture)
        .where(SourceCapture.source_id == source_id, SourceCapture.raw_sha256.is_not(None))
        .order_by(SourceCapture.id)
        .limit(1)
    )
    return session.scalar(query)


def latest_anchors(session: Session, excerpt_ids: Sequence[int]) -> dict[int, ExcerptAnchor]:
    """Each excerpt's anchor on the newest version it was re-anchored on."""
    if not excerpt_ids:
        return {}
    query = (
        select(ExcerptAnchor)
        .where(ExcerptAnchor.excerpt_id.in_(list(excerpt_ids)))
        .order_by(ExcerptAnchor.source_id, ExcerptAnchor.id)
    )
    return {anchor.excerpt_id: anchor for anchor in session.scalars(query)}


def interval_of(watch: SourceWatch) -> int:
    return watch.interval_minutes or config.recapture_interval_minutes()


# --- the source page: versions, checks and diffs ---------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    number: int
    source_id: int
    created_at: datetime
    sha256: str
    previous_source_id: int | None
    capture: SourceCapture | None
    latest: bool


@dataclass(frozen=True)
class SourceHistory:
    watch: SourceWatch
    versions: list[VersionRow]
    checks: list[SourceCapture]  # newest first
    this: VersionRow  # the version the page shows

    def row(self, source_id: int) -> VersionRow | None:
        return next((v for v in self.versions if v.source_id == source_id), None)


def source_history(session: Session, source_id: int, checks: int = 20) -> SourceHistory | None:
    """The versions and recent checks of the page a source belongs to (None: not fetched)."""
    watch = watch_of(session, source_id)
    if watch is None:
        return None
    query = (
        select(SourceVersion, Source.created_at, Source.sha256)
        .join(Source, Source.id == SourceVersion.source_id)
        .where(SourceVersion.watch_id == watch.id)
        .order_by(SourceVersion.version_no)
    )
    rows = [
        VersionRow(
            v.version_no, v.source_id, created, sha, v.previous_source_id, v.capture,
            v.source_id == watch.latest_source_id,
        )
        for v, created, sha in session.execute(query)
    ]  # fmt: skip
    this = next(v for v in rows if v.source_id == source_id)
    return SourceHistory(watch, rows, captures(session, watch, checks), this)


def diff_versions(session: Session, old_id: int, new_id: int) -> TextDiff:
    """The paragraph diff between two versions of the same page."""
    watch = watch_of(session, old_id)
    if watch is None or watch_of(session, new_id) != watch:
        raise Invalid(f"sources {old_id} and {new_id} are not versions of the same page")
    old, new = session.get(Source, old_id), session.get(Source, new_id)
    assert old is not None and new is not None
    return diff_texts(old.text, new.text)


def anchors_on(session: Session, source_id: int) -> list[tuple[ExcerptAnchor, Excerpt]]:
    """Excerpts of earlier (or other) versions as re-anchored on this one."""
    query = (
        select(ExcerptAnchor, Excerpt)
        .join(Excerpt, Excerpt.id == ExcerptAnchor.excerpt_id)
        .where(ExcerptAnchor.source_id == source_id)
        .order_by(ExcerptAnchor.start_offset, Excerpt.id)
    )
    return [(anchor, excerpt) for anchor, excerpt in session.execute(query)]
