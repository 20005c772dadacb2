"""The dashboard: verdict counts, the review queue, recent activity, pending duplicates and
AI-flagged sources, in a bounded number of queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.models import AiGenerated, AuditEvent, Claim, Source, Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.dashboard import dashboard, verdict_counts
from tracker.services.claims.merge import merge_claims
from tracker.services.claims.records import create_claim
from tracker.services.dedup.scan import scan

NK = "North Korea has ratified its defence treaty with Russia"
DPRK = "DPRK ratified the defense treaty with Russia"
BASE = datetime(2024, 1, 1, tzinfo=UTC)

COUNT = re.compile(r'<span class="count">([\d,]+)</span>\s*<span class="verdict verdict-(\w+)">')


def _claim(session: Session, actor: Actor, text: str, verdict: Verdict, days: int = 0) -> Claim:
    claim = create_claim(session, text=text, actor=actor, verdict=verdict)
    claim.created_at = BASE + timedelta(days=days)
    session.flush()
    return claim


def _source(session: Session, n: int, ai: AiGenerated, days: int) -> Source:
    source = Source(
        sha256=f"{n:064x}",
        text=f"Source text number {n}.",
        title=f"Flagged source {n:02d}",
        origin=f"test://{n}",
        created_by="cli:tester",
        ai_generated=ai,
        created_at=BASE + timedelta(days=days),
    )
    session.add(source)
    session.flush()
    return source


def _counts(page: str) -> dict[str, int]:
    return {verdict: int(count.replace(",", "")) for count, verdict in COUNT.findall(page)}


def test_counts_every_verdict_and_leaves_out_merged_claims(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    _claim(session, actor, "Claim one is true", Verdict.TRUE)
    _claim(session, actor, "Claim two is true", Verdict.TRUE)
    keep = _claim(session, actor, "Claim three is false", Verdict.FALSE)
    gone = _claim(session, actor, "Claim four is false", Verdict.FALSE)
    merge_claims(session, gone.id, keep.id, reason="same claim", actor=actor)
    session.commit()
    counts = verdict_counts(session)
    assert list(counts) == list(Verdict)
    assert counts[Verdict.TRUE] == 2 and counts[Verdict.FALSE] == 1
    assert counts[Verdict.MISLEADING] == 0

    page = signed_in("viewer").get("/").get_data(as_text=True)
    shown = _counts(page)
    assert set(shown) == {v.value for v in Verdict}  # zero counts are listed too
    assert shown["true"] == 2 and shown["false"] == 1 and shown["unverifiable"] == 0
    assert "3 claims in all" in page


def test_review_queue_is_oldest_first_and_only_open_claims(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    newest = _claim(session, actor, "Newest open claim", Verdict.UNREVIEWED, days=5)
    oldest = _claim(session, actor, "Oldest open claim", Verdict.IN_REVIEW, days=1)
    middle = _claim(session, actor, "Middle open claim", Verdict.UNREVIEWED, days=3)
    _claim(session, actor, "Settled claim", Verdict.TRUE, days=0)
    merged = _claim(session, actor, "Merged open claim", Verdict.UNREVIEWED, days=0)
    merge_claims(session, merged.id, middle.id, reason="duplicate", actor=actor)
    for n in range(25):  # more than the queue shows
        _claim(session, actor, f"Later open claim number {n}", Verdict.UNREVIEWED, days=10 + n)
    session.commit()

    assert [c.id for c in dashboard(session).queue[:3]] == [oldest.id, middle.id, newest.id]
    page = signed_in("viewer").get("/").get_data(as_text=True)
    queue = page[page.index("Review queue") : page.index("Pending duplicates")]
    positions = [queue.index(f"/claims/{c.id}") for c in (oldest, middle, newest)]
    assert positions == sorted(positions)
    assert "Settled claim" not in queue and "Merged open claim" not in queue
    assert "Later open claim number 16" in queue and "Later open claim number 17" not in queue
    assert "28 claims unreviewed or in review" in queue


def test_recent_activity_reads_as_sentences_newest_first(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    claim = _claim(session, actor, "A claim with history", Verdict.UNREVIEWED)
    for n in range(24):
        session.add(
            AuditEvent(
                occurred_at=BASE + timedelta(minutes=n),
                actor=f"user:actor{n:02d}",
                action="test.event",
                entity_type="claim",
                entity_id=str(claim.id),
                changes={},
            )
        )
    session.commit()
    page = signed_in("viewer").get("/").get_data(as_text=True)
    activity = page[page.index("Recent activity") : page.index("AI-flagged sources")]
    # The viewer's sign-in, its account and the claim are newer than the dated events; 10 lines.
    assert "viewer-user signed in" in activity
    assert f'created <a href="/claims/{claim.id}">claim #{claim.id}</a>' in activity
    assert "actor23 recorded “test event” on" in activity  # an action without a template
    assert "actor17" in activity and "actor16" not in activity
    assert activity.index("actor23") < activity.index("actor17")  # newest first
    assert "user.login" not in activity and "claim.create" not in activity  # no codes
    assert ">2024-01-01" not in activity and ">1 Jan 2024, 00:23 UTC<" in activity


def test_recent_activity_groups_one_request_into_one_line(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    one_request = Actor(name="user:desk", request_id="req-1")
    claim = create_claim(session, text=NK, actor=one_request, verdict=Verdict.TRUE, confidence=0.8)
    for n in range(3):
        create_claim(session, text=f"{DPRK} number {n}", actor=one_request)
    session.commit()
    page = signed_in("viewer").get("/").get_data(as_text=True)
    activity = page[page.index("Recent activity") : page.index("AI-flagged sources")]
    lines = re.findall(r"<li>.*?</li>", activity, re.DOTALL)
    desk = [line for line in lines if "desk" in line]
    assert len(desk) == 1, desk
    assert f"claim #{claim.id}</a> with the verdict True" in desk[0]
    assert "also created 3 claims" in desk[0]


def test_ai_flagged_sources_newest_ten(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    for n in range(12):
        _source(session, n, AiGenerated.YES, days=n)
    _source(session, 99, AiGenerated.NO, days=50)
    _source(session, 98, AiGenerated.UNKNOWN, days=51)
    session.commit()
    page = signed_in("viewer").get("/").get_data(as_text=True)
    flagged = page[page.index("AI-flagged sources") :]
    assert "12 sources marked AI-generated; the newest 10" in flagged
    assert "Flagged source 11" in flagged and "Flagged source 02" in flagged
    assert "Flagged source 01" not in flagged and "Flagged source 99" not in flagged
    assert "Flagged source 98" not in flagged
    assert flagged.index("Flagged source 11") < flagged.index("Flagged source 02")


def test_pending_duplicates_link_to_the_duplicates_page(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    a = _claim(session, actor, NK, Verdict.UNREVIEWED)
    b = _claim(session, actor, DPRK, Verdict.UNREVIEWED)
    _claim(session, actor, "Iran supplies Shahed drones to the Russian military", Verdict.TRUE)
    session.commit()
    page = signed_in("viewer").get("/").get_data(as_text=True)
    pending = page[page.index("Pending duplicates") : page.index("Recent activity")]
    assert "1 candidate group" in pending
    assert f'href="/duplicates#group-{a.id}-{b.id}"' in pending
    assert "pairs among the newest 100 claims" in pending


def test_the_bounded_scan_lists_pairs_of_recent_claims_against_all(
    session: Session, actor: Actor
) -> None:
    old = _claim(session, actor, NK, Verdict.UNREVIEWED)
    for n in range(5):
        _claim(session, actor, f"Unrelated filler claim about harvest {n}", Verdict.TRUE)
    new = _claim(session, actor, DPRK, Verdict.UNREVIEWED)
    session.commit()
    pairs = [
        (p["claim_id"], p["other_id"]) for g in scan(session, recent=1).groups for p in g["pairs"]
    ]
    assert pairs == [(old.id, new.id)]  # the newest claim, compared with an old one
    assert scan(session, recent=1).claims == 1
    # Old pairs fall outside a window that holds none of their claims.
    _claim(session, actor, "Another unrelated claim about weather", Verdict.TRUE)
    session.commit()
    assert scan(session, recent=1).groups == []
    full = {(p["claim_id"], p["other_id"]) for g in scan(session).groups for p in g["pairs"]}
    assert (old.id, new.id) in full


def test_the_dashboard_runs_a_bounded_number_of_queries(
    session: Session,
    actor: Actor,
    signed_in: Callable[[str], FlaskClient],
    count_queries: Callable[[], object],
) -> None:
    def seed(start: int, n: int) -> None:
        for i in range(start, start + n):
            _claim(session, actor, f"Claim {i} about grain exports {i}", Verdict.UNREVIEWED, i)
            _source(session, i, AiGenerated.YES, days=i)
        _claim(session, actor, NK + f" again {start}", Verdict.FALSE)
        _claim(session, actor, DPRK + f" again {start}", Verdict.TRUE)
        session.commit()

    client = signed_in("viewer")
    seed(0, 2)
    counter = count_queries()
    assert client.get("/").status_code == 200
    small = counter.count  # type: ignore[attr-defined]
    seed(100, 30)
    counter.count = 0  # type: ignore[attr-defined]
    page = client.get("/").get_data(as_text=True)
    assert counter.count == small  # type: ignore[attr-defined]
    # The equality above is what must not change with the data; this is the fixed cost. The
    # recent-duplicates scan reads claims with their vectors; with the semantic tier on, the
    # vector index also checks for new vectors (2 queries: 21 without the tier).
    assert small <= 23, counter.statements  # type: ignore[attr-defined]
    assert "Claim 0 about grain exports" in page
