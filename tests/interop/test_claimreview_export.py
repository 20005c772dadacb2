"""schema.org ClaimReview export: shape (JSON Schema), verdict ratings, appearances,
AI digitalSourceType, configuration, merged claims and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker import config
from tracker.models import Claim, Verdict
from tracker.services.audit.log import Actor
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.errors import NotFound
from tracker.services.interop import claimreview
from tracker.services.interop.claimreview import (
    ReviewSettings,
    all_claim_reviews,
    claim_review,
    claimreview_schema,
)
from tracker.services.ops.demo import load_claims_file
from tracker.services.sources.digital_source import COMPOSITE, TRAINED
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_path, ingest_text, iter_input_files

SETTINGS = ReviewSettings(
    org_name="Desk", org_url="https://desk.example", public_url="https://desk.example/t"
)
VALIDATOR = Draft202012Validator(claimreview_schema())
MOSCOW = "The terrorist attack in Moscow on 22 March killed 139 people"
PAKISTAN_SHIFT = "The Russia–Pakistan naval exercise marks a major shift in relations between them"


def errors(review: dict[str, Any]) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in VALIDATOR.iter_errors(review)]


@pytest.fixture
def seeded(session: Session, actor: Actor) -> None:
    for path, skipped in iter_input_files([SEEDS]):
        if not skipped:
            ingest_path(session, path, actor=actor)
    load_claims_file(session, SEEDS / "claims.json", actor=actor)
    session.flush()


def claim_id(session: Session, text: str) -> int:
    found = session.scalar(select(Claim.id).where(Claim.text.startswith(text[:40])))
    assert found is not None, text
    return found


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = claimreview_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_every_seed_claim_exports_valid_json_ld(session: Session, seeded: None) -> None:
    reviews = list(all_claim_reviews(session, SETTINGS, include_unreviewed=True))
    assert len(reviews) == 14
    for review in reviews:
        assert errors(review) == [], review["claimReviewed"]
        assert review["@context"][0] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["author"] == {
            "@type": "Organization",
            "name": "Desk",
            "url": "https://desk.example",
        }
        assert review["url"].startswith("https://desk.example/t/claims/")
        assert review["itemReviewed"]["@id"] == review["url"] + "#claim"
        assert review["itemReviewed"]["inLanguage"] == "en"


def test_the_schema_refuses_what_we_never_write(session: Session, seeded: None) -> None:
    review = claim_review(session, claim_id(session, MOSCOW), SETTINGS)
    assert errors(review) == []
    no_rating = {k: v for k, v in review.items() if k != "reviewRating"}
    assert errors(no_rating)  # a final verdict needs its rating
    assert errors(review | {"tracker:verdict": "unreviewed"})  # and an open one has none
    assert errors(review | {"reviewRating": {"@type": "Rating", "alternateName": "Fake"}})
    appearance = review["itemReviewed"]["appearance"][0]
    bad_stance = json.loads(json.dumps(review))
    bad_stance["itemReviewed"]["appearance"][0]["tracker:annotation"][0]["tracker:stance"] = "x"
    assert errors(bad_stance)
    assert appearance["tracker:annotation"]


@pytest.mark.parametrize(
    ("verdict", "value", "name"),
    [
        (Verdict.TRUE, 5, "True"),
        (Verdict.MOSTLY_TRUE, 4, "Mostly true"),
        (Verdict.MISLEADING, 2, "Misleading"),
        (Verdict.FALSE, 1, "False"),
        (Verdict.UNVERIFIABLE, None, "Unverifiable"),
    ],
)
def test_verdict_ratings(
    session: Session, actor: Actor, verdict: Verdict, value: int | None, name: str
) -> None:
    claim = intake_claim(session, "The bridge in Bergen closed in May", actor=actor).claim
    claim.verdict = verdict
    session.flush()
    review = claim_review(session, claim.id, SETTINGS)
    assert errors(review) == []
    rating = review["reviewRating"]
    assert rating["alternateName"] == name
    assert rating.get("ratingValue") == value
    if value is None:  # not a point on the truth scale
        assert "bestRating" not in rating and "worstRating" not in rating
    else:
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    assert review["tracker:verdict"] == verdict.value


def test_open_claims_have_no_rating_and_are_left_out_of_all(session: Session, seeded: None) -> None:
    reviewed = list(all_claim_reviews(session, SETTINGS))
    everything = list(all_claim_reviews(session, SETTINGS, include_unreviewed=True))
    open_ones = [r for r in everything if r["tracker:verdict"] in ("unreviewed", "in_review")]
    assert len(open_ones) == 5 and len(reviewed) == 9
    assert all("reviewRating" not in r for r in open_ones)
    assert all("reviewRating" in r for r in reviewed)
    assert {r["url"] for r in reviewed} == {r["url"] for r in everything} - {
        r["url"] for r in open_ones
    }


def test_appearance_of_an_ai_disclosed_seed(session: Session, seeded: None) -> None:
    review = claim_review(session, claim_id(session, MOSCOW), SETTINGS)
    item = review["itemReviewed"]
    (appearance,) = item["appearance"]
    assert appearance["digitalSourceType"] == TRAINED
    assert appearance["publisher"] == {"@type": "Organization", "name": "Geopolitika"}
    assert appearance["datePublished"] == "2024-05-28"
    assert appearance["inLanguage"] == "nb"
    assert len(appearance["tracker:sha256"]) == 64
    (note,) = appearance["tracker:annotation"]
    assert note["tracker:stance"] == "supports"
    quote, position = note["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and "139 liv" in quote["exact"]
    assert position["end"] - position["start"] == len(quote["exact"])
    assert note["target"]["source"].startswith("https://desk.example/t/sources/")
    assert item["firstAppearance"] == appearance
    assert item["author"] == {"@type": "Organization", "name": "Geopolitika"}
    assert item["datePublished"] == "2024-05-28"
    assert review["tracker:confidence"] == 0.7
    assert review["reviewBody"].startswith("139 matches")


def test_refuting_sources_are_appearances_but_never_the_first(
    session: Session, seeded: None
) -> None:
    review = claim_review(session, claim_id(session, PAKISTAN_SHIFT), SETTINGS)
    item = review["itemReviewed"]
    stances = {n["tracker:stance"] for a in item["appearance"] for n in a["tracker:annotation"]}
    assert stances == {"refutes"}
    assert "firstAppearance" not in item and "author" not in item
    assert "datePublished" not in item
    assert "digitalSourceType" not in item["appearance"][0]  # not AI: no claim either way


def _dated(session: Session, actor: Actor, place: str, date: str, url: str) -> int:
    text = f"{place}, {date}\n\nThe city council voted to close the Old Bridge to cars."
    meta = SourceMeta(publisher="Avis", url=url, language="en").checked()
    source, _ = ingest_text(session, text, actor=actor, origin=url, meta=meta)
    assert source.published_at is not None
    return source.id


def test_first_appearance_is_the_earliest_dated_supporting_source(
    session: Session, actor: Actor
) -> None:
    early = _dated(session, actor, "Bergen", "3 February 2024", "https://avis.example/early")
    middle = _dated(session, actor, "Oslo", "12 March 2024", "https://avis.example/middle")
    late = _dated(session, actor, "Trondheim", "9 May 2024", "https://avis.example/late")
    quote = "The city council voted to close the Old Bridge to cars."
    text = "The council closed the Old Bridge to cars"
    claim = intake_claim(
        session, text, actor=actor, source_id=late, quote=quote, stance="supports"
    ).claim
    for source_id, stance in ((early, "refutes"), (middle, "supports")):
        intake_claim(
            session, text, actor=actor, source_id=source_id, quote=quote, stance=stance,
            link_to=claim.id,
        )  # fmt: skip
    set_ai_status(
        session, middle, "ai_reviewer", reason="Written by a chatbot, edited by staff", actor=actor
    )
    review = claim_review(session, claim.id, SETTINGS)
    assert errors(review) == []
    item = review["itemReviewed"]
    assert [a["url"] for a in item["appearance"]] == [
        "https://avis.example/early",
        "https://avis.example/middle",
        "https://avis.example/late",
    ]
    assert item["firstAppearance"]["url"] == "https://avis.example/middle"
    assert item["datePublished"] == "2024-03-12"
    assert item["author"] == {
        "@type": "Organization",
        "name": "Avis",
        "url": "https://avis.example",
    }
    kinds = [a.get("digitalSourceType") for a in item["appearance"]]
    assert kinds == [None, COMPOSITE, None]


def test_a_merged_claim_exports_as_its_target_and_all_skips_it(
    session: Session, seeded: None, actor: Actor
) -> None:
    moscow, shift = claim_id(session, MOSCOW), claim_id(session, PAKISTAN_SHIFT)
    merge_claims(session, shift, moscow, reason="test", actor=actor)
    review = claim_review(session, shift, SETTINGS)
    assert review["url"] == f"https://desk.example/t/claims/{moscow}"
    assert len(review["itemReviewed"]["appearance"]) == 2  # the evidence moved with the merge
    urls = [r["url"] for r in all_claim_reviews(session, SETTINGS, include_unreviewed=True)]
    assert f"https://desk.example/t/claims/{shift}" not in urls and len(urls) == 13
    with pytest.raises(NotFound):
        claim_review(session, 10**9, SETTINGS)


def test_all_reads_in_chunks_with_a_bounded_number_of_queries(
    session: Session,
    seeded: None,
    monkeypatch: pytest.MonkeyPatch,
    count_queries: Callable[[], Any],
) -> None:
    whole = list(all_claim_reviews(session, SETTINGS, include_unreviewed=True))
    session.expire_all()
    counter = count_queries()
    again = list(all_claim_reviews(session, SETTINGS, include_unreviewed=True))
    assert again == whole
    assert counter.count <= 10  # not one query per claim
    monkeypatch.setattr(claimreview, "CHUNK", 3)
    assert list(all_claim_reviews(session, SETTINGS, include_unreviewed=True)) == whole


def test_review_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TRACKER_ORG_NAME", "TRACKER_ORG_URL", "TRACKER_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    assert config.review_settings() == ReviewSettings(
        "Fact-checking desk", "http://localhost:5000", "http://localhost:5000"
    )
    monkeypatch.setenv("TRACKER_ORG_NAME", " Faktisk ")
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://desk.example/tracker/")
    monkeypatch.setenv("TRACKER_ORG_URL", "https://faktisk.example")
    assert config.review_settings() == ReviewSettings(
        "Faktisk", "https://faktisk.example", "https://desk.example/tracker"
    )
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "desk.example")
    with pytest.raises(ValueError, match="TRACKER_PUBLIC_URL must be an http"):
        config.review_settings()


# --- CLI ------------------------------------------------------------------------------------


def test_cli_exports_one_claim_or_all_of_them(
    session: Session,
    seeded: None,
    run_cli: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://desk.example/t")
    monkeypatch.setenv("TRACKER_ORG_NAME", "Desk")
    monkeypatch.setenv("TRACKER_ORG_URL", "https://desk.example")
    session.commit()
    moscow = claim_id(session, MOSCOW)
    one = run_cli("export", "claimreview", "--claim", str(moscow))
    assert one.exit_code == 0, one.output
    assert json.loads(one.stdout) == claim_review(session, moscow, SETTINGS)
    target = tmp_path / "all.json"
    written = run_cli("export", "claimreview", "--all", "-o", str(target))
    assert written.exit_code == 0 and written.stdout == ""
    listed = json.loads(target.read_text(encoding="utf-8"))
    assert listed == list(all_claim_reviews(session, SETTINGS))
    everything = run_cli("export", "claimreview", "--all", "--include-unreviewed")
    assert len(json.loads(everything.stdout)) == 14
    assert [p.name for p in tmp_path.iterdir()] == ["all.json"]  # no temporary file left


def test_cli_refuses_bad_requests_without_writing(
    session: Session, seeded: None, run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    missing = run_cli("export", "claimreview", "--claim", "999999", "-o", str(target))
    assert missing.exit_code == 1 and "claim 999999 does not exist" in missing.output
    assert not target.exists() and list(tmp_path.iterdir()) == []
    both = run_cli("export", "claimreview", "--claim", "1", "--all")
    assert both.exit_code == 2 and "give --claim ID or --all" in both.output
    neither = run_cli("export", "claimreview")
    assert neither.exit_code == 2
    lonely = run_cli("export", "claimreview", "--claim", "1", "--include-unreviewed")
    assert lonely.exit_code == 2 and "goes with --all" in lonely.output
    nowhere = run_cli("export", "claimreview", "--all", "-o", str(tmp_path / "no" / "x.json"))
    assert nowhere.exit_code == 1 and "cannot write" in nowhere.output


def test_cli_writes_an_empty_list_for_an_empty_database(run_cli: Callable[..., Any]) -> None:
    result = run_cli("export", "claimreview", "--all")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
