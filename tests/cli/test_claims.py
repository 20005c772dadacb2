"""`tracker claims ...` and `tracker aliases ...` through click's runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import Claim, Source

Invoke = Callable[..., Any]
NK = "North Korea has ratified its defense treaty with Russia"


def _seed_003(run_cli: Invoke, session: Session) -> int:
    run_cli("ingest", str(SEEDS / "003_36dbd7c5854988d2.txt"))
    source_id = session.scalar(select(Source.id).where(Source.origin.startswith("003")))
    assert source_id is not None
    return source_id


def test_add_prints_claim_and_candidates(run_cli: Invoke, session: Session) -> None:
    source_id = _seed_003(run_cli, session)
    first = run_cli(
        "claims",
        "add",
        NK,
        "--language",
        "en",
        "--source",
        str(source_id),
        "--quote",
        "Nordkorea ratifiziert Verteidigungsabkommen mit Russland",
        "--confidence",
        "0.8",
        "--json",
    )
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["claim"]["id"] and data["claim"]["version"] == 1
    assert data["candidates"] == [] and data["linked"] is False
    assert data["claim"]["evidence"][0]["selectors"][0]["exact"].startswith("Nordkorea")

    second = json.loads(
        run_cli("claims", "add", "DPRK ratified the defence treaty", "--json").stdout
    )
    [best, *_] = second["candidates"]
    assert best["claim_id"] == data["claim"]["id"]
    assert best["level"] in ("auto", "suggest") and best["warnings"] == []


def test_add_can_link_to_an_existing_claim(run_cli: Invoke, session: Session) -> None:
    source_id = _seed_003(run_cli, session)
    created = json.loads(run_cli("claims", "add", NK, "--json").stdout)["claim"]
    linked = run_cli(
        "claims",
        "add",
        "DPRK ratified the treaty",
        "--source",
        str(source_id),
        "--quote",
        "Das Dekret wurde von Nordkoreas Staatschef Kim Jong-un persönlich genehmigt",
        "--link-to",
        str(created["id"]),
        "--json",
    )
    data = json.loads(linked.stdout)
    assert data["linked"] is True and data["claim"]["id"] == created["id"]
    assert len(data["claim"]["evidence"]) == 1
    assert session.scalar(select(func.count()).select_from(Claim)) == 1


def test_add_refuses_a_quote_not_in_the_source(run_cli: Invoke, session: Session) -> None:
    source_id = _seed_003(run_cli, session)
    result = run_cli(
        "claims",
        "add",
        NK,
        "--source",
        str(source_id),
        "--quote",
        "Südkorea lehnt das Abkommen entschieden ab und droht mit Sanktionen",
    )
    assert result.exit_code == 1
    assert "closest passage" in result.stderr and "score" in result.stderr
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_match_text_and_file(run_cli: Invoke, tmp_path: Path) -> None:
    run_cli("claims", "add", NK)
    run_cli("claims", "add", "Russia and Pakistan held a naval exercise in the Arabian Sea")
    result = json.loads(
        run_cli("claims", "match", "DPRK ratified the defence treaty", "--json").stdout
    )
    assert result[0]["text"] == NK
    assert set(result[0]) >= {"claim_id", "text", "score", "level", "warnings"}
    queries = tmp_path / "queries.txt"
    queries.write_text(
        "q1\tDPRK ratified the defence treaty\r\n"
        "South Korea has ratified its defense treaty with Russia\n\n"
        "q3\tthe tab\tstays in the text\n"
    )
    lines = run_cli("claims", "match", "--file", str(queries)).stdout.splitlines()
    assert len(lines) == 3
    first, second, third = (json.loads(line) for line in lines)
    assert first["id"] == "q1" and first["candidates"][0]["text"] == NK
    assert first["query"] == "DPRK ratified the defence treaty"
    assert second["id"] == "2" and "entity" in second["candidates"][0]["warnings"]
    assert second["candidates"][0]["level"] != "auto"
    assert third["id"] == "q3" and third["query"] == "the tab\tstays in the text"


def test_merge_unmerge_list_show(run_cli: Invoke) -> None:
    a = json.loads(run_cli("claims", "add", NK, "--json").stdout)["claim"]["id"]
    b = json.loads(run_cli("claims", "add", "DPRK ratified the defence treaty", "--json").stdout)[
        "claim"
    ]["id"]
    assert run_cli("claims", "merge", str(b), str(a)).exit_code == 2  # --reason is required
    merged = run_cli("claims", "merge", str(b), str(a), "--reason", "same claim", "--json")
    assert json.loads(merged.stdout)["into_id"] == a
    listed = json.loads(run_cli("claims", "list", "--json").stdout)
    assert {c["id"]: c["merged_into"] for c in listed} == {a: None, b: a}
    restored = json.loads(run_cli("claims", "unmerge", str(b), "--json").stdout)
    # The merge and the unmerge each wrote a version.
    assert restored["merged_into"] is None and restored["version"] == 3
    shown = json.loads(run_cli("claims", "show", str(b), "--json").stdout)
    assert shown["text"] == "DPRK ratified the defence treaty"
    missing = run_cli("claims", "show", "424242")
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


def test_import_keeps_good_rows_and_reports_bad_ones(
    run_cli: Invoke, tmp_path: Path, session: Session
) -> None:
    path = tmp_path / "claims.csv"
    path.write_text(
        "text,language,verdict,confidence\n"
        "Iran supplies Shahed drones to Russia,en,true,0.8\n"
        ",en,,\n"
        "Rutte warned Macron about Russia,en,probably,\n"
        "Kim Jong-un signed the decree,en,unreviewed,1.7\n"
        "Die Duma stimmte im Juni zu,de,,\n",
        encoding="utf-8",
    )
    result = run_cli("claims", "import", str(path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["created"] == 2
    assert [e["row"] for e in report["errors"]] == [2, 3, 4]
    texts = set(session.scalars(select(Claim.text)))
    assert texts == {"Iran supplies Shahed drones to Russia", "Die Duma stimmte im Juni zu"}
    found = json.loads(
        run_cli("claims", "match", "Iran sends Shahed drones to Russia", "--json").stdout
    )
    assert found[0]["text"] == "Iran supplies Shahed drones to Russia"


def test_aliases_are_editable(run_cli: Invoke) -> None:
    listed = json.loads(run_cli("aliases", "list", "--json").stdout)
    assert listed["dprk"] == listed["nordkorea"]
    added = run_cli("aliases", "add", "Hermit Kingdom", listed["dprk"])
    assert added.exit_code == 0, added.output
    again = json.loads(run_cli("aliases", "list", "--json").stdout)
    assert again["hermit kingdom"] == listed["dprk"] and len(again) == len(listed) + 1
    assert run_cli("aliases", "add", "Hermit Kingdom", "x_y").exit_code == 1
    removed = run_cli("aliases", "remove", "hermit kingdom", "--reason", "too vague")
    assert removed.exit_code == 0


def test_dedup_scan_groups_and_applies_auto(run_cli: Invoke, session: Session) -> None:
    texts = (
        NK,
        "North Korea has ratified its defense treaty with Russia.",
        "DPRK ratified the defence treaty with Russia",
        "South Korea has ratified its defense treaty with Russia",
        "Iran supplies Shahed drones to the Russian military",
    )
    ids = [json.loads(run_cli("claims", "add", t, "--json").stdout)["claim"]["id"] for t in texts]
    nk, nk_again, dprk, south, iran = ids
    report = json.loads(run_cli("dedup", "scan", "--json").stdout)
    assert report["claims"] == 5 and report["merged"] == []
    [group] = [g for g in report["groups"] if len(g["claims"]) >= 3]
    pairs = {(p["claim_id"], p["other_id"]): p for p in group["pairs"]}
    assert pairs[(nk, nk_again)]["level"] == "auto"
    with_south = [p for p in group["pairs"] if south in (p["claim_id"], p["other_id"])]
    assert with_south and all(
        p["level"] != "auto" and "entity" in p["warnings"] for p in with_south
    )
    assert iran not in group["claims"] and dprk in group["claims"]
    csv_out = run_cli("dedup", "scan", "--csv").stdout.splitlines()
    assert csv_out[0] == "group,claim_id,other_id,score,level,warnings"
    applied = json.loads(run_cli("dedup", "scan", "--apply-auto", "--json").stdout)
    assert [nk_again, nk] in applied["merged"]
    merged = session.get(Claim, nk_again)
    assert merged is not None and merged.merged_into_id == nk
