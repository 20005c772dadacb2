"""Sources fetched by URL: the first capture, recaptures, snapshot versions and the re-anchoring
of excerpts on each new version.

- ``capture_url`` fetches a page, stores it through ingest (language, dates, spans and AI
  disclosures as for any source) and archives the raw response; the page becomes watched.
- ``recapture`` fetches a watched page again. Unchanged bytes or text: only the check is
  recorded. Changed text: a new snapshot (a new ``Source``) becomes the next version, linked
  to the one before; nothing is overwritten. Every excerpt of the earlier versions is then
  re-anchored on it, and claims with a final verdict resting on an edited or orphaned excerpt
  are marked for re-review.

Reading the versions is in ``source_versions``; due pages and the runners' lease in
``source_watch``. Every fetch, recapture and anchor status change is audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.config import FetchSettings
from tracker.models import (
    Claim,
    Evidence,
    Excerpt,
    ExcerptAnchor,
    Source,
    SourceCapture,
    SourceVersion,
    SourceWatch,
    Stance,
)
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.audit.reports import FINAL
from tracker.services.claims.rereview import mark_needs_review
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.excerpts import reanchor
from tracker.services.sources.fetch import FetchedPage, FetchRefused, fetch_url
from tracker.services.sources.ingest import PreparedText, SourceMeta, find_by_hash, ingest_text
from tracker.services.sources.versions import (
    archived_capture,
    interval_of,
    latest_anchors,
    versions,
    watch_of,
)
from tracker.services.sources.watch import check_interval
from tracker.services.text.storable import is_id
from tracker.services.text.web_extract import prepare_page

REREVIEW_REASON = "source changed after the verdict"
CHANGED_STATUSES = frozenset({"edited", "orphaned"})

Fetcher = Callable[[str, FetchSettings], FetchedPage]


@dataclass
class CaptureResult:
    """What one fetch did: ``created`` (a new source), ``unchanged``, ``changed`` (a new
    version, or a return to an earlier one) or ``failed`` (a recapture that could not fetch)."""

    outcome: str
    source_id: int | None
    watch_id: int | None
    capture_id: int | None
    url: str
    previous_source_id: int | None = None
    version_no: int | None = None
    error: str | None = None
    anchors: list[dict[str, Any]] = field(default_factory=list)
    marked_claims: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "source_id": self.source_id,
            "watch_id": self.watch_id,
            "capture_id": self.capture_id,
            "url": self.url,
            "previous_source_id": self.previous_source_id,
            "version": self.version_no,
            "error": self.error,
            "anchors": self.anchors,
            "claims_marked_for_rereview": self.marked_claims,
        }


# --- the first capture ----------------------------------------------------------------------


def capture_url(
    session: Session,
    url: str,
    *,
    actor: audit.Actor,
    settings: FetchSettings,
    meta: SourceMeta | None = None,
    interval_minutes: int | None = None,
    fetcher: Fetcher = fetch_url,
) -> CaptureResult:
    """Fetch ``url`` and store it as a source (or find the identical one); every refusal
    raises before anything is written."""
    check_interval(interval_minutes)
    page = fetcher(url, settings)
    prepared = prepare_page(page, meta or SourceMeta())
    with session.begin_nested():
        source, created = ingest_text(
            session,
            prepared.text,
            actor=actor,
            origin=prepared.origin,
            meta=prepared.meta,
            content_type=prepared.content_type,
            html_published=prepared.html_published,
            max_bytes=settings.max_bytes,
        )
        watch = watch_of(session, source.id)
        if watch is None:
            watch = _new_watch(session, page, source, actor, interval_minutes)
        elif interval_minutes is not None:
            watch.interval_minutes = interval_minutes
        keep_raw = archived_capture(session, source.id) is None
        outcome = "created" if created else "unchanged"
        capture = _record(session, watch, page, source, outcome, actor, keep_raw=keep_raw)
        version = session.get(SourceVersion, source.id)
        if version is not None and version.capture_id is None and keep_raw:
            version.capture_id = capture.id
        _checked(watch, capture.fetched_at)
        result = CaptureResult(outcome, source.id, watch.id, capture.id, page.requested_url)
        result.version_no = version.version_no if version else None
        _audit(session, actor, "source.fetch", watch, capture, result)
    return result


def _new_watch(
    session: Session,
    page: FetchedPage,
    source: Source,
    actor: audit.Actor,
    interval_minutes: int | None,
) -> SourceWatch:
    watch = SourceWatch(
        url=page.requested_url[:2000],
        first_source_id=source.id,
        latest_source_id=source.id,
        interval_minutes=interval_minutes,
        created_by=actor.name,
    )
    session.add(watch)
    session.flush()
    session.add(SourceVersion(source_id=source.id, watch_id=watch.id, version_no=1))
    session.flush()
    return watch


def _record(
    session: Session,
    watch: SourceWatch,
    page: FetchedPage | None,
    source: Source | None,
    outcome: str,
    actor: audit.Actor,
    *,
    keep_raw: bool = False,
    error: str | None = None,
) -> SourceCapture:
    """One fetch; the raw response only when ``keep_raw`` (it produced a snapshot)."""
    capture = SourceCapture(
        watch_id=watch.id,
        source_id=source.id if source else None,
        outcome=outcome,
        requested_url=watch.url if page is None else page.requested_url[:2000],
        final_url=page.final_url[:2000] if page else None,
        http_status=page.status if page else None,
        content_type=page.content_type[:200] if page else None,
        fetched_at=page.fetched_at if page else utcnow(),
        raw_sha256=page.sha256 if page and keep_raw else None,
        raw_body=page.body if page and keep_raw else None,
        raw_headers=_headers_json(page) if page and keep_raw else None,
        error=error,
        fetched_by=actor.name,
    )
    session.add(capture)
    session.flush()
    return capture


def _headers_json(page: FetchedPage) -> str:
    status = {"status": page.status, "reason": page.reason, "http_version": page.http_version}
    return json.dumps({**status, "headers": page.headers}, ensure_ascii=False)


def _checked(watch: SourceWatch, at: datetime) -> None:
    watch.last_checked_at = at
    watch.next_check_at = at + timedelta(minutes=interval_of(watch))


def _audit(
    session: Session,
    actor: audit.Actor,
    action: str,
    watch: SourceWatch,
    capture: SourceCapture,
    result: CaptureResult,
) -> None:
    changes = audit.created(
        {
            "outcome": result.outcome,
            "url": capture.requested_url,
            "final_url": capture.final_url,
            "http_status": capture.http_status,
            "content_type": capture.content_type,
            "raw_sha256": capture.raw_sha256,
            "source_id": result.source_id,
            "previous_source_id": result.previous_source_id,
            "capture_id": capture.id,
            "error": result.error,
        }
    )
    audit.record(session, actor, action, "source", watch.first_source_id, changes)


# --- recapture ------------------------------------------------------------------------------


def recapture(
    session: Session,
    source_id: int,
    *,
    actor: audit.Actor,
    settings: FetchSettings,
    fetcher: Fetcher = fetch_url,
) -> CaptureResult:
    """Fetch the page of source ``source_id`` (any of its versions) again. A fetch that fails
    is recorded as a failed check (the page may have been deleted) and reported."""
    watch = watch_of(session, source_id)
    if watch is None:
        if not is_id(source_id) or session.get(Source, source_id) is None:
            raise NotFound(f"source {source_id} does not exist")
        raise Invalid(f"source {source_id} was not fetched from a URL: there is nothing to fetch")
    try:
        page = fetcher(watch.url, settings)
        prepared = prepare_page(page, SourceMeta())
    except FetchRefused as exc:
        return _failed(session, watch, actor, str(exc))
    except Invalid as exc:  # the text itself is refused (binary, empty)
        return _failed(session, watch, actor, str(exc), page)
    with session.begin_nested():
        # Lock the page's row (PostgreSQL; SQLite writers are serialized already) and read it
        # again: a recapture that finished meanwhile has moved the latest version.
        locked = session.get(SourceWatch, watch.id, with_for_update=True, populate_existing=True)
        assert locked is not None
        return _compare_and_store(session, locked, page, actor, settings, prepared)


def _failed(
    session: Session,
    watch: SourceWatch,
    actor: audit.Actor,
    error: str,
    page: FetchedPage | None = None,
) -> CaptureResult:
    with session.begin_nested():
        capture = _record(session, watch, page, None, "failed", actor, error=error)
        _checked(watch, capture.fetched_at)
        result = CaptureResult(
            "failed", None, watch.id, capture.id, watch.url, watch.latest_source_id, error=error
        )
        _audit(session, actor, "source.recapture", watch, capture, result)
    return result


def _compare_and_store(
    session: Session,
    watch: SourceWatch,
    page: FetchedPage,
    actor: audit.Actor,
    settings: FetchSettings,
    prepared: PreparedText,
) -> CaptureResult:
    latest = session.get(Source, watch.latest_source_id)
    assert latest is not None
    last_raw = archived_capture(session, latest.id)
    same_bytes = last_raw is not None and last_raw.raw_sha256 == page.sha256
    if same_bytes or find_by_hash(session, prepared.sha256) is latest:
        capture = _record(session, watch, page, latest, "unchanged", actor)
        _checked(watch, capture.fetched_at)
        result = CaptureResult("unchanged", latest.id, watch.id, capture.id, watch.url, latest.id)
        result.version_no = _version_no(session, latest.id)
        _audit(session, actor, "source.recapture", watch, capture, result)
        return result
    existing = find_by_hash(session, prepared.sha256)
    if existing is not None and (other := watch_of(session, existing.id)) is not None:
        if other.id != watch.id:
            error = (
                f"the page now holds the same text as source {existing.id}, a version of "
                "another page; it is not kept as a version of this one"
            )
            return _failed(session, watch, actor, error, page)
        return _back_to(session, watch, page, existing, latest, actor)
    source, _ = ingest_text(
        session,
        prepared.text,
        actor=actor,
        origin=prepared.origin,
        meta=SourceMeta(url=prepared.meta.url, language=None, **_kept_meta(prepared, latest)),
        content_type=prepared.content_type,
        html_published=prepared.html_published,
        max_bytes=settings.max_bytes,
    )
    return _new_version(session, watch, page, source, latest, actor)


def _kept_meta(prepared: PreparedText, latest: Source) -> dict[str, str | None]:
    """The page's own title, author and publisher, else those of the version before."""
    meta = prepared.meta
    return {
        "title": meta.title or latest.title,
        "publisher": meta.publisher or latest.publisher,
        "author": meta.author or latest.author,
    }


def _version_no(session: Session, source_id: int) -> int | None:
    version = session.get(SourceVersion, source_id)
    return version.version_no if version else None


def _new_version(
    session: Session,
    watch: SourceWatch,
    page: FetchedPage,
    source: Source,
    latest: Source,
    actor: audit.Actor,
) -> CaptureResult:
    capture = _record(session, watch, page, source, "changed", actor, keep_raw=True)
    number = max((v.version_no for v in versions(session, watch)), default=0) + 1
    session.add(
        SourceVersion(
            source_id=source.id,
            watch_id=watch.id,
            version_no=number,
            previous_source_id=latest.id,
            capture_id=capture.id,
        )
    )
    watch.latest_source_id = source.id
    _checked(watch, capture.fetched_at)
    session.flush()
    result = CaptureResult("changed", source.id, watch.id, capture.id, watch.url, latest.id, number)
    _audit(session, actor, "source.recapture", watch, capture, result)
    _reanchor_into(session, watch, source, actor, result)
    return result


def _back_to(
    session: Session,
    watch: SourceWatch,
    page: FetchedPage,
    earlier: Source,
    latest: Source,
    actor: audit.Actor,
) -> CaptureResult:
    """The page holds an earlier version's text again: that version becomes the latest."""
    capture = _record(session, watch, page, earlier, "changed", actor)
    watch.latest_source_id = earlier.id
    _checked(watch, capture.fetched_at)
    session.flush()
    number = _version_no(session, earlier.id)
    result = CaptureResult(
        "changed", earlier.id, watch.id, capture.id, watch.url, latest.id, number
    )
    _audit(session, actor, "source.recapture", watch, capture, result)
    _reanchor_into(session, watch, earlier, actor, result)
    return result


# --- re-anchoring ---------------------------------------------------------------------------


def anchor_status(
    excerpt: Excerpt, text: str
) -> tuple[str, float, int | None, int | None, str | None]:
    """(status, score, start, end, method) of an excerpt in a later text, with ``reanchor``."""
    found = reanchor(excerpt.selectors(), text)
    if found.status == "orphaned" or found.start is None or found.end is None:
        return "orphaned", round(found.score, 1), None, None, None
    same = text[found.start : found.end] == excerpt.exact
    if found.method == "position" and same:
        status = "unchanged"
    elif same:
        status = "moved"
    else:
        status = "edited"
    return status, round(found.score, 1), found.start, found.end, found.method


def _reanchor_into(
    session: Session, watch: SourceWatch, target: Source, actor: audit.Actor, result: CaptureResult
) -> None:
    """Re-anchor every excerpt of the page's other versions on ``target``."""
    other_ids = [v.source_id for v in versions(session, watch) if v.source_id != target.id]
    query = select(Excerpt).where(Excerpt.source_id.in_(other_ids)).order_by(Excerpt.id)
    for excerpt in session.scalars(query):
        status, score, start, end, method = anchor_status(excerpt, target.text)
        previous = latest_anchors(session, [excerpt.id]).get(excerpt.id)
        row = session.scalar(
            select(ExcerptAnchor).where(
                ExcerptAnchor.excerpt_id == excerpt.id, ExcerptAnchor.source_id == target.id
            )
        )
        if row is None:
            row = ExcerptAnchor(excerpt_id=excerpt.id, source_id=target.id)
            session.add(row)
        before = previous.status if previous is not None else "unchanged"
        row.status, row.score, row.method = status, score, method
        row.start_offset, row.end_offset, row.checked_at = start, end, utcnow()
        session.flush()
        change = {"excerpt_id": excerpt.id, "source_id": target.id, "status": status}
        result.anchors.append({**change, "score": score, "start": start, "end": end})
        audit.record(
            session,
            actor,
            "excerpt.reanchor",
            "excerpt",
            excerpt.id,
            {
                "status": {"before": before, "after": status},
                "score": {"before": None, "after": score},
                "version_source_id": {"before": None, "after": target.id},
            },
        )
        if status in CHANGED_STATUSES:
            result.marked_claims += _mark_claims(session, excerpt, actor)


def claims_resting_on(session: Session, excerpt_id: int) -> list[int]:
    """Unmerged claims with a final verdict that an excerpt supports or refutes."""
    query = (
        select(Claim.id)
        .join(Evidence, Evidence.claim_id == Claim.id)
        .where(
            Evidence.excerpt_id == excerpt_id,
            Evidence.stance.in_((Stance.SUPPORTS, Stance.REFUTES)),
            Claim.verdict.in_(FINAL),
            Claim.merged_into_id.is_(None),
        )
        .distinct()
        .order_by(Claim.id)
    )
    return list(session.scalars(query))


def _mark_claims(session: Session, excerpt: Excerpt, actor: audit.Actor) -> list[int]:
    return [
        claim_id
        for claim_id in claims_resting_on(session, excerpt.id)
        if mark_for_rereview(session, claim_id, actor)
    ]


def mark_for_rereview(session: Session, claim_id: int, actor: audit.Actor) -> bool:
    """Put the claim on the re-review queue with the reason ``REREVIEW_REASON``."""
    return mark_needs_review(session, claim_id, REREVIEW_REASON, actor)
