"""services/prov_export (a claim's lineage as PROV-JSON), `tracker export prov` and the
claim page's /claims/<id>/prov.json download."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from prov.model import ProvDocument
from sqlalchemy.orm import Session

from tests.helpers import sign_in
from tracker.models import Claim, Source
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import update_claim
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.merge import merge_claims
from tracker.services.errors import Invalid, NotFound
from tracker.services.interop.bulk_import import import_claims
from tracker.services.interop.prov import claim_lineage, prov_dict, prov_json
from tracker.services.sources.ingest import SourceMeta, ingest_text

EDITOR = Actor(name="user:ed")
REVIEWER = Actor(name="user:rita")
TEXT = (
    "Oslo, 3 May 2024. The ministry said the new bridge will cost 45 million kroner. "
    "Officials denied that the tunnel project was cancelled. Work starts in June."
)
OTHER_TEXT = "Bergen, 4 May 2024. Critics said the bridge will cost 54 million kroner. More soon."


@dataclass
class Seeded:
    source: Source
    other_source: Source
    target: Claim  # keeps its evidence, gets the merged claim's, has a verdict change
    merged: Claim  # merged into target


@pytest.fixture
def seeded(session: Session, actor: Actor) -> Seeded:
    meta = SourceMeta(url="https://news.example/bridge", publisher="Example News", language="en")
    source, _ = ingest_text(session, TEXT, actor=actor, origin="bridge.txt", meta=meta)
    other, _ = ingest_text(
        session, OTHER_TEXT, actor=actor, origin="bergen.txt", meta=SourceMeta(language="en")
    )
    target = intake_claim(
        session,
        "The bridge will cost 45 million kroner",
        actor=REVIEWER,
        language="en",
        source_id=source.id,
        quote="the new bridge will cost 45 million kroner",
    ).claim
    merged = intake_claim(
        session,
        "The new bridge costs 45 million kroner",
        actor=REVIEWER,
        language="en",
        source_id=other.id,
        quote="the bridge will cost 54 million kroner",
        stance="refutes",
    ).claim
    update_claim(
        session,
        target.id,
        expected_version=target.version,
        actor=EDITOR,
        reason="ministry budget checked",
        verdict="false",
        confidence=0.8,
    )
    merge_claims(session, merged.id, target.id, reason="same claim", actor=EDITOR)
    session.commit()
    return Seeded(source, other, session.get(Claim, target.id), session.get(Claim, merged.id))  # type: ignore[arg-type]


def _records(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return list(doc.get(kind, {}).values())


def _types(doc: dict[str, Any], kind: str) -> list[str]:
    found = []
    for record in doc.get(kind, {}).values():
        value = record.get("prov:type")
        found.append(value["$"] if isinstance(value, dict) else value)
    return found


def test_lineage_parses_back_with_prov_and_round_trips(session: Session, seeded: Seeded) -> None:
    text = prov_json(session, seeded.target.id)
    parsed = ProvDocument.deserialize(content=text, format="json")
    assert parsed == claim_lineage(session, seeded.target.id)
    assert parsed.get_provn()  # every record has a PROV-N form: nothing the model refuses
    for key in ("prefix", "entity", "activity", "agent", "wasDerivedFrom", "wasGeneratedBy"):
        assert key in json.loads(text), key
    for key in ("wasAttributedTo", "used", "wasAssociatedWith", "specializationOf"):
        assert key in json.loads(text), key


def test_entities_are_the_claim_its_excerpts_and_sources(session: Session, seeded: Seeded) -> None:
    doc = prov_dict(session, seeded.target.id)
    entities = doc["entity"]
    claim = entities[f"claim:{seeded.target.id}"]
    assert claim["prov:value"] == "The bridge will cost 45 million kroner"
    assert claim["tracker:verdict"] == "false"
    snapshot = entities[f"source:{seeded.source.id}"]
    assert snapshot["tracker:sha256"] == seeded.source.sha256
    assert snapshot["prov:location"] == "https://news.example/bridge"
    assert entities[f"source:{seeded.other_source.id}"]["tracker:sha256"] == (
        seeded.other_source.sha256
    )
    quotes = sorted(e["prov:value"] for e in entities.values() if "tracker:start" in e)
    assert quotes == [
        "the bridge will cost 54 million kroner",
        "the new bridge will cost 45 million kroner",
    ]
    # The merged claim is there, and the target is derived from it.
    merged = entities[f"claim:{seeded.merged.id}"]
    assert merged["tracker:mergedInto"] == {
        "$": f"claim:{seeded.target.id}",
        "type": "xsd:QName",
    }
    pairs = {
        (d["prov:generatedEntity"], d["prov:usedEntity"]) for d in _records(doc, "wasDerivedFrom")
    }
    assert (f"claim:{seeded.target.id}", f"claim:{seeded.merged.id}") in pairs


def test_excerpts_are_quotations_of_their_sources(session: Session, seeded: Seeded) -> None:
    doc = prov_dict(session, seeded.target.id)
    quotations = [
        d
        for d in _records(doc, "wasDerivedFrom")
        if isinstance(d.get("prov:type"), dict) and d["prov:type"]["$"] == "prov:Quotation"
    ]
    used = {d["prov:usedEntity"] for d in quotations}
    assert used == {f"source:{seeded.source.id}", f"source:{seeded.other_source.id}"}
    stances = {
        d["tracker:stance"] for d in _records(doc, "wasDerivedFrom") if "tracker:stance" in d
    }
    assert stances == {"supports", "refutes"}


def test_activities_come_from_the_audit_log(session: Session, seeded: Seeded) -> None:
    doc = prov_dict(session, seeded.target.id)
    kinds = _types(doc, "activity")
    for kind in ("Ingest", "Excerpt", "Link", "Create", "Review", "Merge", "Match"):
        assert kinds.count(f"tracker:{kind}") >= 1, kind
    assert kinds.count("tracker:Ingest") == 2
    review = next(a for a in _records(doc, "activity") if a["prov:type"]["$"] == "tracker:Review")
    assert review["tracker:reason"] == "ministry budget checked"
    assert "verdict: unreviewed -> false" in review["tracker:summary"]
    assert len(review["tracker:auditHash"]) == 64
    # Who did what: users are people, the reviewer and the editor both appear.
    agents = doc["agent"]
    assert agents["user:ed"]["prov:type"]["$"] == "prov:Person"
    assert agents["user:rita"]["prov:type"]["$"] == "prov:Person"
    associations = {
        (a["prov:activity"], a["prov:agent"]) for a in _records(doc, "wasAssociatedWith")
    }
    review_id = next(k for k, a in doc["activity"].items() if a is review)
    assert (review_id, "user:ed") in associations


def test_claim_states_are_revisions_generated_by_their_events(
    session: Session, seeded: Seeded
) -> None:
    doc = prov_dict(session, seeded.target.id)
    states = {k: e for k, e in doc["entity"].items() if k.startswith("claimstate:")}
    verdicts = sorted(e.get("tracker:verdict") for e in states.values())
    assert verdicts == ["false", "unreviewed"]
    revisions = [
        d
        for d in _records(doc, "wasDerivedFrom")
        if isinstance(d.get("prov:type"), dict) and d["prov:type"]["$"] == "prov:Revision"
    ]
    assert len(revisions) == 1
    new, old = revisions[0]["prov:generatedEntity"], revisions[0]["prov:usedEntity"]
    assert states[new]["tracker:verdict"] == "false"
    assert states[old]["tracker:verdict"] == "unreviewed"
    generated = {g["prov:entity"]: g["prov:activity"] for g in _records(doc, "wasGeneratedBy")}
    assert doc["activity"][generated[new]]["prov:type"]["$"] == "tracker:Review"
    specializations = {s["prov:specificEntity"] for s in _records(doc, "specializationOf")}
    assert specializations == set(states)


def test_the_merged_claims_lineage_shows_where_it_went(session: Session, seeded: Seeded) -> None:
    doc = prov_dict(session, seeded.merged.id)
    pairs = {
        (d["prov:generatedEntity"], d["prov:usedEntity"]) for d in _records(doc, "wasDerivedFrom")
    }
    assert (f"claim:{seeded.target.id}", f"claim:{seeded.merged.id}") in pairs
    # Its excerpt moved to the target, but the link it once had is still in the lineage.
    assert "tracker:Link" in _types(doc, "activity")
    assert any(
        e.get("prov:value") == "the bridge will cost 54 million kroner"
        for e in doc["entity"].values()
    )


def test_imported_claim_is_generated_by_the_import(session: Session, actor: Actor) -> None:
    report = import_claims(session, [{"text": "Imported claim about ferries"}], actor=actor)
    assert report.created == 1
    claim_id = session.query(Claim.id).filter(Claim.text == "Imported claim about ferries").scalar()
    doc = prov_dict(session, claim_id)
    assert _types(doc, "activity") == ["tracker:Import"]
    generation = _records(doc, "wasGeneratedBy")
    # The import chunk lists the claim's fields, so its first state is rebuilt like any other.
    [made] = generation
    assert made["prov:entity"].startswith(f"claimstate:{claim_id}-")
    assert doc["activity"][made["prov:activity"]]["prov:type"]["$"] == "tracker:Import"
    assert doc["agent"]["cli:tester"]["prov:type"]["$"] == "prov:Person"


def test_base_url_names_records_by_their_pages(session: Session, seeded: Seeded) -> None:
    doc = prov_dict(session, seeded.target.id, base_url="https://desk.example/tracker")
    assert doc["prefix"]["claim"] == "https://desk.example/tracker/claims/"
    assert doc["prefix"]["source"] == "https://desk.example/tracker/sources/"
    with pytest.raises(Invalid):
        prov_dict(session, seeded.target.id, base_url="javascript:alert(1)")


def test_unknown_claim_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        prov_json(session, 999_999)


# --- CLI and web ------------------------------------------------------------------------------


def test_cli_export_prov_to_file_and_stdout(
    run_cli: Callable[..., Any], seeded: Seeded, tmp_path: Path
) -> None:
    out = tmp_path / "lineage.json"
    result = run_cli("export", "prov", "--claim", str(seeded.target.id), "-o", str(out))
    assert result.exit_code == 0, result.output
    parsed = ProvDocument.deserialize(source=str(out), format="json")
    assert any(str(e.identifier) == f"claim:{seeded.target.id}" for e in parsed.get_records())
    result = run_cli("export", "prov", "--claim", str(seeded.target.id))
    assert json.loads(result.output)["entity"][f"claim:{seeded.target.id}"]


def test_cli_export_prov_unknown_claim_writes_nothing(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "lineage.json"
    result = run_cli("export", "prov", "--claim", "424242", "-o", str(out))
    assert result.exit_code == 1
    assert "claim 424242 does not exist" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind


@pytest.fixture
def web_client(app: Any) -> FlaskClient:
    from tracker.web import exports

    if "exports.claim_prov" not in app.view_functions:  # until the app registers it
        app.register_blueprint(exports.bp)
    client: FlaskClient = app.test_client()
    return client


def test_web_prov_download_needs_sign_in(web_client: FlaskClient, seeded: Seeded) -> None:
    response = web_client.get(f"/claims/{seeded.target.id}/prov.json")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_web_prov_download(
    web_client: FlaskClient, seeded: Seeded, make_user: Callable[..., Any]
) -> None:
    sign_in(web_client, make_user("viewer").username)
    response = web_client.get(f"/claims/{seeded.target.id}/prov.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="claim-{seeded.target.id}-prov.json"'
    doc = json.loads(response.get_data(as_text=True))
    assert doc["prefix"]["claim"] == "http://localhost/claims/"
    ProvDocument.deserialize(content=response.get_data(as_text=True), format="json")
    assert web_client.get("/claims/999999/prov.json").status_code == 404
