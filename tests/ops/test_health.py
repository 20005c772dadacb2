"""The start-up health check (`tracker check`): each check's ok, warn and fail."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, create_engine

from tracker import config, migrate
from tracker.cli import main
from tracker.db import make_engine, make_sessionmaker
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim
from tracker.services.ops.health import (
    Check,
    SecretSource,
    check_configuration,
    check_database,
    check_secret,
    check_sqlite_version,
    failed,
    find_secret,
    run_checks,
    weak_secret,
)

STRONG = secrets.token_urlsafe(48)


def _by_name(checks: list[Check]) -> dict[str, str]:
    return {check.name: check.status for check in checks}


@pytest.fixture
def upgraded(fresh_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session, session.begin():
        create_claim(session, text="The mayor opened the new bridge", actor=Actor("cli:t"))
    yield engine
    engine.dispose()


# --- the secret key -----------------------------------------------------------------------------


def test_generated_keys_are_strong() -> None:
    for _ in range(300):
        for key in (secrets.token_urlsafe(48), secrets.token_hex(32), secrets.token_urlsafe(32)):
            assert weak_secret(key) is None, key


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "no secret key"),
        ("   ", "no secret key"),
        ("dev", "placeholder"),
        ("secret", "placeholder"),
        ("changeme", "placeholder"),
        ("Change-Me!", "placeholder"),
        ("changeme-secret-dev-2024", "placeholder"),
        ("k" * 64, "repeats"),
        ("ab" * 32, "repeats"),
        ("correct-horse" * 5, "repeats"),
        ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "regular"),
        ("3f9a1c0e7b2d4a6f8e1c3b5d7a9f0e2c", "bits of entropy"),  # 16 random bytes
        ("test-secret-key-for-pytest-only", "bits of entropy"),
    ],
)
def test_weak_keys_are_refused_with_a_reason(key: str | None, why: str) -> None:
    reason = weak_secret(key)
    assert reason is not None and why in reason


def test_missing_key_is_a_warning_and_nothing_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(config.ENV_SECRET_KEY, raising=False)
    source = find_secret(tmp_path)
    check = check_secret(source)
    assert source.key is None and check.status == "warn"
    assert config.ENV_SECRET_KEY in check.detail
    assert list(tmp_path.iterdir()) == []


def test_key_sources_in_the_apps_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "secret_key").write_text(STRONG + "\n")
    (tmp_path / "secret_key").chmod(0o600)
    monkeypatch.delenv(config.ENV_SECRET_KEY, raising=False)
    from_file = find_secret(tmp_path)
    assert from_file.key == STRONG and check_secret(from_file).status == "ok"
    monkeypatch.setenv(config.ENV_SECRET_KEY, "changeme")
    from_env = find_secret(tmp_path)
    assert from_env.where == config.ENV_SECRET_KEY
    weak = check_secret(from_env)
    assert weak.status == "fail" and "placeholder" in weak.detail and "changeme" not in weak.detail
    assert find_secret(tmp_path, configured=STRONG).where.startswith("SECRET_KEY in")


def test_key_file_readable_by_others_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    path.write_text(STRONG)
    path.chmod(0o644)
    check = check_secret(SecretSource(STRONG, str(path), path))
    assert check.status == "warn" and "644" in check.detail


def test_check_never_prints_the_key() -> None:
    for key in (STRONG, "dev"):
        assert key not in check_secret(SecretSource(key, "env")).detail


# --- SQLite ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("3.6.23", "ok"),
        ("3.7.0", "warn"),
        ("3.40.1", "warn"),
        ("3.51.2", "warn"),
        ("3.51.3", "ok"),
        ("3.52.0", "ok"),
        ("4.0.0", "ok"),
    ],
)
def test_sqlite_wal_reset_bug_versions_warn(version: str, status: str) -> None:
    check = check_sqlite_version(version)
    assert check.status == status and version in check.detail


def test_pragmas_are_read_back_from_a_real_connection(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    tracker_engine = make_engine(url)
    migrate.upgrade(tracker_engine)
    checks = _by_name(check_database(tracker_engine))
    assert checks["sqlite pragmas"] == "ok"
    tracker_engine.dispose()
    plain = create_engine(url)  # no tracker pragmas: foreign keys off, short busy timeout
    [pragmas] = [c for c in check_database(plain) if c.name == "sqlite pragmas"]
    plain.dispose()
    assert pragmas.status == "fail"
    assert "foreign_keys is off" in pragmas.detail and "busy_timeout" in pragmas.detail


def test_journal_mode_other_than_wal_fails(tmp_path: Path) -> None:
    plain = create_engine(f"sqlite:///{tmp_path / 'rollback.sqlite3'}")
    with plain.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    [pragmas] = [c for c in check_database(plain) if c.name == "sqlite pragmas"]
    plain.dispose()
    assert pragmas.status == "fail" and "journal_mode is delete" in pragmas.detail


def test_missing_sqlite_file_fails_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    engine = make_engine(f"sqlite:///{missing}")
    [check] = check_database(engine)
    assert check.status == "fail" and "no database file" in check.detail
    assert not missing.exists()


# --- database, migration, audit chain (both engines) -------------------------------------------


def test_healthy_database_passes(upgraded: Engine) -> None:
    checks = check_database(upgraded, run_verify=True)
    statuses = _by_name(checks)
    assert statuses["database"] == statuses["migration"] == statuses["audit chain"] == "ok"
    assert "verified 1 events" in checks[-1].detail
    if upgraded.dialect.name == "sqlite":
        assert statuses["sqlite pragmas"] == "ok"
    else:
        assert "sqlite pragmas" not in statuses
    assert not failed(checks)


def test_database_behind_the_head_migration_fails(fresh_url: str) -> None:
    engine = make_engine(fresh_url)
    with engine.begin() as conn:  # reachable, but never upgraded
        conn.exec_driver_sql("CREATE TABLE unrelated (x INTEGER)")
    checks = check_database(engine)
    engine.dispose()
    [migration] = [c for c in checks if c.name == "migration"]
    assert migration.status == "fail" and "tracker db upgrade" in migration.detail
    assert "audit chain" not in _by_name(checks)


def test_broken_audit_chain_fails_only_with_verify(upgraded: Engine) -> None:
    with upgraded.begin() as conn:
        if conn.dialect.name == "sqlite":
            names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in names.all():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        conn.exec_driver_sql("UPDATE audit_events SET reason = 'forged' WHERE seq = 1")
    assert _by_name(check_database(upgraded))["audit chain"] == "ok"  # the head only
    [chain] = [c for c in check_database(upgraded, run_verify=True) if c.name == "audit chain"]
    assert chain.status == "fail" and "index 1" in chain.detail


def test_unreachable_postgresql_fails_without_the_password() -> None:
    engine = make_engine("postgresql+psycopg://desk:hunter2@127.0.0.1:1/tracker")
    [check] = check_database(engine)
    engine.dispose()
    assert check.status == "fail" and "cannot connect" in check.detail
    assert "hunter2" not in check.detail


# --- configuration ------------------------------------------------------------------------------


def test_trusted_hosts_are_read_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.ENV_TRUSTED_HOSTS, raising=False)
    assert config.trusted_hosts() is None
    monkeypatch.setenv(config.ENV_TRUSTED_HOSTS, " Tracker.Example.org, .desk.example [::1]")
    assert config.trusted_hosts() == ["tracker.example.org", ".desk.example", "[::1]"]
    ok = check_configuration()
    assert ok.status == "ok" and "tracker.example.org" in ok.detail
    monkeypatch.setenv(config.ENV_TRUSTED_HOSTS, "https://tracker.example.org/")
    with pytest.raises(ValueError, match="host names"):
        config.trusted_hosts()
    bad = check_configuration()
    assert bad.status == "fail" and config.ENV_TRUSTED_HOSTS in bad.detail


def test_bad_size_limit_fails_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.ENV_MAX_SOURCE_BYTES, "lots")
    assert check_configuration().status == "fail"


# --- the command --------------------------------------------------------------------------------


def test_check_command_exit_status_and_json(
    upgraded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = upgraded.url.render_as_string(hide_password=False)
    # The instance folder stays the one the events were written with (it holds the audit key).
    monkeypatch.setenv(config.ENV_SECRET_KEY, STRONG)
    runner = CliRunner()
    good = runner.invoke(main, ["--database-url", url, "check", "--verify", "--json"])
    assert good.exit_code == 0, good.output
    data = json.loads(good.stdout)
    assert data["ok"] is True
    assert {c["name"] for c in data["checks"]} >= {"database", "migration", "secret key"}
    assert STRONG not in good.stdout
    monkeypatch.setenv(config.ENV_SECRET_KEY, "secret")
    weak = runner.invoke(main, ["--database-url", url, "check"])
    assert weak.exit_code == 1 and "FAIL  secret key" in weak.stdout
    assert "1 failed" in weak.stdout


def test_check_reads_the_instance_config_key(
    upgraded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.ENV_INSTANCE_PATH, str(tmp_path))
    monkeypatch.setenv(config.ENV_SECRET_KEY, STRONG)
    (tmp_path / "config.py").write_text("SECRET_KEY = 'dev'\n")  # the app would use this one
    url = upgraded.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database-url", url, "check", "--json"])
    assert result.exit_code == 1
    [secret] = [c for c in json.loads(result.stdout)["checks"] if c["name"] == "secret key"]
    assert secret["status"] == "fail" and "config.py" in secret["detail"]


def test_run_checks_lists_every_check_on_a_healthy_setup(upgraded: Engine) -> None:
    checks = run_checks(upgraded, SecretSource(STRONG, "env"))
    assert not failed(checks)
    assert _by_name(checks)["secret key"] == "ok"


def test_broken_instance_config_is_a_clear_error(
    upgraded: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.ENV_INSTANCE_PATH, str(tmp_path))
    (tmp_path / "config.py").write_text("SECRET_KEY = (\n")
    url = upgraded.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["--database-url", url, "check"])
    assert result.exit_code == 1 and "cannot read" in result.output
    assert "Traceback" not in result.output
