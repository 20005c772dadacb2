"""ClaimReview and Fact Check Tools import: verdict mapping, record shapes, per-record errors,
dedup, appearances, audit events, the round trip through an empty database, and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker import migrate
from tracker.cli.claimreview import read_documents
from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent, Claim, Evidence, Verdict
from tracker.services.audit.chain import verify
from tracker.services.audit.history import history
from tracker.services.audit.log import Actor
from tracker.services.claims.as_of import claim_as_of
from tracker.services.errors import Invalid
from tracker.services.interop import claimreview_import
from tracker.services.interop.claimreview import (
    ReviewSettings,
    all_claim_reviews,
    claim_review,
    claimreview_schema,
    verdict_for,
)
from tracker.services.interop.claimreview_import import Document, import_claim_reviews
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text, iter_input_files

SETTINGS = ReviewSettings("Desk", "https://desk.example", "https://desk.example")
VALIDATOR = Draft202012Validator(claimreview_schema())
NK = "North Korea has ratified its defence treaty with Russia"


def seed_sources(session: Session, actor: Actor) -> None:
    for path, skipped in iter_input_files([SEEDS]):
        if not skipped:
            ingest_path(session, path, actor=actor)


@pytest.fixture
def seeded(session: Session, actor: Actor) -> None:
    seed_sources(session, actor)
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    session.flush()


def review(text: str, rating: str | None = None, **extra: Any) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://other.example/checks/1",
        "author": {"@type": "Organization", "name": "Other desk"},
        "claimReviewed": text,
    }
    if rating is not None:
        node["reviewRating"] = {"@type": "Rating", "alternateName": rating}
    return node | extra


def count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("False", Verdict.FALSE),
        ("FALSCH", Verdict.FALSE),
        ("Onwaar", Verdict.FALSE),
        ("usant", Verdict.FALSE),
        ("Pants on Fire!", Verdict.FALSE),
        ("Mostly false", Verdict.MISLEADING),
        ("Größtenteils falsch", Verdict.MISLEADING),
        ("Misleading", Verdict.MISLEADING),
        ("Misleidend", Verdict.MISLEADING),
        ("Misvisende", Verdict.MISLEADING),
        ("Fehlender Kontext", Verdict.MISLEADING),
        ("Mostly true", Verdict.MOSTLY_TRUE),
        ("mostly_true", Verdict.MOSTLY_TRUE),
        ("Grotendeels waar", Verdict.MOSTLY_TRUE),
        ("Stort sett sant", Verdict.MOSTLY_TRUE),
        ("Richtig", Verdict.TRUE),
        ("Waar", Verdict.TRUE),
        ("Sant", Verdict.TRUE),
        ("True.", Verdict.TRUE),
        ("Unbelegt", Verdict.UNVERIFIABLE),
        ("Unproven", Verdict.UNVERIFIABLE),
        ("Half true", None),
        ("Mixture", None),
        ("Satire", None),
    ],
)
def test_rating_texts_map_to_verdicts(text: str, verdict: Verdict | None) -> None:
    assert verdict_for(text) == verdict


def test_a_foreign_review_creates_a_claim_with_its_appearances(
    session: Session, actor: Actor
) -> None:
    node = review(
        "The Eiffel Tower will be demolished in 2027",
        "Falsch",
        reviewBody="Die Stadt Paris plant nichts dergleichen.",
        itemReviewed={
            "@type": "Claim",
            "inLanguage": "de",
            "appearance": [
                {"@type": "CreativeWork", "url": "https://blog.example/post"},
                "https://video.example/v/1",
                {"@type": "CreativeWork", "headline": "no url: left out"},
            ],
            "firstAppearance": {
                "@type": "CreativeWork",
                "url": "https://blog.example/post",
                "datePublished": "2024-02-01",
            },
        },
    )
    report = import_claim_reviews(session, [node], actor)
    assert report.errors == [] and len(report.created) == 1
    assert [w["warning"] for w in report.warnings] == [
        "an appearance without a URL or snapshot hash was left out"
    ]
    claim = session.get(Claim, report.created[0]["claim_id"])
    assert claim is not None and claim.verdict == Verdict.FALSE and claim.language == "de"
    assert claim.rationale.startswith("Die Stadt Paris plant nichts dergleichen.")
    assert 'Imported review (Other desk, https://other.example/checks/1): rated "Falsch".' in (
        claim.rationale
    )
    whole = claim_review(session, claim.id, SETTINGS)
    assert list(VALIDATOR.iter_errors(whole)) == []  # recorded appearances fit our schema
    exported = whole["itemReviewed"]
    assert [a["url"] for a in exported["appearance"]] == [
        "https://blog.example/post",  # given twice: kept once, dated from firstAppearance
        "https://video.example/v/1",  # undated: last
    ]
    assert exported["firstAppearance"]["url"] == "https://blog.example/post"
    assert exported["datePublished"] == "2024-02-01"
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "claim_review")
            .order_by(AuditEvent.id)
        )
    )
    assert [(e.action, e.entity_id) for e in events] == [("claimreview.import", str(claim.id))]
    assert events[0].changes["review"]["after"]["rating"] == "Falsch"
    # The claim's history shows the imported review.
    assert "claimreview.import" in [e.action for e in history(session, "claim", claim.id)]


def test_an_unknown_rating_stays_unreviewed_with_its_text_and_a_warning(
    session: Session, actor: Actor
) -> None:
    report = import_claim_reviews(
        session, [review("Cats can see ultraviolet light", "Satire")], actor
    )
    claim = session.get(Claim, report.created[0]["claim_id"])
    assert claim is not None and claim.verdict == Verdict.UNREVIEWED
    assert 'rated "Satire"' in claim.rationale
    assert report.warnings == [
        {
            "document": "document 1",
            "index": 0,
            "warning": 'unknown rating "Satire": imported as unreviewed',
        }
    ]


GOOGLE = {
    "text": "Drinking hot water cures the flu",
    "claimant": "Social media posts",
    "claimDate": "2024-01-10T00:00:00Z",
    "claimReview": [
        {
            "publisher": {"name": "Faktisk", "site": "faktisk.example"},
            "url": "https://faktisk.example/a",
            "title": "Nei, varmt vann kurerer ikke influensa",
            "reviewDate": "2024-01-12T00:00:00Z",
            "textualRating": "Usant",
            "languageCode": "nb",
        },
        {
            "publisher": {"site": "correctiv.example"},
            "url": "https://correctiv.example/b",
            "textualRating": "Falsch",
            "languageCode": "de",
        },
    ],
}


def test_fact_check_tools_records_and_search_responses(session: Session, actor: Actor) -> None:
    disagreeing = json.loads(json.dumps(GOOGLE))
    disagreeing["text"] = "Vitamin C prevents every cold"
    disagreeing["claimReview"][1]["textualRating"] = "Mostly true"
    report = import_claim_reviews(session, [GOOGLE, {"claims": [disagreeing]}], actor)
    assert report.errors == [] and len(report.created) == 2
    agreed = session.get(Claim, report.created[0]["claim_id"])
    assert agreed is not None and agreed.verdict == Verdict.FALSE and agreed.language == "nb"
    assert agreed.rationale.splitlines() == [
        'Faktisk: rated "Usant" (Nei, varmt vann kurerer ikke influensa) '
        "https://faktisk.example/a, 2024-01-12T00:00:00Z",
        'correctiv.example: rated "Falsch" https://correctiv.example/b',
    ]
    split = session.get(Claim, report.created[1]["claim_id"])
    assert split is not None and split.verdict == Verdict.UNREVIEWED
    assert report.warnings == [
        {
            "document": "document 2",
            "index": 0,
            "warning": "the reviews disagree: imported as unreviewed",
        }
    ]
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "claimreview.import", AuditEvent.entity_id == str(agreed.id)
        )
    )
    assert event is not None
    assert event.changes["review"]["after"]["claimant"] == "Social media posts"


def test_graph_documents_skip_other_nodes(session: Session, actor: Actor) -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#desk", "name": "Other desk"},
            review("The moon landing was filmed in a studio", "False"),
            review("Bananas are berries", "True") | {"@type": ["schema:ClaimReview"]},
        ],
    }
    report = import_claim_reviews(session, [Document("graph.jsonld", graph)], actor)
    assert [(e["index"], e["verdict"]) for e in report.created] == [(1, "false"), (2, "true")]
    assert report.skipped == [{"document": "graph.jsonld", "index": 0, "type": ["Organization"]}]


def test_bad_records_are_reported_and_the_good_ones_stay(
    session: Session, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims, events = count(session, Claim), count(session, AuditEvent)
    records = [
        review("Coffee stunts your growth", "False"),
        42,
        {"@type": "ClaimReview"},
        review("x" * 2001, "False"),
        review("Glass is a slow-flowing liquid", "False"),
        {"@type": "Person", "name": "not a review"},
        review("Lightning never strikes twice", "False"),
    ]
    real_attach = claimreview_import._attach

    def failing_attach(session: Session, claim: Claim, *args: Any) -> Any:
        if claim.text.startswith("Glass"):  # after the claim was written: must roll back
            raise Invalid("simulated failure after the claim was created")
        return real_attach(session, claim, *args)

    monkeypatch.setattr(claimreview_import, "_attach", failing_attach)
    report = import_claim_reviews(session, [records, Document("broken.json", error="bad")], actor)
    assert [e["index"] for e in report.created] == [0, 6]
    assert [(e["index"], e["reason"]) for e in report.errors] == [
        (1, "not a ClaimReview or a Fact Check Tools claim record"),
        (2, "the record has no claim text"),
        (3, "the claim text is longer than 2000 characters"),
        (4, "simulated failure after the claim was created"),
        (5, "not a ClaimReview or a Fact Check Tools claim record"),
        (None, "bad"),
    ]
    assert count(session, Claim) == claims + 2
    assert session.scalar(select(Claim).where(Claim.text.startswith("Glass"))) is None
    # two claims: claim.create and claimreview.import each
    assert count(session, AuditEvent) == events + 4
    assert verify(session).ok


def test_an_auto_match_links_to_the_existing_claim(
    session: Session, seeded: None, actor: Actor
) -> None:
    nk = session.scalar(select(Claim).where(Claim.text == NK))
    assert nk is not None and nk.verdict == Verdict.TRUE
    claims = count(session, Claim)
    node = review(
        NK + ".",
        "False",
        itemReviewed={"@type": "Claim", "appearance": ["https://news.example/nk"]},
    )
    report = import_claim_reviews(session, [node], actor)
    assert [(e["claim_id"], e["score"]) for e in report.linked] == [(nk.id, 100.0)]
    assert count(session, Claim) == claims  # no duplicate
    assert session.get(Claim, nk.id).verdict == Verdict.TRUE  # type: ignore[union-attr]
    assert (
        report.warnings[0]["warning"]
        == f"claim {nk.id} keeps its verdict true; the review says false"
    )
    urls = [
        a.get("url") for a in claim_review(session, nk.id, SETTINGS)["itemReviewed"]["appearance"]
    ]
    assert "https://news.example/nk" in urls
    events = count(session, AuditEvent)
    again = import_claim_reviews(session, [node], actor)
    assert [e["claim_id"] for e in again.unchanged] == [nk.id] and again.linked == []
    assert count(session, AuditEvent) == events  # nothing new, nothing written


def test_another_desks_review_of_a_known_claim_is_recorded_once(
    session: Session, seeded: None, actor: Actor
) -> None:
    nk = session.scalar(select(Claim.id).where(Claim.text == NK))
    reviews = [r | {"languageCode": "en"} for r in GOOGLE["claimReview"]]  # type: ignore[operator]
    record = GOOGLE | {"text": NK.upper(), "claimReview": reviews}
    first = import_claim_reviews(session, [record], actor)
    assert [e["claim_id"] for e in first.linked] == [nk]
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "claimreview.link", AuditEvent.entity_id == str(nk)
        )
    )
    assert event is not None and event.entity_type == "claim_review"
    assert [r["rating"] for r in event.changes["review"]["after"]["reviews"]] == [
        "Usant",
        "Falsch",
    ]
    second = import_claim_reviews(session, [record], actor)
    assert [e["claim_id"] for e in second.unchanged] == [nk] and second.linked == []


def test_a_suggest_match_creates_the_claim_and_names_the_candidate(
    session: Session, seeded: None, actor: Actor
) -> None:
    nk = session.scalar(select(Claim.id).where(Claim.text == NK))
    report = import_claim_reviews(
        session, [review("DPRK ratified the defence treaty", "True")], actor
    )
    (entry,) = report.suggested
    assert entry["candidate"]["claim_id"] == nk and 60 <= entry["candidate"]["score"] < 92
    event = session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "claimreview.import",
            AuditEvent.entity_id == str(entry["claim_id"]),
        )
    )
    assert event is not None
    assert event.changes["duplicate_candidate"]["after"]["claim_id"] == nk


def test_appearances_become_evidence_when_the_snapshot_is_here(
    session: Session, actor: Actor
) -> None:
    text = "Bergen, 3 February 2024\n\nThe city council voted to close the Old Bridge to cars."
    meta = SourceMeta(publisher="Avis", url="https://avis.example/bridge", language="en")
    source, _ = ingest_text(session, text, actor=actor, origin="bridge", meta=meta.checked())
    quote = {"type": "TextQuoteSelector", "exact": "voted to close the Old Bridge"}

    def note(stance: str, exact: dict[str, Any]) -> dict[str, Any]:
        return {"type": "Annotation", "tracker:stance": stance, "target": {"selector": [exact]}}

    node = review(
        "The Old Bridge is closed to cars",
        "True",
        itemReviewed={
            "@type": "Claim",
            "appearance": [
                {  # found by URL; one quote anchors, one is not in the text
                    "url": "https://avis.example/bridge",
                    "tracker:annotation": [
                        note("supports", quote),
                        note("refutes", quote | {"exact": "words that are nowhere"}),
                        note("sideways", quote),
                    ],
                }
            ],
        },
    )
    report = import_claim_reviews(session, [node], actor)
    claim = session.get(Claim, report.created[0]["claim_id"])
    assert claim is not None
    (link,) = claim.evidence
    assert link.stance.value == "supports" and link.excerpt.source_id == source.id
    assert link.excerpt.exact == "voted to close the Old Bridge"
    assert sorted(w["warning"] for w in report.warnings) == [
        f"a quote was not found again in source {source.id}",
        "an annotation with the stance 'sideways' was left out",
    ]
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(4))
    assert sorted(actions) == [
        "claim.create",
        "claimreview.import",
        "evidence.link",
        "excerpt.create",
    ]
    # the claim_review events do not stop the claim's history from being rebuilt
    assert claim_as_of(session, claim.id, datetime.now(UTC))["verdict"] == "true"


# --- the round trip --------------------------------------------------------------------------


@pytest.fixture
def second_database(fresh_url: str) -> Iterator[Session]:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as other:
        yield other
    engine.dispose()


def comparable(item: dict[str, Any]) -> dict[str, Any]:
    """A review without what must differ between databases: ids, update time, snapshot URLs."""
    copy: dict[str, Any] = json.loads(json.dumps(item))
    for key in ("url", "datePublished"):
        copy.pop(key)
    copy["itemReviewed"].pop("@id")
    item = copy["itemReviewed"]
    found = item.get("appearance", []) + (
        [item["firstAppearance"]] if "firstAppearance" in item else []
    )
    for appearance in found:
        for annotation in appearance.get("tracker:annotation", []):
            annotation["target"].pop("source", None)
    return copy


@pytest.mark.parametrize("with_sources", [False, True], ids=["empty", "sources"])
def test_round_trip_into_another_database(
    session: Session, seeded: None, second_database: Session, actor: Actor, with_sources: bool
) -> None:
    exported = list(all_claim_reviews(session, SETTINGS, include_unreviewed=True))
    target = second_database
    if with_sources:  # the snapshots are here: appearances become evidence again
        seed_sources(target, actor)
    report = import_claim_reviews(target, [json.loads(json.dumps(exported))], actor)
    target.commit()
    assert report.errors == [] and report.warnings == []
    # Every record makes a claim; the hybrid may name a suggest-level candidate for some
    # (a related seed claim, with a guard warning), which never links it.
    assert len(report.created) + len(report.suggested) == 14 and report.linked == []
    assert all(e["candidate"]["warnings"] for e in report.suggested)
    again = list(all_claim_reviews(target, SETTINGS, include_unreviewed=True))
    assert [comparable(r) for r in again] == [comparable(r) for r in exported]
    evidence = count(target, Evidence)
    assert evidence == (count(session, Evidence) if with_sources else 0)
    originals = {c.text: c for c in session.scalars(select(Claim))}
    for copy in target.scalars(select(Claim)):
        original = originals[copy.text]
        assert (copy.verdict, copy.confidence, copy.rationale, copy.language) == (
            original.verdict,
            original.confidence,
            original.rationale,
            original.language,
        )
    repeat = import_claim_reviews(target, [exported], actor)  # finds every claim: no change
    target.commit()
    assert len(repeat.unchanged) == 14 and count(target, Claim) == 14


# --- reading files and the CLI ---------------------------------------------------------------


def test_read_documents_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(review("A", "True")), encoding="utf-8")
    (tmp_path / "b.jsonld").write_text(json.dumps([review("B", "False")]), encoding="utf-8")
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / ".hidden.json").write_text("[]", encoding="utf-8")
    found = read_documents(tmp_path)
    assert [d.name for d in found] == ["a.json", "b.jsonld", "c.json"]
    assert found[2].error is not None and found[2].error.startswith("cannot read it as JSON")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(click.ClickException, match=r"holds no \.json or \.jsonld files"):
        read_documents(empty)


def test_cli_imports_an_export_and_reports_bad_files(
    session: Session,
    seeded: None,
    run_cli: Callable[..., Any],
    tmp_path: Path,
) -> None:
    session.commit()
    nk = session.scalar(select(Claim.id).where(Claim.text == NK))
    folder = tmp_path / "in"
    folder.mkdir()
    exported = run_cli("export", "claimreview", "--claim", str(nk), "-o", str(folder / "nk.json"))
    assert exported.exit_code == 0
    (folder / "new.jsonld").write_text(
        json.dumps({"@graph": [review("Owls can turn their heads all the way round", "Falsch")]}),
        encoding="utf-8",
    )
    (folder / "bad.json").write_text("[1, 2", encoding="utf-8")
    result = run_cli("import", "claimreview", str(folder), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["counts"] | {"warnings": 0} == {
        "created": 1, "linked": 0, "unchanged": 1, "suggested": 0, "skipped": 0, "warnings": 0,
        "errors": 1,
    }  # fmt: skip
    assert data["errors"][0]["document"] == "bad.json" and data["errors"][0]["index"] is None
    assert data["unchanged"][0]["claim_id"] == nk
    text = run_cli("import", "claimreview", str(folder / "new.jsonld"))
    assert text.exit_code == 0
    assert "linked 1 to existing claims" not in text.stdout and "0 records refused" in text.stdout
    assert "1 unchanged" in text.stdout  # the owl claim is already there now
    missing = run_cli("import", "claimreview", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    (tmp_path / "empty").mkdir()
    empty = run_cli("import", "claimreview", str(tmp_path / "empty"))
    assert empty.exit_code == 1 and "holds no .json or .jsonld files" in empty.output
