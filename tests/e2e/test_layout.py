"""Every page at desktop and phone widths: no page-wide horizontal overflow, no word broken
mid-word in a table cell, and on a phone the menu folds behind its toggle."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import ARTIFACTS, LiveServer, sign_in

pytestmark = pytest.mark.e2e

WIDTHS = (1400, 375)

# For each td/th: the words (runs of letters and digits) that the layout cut across two lines
# or that are wider than the cell's content box, and cells whose content is wider than the
# cell. Breaks at spaces, hyphens and slashes are fine; "unkn/own" is not.
BROKEN_WORDS_JS = """
() => {
  const bad = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.offsetParent) continue;  // hidden (e.g. a folded <details>)
    const style = getComputedStyle(cell);
    const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent.checkVisibility() || parent.getBoundingClientRect().width <= 1) continue;
      const re = /[\\p{L}\\p{N}_]+/gu;
      let m;
      while ((m = re.exec(node.data)) !== null) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = range.getClientRects();
        const lines = new Set(Array.from(rects, r => Math.round(r.top))).size;
        const width = range.getBoundingClientRect().width;
        const tag = cell.tagName.toLowerCase();
        if (lines > 1 || width > inner + 1) bad.push(m[0] + ' in <' + tag + '>');
      }
    }
    if (cell.scrollWidth > cell.clientWidth + 1) {
      bad.push('overflowing cell: ' + cell.innerText.slice(0, 40));
    }
  }
  return bad;
}
"""


# Text on the page (form hints aside, which show the formats one may type) that holds an ISO
# date: every date is shown as "1 Apr 2024" or "1 Apr 2024, 23:17 UTC".
RAW_DATES_JS = """
() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('.hint, input, textarea, select, pre').forEach(e => e.remove());
  return main.innerText.match(/\\b\\d{4}-\\d{2}-\\d{2}\\b[T\\d:. ]*/g) || [];
}
"""


def _pages(server: LiveServer) -> list[str]:
    claim = 1
    return [
        "/",
        "/claims",
        f"/claims/{claim}",
        f"/claims/{claim}/edit",
        "/claims/new",
        "/claims/new?text=North+Korea+ratified+the+treaty",
        "/search?q=Russland+Nordkorea",
        "/sources",
        f"/sources/{server.source_id}",
        "/sources/new",
        "/duplicates",
        "/publishers",
        "/aliases",
        "/audit",
        "/users",
        "/account/password",
        "/api/v1/docs",
    ]


def _check(page: Page, path: str, width: int) -> list[str]:
    problems = []
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if overflow[0] > overflow[1]:
        problems.append(f"{path} at {width}px: page is {overflow[0]}px wide in {overflow[1]}px")
    # The API docs describe machine formats ("published_from: 2024-05-28"); pages do not.
    raw_dates = [] if path.startswith("/api/") else page.evaluate(RAW_DATES_JS)
    if raw_dates:
        problems.append(f"{path} at {width}px: raw ISO dates {raw_dates[:5]}")
    broken = page.evaluate(BROKEN_WORDS_JS)
    if broken:
        problems.append(f"{path} at {width}px: broken words {broken[:8]}")
    if problems:
        ARTIFACTS.mkdir(exist_ok=True)
        name = path.strip("/").replace("/", "_").replace("?", "_") or "dashboard"
        page.screenshot(path=str(ARTIFACTS / f"layout_{name}_{width}.png"), full_page=True)
    return problems


def test_every_page_fits_at_desktop_and_phone_widths(
    browser: Browser, base_url: str, live_server: LiveServer
) -> None:
    problems: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            page.goto("/login")
            problems += _check(page, "/login", width)
            sign_in(page, live_server.username, live_server.password)
            for path in _pages(live_server):
                response = page.goto(path)
                assert response is not None and response.status < 400, (path, response)
                problems += _check(page, path, width)
        finally:
            context.close()
    assert not problems, "\n".join(problems)


def test_phone_menu_folds_and_opens_without_script(
    browser: Browser, base_url: str, live_server: LiveServer
) -> None:
    context = browser.new_context(
        base_url=base_url, viewport={"width": 375, "height": 800}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/login")
        page.get_by_label("Username").fill(live_server.username)
        page.get_by_label("Password").fill(live_server.password)
        page.get_by_role("button", name="Sign in").click()
        nav = page.get_by_role("navigation", name="Main")
        expect(nav).to_be_hidden()
        page.locator("label.menu-button").click()
        expect(nav.get_by_role("link", name="Sources")).to_be_visible()
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] > 200  # the open menu lists the links
    finally:
        context.close()
