"""The `tracker` command line, through click's runner (and once as `flask --app tracker`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import create_app
from tracker.cli import main
from tracker.models import Claim, Source, User

from .conftest import ROOT, SEEDS

Invoke = Callable[..., Any]


def test_ingest_seed_folder_json(run_cli: Invoke) -> None:
    result = run_cli("ingest", str(SEEDS), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"created": 5, "unchanged": 0, "refused": 0}
    assert {f["name"] for f in summary["files"]} == {p.name for p in SEEDS.glob("*.txt")}
    again = json.loads(run_cli("ingest", str(SEEDS), "--json").stdout)
    assert again["counts"] == {"created": 0, "unchanged": 5, "refused": 0}


def test_ingest_bad_files_refused_others_ingested(
    run_cli: Invoke, tmp_path: Path, session: Session
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Stortinget vedtok i dag en ny lov om pressestøtte etter lang debatt.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe broken")
    result = run_cli("ingest", str(tmp_path), "--json")
    assert result.exit_code == 1
    files = {f["name"]: f for f in json.loads(result.stdout)["files"]}
    assert files["good.txt"]["status"] == "created"
    assert files["empty.txt"] == {
        "name": "empty.txt",
        "status": "refused",
        "reason": "file is empty",
    }
    assert "NUL" in files["nul.txt"]["reason"]
    assert "UTF-8" in files["bad.md"]["reason"]
    assert session.scalar(select(func.count()).select_from(Source)) == 1


def test_ingest_plain_output_one_line_per_refusal(run_cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_cli("ingest", str(tmp_path / "empty.txt"))
    assert result.exit_code == 1
    assert result.stderr.strip() == "refused   empty.txt: file is empty"
    missing = run_cli("ingest", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1
    assert "No such file" in missing.stderr


def test_sources_list_and_show(run_cli: Invoke) -> None:
    run_cli("ingest", str(SEEDS))
    listed = json.loads(run_cli("sources", "list", "--json").stdout)
    assert len(listed) == 5
    first = listed[0]
    for key in (
        "id",
        "title",
        "publisher",
        "url",
        "language",
        "published_at",
        "sha256",
        "ai_generated",
        "ai_evidence",
        "boilerplate_spans",
        "repeated_spans",
    ):
        assert key in first
    by_origin = {s["origin"]: s for s in listed}
    seed0 = by_origin["000_fcc06bfc82dd2c27.txt"]
    assert (seed0["language"], seed0["published_at"], seed0["ai_generated"]) == (
        "nb",
        "2024-05-28",
        "yes",
    )
    shown = json.loads(run_cli("sources", "show", str(seed0["id"]), "--json").stdout)
    assert shown["sha256"] == seed0["sha256"]
    assert shown["text"].endswith("Siste nytt")
    text_out = run_cli("sources", "list").stdout
    assert "[AI]" in text_out
    missing = run_cli("sources", "show", "99999")
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


def test_users_create_reads_password_from_stdin(run_cli: Invoke, session: Session) -> None:
    result = run_cli("users", "create", "Alice", "--role", "admin", input="a long password 1\n")
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == "alice"))
    assert user is not None and user.role.value == "admin"
    assert user.password_hash.startswith("$argon2")
    assert "a long password" not in user.password_hash
    again = run_cli("users", "create", "alice", "--role", "viewer", input="another password 2\n")
    assert again.exit_code == 1 and "already exists" in again.stderr
    short = run_cli("users", "create", "bob", "--role", "viewer", input="short\n")
    assert short.exit_code == 1 and "at least" in short.stderr
    assert session.scalar(select(User).where(User.username == "bob")) is None


def test_demo_loads_seeds_claims_and_user(run_cli: Invoke, session: Session) -> None:
    result = run_cli("demo", "--no-serve")
    assert result.exit_code == 0, result.output
    assert "demo reviewer: demo / password: " in result.stdout
    assert session.scalar(select(func.count()).select_from(Source)) == 5
    claims = session.scalars(select(Claim)).all()
    assert len(claims) >= 8
    dprk = [
        c for c in claims if {e.excerpt.source.origin[:3] for e in c.evidence} >= {"003", "004"}
    ]
    assert dprk, "one claim must be backed by both 003 and 004"
    second = run_cli("demo", "--no-serve")
    assert second.exit_code == 0
    assert session.scalar(select(func.count()).select_from(Claim)) == len(claims)
    first_pw = result.stdout.split("password: ")[1].split()[0]
    second_pw = second.stdout.split("password: ")[1].split()[0]
    assert first_pw != second_pw


def test_db_commands_on_a_fresh_database(fresh_url: str) -> None:
    runner = CliRunner()
    base = ["--database-url", fresh_url]
    current = runner.invoke(main, [*base, "db", "current", "--json"])
    assert json.loads(current.stdout) == {
        "current": None,
        "head": json.loads(current.stdout)["head"],
        "at_head": False,
    }
    assert runner.invoke(main, [*base, "db", "upgrade"]).exit_code == 0
    assert json.loads(runner.invoke(main, [*base, "db", "current", "--json"]).stdout)["at_head"]
    down = runner.invoke(main, [*base, "db", "downgrade", "base"])
    assert down.exit_code == 0 and "base" in down.stdout


def test_commands_are_registered_on_the_flask_app(app: Any) -> None:
    flask_commands = set(app.cli.list_commands(None))
    assert set(main.list_commands(None)) <= flask_commands


def test_flask_app_cli_runs_a_tracker_command(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'flask.sqlite3'}",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_SECRET_KEY": "x" * 40,
    }
    flask = Path(sys.executable).parent / "flask"
    out = subprocess.run(
        [str(flask), "--app", "tracker", "sources", "list", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == []


def test_create_app_is_the_factory(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "s"})
    assert app.instance_path
