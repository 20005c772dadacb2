"""Configuration: database URL precedence and the generated secret key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tracker import config


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(config.ENV_DATABASE_URL, raising=False)
    assert config.database_url(None, tmp_path) == f"sqlite:///{tmp_path / 'tracker.sqlite3'}"
    monkeypatch.setenv(config.ENV_DATABASE_URL, "sqlite:///from-env.db")
    assert config.database_url(None, tmp_path) == "sqlite:///from-env.db"
    assert config.database_url("sqlite:///override.db", tmp_path) == "sqlite:///override.db"


def test_secret_key_generated_once_with_mode_0600(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(config.ENV_SECRET_KEY, raising=False)
    key = config.load_or_create_secret_key(tmp_path)
    path = tmp_path / config.SECRET_FILE_NAME
    assert len(key) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.load_or_create_secret_key(tmp_path) == key


def test_secret_key_from_environment_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(config.ENV_SECRET_KEY, "k" * 40)
    assert config.load_or_create_secret_key(tmp_path) == "k" * 40
    assert not (tmp_path / config.SECRET_FILE_NAME).exists()


def test_bad_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.ENV_MAX_SOURCE_BYTES, "lots")
    with pytest.raises(ValueError, match="whole number"):
        config.max_source_bytes()


def test_empty_secret_key_file_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(config.ENV_SECRET_KEY, raising=False)
    (tmp_path / config.SECRET_FILE_NAME).write_text("\n")
    with pytest.raises(ValueError, match="no usable secret key"):
        config.load_or_create_secret_key(tmp_path)
