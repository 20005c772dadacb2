"""The `tracker` command line, through click's runner (and once as `flask --app tracker`)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import ROOT, SEEDS
from tracker import create_app
from tracker.cli import main
from tracker.models import Claim, Source, User

Invoke = Callable[..., Any]


def test_ingest_seed_folder_json(run_cli: Invoke) -> None:
    result = run_cli("ingest", str(SEEDS), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["counts"] == {"created": 5, "unchanged": 0, "refused": 0, "skipped": 1}
    ingested = {f["name"] for f in summary["files"] if f["status"] != "skipped"}
    assert ingested == {p.name for p in SEEDS.glob("*.txt")}
    [skipped] = [f for f in summary["files"] if f["status"] == "skipped"]
    assert skipped["name"] == "claims.json" and "unsupported" in skipped["reason"]
    again = json.loads(run_cli("ingest", str(SEEDS), "--json").stdout)
    assert again["counts"] == {"created": 0, "unchanged": 5, "refused": 0, "skipped": 1}


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
    assert "refused   nope.txt: no such file" in missing.stderr


def test_ingest_refuses_special_files_and_skips_links(run_cli: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run_cli("ingest", str(fifo), "/dev/zero", "--json")
    files = {f["name"]: f for f in json.loads(result.stdout)["files"]}
    assert files["pipe.txt"]["reason"] == "not a regular file"
    assert files["zero"]["reason"] == "not a regular file"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.txt").symlink_to("/etc/hostname")
    linked = json.loads(run_cli("ingest", str(folder), "--json").stdout)
    assert linked["files"][0]["status"] == "skipped"
    assert "symbolic link" in linked["files"][0]["reason"]


def test_title_and_url_need_a_single_file(run_cli: Invoke) -> None:
    result = run_cli("ingest", str(SEEDS), "--title", "Same for all")
    assert result.exit_code == 2
    assert "single file" in result.stderr


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    result = CliRunner().invoke(main, ["--database-url", url, "sources", "list"])
    assert result.exit_code == 1
    assert "run `tracker db upgrade`" in result.stderr
    bad = CliRunner().invoke(main, ["--database-url", "nonsense://", "sources", "list"])
    assert bad.exit_code == 1 and "bad database URL" in bad.stderr


def test_audit_context_never_holds_a_database_password(
    run_cli: Invoke, session: Session, monkeypatch: Any
) -> None:
    from tracker.models import AuditEvent
    from tracker.services.audit.log import Actor

    argv = ["tracker", "--database-url", "postgresql+psycopg://u:s3cretPW@h/db", "ingest", "x"]
    monkeypatch.setattr(sys, "argv", argv)
    actor = Actor.cli()
    assert "s3cretPW" not in actor.context["command"]
    assert "u:***@h" in actor.context["command"]
    assert actor.request_id
    run_cli("ingest", str(SEEDS / "002_481b22ad033d140a.txt"))
    events = session.scalars(select(AuditEvent)).all()
    assert events and all("s3cretPW" not in json.dumps(e.context) for e in events)


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
    assert "demo user: demo (role: editor) / password: " in result.stdout
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


def test_demo_seeds_folder_option(run_cli: Invoke, session: Session, tmp_path: Path) -> None:
    refused = run_cli("demo", "--no-serve", "--seeds", str(tmp_path))
    assert refused.exit_code == 2 and "has no claims.json" in refused.stderr
    assert session.scalar(select(func.count()).select_from(Source)) == 0
    (tmp_path / "claims.json").write_text('{"claims": []}', encoding="utf-8")
    (tmp_path / "note.txt").write_text("A short seed article about a bridge.\n", encoding="utf-8")
    loaded = run_cli("demo", "--no-serve", "--seeds", str(tmp_path), "--json")
    assert loaded.exit_code == 0, loaded.output
    assert [s["name"] for s in json.loads(loaded.stdout)["sources"]] == ["note.txt"]


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
    refused = runner.invoke(main, [*base, "db", "downgrade", "base"], input="n\n")
    assert refused.exit_code == 1
    assert json.loads(runner.invoke(main, [*base, "db", "current", "--json"]).stdout)["at_head"]
    down = runner.invoke(main, [*base, "db", "downgrade", "base", "--yes"])
    assert down.exit_code == 0 and "base" in down.stdout
    bogus = runner.invoke(main, [*base, "db", "upgrade", "nosuchrevision"])
    assert bogus.exit_code == 1 and "nosuchrevision" in bogus.stderr


def test_commands_are_registered_on_the_flask_app(app: Any) -> None:
    flask_commands = set(app.cli.list_commands(None))
    assert set(main.list_commands(None)) <= flask_commands


def test_flask_app_cli_runs_a_tracker_command(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'flask.sqlite3'}",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_SECRET_KEY": secrets.token_urlsafe(48),
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


def test_create_app_reads_the_instance_folder_and_environment(
    tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    (tmp_path / "config.py").write_text(f"DATABASE_URL = 'sqlite:///{tmp_path}/from-config.db'\n")
    app = create_app()
    assert app.instance_path == str(tmp_path)
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path}/from-config.db"
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    app.extensions["tracker"].engine.dispose()
