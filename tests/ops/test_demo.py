"""The demo claim loader and the demo editor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS
from tracker.models import Claim
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.errors import Conflict, Invalid
from tracker.services.ops.demo import load_claims_file, reset_demo_user
from tracker.services.sources.ingest import ingest_path


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"claims": None}, "must be a list"),
        ({"claims": [{"text": "x", "rationale": 5}]}, "claim 1: 'rationale' has the wrong type"),
        ({"claims": [{"text": "x", "language": 7}]}, "'language' has the wrong type"),
        ({"claims": ["just a string"]}, "JSON object"),
        (
            {"claims": [{"text": "x", "evidence": [{"source": "nope.txt", "quote": "q"}]}]},
            "has not been ingested",
        ),
    ],
)
def test_bad_claims_files_are_refused(
    session: Session, actor: Actor, tmp_path: Path, payload: object, message: str
) -> None:
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(payload))
    with pytest.raises(Invalid, match=message):
        load_claims_file(session, path, actor=actor)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_quote_error_names_the_claim(session: Session, actor: Actor, tmp_path: Path) -> None:
    ingest_path(session, SEEDS / "001_041022425303b5a7.txt", actor=actor)
    path = tmp_path / "claims.json"
    evidence = [{"source": "001_041022425303b5a7.txt", "quote": "Die Taliban erklärten"}]
    path.write_text(json.dumps({"claims": [{"text": "ok", "evidence": evidence}]}))
    with pytest.raises(Invalid, match="claim 1: the quote occurs 2 times"):
        load_claims_file(session, path, actor=actor)


def test_demo_never_takes_over_another_account(session: Session, actor: Actor) -> None:
    create_user(session, "demo", role="admin", password="an admin password", actor=actor)
    with pytest.raises(Conflict, match="admin account named 'demo'"):
        reset_demo_user(session, actor=actor)
