"""Tamper evidence that does not depend on the database (issue 16, finding 4).

The attacker here can write to the database (triggers dropped, rows edited, hashes recomputed
with the published algorithm) but cannot read the instance folder, which holds the audit key
and the anchors. Each attack must make a plain `tracker audit verify` fail, or
`tracker audit verify --state` list the changed rows; `tracker restore` must refuse a backup
whose chain was recomputed. Every test commits for real, on each engine."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from tests.helpers import PgDatabases
from tests.helpers.audit import triggers_off
from tracker import anchors, migrate
from tracker.cli import main
from tracker.db import make_engine, make_sessionmaker
from tracker.models import AuditEvent, Claim
from tracker.models.audit import GENESIS_HASH, hash_of
from tracker.services.audit import log as audit
from tracker.services.audit.chain import (
    ANCHOR_INVALID,
    ANCHOR_MISMATCH,
    BAD_MAC,
    TRUNCATED,
    verify,
)
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim, link_evidence
from tracker.services.sources.excerpts import excerpt_from_quote
from tracker.services.sources.read import get_source

ACTOR = Actor(name="cli:anchor-test")


@pytest.fixture
def db(fresh_url: str) -> Iterator[Engine]:
    """A migrated database holding three claims, written through the app (so anchored)."""
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        for i in range(3):
            create_claim(session, text=f"The harbour authority dredged berth {i}", actor=ACTOR)
    yield engine
    engine.dispose()


@pytest.fixture
def other_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second database on the same engine (the restore target)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'other.sqlite3'}"
    dbs: PgDatabases = request.getfixturevalue("pg_databases")
    return dbs.new()


def _ring(engine: Engine, folder: Path) -> anchors.Keyring:
    """The keyring of ``engine``'s database in ``folder`` (its anchor files)."""
    return anchors.keyring(folder, database=engine.url)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _cli(engine: Engine, *args: str) -> Result:
    return CliRunner().invoke(main, ["--database-url", _url(engine), *args])


def _verify_json(engine: Engine, *args: str) -> tuple[int, dict[str, Any]]:
    result = _cli(engine, "audit", "verify", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def _recompute_chain(session: Session) -> None:
    """What an attacker with database access does after an edit: rebuild prev_hash and hash
    of every event in seq order, so the SHA-256 chain is consistent again."""
    prev = GENESIS_HASH
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    session.expunge_all()  # detached: the app's guard refuses changes to events
    for number, event in enumerate(events, 1):
        event.prev_hash = prev
        digest = hash_of(event)
        session.execute(
            text("UPDATE audit_events SET seq = :n, prev_hash = :p, hash = :h WHERE id = :i"),
            {"n": -number, "p": prev, "h": digest, "i": event.id},
        )
        prev = digest
    session.execute(text("UPDATE audit_events SET seq = -seq"))


def _attack(engine: Engine, *statements: str, recompute: bool = True) -> None:
    with make_sessionmaker(engine)() as session, session.begin(), triggers_off(session):
        for statement in statements:
            session.execute(text(statement))
        if recompute:
            _recompute_chain(session)


def test_untouched_log_verifies_against_its_anchors(db: Engine, _instance_folder: Path) -> None:
    code, report = _verify_json(db)
    assert code == 0 and report["ok"] and report["anchored_seq"] == 3
    assert report["keyed_from"] == 0 and report["warnings"] == []
    key = _instance_folder / anchors.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) == 64
    with Session(db) as session:
        macs = session.scalars(select(AuditEvent.mac).order_by(AuditEvent.seq)).all()
    assert len(macs) == 3 and all(mac and len(mac) == 64 for mac in macs)


def test_edit_and_recompute_is_detected(db: Engine) -> None:
    with Session(db) as session:
        assert verify(session).ok
    _attack(db, "UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 2")
    with Session(db) as session:
        assert verify(session, anchored=False).ok  # the SHA-256 chain alone is fooled
    code, report = _verify_json(db)
    assert code == 1 and (report["reason"], report["index"]) == (BAD_MAC, 2)
    result = _cli(db, "audit", "verify")
    assert result.exit_code == 1 and "BROKEN at index 2: bad MAC" in result.output


def test_delete_and_recompute_is_detected(db: Engine) -> None:
    _attack(db, "DELETE FROM audit_events WHERE seq = 2")
    code, report = _verify_json(db)
    assert code == 1 and (report["reason"], report["index"]) == (BAD_MAC, 2)


def test_truncating_the_last_events_is_detected(db: Engine) -> None:
    _attack(db, "DELETE FROM audit_events WHERE seq >= 2", recompute=False)
    code, report = _verify_json(db)
    assert code == 1 and (report["reason"], report["index"], report["count"]) == (TRUNCATED, 2, 1)
    _attack(db, "DELETE FROM audit_events", recompute=False)
    code, report = _verify_json(db)
    assert code == 1 and (report["reason"], report["count"]) == (TRUNCATED, 0)


def test_stripping_the_macs_is_detected(db: Engine) -> None:
    _attack(db, "UPDATE audit_events SET mac = NULL WHERE seq = 3", recompute=False)
    code, report = _verify_json(db)
    assert code == 1 and (report["reason"], report["index"]) == (BAD_MAC, 3)


def test_a_forged_anchor_is_refused(db: Engine, _instance_folder: Path) -> None:
    path = _ring(db, _instance_folder).anchors_path
    record = json.loads(path.read_text().splitlines()[0])
    record["seq"] = 1
    with open(path, "a") as handle:
        handle.write(json.dumps(record) + "\n")
    code, report = _verify_json(db)
    assert code == 1 and report["reason"] == ANCHOR_INVALID


def test_a_log_from_another_installation_fails_clearly(
    db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    code, report = _verify_json(db)
    # No key there: the events' MACs cannot be checked, which is reported, not ignored.
    assert code == 1 and report["reason"] == BAD_MAC and "no audit key" in report["detail"]


def test_events_before_the_key_are_vouched_for_by_the_start_anchor(
    fresh_url: str, _instance_folder: Path
) -> None:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine, "3b7f2c1d9e4a")  # before the MAC column
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (occurred_at, actor, action, entity_type, entity_id,"
                " changes, context, seq, prev_hash, hash) VALUES ('2026-01-01 00:00:00.000000',"
                " 'cli:old', 'claim.update', 'claim', '1', '{}', '{}', 1, :p, :h)"
            ),
            {"p": GENESIS_HASH, "h": _old_hash()},
        )
    assert _cli(engine, "db", "upgrade").exit_code == 0  # anchors the head found: seq 1
    start = json.loads(_ring(engine, _instance_folder).anchors_path.read_text().splitlines()[0])
    assert (start["kind"], start["seq"], start["keyed_from"]) == ("start", 1, 1)
    with make_sessionmaker(engine)() as session, session.begin():
        audit.record(session, ACTOR, "claim.update", "claim", 1, {})
    code, report = _verify_json(engine)
    assert code == 0 and report["keyed_from"] == 1
    _attack(engine, "UPDATE audit_events SET actor = 'cli:someone-else' WHERE seq = 1")
    code, report = _verify_json(engine)
    assert code == 1 and report["reason"] in (ANCHOR_MISMATCH, BAD_MAC)
    assert report["index"] == 1
    engine.dispose()


def _old_hash() -> str:
    from tracker.models.audit import event_hash

    return event_hash(
        GENESIS_HASH,
        "2026-01-01T00:00:00.000000Z",
        "cli:old",
        "claim.update",
        "claim",
        "1",
        {},
        None,
        None,
        {},
    )


# --- the anchors themselves ---------------------------------------------------------------------


def test_rolled_back_savepoints_are_not_anchored(db: Engine, _instance_folder: Path) -> None:
    with make_sessionmaker(db)() as session, session.begin():
        try:
            with session.begin_nested():
                audit.record(session, ACTOR, "claim.update", "claim", 1, {})
                raise RuntimeError("give up")
        except RuntimeError:
            pass
        audit.record(session, ACTOR, "claim.update", "claim", 2, {})
    head = json.loads((_ring(db, _instance_folder).head_path).read_text())
    assert head["seq"] == 4
    code, _ = _verify_json(db)
    assert code == 0


def test_concurrent_writers_agree_on_the_anchors(db: Engine, _instance_folder: Path) -> None:
    sessions = make_sessionmaker(db)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with sessions() as session, session.begin():
                    audit.record(session, ACTOR, "claim.update", "claim", n * 100 + i, {})
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    head = json.loads((_ring(db, _instance_folder).head_path).read_text())
    assert head["seq"] == 43  # the newest head won, whatever order the workers wrote in
    code, report = _verify_json(db)
    assert code == 0 and report["anchored_seq"] == 43


def test_audit_anchor_exports_a_signed_head(db: Engine, tmp_path: Path) -> None:
    out = tmp_path / "offsite.jsonl"
    result = _cli(db, "audit", "anchor", "--json", "-o", str(out))
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert (record["kind"], record["seq"]) == ("manual", 3) and len(record["sig"]) == 64
    assert json.loads(out.read_text()) == record
    text_result = _cli(db, "audit", "anchor")
    assert text_result.exit_code == 0 and text_result.output.startswith("anchored seq 3 head ")
    with Session(db) as session:
        current = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == 3))
    code, _ = _verify_json(db, "--expect-head", record["hash"])
    assert code == 0 and record["hash"] == current


def test_audit_anchor_refuses_a_broken_log(db: Engine, tmp_path: Path) -> None:
    _attack(db, "UPDATE audit_events SET reason = 'rewritten' WHERE seq = 1")
    out = tmp_path / "offsite.jsonl"
    result = _cli(db, "audit", "anchor", "-o", str(out))
    assert result.exit_code == 1 and "nothing was anchored" in result.output
    assert not out.exists()
    result = _cli(db, "audit", "anchor", "-o", str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert result.exit_code == 1  # the log is still broken: refused before the file


# --- the rows against the log (verify --state) ---------------------------------------------------


def test_state_reports_rows_changed_behind_the_apps_back(db: Engine) -> None:
    code, report = _verify_json(db, "--state")
    assert code == 0 and report["state"]["ok"] and report["state"]["checked"]["claim"] == 3
    with db.begin() as conn:
        first = conn.execute(text("SELECT min(id) FROM claims")).scalar_one()
        conn.execute(
            text("UPDATE claims SET text = 'The moon is made of cheese' WHERE id = :i"),
            {"i": first},
        )
        conn.execute(text("UPDATE claims SET verdict = 'true' WHERE id = :i"), {"i": first + 1})
    code, report = _verify_json(db, "--state")
    assert code == 1 and report["ok"]  # the chain is intact: only the rows changed
    found = {(d["entity"], d["id"], d["field"]) for d in report["state"]["differences"]}
    assert found == {("claim", first, "text"), ("claim", first + 1, "verdict")}
    result = _cli(db, "audit", "verify", "--state")
    assert result.exit_code == 1 and "STATE DIFFERS: 2 differences" in result.output
    assert "The moon is made of cheese" in result.output


def test_state_covers_sources_excerpts_and_evidence(db: Engine, tmp_path: Path) -> None:
    page = tmp_path / "report.txt"
    page.write_text("The harbour authority dredged berth 0 last spring, records show.\n")
    assert _cli(db, "ingest", str(page)).exit_code == 0
    with make_sessionmaker(db)() as session, session.begin():
        source = get_source(session, 1)
        excerpt = excerpt_from_quote(session, source, "dredged berth 0", actor=ACTOR)[0]
        claim = session.scalars(select(Claim).order_by(Claim.id)).first()
        assert claim is not None
        link_evidence(session, claim, excerpt, "supports", actor=ACTOR)
    assert _verify_json(db, "--state")[0] == 0
    with db.begin() as conn:
        conn.execute(text("UPDATE sources SET title = 'Forged title'"))
        conn.execute(text("UPDATE excerpts SET exact = 'dredged berth 9'"))
        conn.execute(text("UPDATE evidence SET stance = 'refutes'"))
    code, report = _verify_json(db, "--state")
    found = {(d["entity"], d["field"]) for d in report["state"]["differences"]}
    assert code == 1
    assert found == {("source", "title"), ("excerpt", "exact"), ("evidence", "stance")}


def test_state_reports_rows_with_no_event_and_rows_deleted(db: Engine) -> None:
    with db.begin() as conn:
        conn.execute(text("DELETE FROM claim_tokens"))
        first = conn.execute(text("SELECT min(id) FROM claims")).scalar_one()
        conn.execute(text("DELETE FROM claims WHERE id = :i"), {"i": first})
    code, report = _verify_json(db, "--state")
    differences = report["state"]["differences"]
    assert code == 1
    assert [(d["entity"], d["id"], d["current"]) for d in differences] == [
        ("claim", first, "(no row)")
    ]


# --- backup and restore --------------------------------------------------------------------------


def _backup(engine: Engine, dest: Path) -> Result:
    return _cli(engine, "backup", str(dest))


def test_backup_anchors_its_head(db: Engine, tmp_path: Path, _instance_folder: Path) -> None:
    assert _backup(db, tmp_path / "b.bak").exit_code == 0
    lines = (_ring(db, _instance_folder).anchors_path).read_text().splitlines()
    kinds = [(json.loads(line)["kind"], json.loads(line)["seq"]) for line in lines]
    assert ("backup", 3) in kinds


def test_restore_refuses_a_recomputed_backup(db: Engine, tmp_path: Path, other_url: str) -> None:
    dest = tmp_path / "b.bak"
    assert _backup(db, dest).exit_code == 0
    # The attacker rewrites the live database, then takes a backup of the forgery.
    _attack(db, "UPDATE audit_events SET actor = 'user:mallory' WHERE seq = 1")
    forged = tmp_path / "forged.bak"
    result = _backup(db, forged)
    assert result.exit_code == 1 and "bad MAC" in result.output and not forged.exists()
    if db.dialect.name == "sqlite":
        # A forged backup made by hand (sqlite3's .backup) from the rewritten database.
        with (
            closing(sqlite3.connect(db.url.database or "")) as src,
            closing(sqlite3.connect(forged)) as copy,
        ):
            src.backup(copy)
        target = make_engine(other_url)
        migrate.upgrade(target)
        with make_sessionmaker(target)() as session, session.begin():
            create_claim(session, text="A claim in the database restored over", actor=ACTOR)
        before = _rows(target)
        result = CliRunner().invoke(
            main, ["--database-url", other_url, "restore", str(forged), "--yes"]
        )
        assert result.exit_code == 1 and "bad MAC" in result.output, result.output
        assert "recomputed or changed without the audit key" in result.output
        assert "Traceback" not in result.output
        assert _rows(target) == before  # nothing changed
        target.dispose()


def _rows(engine: Engine) -> list[Any]:
    with Session(engine) as session:
        return [tuple(r) for r in session.execute(select(AuditEvent.seq, AuditEvent.hash))]


def test_restore_of_a_good_backup_opens_a_new_epoch(
    db: Engine, tmp_path: Path, _instance_folder: Path
) -> None:
    dest = tmp_path / "b.bak"
    assert _backup(db, dest).exit_code == 0  # seq 4 is its backup.create event
    with make_sessionmaker(db)() as session, session.begin():
        audit.record(session, ACTOR, "claim.update", "claim", 1, {})
    result = _cli(db, "restore", str(dest), "--yes")
    assert result.exit_code == 0, result.output
    # The restored log (3 events + the restore event) verifies: the newer anchors belong to
    # the replaced database's epoch.
    code, report = _verify_json(db)
    assert code == 0 and report["count"] == 4, report
    lines = (_ring(db, _instance_folder).anchors_path).read_text().splitlines()
    assert json.loads(lines[-1])["kind"] == "restore"


# --- the files, without a database ---------------------------------------------------------------


def test_anchor_files_survive_a_torn_line_and_shrinking_records(tmp_path: Path) -> None:
    ring = anchors.Keyring(tmp_path / "instance")
    ring.ensure_started(0, GENESIS_HASH)
    ring.note_head(12345, "a" * 64)
    ring.note_head(7, "b" * 64)  # older: ignored (heads only grow)
    epoch = ring.epoch()
    assert epoch is not None
    assert {(a.kind, a.seq, a.hash) for a in epoch.anchors} == {
        ("start", 0, GENESIS_HASH),
        ("checkpoint", 12345, "a" * 64),  # 12,345 events since the start: a checkpoint too
        ("head", 12345, "a" * 64),
    }
    with open(tmp_path / "instance" / anchors.ANCHORS_FILE, "a") as handle:
        handle.write('{"kind": "checkpoint", "seq"')  # a crash in the middle of an append
    epoch = ring.epoch()
    assert epoch is not None and not epoch.problems
    ring.restart(3, "c" * 64, keyed_from=0, note="restored")  # a shorter head record
    epoch = ring.epoch()
    assert epoch is not None and [a.seq for a in epoch.anchors] == [3, 3]
    assert epoch.keyed_from == 0 and not epoch.problems


def test_a_short_audit_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(anchors.ENV_AUDIT_KEY, "too short")
    with pytest.raises(anchors.AnchorError, match="at least 32 characters"):
        anchors.Keyring(tmp_path).key()
    monkeypatch.delenv(anchors.ENV_AUDIT_KEY)
    (tmp_path / anchors.KEY_FILE).write_text("short\n")
    with pytest.raises(anchors.AnchorError, match="no usable audit key"):
        anchors.Keyring(tmp_path).key()


def test_each_database_has_anchors_of_its_own(
    db: Engine, other_url: str, _instance_folder: Path
) -> None:
    """One instance folder, two databases (a scratch database, --database-url): the anchors of
    one never make the other look tampered with, and each still catches its own truncation."""
    other = make_engine(other_url)
    try:
        migrate.upgrade(other)
        for engine in (db, other):
            with Session(engine) as session, session.begin():
                audit.record(session, ACTOR, "claim.create", "claim", 1, {})
        assert _verify_json(db)[0] == 0 and _verify_json(other)[0] == 0
        assert (
            _ring(db, _instance_folder).anchors_path != _ring(other, _instance_folder).anchors_path
        )
        _attack(other, "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)")
        assert _verify_json(other)[0] == 1  # the other's truncation is caught
        assert _verify_json(db)[0] == 0  # and this one is untouched
    finally:
        other.dispose()
