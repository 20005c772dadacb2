"""One review in real Chromium, checking what the reviewer sees at each step: paste a source with
a URL (its publisher is the URL's host); select an excerpt and create a claim with verdict,
confidence and rationale (the create form has no separate "reason" yet: the rationale says why);
flag the source as AI-generated; the claim now needs re-review (dashboard and claim page); the
audit page shows the steps; an editor confirms the verdict and the marker is gone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import LiveServer, Watch, definition, drag_select, path_of

pytestmark = pytest.mark.e2e

URL = "https://news.example.org/2024/06/budget-vote"
HOST = "news.example.org"
TITLE = "Council passes the harbour budget"
SENTENCE = "The city council approved the harbour budget by nine votes to four on Monday."
SOURCE_TEXT = (
    f"{TITLE}\n"
    "\n"
    f"{SENTENCE} The plan pays for new quays and a ferry terminal.\n"
    "\n"
    "Opponents said the costs were too high for a town of this size.\n"
)
CLAIM = "The council approved the harbour budget by nine votes to four"
RATIONALE = "The vote count is in the article and matches the council's published minutes."
FLAG_REASON = "The outlet says its desk drafts articles with a language model."
CONFIRM_REASON = "The minutes of the council confirm the vote; the verdict stands."


def test_review_signals_in_the_browser(page: Page, base_url: str, live_server: LiveServer) -> None:
    watch = Watch()
    watch.attach(page)
    desk, password = live_server.desk, live_server.desk_password
    assert password, "the live server has no desk editor"

    with watch.step("sign in"):
        page.goto("/login")
        page.get_by_label("Username").fill(desk)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()

    # 1. Paste a source with a URL: the publisher is the URL's host, in the preview and after.
    with watch.step("1 paste a source with a URL"):
        page.goto("/sources/new")
        page.get_by_label("Paste the text").fill(SOURCE_TEXT)
        page.get_by_label("URL", exact=True).fill(URL)  # the pasted source's URL field
        page.get_by_role("button", name="Preview").click()
        expect(definition(page, "Publisher")).to_have_text(HOST)
        page.get_by_role("button", name="Save the source").click()
        page.wait_for_url(re.compile(r"/sources/\d+$"))
        source_id = int(path_of(page).rsplit("/", 1)[1])
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(definition(page, "Publisher")).to_have_text(HOST)
        expect(definition(page, "AI status").locator(".ai-status")).to_have_text("unknown")

    # 2. Select the sentence, make it an excerpt, create the claim with verdict and confidence.
    with watch.step("2 select an excerpt and create a claim"):
        drag_select(page, "#source-text", SENTENCE)
        page.locator("#make-excerpt").click()
        page.wait_for_url(re.compile(r"/claims/new\?"))
        expect(page.locator("section.excerpt-preview blockquote mark")).to_have_text(SENTENCE)
        page.get_by_label("Claim", exact=True).fill(CLAIM)
        page.get_by_label("Verdict", exact=True).select_option("true")
        page.get_by_label("Confidence (%)").fill("80")
        page.locator("#rationale").fill(RATIONALE)
        page.get_by_role("button", name="Create new claim").click()
        page.wait_for_url(re.compile(r"/claims/\d+$"))
        claim_id = int(path_of(page).rsplit("/", 1)[1])
        expect(page.get_by_role("heading", level=1)).to_have_text(CLAIM)
        expect(definition(page, "Verdict").locator(".verdict")).to_have_text("true")
        expect(definition(page, "Confidence")).to_have_text("80 %")
        expect(definition(page, "Language")).to_have_text("en")  # detected
        expect(page.locator(".provenance-summary")).to_have_text(
            "1 excerpt from 1 source; 1 independent publisher established."
        )
        expect(page.locator("table.provenance tbody tr td").first).to_have_text(HOST)
        expect(page.locator("#needs-review")).to_have_count(0)

    # 3. Flag the source as AI-generated, with a reason.
    with watch.step("3 flag the source as AI-generated"):
        page.goto(f"/sources/{source_id}")
        page.locator("summary", has_text="Change the AI flag").click()
        page.get_by_label("AI status").select_option("ai_reviewer")
        page.get_by_label("Reason").fill(FLAG_REASON)
        page.get_by_role("button", name="Set the AI flag").click()
        expect(page.get_by_role("status")).to_have_text(
            "AI status set to “AI-generated (reviewer)”."
        )
        expect(definition(page, "AI status").locator(".ai-status")).to_have_text(
            "AI-generated (reviewer)"
        )

    # 4. The claim needs re-review: first in the dashboard's queue, and on its page.
    reason = f"source #{source_id} is now AI-generated (reviewer)"
    with watch.step("4 the claim needs re-review"):
        page.goto("/")
        queue = page.locator("ol.rereview-queue")
        expect(queue).to_be_visible()
        item = queue.locator("li").filter(has=page.get_by_role("link", name=CLAIM))
        expect(item).to_contain_text(reason)
        expect(item).to_contain_text("its support became AI-only while it is rated true")
        item.get_by_role("link", name=CLAIM).click()
        page.wait_for_url(re.compile(rf"/claims/{claim_id}#needs-review$"))
        notice = page.locator("#needs-review")
        expect(notice).to_contain_text("needs re-review")
        expect(notice.locator("li").first).to_have_text(reason)
        expect(page.locator(".ai-only")).to_contain_text("AI-only provenance")
        expect(page.locator(".provenance-summary")).to_have_text(
            "1 excerpt from 1 source; 0 independent publishers established; 1 AI-generated."
        )
        expect(definition(page, "Verdict").locator(".verdict")).to_have_text("true")

    # 5. The audit page shows the steps, with their reasons, by this editor.
    with watch.step("5 the audit page shows the steps"):
        page.goto(f"/audit?actor={desk}")
        rows = page.locator("table.audit tbody tr")
        expect(rows.filter(has_text=FLAG_REASON)).to_have_count(1)
        # The marker, set with its two reasons (the second row lists both).
        expect(rows.filter(has_text=reason)).to_have_count(2)
        expect(rows.filter(has_text="its support became AI-only")).to_have_count(1)
        expect(rows.filter(has=page.locator(f'a[href="/claims/{claim_id}"]'))).not_to_have_count(0)
        expect(rows.filter(has=page.locator(f'a[href="/sources/{source_id}"]'))).not_to_have_count(
            0
        )
        assert rows.count() >= 6  # sign-in, source, excerpt, claim, link, flag, marker

    # 6. The editor confirms the verdict with a reason: the marker is gone everywhere.
    with watch.step("6 confirm the verdict"):
        page.goto(f"/claims/{claim_id}")
        page.locator("#needs-review").get_by_label("Reason").fill(CONFIRM_REASON)
        page.get_by_role("button", name="Confirm the verdict").click()
        page.wait_for_url(re.compile(rf"/claims/{claim_id}$"))
        expect(page.get_by_role("status")).to_have_text(
            f"The verdict of claim #{claim_id} is confirmed; it no longer needs re-review."
        )
        expect(page.locator("#needs-review")).to_have_count(0)
        page.goto("/")
        expect(page.get_by_role("link", name=CLAIM)).to_have_count(0)
        page.goto(f"/audit?actor={desk}")
        expect(page.locator("table.audit tbody tr").filter(has_text=CONFIRM_REASON)).to_have_count(
            1
        )

    assert watch.page_errors == [] and watch.console_errors == [] and watch.dialogs == []
