"""The command line for people: --version, a busy demo port, readable `claims show` and
`claims list`."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.cli import main
from tracker.models import AuditEvent, User
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim


@pytest.fixture
def busy_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_version_comes_from_the_package_metadata() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"tracker {version('tracker')}"


def test_demo_on_a_busy_port_changes_nothing_and_says_how_to_pick_another(
    run_cli: Callable[..., Any], session: Session, busy_port: int
) -> None:
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    result = run_cli("demo", "--port", str(busy_port))
    assert result.exit_code == 1
    assert f"port {busy_port} on 127.0.0.1 is already in use" in result.output
    assert "--port" in result.output and "Nothing was changed" in result.output
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert session.scalar(select(func.count()).select_from(User)) == 0  # no demo user made


def test_demo_without_serving_names_the_demo_users_role(run_cli: Callable[..., Any]) -> None:
    result = run_cli("demo", "--no-serve", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["user"]["username"] == "demo" and data["user"]["role"] == "editor"
    text = run_cli("demo", "--no-serve")
    assert "demo user: demo (role: editor)" in text.output


def test_claims_show_is_readable_and_json_only_on_request(
    run_cli: Callable[..., Any], session: Session, actor: Actor
) -> None:
    claim = create_claim(
        session,
        text="Russia and China announced a military alliance in May",
        verdict="mostly_true",
        confidence=0.8,
        rationale="The joint statement says partnership, not alliance.",
        actor=actor,
    )
    session.flush()
    out = run_cli("claims", "show", str(claim.id)).output
    assert out.startswith(f"Claim #{claim.id}\n  Russia and China announced")
    assert "Verdict:     Mostly true" in out and "Confidence:  80 %" in out
    assert "Reason:      The joint statement" in out
    assert "No evidence linked." in out
    assert "{" not in out and '"' not in out  # no JSON in the readable layout
    data = json.loads(run_cli("claims", "show", str(claim.id), "--json").output)
    assert data["confidence"] == 0.8 and data["verdict"] == "mostly_true"


def test_claims_list_shows_confidence_and_filters_by_verdict(
    run_cli: Callable[..., Any], session: Session, actor: Actor
) -> None:
    create_claim(session, text="A rated claim here", verdict="true", confidence=0.9, actor=actor)
    create_claim(session, text="An open claim here", actor=actor)
    session.flush()
    out = run_cli("claims", "list").output
    assert "confidence" in out.splitlines()[0]
    rated = next(line for line in out.splitlines() if "A rated claim" in line)
    assert "True" in rated and "90 %" in rated
    opened = next(line for line in out.splitlines() if "An open claim" in line)
    assert "not set" in opened
    only = run_cli("claims", "list", "--verdict", "true").output
    assert "A rated claim" in only and "An open claim" not in only
    help_text = run_cli("claims", "list", "--help").output
    assert "[unreviewed|in_review|true|mostly_true|misleading|false|unverifiable]" in help_text
    bad = CliRunner().invoke(main, ["claims", "list", "--verdict", "probably"])
    assert bad.exit_code == 2 and "'probably' is not one of" in bad.output


def test_sources_list_shows_dates_as_the_pages_do(run_cli: Callable[..., Any]) -> None:
    assert run_cli("demo", "--no-serve").exit_code == 0
    listing = run_cli("sources", "list").output
    assert "1 Apr 2024, 23:17" in listing and "28 May 2024" in listing
    assert "2024-04-01T23:17" not in listing  # no raw ISO for people
    data = json.loads(run_cli("sources", "list", "--json").output)
    assert any(s["published_at"] == "2024-05-28" for s in data)  # JSON keeps ISO values
