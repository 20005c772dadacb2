"""Browser-test helpers (tests/e2e/): the live server's description, signing in through the
form, a watch on everything a clean flow never causes, and selecting text with the mouse."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Dialog, Locator, Page, expect

from tests.helpers import ROOT

ARTIFACTS = ROOT / "test-artifacts"
# A string that runs script if any page inserts it unescaped.
XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)>'
EDITOR = "e2e-editor"  # a user with the editor role, for the reviewer-flow test
DESK = "e2e-desk"  # another editor, for the review-signals test (its own audit trail)


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    username: str
    password: str
    source_id: int  # a seeded source
    xss_source_id: int
    xss_claim_id: int
    editor: str = EDITOR  # created by tests/e2e/conftest.py, an editor
    editor_password: str = ""
    desk: str = DESK  # another editor
    desk_password: str = ""


@dataclass
class Watch:
    """Everything the browser reports that a clean flow never causes."""

    dialogs: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    steps: list[tuple[str, float]] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url") or ""
        # The browser asks for /favicon.ico by itself; the app has none (a 404, not a fault).
        if message.type == "error" and urlsplit(url).path != "/favicon.ico":
            self.console_errors.append(f"{message.text} ({url})")

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        began = time.monotonic()
        try:
            yield
        except BaseException:
            print(f"FAILED at step {name!r}; done before it: {self.steps}")
            raise
        self.steps.append((name, round(time.monotonic() - began, 2)))


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def sign_in(page: Page, username: str, password: str) -> None:
    """Through the login form, as a person would: labelled fields, then the button."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    assert path_of(page) == "/"


def definition(page: Page, term: str) -> Locator:
    """The <dd> that follows the <dt> named ``term`` in the page's first description list."""
    return page.locator(f'dl.meta dt:text-is("{term}") + dd').first


def drag_select(page: Page, container: str, needle: str) -> None:
    """Select ``needle`` inside ``container`` with a real mouse drag: press at the left edge of
    its first character, release at the right edge of its last one."""
    page.locator(container).scroll_into_view_if_needed()
    boxes = page.evaluate(
        """([selector, needle]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(needle);
                if (at < 0) continue;
                const box = (from, to) => {
                    const range = document.createRange();
                    range.setStart(node, from);
                    range.setEnd(node, to);
                    const r = range.getBoundingClientRect();
                    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
                };
                // JS strings index UTF-16 units: the needle has no surrogate pairs.
                return {first: box(at, at + 1), last: box(at + needle.length - 1,
                        at + needle.length)};
            }
            return null;
        }""",
        [container, needle],
    )
    assert boxes is not None, f"{needle!r} is not inside one text node of {container}"
    first, last = boxes["first"], boxes["last"]
    viewport = page.viewport_size
    assert viewport is not None
    assert first["top"] >= 0 and last["bottom"] <= viewport["height"], "not in view"
    page.mouse.move(first["left"] + 1, (first["top"] + first["bottom"]) / 2)
    page.mouse.down()
    page.mouse.move((first["right"] + last["left"]) / 2, (last["top"] + last["bottom"]) / 2)
    page.mouse.move(last["right"] - 1, (last["top"] + last["bottom"]) / 2, steps=5)
    page.mouse.up()
