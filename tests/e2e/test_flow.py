"""The whole reviewer flow in a real browser, as an editor, with real clicks and typing.

Sign in; add a source by upload (preview, then save); select a sentence of it with the mouse
and make it an excerpt; type a claim that paraphrases a seeded one and link the excerpt to the
live duplicate suggestion; set the verdict with a reason; flag the source as AI-generated;
merge the claim into another and unmerge it; read the audit log; sign out, and check that a
cookie copied before the sign-out no longer works. The steps share state (one source, one
claim), so they run in order inside one test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.helpers import SEEDS
from tests.helpers.browser import LiveServer, Watch, definition, drag_select, path_of

pytestmark = pytest.mark.e2e

# The claim sentence follows an emoji (a non-BMP character: 2 UTF-16 units, 1 code point) on
# the same line, so the offsets the page computes are checked against Python's.
CLAIM_SENTENCE = "Nord-Korea har ratifisert forsvarsavtalen med Russland, ifølge statlige medier."
TITLE = "Forsvarsavtalen mellom Russland og Nord-Korea"
SOURCE_TEXT = (
    "Oslo, 28. mai, 2024\n"
    "\n"
    f"{TITLE}\n"
    "\n"
    "Regjeringen i Pyongyang kommenterte saken i en kort uttalelse til pressen.\n"
    f"🚀 {CLAIM_SENTENCE} Avtalen ble undertegnet i juni.\n"
    "\n"
    "Analytikere i Seoul mener avtalen endrer sikkerhetssituasjonen i regionen.\n"
)
# A paraphrase of the seeded "North Korea has ratified its defence treaty with Russia".
PARAPHRASE = "DPRK ratified the defense treaty with Russia"
SEEDED_CLAIM = "North Korea has ratified its defence treaty with Russia"
OTHER_CLAIM_PREFIX = "The treaty between Russia and North Korea obliges each side"
TYPING_DELAY_MS = 25  # well under the form's 250 ms debounce: one fetch when typing stops

VERDICT_REASON = "E2E: the ratification decree is published; the date needs a primary source."
VERDICT_RATIONALE = "KCNA published the decree; the Duma vote is on record."
FLAG_REASON = "E2E: the publisher says its desk drafts articles with a language model."
MERGE_REASON = "E2E: both claims are about the same treaty."
UNMERGE_REASON = "E2E: ratification and the assistance clause are different claims."


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def seeded_claims() -> list[dict[str, Any]]:
    claims: list[dict[str, Any]] = json.loads((SEEDS / "claims.json").read_text("utf-8"))["claims"]
    return claims


def action_code(page: Page, action: str) -> Locator:
    """The element that shows exactly the audit action ``action`` (a <code> in a claim's
    history, the small action label beside the sentence on the audit page)."""
    return page.locator("code, .action-code", has_text=re.compile(f"^{re.escape(action)}$"))


def claim_id_of_link(page: Page, text_prefix: str) -> int:
    href = page.locator("td.claim-text a", has_text=text_prefix).first.get_attribute("href")
    assert href is not None
    found = re.fullmatch(r"/claims/(\d+)", href)
    assert found, href
    return int(found.group(1))


def test_reviewer_flow_end_to_end(
    page: Page, browser: Browser, base_url: str, live_server: LiveServer, tmp_path: Path
) -> None:
    watch = Watch()
    watch.attach(page)
    editor, password = live_server.editor, live_server.editor_password
    assert password, "the live server has no editor user"
    seeded = next(c for c in seeded_claims() if c["text"] == SEEDED_CLAIM)
    assert seeded["verdict"] != "mostly_true"  # the verdict this test sets must be a change

    # 1. Sign in through the login form.
    with watch.step("1 sign in"):
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
        page.get_by_label("Username").fill(editor)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
        assert path_of(page) == "/"
        expect(page.locator(".who")).to_contain_text(editor)
        expect(page.locator(".who .role")).to_have_text("editor")

    # 2. Add a source by upload: preview (language and date found), then save.
    with watch.step("2 add a source by upload"):
        upload = tmp_path / "forsvarsavtale.txt"
        upload.write_text(SOURCE_TEXT, encoding="utf-8")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
        expect(page.get_by_role("heading", level=1, name="Sources")).to_be_visible()
        page.get_by_role("link", name="Add a source").click()
        page.wait_for_url(f"{base_url}/sources/new")
        expect(page.get_by_role("heading", level=1, name="Add a source")).to_be_visible()
        page.get_by_label("…or upload a file").set_input_files(upload)
        page.get_by_role("button", name="Preview").click()
        preview = page.locator("section.preview")
        expect(preview.get_by_role("heading", name="Check what will be stored")).to_be_visible()
        expect(definition(page, "Title")).to_have_text(TITLE)
        expect(definition(page, "Language")).to_have_text(re.compile(r"^nb\s+\(detected\)$"))
        expect(definition(page, "Published")).to_contain_text("28 May 2024")
        expect(definition(page, "Published")).to_contain_text("found in the text: “28. mai, 2024”")
        expect(definition(page, "AI disclosure")).to_have_text("none found")
        expect(preview.locator("pre.preview-text")).to_contain_text(f"🚀 {CLAIM_SENTENCE}")
        expect(page.get_by_text("File: forsvarsavtale.txt")).to_be_visible()
        page.get_by_role("button", name="Save the source").click()
        page.wait_for_url(re.compile(r"/sources/\d+$"))
        source_id = int(path_of(page).rsplit("/", 1)[1])
        assert source_id != live_server.source_id
        expect(page.get_by_role("status")).to_have_text(f"Source {source_id} added.")
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(definition(page, "Language")).to_have_text("nb")
        expect(definition(page, "Published")).to_contain_text("28 May 2024")
        expect(definition(page, "AI status")).to_contain_text("unknown")

    # 3. Select the claim sentence with the mouse and make it an excerpt.
    with watch.step("3 select an excerpt with the mouse"):
        expect(page.locator("#select-hint")).to_be_visible()
        expect(page.locator("#selection-bar")).to_be_hidden()
        drag_select(page, "#source-text", CLAIM_SENTENCE)
        assert page.evaluate("() => window.getSelection().toString()") == CLAIM_SENTENCE
        expect(page.locator("#selection-bar")).to_be_visible()
        start = SOURCE_TEXT.index(CLAIM_SENTENCE)  # code points, as the server counts
        end = start + len(CLAIM_SENTENCE)
        expect(page.locator("#selection-range")).to_have_text(
            f"Selected characters {start}–{end} ({end - start})"
        )
        page.locator("#make-excerpt").click()
        page.wait_for_url(re.compile(r"/claims/new\?"))
        assert query_of(page) == {
            "source_id": [str(source_id)],
            "start": [str(start)],
            "end": [str(end)],
        }
        expect(page.get_by_role("heading", level=1, name="New claim")).to_be_visible()
        excerpt = page.locator("section.excerpt-preview")
        expect(excerpt.locator("blockquote mark")).to_have_text(CLAIM_SENTENCE)
        expect(excerpt.get_by_role("link", name=TITLE)).to_be_visible()
        expect(excerpt).to_contain_text(f"Characters {start}–{end} of the source.")

    # 4. Type a paraphrase of a seeded claim; the live panel suggests the seeded claim.
    with watch.step("4 type a claim, see the duplicate suggestion"):
        expect(page.locator("#candidates")).to_contain_text("Type the claim")
        claim_box = page.get_by_label("Claim", exact=True)
        claim_box.click()
        claim_box.press_sequentially(PARAPHRASE, delay=TYPING_DELAY_MS)
        suggestion = page.locator("#candidates li.candidate[data-claim-id]").filter(
            has=page.get_by_role("link", name=SEEDED_CLAIM, exact=True)
        )
        expect(suggestion).to_be_visible()
        target_id = int(suggestion.get_attribute("data-claim-id") or "0")
        assert target_id > 0
        expect(suggestion.locator(".level-suggest")).to_have_text("similar")
        # The live suggestion shows the candidate's verdict, confidence and a link to it.
        expect(suggestion.locator(".verdict")).to_have_text("True")
        expect(suggestion.locator(".candidate-confidence")).to_have_text("confidence 90 %")
        expect(suggestion.get_by_role("link", name=f"claim #{target_id}")).to_be_visible()
        expect(page.locator("#candidates .status")).to_contain_text("Link the excerpt to one")

    # 5. Link the excerpt to the seeded claim.
    with watch.step("5 link to the existing claim"):
        suggestion.get_by_role("button", name="Link to this claim").click()
        page.wait_for_url(f"{base_url}/claims/{target_id}")
        expect(page.get_by_role("status")).to_have_text(
            f"The excerpt is now evidence for claim {target_id}."
        )
        expect(page.get_by_role("heading", level=1)).to_have_text(SEEDED_CLAIM)
        evidence = page.locator("ol.evidence-list > li").filter(
            has=page.locator("mark", has_text=CLAIM_SENTENCE)
        )
        expect(evidence).to_have_count(1)
        expect(evidence.locator(".stance")).to_have_text("supports")
        expect(evidence.get_by_role("link", name=TITLE)).to_be_visible()
        evidence_count = page.locator("ol.evidence-list > li").count()
        assert evidence_count == len(seeded["evidence"]) + 1
        expect(page.locator(".provenance-summary")).to_contain_text(
            f"{evidence_count} excerpts from"
        )

    # 6. Set the verdict, with a rationale and a reason.
    with watch.step("6 change the verdict with a reason"):
        page.get_by_role("link", name="Edit", exact=True).click()
        page.wait_for_url(f"{base_url}/claims/{target_id}/edit")
        expect(page.get_by_label("Verdict")).to_have_value(seeded["verdict"])
        page.get_by_label("Verdict").select_option(label="mostly true")
        page.get_by_label("Rationale").fill(VERDICT_RATIONALE)
        page.get_by_label("Reason for the change").fill(VERDICT_REASON)
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"{base_url}/claims/{target_id}")
        expect(page.get_by_role("status")).to_have_text(f"Claim #{target_id} is saved.")
        expect(definition(page, "Verdict").locator(".verdict")).to_have_text("mostly true")
        expect(definition(page, "Verdict").locator(".verdict")).to_have_class(
            re.compile(r"\bverdict-mostly_true\b")
        )
        expect(definition(page, "Rationale")).to_have_text(VERDICT_RATIONALE)
        entry = page.locator("table.history tbody tr").filter(has_text=VERDICT_REASON)
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(f"user:{editor}")
        expect(entry.locator("li", has_text="verdict:")).to_contain_text("true → mostly true")

    # 7. Flag the new source as AI-generated, with a reason.
    with watch.step("7 flag the source as AI-generated"):
        page.goto(f"/sources/{source_id}")
        page.locator("summary", has_text="Change the AI flag").click()
        page.get_by_label("AI status").select_option("ai_reviewer")
        page.get_by_label("Reason").fill(FLAG_REASON)
        page.get_by_role("button", name="Set the AI flag").click()
        page.wait_for_url(f"{base_url}/sources/{source_id}#ai-flag")
        expect(page.get_by_role("status")).to_have_text(
            "AI status set to “AI-generated (reviewer)”."
        )
        expect(definition(page, "AI status").locator(".flag-ai")).to_have_text(
            "AI-generated (reviewer)"
        )
        flag = page.locator("#ai-flag")
        expect(flag).to_contain_text(f"Set to AI-generated (reviewer) by hand by user:{editor}")
        expect(flag.locator(".flag-reason")).to_have_text(f"Reason: {FLAG_REASON}")
        # The excerpt list of the source names the claim it now supports.
        expect(page.locator("ol.excerpts")).to_contain_text(SEEDED_CLAIM)

    # 8. Merge the claim into another one, see it, then unmerge and see it restored.
    with watch.step("8 merge and unmerge"):
        page.goto("/claims")
        other_id = claim_id_of_link(page, OTHER_CLAIM_PREFIX)
        assert other_id != target_id
        page.goto(f"/claims/{target_id}")
        page.locator("summary", has_text="Merge into another claim").click()
        page.get_by_label("Merge into claim #").fill(str(other_id))
        merge_form = page.locator("form", has=page.get_by_label("Merge into claim #"))
        merge_form.get_by_label("Reason").fill(MERGE_REASON)
        page.get_by_role("button", name="Merge", exact=True).click()
        page.wait_for_url(f"{base_url}/claims/{other_id}")
        expect(page.get_by_role("status")).to_have_text(
            f"Claim #{target_id} is merged into claim #{other_id}."
        )
        expect(page.get_by_role("heading", level=1)).to_contain_text(OTHER_CLAIM_PREFIX)
        # The excerpt moved with the merge, and its source's AI flag shows with it.
        moved = page.locator("ol.evidence-list > li").filter(
            has=page.locator("mark", has_text=CLAIM_SENTENCE)
        )
        expect(moved).to_have_count(1)
        expect(moved.locator(".flag-ai")).to_have_text("AI-generated (reviewer)")

        page.goto(f"/claims/{target_id}")
        notice = page.locator(".notice-merged")
        expect(notice).to_contain_text(f"This claim is merged into #{other_id}")
        expect(page.locator("ol.evidence-list")).to_contain_text(
            f"The evidence moved to claim #{other_id}."
        )
        expect(page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
        page.locator("summary", has_text="Unmerge").click()
        unmerge_form = page.locator("form", has=page.get_by_role("button", name="Unmerge"))
        unmerge_form.get_by_label("Reason", exact=True).fill(UNMERGE_REASON)
        page.get_by_role("button", name="Unmerge", exact=True).click()
        page.wait_for_url(f"{base_url}/claims/{target_id}")
        expect(page.get_by_role("status")).to_have_text(
            f"Claim #{target_id} is unmerged and has its evidence back."
        )
        expect(page.locator(".notice-merged")).to_have_count(0)
        expect(page.locator("ol.evidence-list > li")).to_have_count(evidence_count)
        expect(page.locator("ol.evidence-list mark", has_text=CLAIM_SENTENCE)).to_have_count(1)
        expect(definition(page, "Verdict").locator(".verdict")).to_have_text("mostly true")
        expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()

    # 9. The audit history: the claim page's own, and the audit log filtered to this editor.
    with watch.step("9 audit history"):
        page.get_by_text(re.compile(r"^All \d+ recorded events for this claim$")).click()
        audit_rows = page.locator("details.audit tbody tr")
        for action, reason in (
            ("evidence.link", None),
            ("claim.update", VERDICT_REASON),
            ("claim.merge", MERGE_REASON),
            ("claim.unmerge", UNMERGE_REASON),
        ):
            row = audit_rows.filter(has=action_code(page, action)).filter(has_text=f"user:{editor}")
            expect(row).to_have_count(1)
            if reason:
                expect(row).to_contain_text(reason)

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit").click()
        expect(page.get_by_role("heading", level=1, name="Audit log")).to_be_visible()
        page.get_by_label("Actor").fill(editor)
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url(re.compile(r"/audit\?.*actor=e2e-editor"))
        rows = page.locator("table.audit tbody tr")
        expected = [  # newest first
            ("claim.unmerge", f"claim #{target_id}", UNMERGE_REASON),
            ("claim.merge", f"claim #{target_id}", MERGE_REASON),
            ("source.ai_flag", f"source #{source_id}", FLAG_REASON),
            ("claim.update", f"claim #{target_id}", VERDICT_REASON),
            ("evidence.link", f"claim #{target_id}", None),
            ("source.create", f"source #{source_id}", None),
            ("user.login", None, None),
        ]
        for action, entity, reason in expected:
            row = rows.filter(has=action_code(page, action))
            expect(row).to_have_count(1)
            expect(row.locator("td.what")).to_contain_text(f"{editor} ")  # the sentence's actor
            if entity:
                expect(row.get_by_role("link", name=entity)).to_be_visible()
            if reason:
                expect(row).to_contain_text(reason)
        shown = rows.locator(".action-code").all_inner_texts()
        order = [a for a in shown if a in {e[0] for e in expected}]
        assert order == [e[0] for e in expected], shown

    # 10. Sign out; a cookie copied before the sign-out no longer signs anyone in.
    with watch.step("10 sign out, replay the old cookie"):
        cookies = page.context.cookies()
        assert any(c["name"] == "session" for c in cookies)
        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        assert path_of(page) == "/login"
        expect(page.get_by_text("You are signed out.")).to_be_visible()
        replay = browser.new_context(base_url=base_url)
        try:
            replay.add_cookies(cookies)  # type: ignore[arg-type]
            stale = replay.new_page()
            watch.attach(stale)
            stale.goto(f"/claims/{target_id}")
            assert path_of(stale) == "/login"
            expect(stale.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
        finally:
            replay.close()

    print("steps (s):", watch.steps)
    assert watch.dialogs == []
    assert watch.page_errors == []
    assert watch.console_errors == []
