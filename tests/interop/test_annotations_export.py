"""services/annotations_export (excerpts as W3C Web Annotations) and `tracker export
annotations`: the output validates against a JSON Schema of the W3C model, and its selectors
find the exact span again in the source text (code-point offsets)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy.orm import Session

from tracker.models import Source
from tracker.services.audit.log import Actor
from tracker.services.claims.intake import intake_claim
from tracker.services.claims.records import link_evidence
from tracker.services.errors import Invalid, NotFound
from tracker.services.interop.web_annotation import write_collection
from tracker.services.sources.excerpts import get_or_create_excerpt, reanchor
from tracker.services.sources.ingest import SourceMeta, ingest_text

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[1] / "data" / "web_annotation_collection.schema.json"
    ).read_text()
)
REVIEWER = Actor(name="user:rita")
# Characters outside the Basic Multilingual Plane before the quotes: a UTF-16 count (as
# JavaScript's) would put every offset after them one higher per character.
TEXT = (
    "Tromsø 🌍📰, 3. mai 2024. Regjeringen sier at den nye brua skal koste 45 millioner kroner. "
    "Kritikerne mener prisen er for lav. Arbeidet starter i juni."
)
PLAIN = "A plain text without a URL. The ferry runs twice a day. Nothing else happens."


@dataclass
class Seeded:
    with_url: Source
    without_url: Source
    claim_ids: list[int]


@pytest.fixture
def seeded(session: Session, actor: Actor) -> Seeded:
    meta = SourceMeta(url="https://nyheter.example/brua", language="nb")
    source, _ = ingest_text(session, TEXT, actor=actor, origin="brua.txt", meta=meta)
    plain, _ = ingest_text(
        session, PLAIN, actor=actor, origin="plain.txt", meta=SourceMeta(language="en")
    )
    first = intake_claim(
        session,
        "Brua koster 45 millioner kroner",
        actor=REVIEWER,
        language="nb",
        source_id=source.id,
        quote="den nye brua skal koste 45 millioner kroner",
    )
    second = intake_claim(
        session,
        "Prisen på brua er for lav",
        actor=REVIEWER,
        language="nb",
        source_id=source.id,
        quote="Kritikerne mener prisen er for lav",
        stance="mentions",
    )
    # The same excerpt linked to a second claim, refuting it.
    assert first.excerpt is not None
    link_evidence(session, second.claim, first.excerpt, "refutes", actor=REVIEWER)
    start = PLAIN.index("The ferry")
    get_or_create_excerpt(session, plain, start, start + len("The ferry runs"), actor=actor)
    session.commit()
    return Seeded(source, plain, [first.claim.id, second.claim.id])


def export(session: Session, **kwargs: Any) -> dict[str, Any]:
    out = io.StringIO()
    count = write_collection(session, out, **kwargs)
    data: dict[str, Any] = json.loads(out.getvalue())
    assert data["total"] == count == len(data["first"]["items"])
    return data


def items(data: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data["first"]["items"]
    return found


def test_collection_validates_against_the_w3c_schema(session: Session, seeded: Seeded) -> None:
    data = export(session)
    jsonschema.validate(data, SCHEMA)
    assert len(items(data)) == 4  # three links and one excerpt without a claim
    assert len({a["id"] for a in items(data)}) == 4
    data = export(session, base_url="https://desk.example/tracker")
    jsonschema.validate(data, SCHEMA)


def test_schema_refuses_what_the_model_forbids(session: Session, seeded: Seeded) -> None:
    """The schema is a real check: a wrong motivation or a selector without offsets fails."""
    annotation = items(export(session))[0]
    broken = json.loads(json.dumps(annotation))
    broken["motivation"] = "quoting"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, {**SCHEMA, "$ref": "#/$defs/annotation"})
    broken = json.loads(json.dumps(annotation))
    del broken["target"]["selector"][1]["end"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, {**SCHEMA, "$ref": "#/$defs/annotation"})


def test_selectors_reanchor_to_the_exact_span(session: Session, seeded: Seeded) -> None:
    texts = {
        "https://nyheter.example/brua": TEXT,
        f"urn:sha256:{seeded.without_url.sha256}": PLAIN,
    }
    for annotation in items(export(session)):
        text = texts[annotation["target"]["source"]]
        quote, position = annotation["target"]["selector"]
        found = reanchor(annotation["target"]["selector"], text)
        assert (found.status, found.method) == ("anchored", "position")
        assert (found.start, found.end) == (position["start"], position["end"])
        assert text[found.start : found.end] == quote["exact"]
        assert text[: found.start].endswith(quote["prefix"])
        assert text[found.end :].startswith(quote["suffix"])
        # The same selectors find the quote again in a changed text, by the quote.
        changed = "Oppdatert 4. mai. " + text
        moved = reanchor(annotation["target"]["selector"], changed)
        assert moved.status == "anchored"
        assert changed[moved.start : moved.end] == quote["exact"]
        assert moved.start == position["start"] + len("Oppdatert 4. mai. ")


def test_offsets_count_code_points_not_utf16_units(session: Session, seeded: Seeded) -> None:
    quote = "den nye brua skal koste 45 millioner kroner"
    annotation = next(
        a for a in items(export(session)) if a["target"]["selector"][0]["exact"] == quote
    )
    position = annotation["target"]["selector"][1]
    assert position["start"] == TEXT.index(quote)
    utf16_start = len(TEXT[: TEXT.index(quote)].encode("utf-16-le")) // 2
    assert utf16_start == position["start"] + 2  # the two emoji are surrogate pairs


def test_bodies_carry_the_claim_and_the_stance(session: Session, seeded: Seeded) -> None:
    data = export(session, base_url="https://desk.example/")
    by_tag = {}
    for annotation in items(data):
        tags = [b["value"] for b in annotation.get("body", []) if b["purpose"] == "tagging"]
        by_tag.setdefault(tags[0] if tags else None, []).append(annotation)
    supports, refutes = by_tag["supports"][0], by_tag["refutes"][0]
    mentions, highlight = by_tag["mentions"][0], by_tag[None][0]
    assert supports["motivation"] == refutes["motivation"] == "assessing"
    assert mentions["motivation"] == "linking"
    assert highlight["motivation"] == "highlighting" and "body" not in highlight
    first, second = seeded.claim_ids
    assert supports["body"][0] == {
        "type": "SpecificResource",
        "source": f"https://desk.example/claims/{first}",
        "purpose": "assessing",
    }
    assert supports["body"][1]["value"] == "Brua koster 45 millioner kroner"
    assert supports["body"][1]["language"] == "nb"
    assert refutes["body"][0]["source"] == f"https://desk.example/claims/{second}"
    # One excerpt, two claims: two annotations with the same target.
    assert supports["target"] == refutes["target"]
    assert supports["id"].startswith(f"https://desk.example/claims/{first}#evidence-")
    assert supports["creator"] == {"type": "Person", "name": "user:rita", "nickname": "rita"}
    assert supports["target"]["state"]["cached"] == (
        f"https://desk.example/sources/{seeded.with_url.id}"
    )
    assert highlight["id"].startswith(f"https://desk.example/sources/{seeded.without_url.id}#")
    assert highlight["creator"]["name"] == "cli:tester"


def test_without_url_the_target_is_the_snapshot_hash(session: Session, seeded: Seeded) -> None:
    data = export(session, source_id=seeded.without_url.id)
    assert [a["target"]["source"] for a in items(data)] == [
        f"urn:sha256:{seeded.without_url.sha256}"
    ]
    assert items(data)[0]["id"].startswith("urn:tracker:excerpts:")


def test_source_filter_and_refusals_write_nothing(session: Session, seeded: Seeded) -> None:
    data = export(session, source_id=seeded.with_url.id)
    assert len(items(data)) == 3
    out = io.StringIO()
    with pytest.raises(NotFound):
        write_collection(session, out, source_id=999_999)
    with pytest.raises(Invalid):
        write_collection(session, out, base_url="ftp://desk.example/")
    assert out.getvalue() == ""


def test_export_loads_no_objects_into_the_session(session: Session, seeded: Seeded) -> None:
    session.expunge_all()
    assert len(items(export(session))) == 4
    assert len(session.identity_map) == 0


def test_empty_database_gives_an_empty_collection(session: Session) -> None:
    data = export(session)
    assert data["total"] == 0 and items(data) == []
    jsonschema.validate(data, SCHEMA)


def test_cli_export_annotations(
    run_cli: Callable[..., Any], seeded: Seeded, tmp_path: Path
) -> None:
    out = tmp_path / "annotations.jsonld"
    result = run_cli("export", "annotations", "-o", str(out), "--source", str(seeded.with_url.id))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["total"] == 3
    assert "Prisen på brua er for lav" in out.read_text(encoding="utf-8")  # UTF-8, unescaped
    result = run_cli("export", "annotations")
    assert json.loads(result.stdout)["total"] == 4
    assert "wrote 4 annotations" in result.stderr


def test_cli_unknown_source_leaves_no_file(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "annotations.jsonld"
    result = run_cli("export", "annotations", "-o", str(out), "--source", "31337")
    assert result.exit_code == 1
    assert "source 31337 does not exist" in result.output
    assert list(tmp_path.iterdir()) == []
