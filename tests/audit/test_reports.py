"""The built-in audit reports: a matching and a non-matching case for each, their CLI
commands (`tracker audit report NAME`) and their web pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim, Source
from tracker.services.audit.log import Actor
from tracker.services.audit.reports import REPORTS, ReportFilter
from tracker.services.claims.edit import update_claim
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims, unmerge_claim
from tracker.services.claims.records import create_claim
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_text

Invoke = Callable[..., Any]
EDITOR = Actor(name="user:edna")


def _run(session: Session, name: str, **where: Any) -> list[dict[str, Any]]:
    return list(REPORTS[name].run(session, ReportFilter(**where)))


def _edit(session: Session, claim: Claim, reason: str = "checked", **fields: Any) -> None:
    session.refresh(claim)
    update_claim(
        session, claim.id, expected_version=claim.version, actor=EDITOR, reason=reason, **fields
    )


def _source(session: Session, actor: Actor, n: int, publisher: str | None = None) -> Source:
    text = f"Melding {n}: kommunen vedtok budsjettet for år {2000 + n} etter en lang debatt."
    source, _ = ingest_text(
        session,
        text,
        actor=actor,
        origin=f"{n}.txt",
        meta=SourceMeta(publisher=publisher).checked(),
    )
    return source


def _claim(session: Session, actor: Actor, text: str, *sources: Source) -> Claim:
    claim_id: int | None = None
    for source in sources:
        result = intake_claim(
            session,
            text,
            actor=actor,
            source_id=source.id,
            quote="kommunen vedtok budsjettet",
            link_to=claim_id,
        )
        claim_id = result.claim.id
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return claim


def test_verdict_after_final(session: Session, actor: Actor) -> None:
    flipped = create_claim(session, text="Taxes rose in 2023", verdict="false", actor=actor)
    steady = create_claim(session, text="Rain fell in May", actor=actor)
    _edit(session, steady, verdict="in_review")
    _edit(session, steady, verdict="true")  # unreviewed -> in review -> true: never final before
    _edit(session, flipped, reason="new data", verdict="mostly_true")
    rows = _run(session, "verdict-after-final")
    assert [(r["claim_id"], r["verdict_before"], r["verdict_after"]) for r in rows] == [
        (flipped.id, "false", "mostly_true")
    ]
    assert rows[0]["actor"] == "user:edna" and rows[0]["reason"] == "new data"
    assert rows[0]["final_set_by"] == actor.name and rows[0]["final_set_at"] is not None
    assert _run(session, "verdict-after-final", actor="someone-else") == []


def test_confidence_jumps(session: Session, actor: Actor) -> None:
    jumpy = create_claim(session, text="Jumpy claim", confidence=0.2, actor=actor)
    calm = create_claim(session, text="Calm claim", confidence=0.5, actor=actor)
    _edit(session, jumpy, confidence=0.9)
    _edit(session, calm, confidence=0.65)
    _edit(session, calm, confidence=None)  # cleared: not a jump
    rows = _run(session, "confidence-jumps")
    assert [(r["claim_id"], r["points"]) for r in rows] == [(jumpy.id, 70.0)]
    assert [r["claim_id"] for r in _run(session, "confidence-jumps", points=10)] == [
        jumpy.id,
        calm.id,
    ]


def test_ai_only_and_single_publisher(session: Session, actor: Actor) -> None:
    ai1, ai2 = _source(session, actor, 1, "Fabrikken"), _source(session, actor, 2, "Fabrikken")
    for source in (ai1, ai2):
        set_ai_status(session, source.id, "ai_disclosed", reason="says so", actor=actor)
    avisa1, avisa2 = _source(session, actor, 3, "Avisa"), _source(session, actor, 4, "avisa")
    bladet, loose = _source(session, actor, 5, "Bladet"), _source(session, actor, 6)
    ai_only = _claim(session, actor, "Budget passed", ai1, ai2)
    mixed = _claim(session, actor, "Budget approved", ai1, avisa1)
    one = _claim(session, actor, "Council voted", avisa1, avisa2)
    two = _claim(session, actor, "Council agreed", avisa1, bladet)
    alone = _claim(session, actor, "Council met", loose)
    unreviewed_one = _claim(session, actor, "Council adjourned", bladet)
    for claim in (one, two, alone, ai_only):
        session.execute(update(Claim).where(Claim.id == claim.id).values(verdict="true"))
    session.expire_all()

    assert [r["claim_id"] for r in _run(session, "ai-only")] == [ai_only.id]
    assert mixed.id not in [r["claim_id"] for r in _run(session, "ai-only")]
    rows = {r["claim_id"]: r for r in _run(session, "single-publisher")}
    # ai_only rests on one publisher too (Fabrikken); two publishers, or no final verdict: no.
    assert set(rows) == {one.id, alone.id, ai_only.id}
    assert rows[one.id]["publisher"] == "Avisa" and rows[one.id]["supporting_sources"] == 2
    assert rows[alone.id]["publisher"].startswith(f"source {loose.id}")
    assert two.id not in rows and unreviewed_one.id not in rows
    assert _run(session, "ai-only", actor="nobody") == []


def test_merges_and_activity(session: Session, actor: Actor) -> None:
    a = create_claim(session, text="Merged away", actor=actor)
    b = create_claim(session, text="The survivor", actor=actor)
    c = create_claim(session, text="Left alone", actor=actor)
    merge_claims(session, a.id, b.id, reason="same claim", actor=EDITOR)
    unmerge_claim(session, a.id, actor=EDITOR, reason="not the same")
    rows = _run(session, "merges")
    assert [(r["action"], r["claim_id"], r["into_id"]) for r in rows] == [
        ("claim.unmerge", str(a.id), b.id),
        ("claim.merge", str(a.id), b.id),
    ]
    assert str(c.id) not in {r["claim_id"] for r in rows}
    assert _run(session, "merges", actor="user:other") == []

    today = datetime.now(UTC).date()
    activity = {(r["day"], r["actor"]): r["events"] for r in _run(session, "activity")}
    # edna: the merge (and its dedup decision) and the unmerge; the tester: three claims.
    assert activity[today, "user:edna"] == 3 and activity[today, actor.name] == 3
    yesterday = datetime.now(UTC) - timedelta(days=1)
    assert _run(session, "activity", until=yesterday) == []


def test_sources_reflagged(session: Session, actor: Actor) -> None:
    linked = _source(session, actor, 1, "Avisa")
    unlinked = _source(session, actor, 2, "Bladet")
    _claim(session, actor, "Budget passed", linked)
    set_ai_status(session, linked.id, "ai_reviewer", reason="leftover prompt", actor=EDITOR)
    set_ai_status(session, unlinked.id, "ai_disclosed", reason="disclosed", actor=EDITOR)
    set_ai_status(session, unlinked.id, "ai_disclosed", reason="same status", actor=EDITOR)
    rows = _run(session, "sources-reflagged")
    found = {r["source_id"]: r for r in rows}
    assert len(rows) == 2  # the reason-only change is not a status change
    assert found[linked.id]["claims_linked_before"] == 1
    assert found[linked.id]["status_after"] == "ai_reviewer"
    assert found[unlinked.id]["claims_linked_before"] == 0
    after_link = _run(session, "sources-reflagged", after_link_only=True)
    assert [r["source_id"] for r in after_link] == [linked.id]


def test_cli_reports(run_cli: Invoke, session: Session, actor: Actor) -> None:
    claim = create_claim(session, text="Taxes rose", verdict="false", confidence=0.1, actor=actor)
    _edit(session, claim, verdict="true", confidence=0.95, reason="=SUM(A1)")
    session.commit()
    as_json = run_cli("audit", "report", "verdict-after-final", "--json")
    assert as_json.exit_code == 0, as_json.output
    assert [r["claim_id"] for r in json.loads(as_json.stdout)] == [claim.id]
    as_csv = run_cli("audit", "report", "confidence-jumps", "--points", "80", "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert [(r["claim_id"], r["points"], r["reason"]) for r in rows] == [
        (str(claim.id), "85.0", "'=SUM(A1)")
    ]
    none = run_cli("audit", "report", "confidence-jumps", "--points", "90", "--json").stdout
    assert json.loads(none) == []
    text = run_cli("audit", "report", "activity", "--since", "today").stdout
    assert text.splitlines()[0] == "day\tactor\tevents" and "user:edna" in text
    past = run_cli("audit", "report", "activity", "--until", "2001-01-01").stdout
    assert past.splitlines() == ["day\tactor\tevents"]
    bad = run_cli("audit", "report", "merges", "--since", "later")
    assert bad.exit_code == 1 and "cannot read 'later'" in bad.output


def test_web_report_pages(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("viewer")
    claim = create_claim(session, text="<b>Bold</b> claim", verdict="false", actor=actor)
    _edit(session, claim, verdict="misleading")
    session.commit()
    listing = client.get("/audit/reports").get_data(as_text=True)
    for name in REPORTS:
        assert f'href="/audit/reports/{name}"' in listing
    page = client.get("/audit/reports/verdict-after-final")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and f'href="/claims/{claim.id}"' in body
    assert "misleading" in body and "1 row." in body
    empty = client.get("/audit/reports/verdict-after-final?actor=nobody").get_data(as_text=True)
    assert "Nothing matches." in empty
    ai_page = client.get("/audit/reports/confidence-jumps?points=5").get_data(as_text=True)
    assert 'name="points"' in ai_page and 'name="after_link_only"' not in ai_page
    bad = client.get("/audit/reports/merges?since=later")
    assert bad.status_code == 422 and "cannot read" in bad.get_data(as_text=True)
    assert client.get("/audit/reports/no-such-report").status_code == 404
    download = client.get("/audit/reports/verdict-after-final/export.csv")
    assert download.status_code == 200 and download.is_streamed
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [r["verdict_after"] for r in rows] == ["misleading"]
    as_json = client.get("/audit/reports/activity/export.json").get_data(as_text=True)
    assert {r["actor"] for r in json.loads(as_json)} >= {"user:edna", actor.name}


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_has_a_description_and_runs_on_an_empty_log(
    session: Session, name: str
) -> None:
    report = REPORTS[name]
    assert report.description and report.columns and report.title
    assert _run(session, name) == []
    assert session.query(AuditEvent).count() == 0
