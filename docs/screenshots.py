"""Regenerate the screenshots of the user guide (docs/user-guide.md) and the README.

    .venv/bin/python docs/screenshots.py        # from the root of the checkout

It loads the demo (`tracker demo`) into a throwaway instance folder, serves it on a free local
port, adds a reviewer, walks through the review flow of the guide in Debian's Chromium
(/usr/bin/chromium, through Playwright) and writes the PNGs into docs/img/. The guide's
database and accounts live in the temporary folder and are deleted at the end; nothing else is
touched. `--keep` leaves the server running (until Ctrl-C) to look around afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from playwright.sync_api import Browser, Locator, Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
WIDE = {"width": 1400, "height": 900}
PHONE = {"width": 375, "height": 740}
REVIEWER = "rita"
TIMEOUT_MS = 20_000
# A headline of source 4 that is no excerpt yet; it supports claim #1 ("North Korea has
# ratified its defence treaty with Russia").
SELECTION = "Nordkorea ratifiziert Verteidigungsabkommen mit Russland"
NEAR_DUPLICATE = "North Korea ratified the defence treaty with Russia"
GERMAN_CLAIM = "Nordkorea hat den Verteidigungsvertrag mit Russland ratifiziert"


@dataclass(frozen=True)
class Demo:
    url: str
    editor: str
    editor_password: str
    reviewer_password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tracker(*args: str) -> list[str]:
    """The `tracker` command of this checkout, whichever environment runs the script."""
    return [sys.executable, "-c", "from tracker.cli import main; main()", *args]


@contextmanager
def demo_server(port: int) -> Iterator[Demo]:
    """`tracker demo --json` in a temporary instance folder; yields once it answers."""
    with tempfile.TemporaryDirectory(prefix="tracker-screenshots-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "TRACKER_DATABASE_URL"}
        env.update(
            TRACKER_INSTANCE_PATH=folder,
            PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            PYTHONUNBUFFERED="1",
        )
        out, log = Path(folder, "demo.json"), Path(folder, "demo.log")
        with out.open("w") as stdout, log.open("w") as stderr:
            server = subprocess.Popen(
                _tracker("demo", "--json", "--port", str(port)),
                cwd=ROOT,
                env=env,
                stdout=stdout,
                stderr=stderr,
            )
        try:
            loaded = _wait_for_json(out, server, log)
            url = loaded["url"].rstrip("/")
            _wait_for_http(url + "/login", server, log)
            password = secrets.token_urlsafe(18)
            subprocess.run(
                _tracker("users", "create", REVIEWER, "--role", "reviewer"),
                input=password + "\n",
                text=True,
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
            )
            user = loaded["user"]
            yield Demo(url, user["username"], user["password"], password)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_for_json(path: Path, server: subprocess.Popen[bytes], log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tracker demo stopped:\n{log.read_text()}")
        try:
            data: dict[str, Any] = json.loads(path.read_text())
            return data
        except ValueError:
            time.sleep(0.5)
    raise SystemExit("tracker demo printed nothing in 5 minutes")


def _wait_for_http(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"tracker demo stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


# --- helpers ---------------------------------------------------------------------------------


def sign_in(browser: Browser, demo: Demo, username: str, password: str, **context: object) -> Page:
    page = browser.new_context(**context).new_page()  # type: ignore[arg-type]
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(demo.url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(demo.url + "/")
    return page


class Clip(TypedDict):
    x: float
    y: float
    width: float
    height: float


def save(page: Page, name: str, clip: Clip, full_page: bool = True) -> None:
    """Save docs/img/<name>.png: ``clip`` of the page (or of the window: ``full_page=False``)."""
    path = OUT / f"{name}.png"
    page.screenshot(path=path, clip=clip, full_page=full_page)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def shot(page: Page, name: str, target: Locator | None = None, height: int | None = None) -> None:
    """Save docs/img/<name>.png: the element, or the page from its top (``height`` px)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    if target is None:
        save(page, name, Clip(x=0, y=0, width=_width(page), height=height or WIDE["height"]))
        return
    path = OUT / f"{name}.png"
    target.scroll_into_view_if_needed()
    target.screenshot(path=path)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


def shot_region(page: Page, name: str, first: str, last: str, pad: int = 12) -> None:
    """Save docs/img/<name>.png: the full-width band from the top of ``first`` to the bottom of
    ``last`` (CSS selectors; the first match of each)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    top = page.locator(first).first.bounding_box()
    bottom = page.locator(last).first.bounding_box()
    assert top is not None and bottom is not None, (first, last)
    scroll = float(page.evaluate("window.scrollY"))
    y = max(0.0, top["y"] + scroll - pad)
    height = bottom["y"] + scroll + bottom["height"] + pad - y
    save(page, name, Clip(x=0, y=y, width=_width(page), height=height))


def _width(page: Page) -> int:
    return page.viewport_size["width"] if page.viewport_size else WIDE["width"]


def select_words(page: Page, words: str) -> None:
    """Select ``words`` in the source text as a mouse would, and let the page notice."""
    found = page.evaluate(
        """(words) => {
          const root = document.getElementById("source-text");
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + words.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
              node.parentElement.scrollIntoView({block: "center"});
              document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
              return true;
            }
          }
          return false;
        }""",
        words,
    )
    assert found, "the words to select are not in one piece of the source text"


# --- the walk-through ------------------------------------------------------------------------


def reviewer_flow(browser: Browser, demo: Demo) -> None:
    """A reviewer: a source with its excerpts, a selection, the new-claim form, a link."""
    page = sign_in(browser, demo, REVIEWER, demo.reviewer_password, viewport=WIDE)

    page.goto(demo.url + "/sources/2")
    shot_region(page, "source", "h1", "#ai-flag")
    page.goto(demo.url + "/sources/2#excerpts-heading")
    shot(page, "source-excerpts", page.locator("section:has(#excerpts-heading)"))

    page.goto(demo.url + "/sources/4")
    select_words(page, SELECTION)
    bar = page.locator("#selection-bar")
    bar.wait_for(state="visible")
    # The bar floats at the bottom of the window: the picture is the window's lower part.
    chosen = float(page.evaluate("getSelection().getRangeAt(0).getBoundingClientRect().top"))
    top = max(0.0, chosen - 160)
    save(page, "select", Clip(x=0, y=top, width=WIDE["width"], height=WIDE["height"] - top), False)

    bar.get_by_role("link", name="Make excerpt → new claim").click()
    page.wait_for_url("**/claims/new?**")
    page.fill("#text", NEAR_DUPLICATE)
    page.locator("#candidates .candidate").first.wait_for()
    page.wait_for_load_state("networkidle")
    shot_region(page, "new-claim", "h1", ".intake")

    first = page.locator("#candidates .candidate").filter(has=page.locator("a", has_text="#1"))
    first.get_by_role("button", name="Link to this claim").click()
    page.wait_for_url("**/claims/1")
    page.context.close()


def editor_flow(browser: Browser, demo: Demo) -> None:
    """An editor: the AI flag, the re-review marker, merge and unmerge, search, the audit log."""
    page = sign_in(browser, demo, demo.editor, demo.editor_password, viewport=WIDE)

    # The AI flag: source 2 was suspected by the detector; the desk decides it is AI-generated.
    page.goto(demo.url + "/sources/2#ai-flag")
    page.locator("#ai-flag summary").click()
    page.select_option("#status", "ai_reviewer")
    page.fill(
        "#reason",
        "The same text is posted twice under an invented headline; the desk treats it as "
        "machine-written.",
    )
    shot(page, "ai-flag", page.locator("#ai-flag"))
    page.get_by_role("button", name="Set the AI flag").click()
    page.wait_for_url("**/sources/2#ai-flag")

    page.goto(demo.url + "/")
    shot_region(page, "dashboard", "header.top", ".dash-grid")

    page.goto(demo.url + "/claims/12")
    shot_region(page, "rereview", ".crumbs", ".claim-head")
    page.fill("#confirm-reason", "The Russian decree is reported by the other sources as well.")
    page.get_by_role("button", name="Confirm the verdict").click()

    # A claim page, for the guide and the README.
    page.goto(demo.url + "/claims/1")
    shot(page, "claim")

    # Search across languages: the German wording finds the English claims.
    page.goto(demo.url + "/search?text=" + GERMAN_CLAIM.replace(" ", "+"))
    shot_region(page, "search", "h1", "table.list tbody tr:nth-child(5)")

    # A claim recorded as it circulates in German: a duplicate of #1 across languages.
    page.goto(demo.url + "/claims/new")
    page.fill("#text", GERMAN_CLAIM)
    page.fill("#language", "de")
    page.locator("#candidates .candidate").first.wait_for()
    page.get_by_role("button", name="Create new claim").click()
    page.wait_for_url("**/claims/*")
    german = page.url.rsplit("/", 1)[1]

    page.goto(demo.url + "/duplicates")
    group = page.locator(".dup-group").filter(has_text=f"#{german}").first
    pair = group.locator(".dup-pair").filter(has_text=f"#{german}").first
    pair.locator("summary", has_text="Merge…").click()
    pair.get_by_label("Reason for the merge").fill("The same claim, in German.")
    shot(page, "duplicates", group)
    pair.get_by_role("button", name="Merge").click()
    page.wait_for_url("**/duplicates")

    page.goto(f"{demo.url}/claims/{german}")
    page.locator("summary", has_text="Unmerge").click()
    unmerge = page.locator("form[action$='/unmerge']")
    reason = "Kept apart: the German posts get their own verdict."
    unmerge.locator("input[name=reason]").fill(reason)
    shot_region(page, "merged", ".crumbs", ".claim-head")
    unmerge.get_by_role("button", name="Unmerge").click()
    page.wait_for_url(f"**/claims/{german}")

    page.goto(demo.url + "/audit")
    shot_region(page, "audit", "table.audit thead", "table.audit tbody tr:nth-child(7)")
    page.context.close()


def phone_view(browser: Browser, demo: Demo) -> None:
    page = sign_in(browser, demo, REVIEWER, demo.reviewer_password, viewport=PHONE)
    page.goto(demo.url + "/claims/1")
    page.locator("label.menu-button").click()
    shot(page, "phone", height=1000)
    page.context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep", action="store_true", help="keep serving afterwards")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with demo_server(args.port or _free_port()) as demo, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            reviewer_flow(browser, demo)
            editor_flow(browser, demo)
            phone_view(browser, demo)
        finally:
            browser.close()
        if args.keep:
            print(f"serving on {demo.url} (sign in as {demo.editor} / {demo.editor_password})")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
