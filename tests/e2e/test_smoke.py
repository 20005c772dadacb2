"""Smoke tests in a real browser: sign in, look around, sign out, and no script injection."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.helpers.browser import XSS, LiveServer, path_of, sign_in

pytestmark = pytest.mark.e2e


def test_sign_in_browse_and_sign_out(
    page: Page, browser: Browser, base_url: str, live_server: LiveServer
) -> None:
    sign_in(page, live_server.username, live_server.password)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sources")).to_be_visible()
    expect(page.locator(".who")).to_contain_text(live_server.username)

    page.goto("/sources")
    page.locator(f'a[href="/sources/{live_server.source_id}"]').first.click()
    expect(page).to_have_url(f"{base_url}/sources/{live_server.source_id}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("pre.source-text")).not_to_be_empty()

    cookies = page.context.cookies()
    assert any(c["name"] == "session" for c in cookies)
    # Control: a copy of the cookie in another browser works while the session lives.
    copy = browser.new_context(base_url=base_url)
    try:
        copy.add_cookies(cookies)  # type: ignore[arg-type]
        other = copy.new_page()
        other.goto("/")
        assert path_of(other) == "/"
    finally:
        copy.close()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert path_of(page) == "/login"
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto("/")
    assert path_of(page) == "/login"

    replay = browser.new_context(base_url=base_url)
    try:
        replay.add_cookies(cookies)  # type: ignore[arg-type]
        stale = replay.new_page()
        stale.goto(f"/sources/{live_server.source_id}")
        assert path_of(stale) == "/login"
        expect(stale.get_by_label("Username")).to_be_visible()
    finally:
        replay.close()


def test_a_wrong_password_keeps_you_on_the_login_form(page: Page, live_server: LiveServer) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(live_server.username)
    page.get_by_label("Password").fill(live_server.password + "-wrong")
    page.get_by_label("Password").press("Enter")  # the keyboard submits the form too
    expect(page.get_by_text("unknown user or wrong password")).to_be_visible()
    assert path_of(page) == "/login"
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_label("Username")).to_have_value(live_server.username)


def test_user_text_never_runs_as_script(page: Page, live_server: LiveServer) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    sign_in(page, live_server.username, live_server.password)
    pages = [
        "/claims",
        f"/claims/{live_server.xss_claim_id}",
        "/sources",
        f"/sources/{live_server.xss_source_id}",
    ]
    for url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        expect(page.get_by_text(XSS).first).to_be_visible()
        assert page.locator('img[src="x"]').count() == 0, url
        assert page.locator("script:not([src])").count() == 0, url
    assert page.title().startswith(f"Probe {XSS}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Probe {XSS}")
    page.wait_for_timeout(300)  # a late onerror would fire by now
    assert dialogs == []
