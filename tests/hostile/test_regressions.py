"""One plain test per bug the hostile-input runs found (each failed before its fix)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers.api import bearer, make_token
from tests.hostile import corpus
from tests.hostile.checks import refusal_message, snapshot
from tests.hostile.web import Desk, make_desk
from tracker.models import Claim, Source, User
from tracker.services.audit.log import Actor
from tracker.services.claims.records import get_claim
from tracker.services.errors import Invalid, NotFound
from tracker.services.interop.bulk_import import import_claims, read_rows
from tracker.services.interop.claimreview_import import import_claim_reviews
from tracker.services.interop.csv_io import import_sources_csv
from tracker.services.sources.ingest import IngestRefused, SourceMeta, ingest_path, prepare_bytes
from tracker.services.sources.read import get_source
from tracker.services.text.html import MAX_DEPTH, nesting_depth


@pytest.fixture
def desk(
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    actor: Actor,
    make_user: Callable[..., User],
) -> Iterator[Desk]:
    yield make_desk("web", engine, session_factory, session, actor, make_user)


# --- HTML parser bomb (services/text/html.py, services/sources/ingest.py) ----


def test_html_nested_100k_deep_is_refused_before_parsing() -> None:
    started = time.monotonic()
    with pytest.raises(IngestRefused, match="nest more than 512 levels"):
        prepare_bytes(corpus.nested_html(), "deep.html", SourceMeta())
    assert time.monotonic() - started < 5  # parsing it took about 40 s


@pytest.mark.parametrize(
    ("html", "depth"),
    [
        ("<div>" * 600, 513),  # counting stops past the limit
        ("<div/>" * 600, 513),  # "/>" does not close a div
        ("<svg>" + "<path/>" * 600 + "</svg>", 1),  # but closes an SVG element
        ("<p>a" * 600 + "<li>b" * 600 + "<br>" * 600, 0),  # optional end tags, void elements
        ("<div><span>x</div>" * 600, 2),  # an end tag closes what was opened inside
        ("<script>" + "<div>" * 600 + "</script>", 0),  # raw text
        ("<!--" + "<div>" * 600 + "-->", 0),
        ("<html><body><article><h1>T</h1><p>Text</p></article></body></html>", 2),
    ],
)
def test_nesting_depth(html: str, depth: int) -> None:
    assert nesting_depth(html, MAX_DEPTH) == depth


# --- web forms and query strings (web/fields.py, web/security.py, templates) ---------------------


def _post(desk: Desk, path: str, fields: dict[str, Any], status: int) -> str:
    before = snapshot(desk.session)
    response = desk.post(path, fields)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert snapshot(desk.session) == before
    message = refusal_message(response)
    assert message.strip()
    return message


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "A claim", "confidence": "9" * 400},  # WTForms' NumberRange overflowed
        {"text": "A claim", "source_id": "99999999999999999999", "quote": "x"},  # SQLite
        {"text": "A claim", "link_to": "\u00b2", "action": "link"},
    ],
)
def test_huge_numbers_in_a_form_are_a_field_error(desk: Desk, fields: dict[str, Any]) -> None:
    _post(desk, "/claims/new", fields | {"action": "create"}, 422)


def test_a_signalling_nan_in_a_report_filter_is_a_field_error(desk: Desk) -> None:
    response = desk.get("/audit/reports/confidence-jumps", {"points": "sNaN"})
    assert response.status_code == 422 and "finite" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/search", "/api/v1/claims"])
def test_a_query_string_that_is_not_utf8_is_400(desk: Desk, path: str) -> None:
    token = make_token(desk.session, Actor.system("t"), "viewer")
    response = desk.client.get(
        path, headers=bearer(token), environ_overrides={"QUERY_STRING": "text=\xff"}
    )
    assert response.status_code == 400 and "UTF-8" in refusal_message(response)


def test_a_nul_character_in_a_form_is_400(desk: Desk) -> None:
    path = f"/sources/{desk.source_id}/flag"
    message = _post(desk, path, {"status": "suspected", "reason": "a\x00b"}, 400)
    assert "NUL" in message  # PostgreSQL refused it with a 500 before


def test_a_refused_unmerge_of_a_claim_that_is_not_merged_says_why(desk: Desk) -> None:
    message = _post(desk, f"/claims/{desk.claim_ids[0]}/unmerge", {}, 422)
    assert "Reason" in message  # the form is not on this page: the error was invisible


@pytest.mark.parametrize("publisher_id", ["", "-1", "\u00b2", "99999999999999999999"])
def test_a_bad_publisher_id_says_why(desk: Desk, publisher_id: str) -> None:
    fields = {"publisher_id": publisher_id, "flag": "on", "reason": "content farm"}
    assert "Publisher" in _post(desk, "/publishers/flag", fields, 422)


def test_users_page_with_a_digit_that_is_not_a_number(desk: Desk) -> None:
    assert desk.get("/users", {"user": "\u00b2"}).status_code == 200  # int("²") failed


# --- importers (services/text/storable.py and the importers) ----


def _count(session: Session, model: type[Claim] | type[Source]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("text", ["NUL \x00 here", "a lone \ud800 surrogate"])
def test_claims_import_refuses_unstorable_text_by_row(
    session: Session, actor: Actor, text: str
) -> None:
    report = import_claims(session, [{"text": text}, {"text": "A good row"}], actor=actor)
    assert report.created == 1 and report.errors[0]["row"] == 1
    assert "cannot be stored" in report.errors[0]["error"]


def test_claims_import_of_json_nested_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(corpus.deep_json(100_000).encode())
    with pytest.raises(Invalid, match=r"cannot read deep\.json"):
        list(read_rows(path))


def test_claimreview_import_refuses_unstorable_text_by_record(
    session: Session, actor: Actor
) -> None:
    records = [
        {"@type": "ClaimReview", "claimReviewed": "NUL \x00"},
        {"@type": "ClaimReview", "claimReviewed": "lone \ud800", "url": "https://x.example"},
        {"@type": "ClaimReview", "claimReviewed": "A fine claim to import"},
    ]
    report = import_claim_reviews(session, [records], actor=actor)
    assert [e["index"] for e in report.errors] == [0, 1] and len(report.created) == 1


def test_sources_csv_refuses_nul_metadata_and_paths_out_of_its_folder(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("A file next to the folder, not in it.")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    rows = [
        {"title": "NUL\x00", "text": "Some text"},
        {"path": "../secret.txt"},
        {"path": str(tmp_path / "secret.txt")},
        {"path": "link.txt"},
    ]
    report = import_sources_csv(session, rows, actor=actor, base_dir=folder)
    assert [e["row"] for e in report.errors] == [1, 2, 3, 4] and _count(session, Source) == 0
    assert "folder" in report.errors[1]["error"]


def test_lookups_of_ids_past_an_integer_are_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        get_source(session, 10**20)
    with pytest.raises(NotFound):
        get_claim(session, -(10**20))


def test_ingest_of_a_file_whose_name_is_not_utf8(
    session: Session, actor: Actor, tmp_path: Path
) -> None:
    path = Path(str(tmp_path) + "/\udcffname.txt")  # the bytes b"\xffname.txt"
    path.write_text("The council approved the budget on Tuesday, officials said.")
    result = ingest_path(session, path, actor=actor)
    assert result.status == "created" and result.name == "\ufffdname.txt"
    json.dumps(result.as_dict()).encode()


def test_a_cli_actor_with_an_argument_that_is_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", ["tracker", "ingest", "\udcff.txt"])
    Actor.cli().context["command"].encode("utf-8")  # the audit hash encodes it


def test_ingest_refuses_metadata_it_cannot_store(session: Session, actor: Actor) -> None:
    with pytest.raises(IngestRefused, match="title holds an unpaired surrogate"):
        SourceMeta(title="\udcff").checked()
