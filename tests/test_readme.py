"""The README stays true: every CLI command is documented and CI runs its test command."""

from __future__ import annotations

import re

import click

from tracker.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: str = "tracker") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(path)
    return paths


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [path for path in _command_paths(main) if f"`{path}" not in README]
    assert missing == []


def test_quickstart_is_two_commands_and_ci_runs_the_test_one() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quickstart, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line]
    assert commands == ["python3 dev.py demo", "python3 dev.py test"]
    assert "\npython3 dev.py test\n" in (ROOT / ".ci" / "run").read_text()


def test_no_editing_leftovers_or_repeated_sections() -> None:
    headings = [line for line in README.splitlines() if line.startswith("#")]
    repeated = {h for h in headings if headings.count(h) > 1}
    assert repeated == set()
    assert not [h for h in headings if "`" in h.split(" ", 1)[1] and h.count("`") % 2]
    for leftover in ("section (it could", "one more row:", '` after "The web app"', "),  `/"):
        assert leftover not in README
    pages = README.split("Pages: ", 1)[1].split("\n\n", 1)[0]
    assert pages.count("(") == pages.count(")")  # no stray fragment closing a bracket
