"""The docs keep up with the code, as datasette's tests/test_docs.py does: the CLI reference is
generated from the click commands and current, and every TRACKER_* setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tracker.cli.reference import command_paths, render

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _settings_in_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        found |= set(re.findall(r"\bTRACKER_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    return found


def test_the_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is out of date: python -m tracker.cli.reference > docs/cli.md"
    )


@pytest.mark.parametrize("command", command_paths())
def test_every_command_is_in_the_cli_reference(command: str) -> None:
    assert f"`{command}`" in (DOCS / "cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", sorted(_settings_in_code()))
def test_every_setting_is_documented(setting: str) -> None:
    assert f"`{setting}`" in (DOCS / "configuration.md").read_text(encoding="utf-8")


def test_the_architecture_page_names_every_services_package() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    packages = [
        p.name for p in (ROOT / "tracker" / "services").iterdir() if (p / "__init__.py").is_file()
    ]
    assert packages and all(f"`services/{name}/`" in page for name in packages)
