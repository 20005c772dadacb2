"""The README stays a true, short entry page: its quickstart is the two commands CI relies on,
its links lead to pages that exist, and no editing leftovers or repeated sections creep in.
(Every command and setting is checked against docs/ by tests/test_docs.py.)"""

from __future__ import annotations

import re

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = sorted((ROOT / "docs").glob("*.md"))


def test_the_readme_is_a_short_entry_page() -> None:
    assert len(README.splitlines()) <= 250


def test_quickstart_is_two_commands_and_ci_runs_the_test_one() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quickstart, re.S)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines() if line]
    assert commands == ["python3 dev.py demo", "python3 dev.py test"]
    assert "\npython3 dev.py test\n" in (ROOT / ".ci" / "run").read_text()


def test_every_link_and_image_exists() -> None:
    for page in [ROOT / "README.md", *DOCS]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if target.startswith(("http://", "https://", "/")):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_no_editing_leftovers_or_repeated_sections() -> None:
    for page in [ROOT / "README.md", *DOCS]:
        text = page.read_text(encoding="utf-8")
        headings = [line for line in text.splitlines() if re.match(r"#{1,4} ", line)]
        repeated = {h for h in headings if headings.count(h) > 1}
        assert repeated == set(), page.name
        assert not [h for h in headings if h.count("`") % 2], page.name
        for leftover in ("section (it could", "one more row:", '` after "The web app"', "),  `/"):
            assert leftover not in text, page.name
    guide = (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8")
    pages = guide.split("Pages: ", 1)[1].split("\n\n", 1)[0]
    assert pages.count("(") == pages.count(")")  # no stray fragment closing a bracket
