"""Source pages: the filtered list, one source with its marks, adding a source, the AI flag."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import SEEDS, sign_in
from tracker.models import AiGenerated, AiStatus, AuditEvent, Excerpt, Source, User
from tracker.services.audit.log import Actor
from tracker.services.sources.ingest import ingest_path
from tracker.web.render import cut_segments

SEED_000 = SEEDS / "000_fcc06bfc82dd2c27.txt"
NB_TEXT = (
    "Publisert 14. februar 2023 kl. 07.30\n\n"
    "Stortinget vedtok i dag en ny lov om pressestøtte etter en lang debatt om mediemangfold "
    "i distriktene. Loven trer i kraft fra nyttår, og lokalavisene får mer støtte enn før.\n"
    "Share\n"
)
HTML_DOC = (
    "<html><head><title>Haushalt beschlossen</title>"
    '<meta property="article:published_time" content="2024-03-05T09:30:00+01:00">'
    '<meta name="author" content="Erika Muster"></head><body><article>'
    "<h1>Der Stadtrat hat den Haushalt beschlossen</h1>"
    "<p>Der Stadtrat hat am Dienstag den neuen Haushalt für das kommende Jahr beschlossen. "
    "Die Opposition kritisierte die geplanten Kürzungen bei den Bibliotheken scharf.</p>"
    "</article></body></html>"
)


def _source(session: Session, n: int, **fields: Any) -> Source:
    text = fields.pop("text", f"Source number {n}: some words to quote from, and more words.")
    values: dict[str, Any] = {
        "sha256": hashlib.sha256(f"{n}:{text}".encode()).hexdigest(),
        "text": text,
        "origin": f"s{n}.txt",
        "created_by": "cli:tester",
        "title": f"Title {n}",
    }
    values.update(fields)
    source = Source(**values)
    session.add(source)
    session.flush()
    return source


def _excerpt(session: Session, source: Source, start: int, end: int) -> Excerpt:
    excerpt = Excerpt(
        source=source,
        start_offset=start,
        end_offset=end,
        exact=source.text[start:end],
        created_by="cli:tester",
    )
    session.add(excerpt)
    session.flush()
    return excerpt


def _listed_ids(html: str) -> list[int]:
    return [int(m) for m in re.findall(r'<td><a href="/sources/(\d+)">', html)]


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'<input id="{name}" name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def _count(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- the list -------------------------------------------------------------------------------


@pytest.fixture
def many(session: Session) -> list[Source]:
    """60 sources: every third is German, every fifth by "Geopolitika", some AI-flagged."""
    made = []
    for n in range(60):
        made.append(
            _source(
                session,
                n,
                language="de" if n % 3 == 0 else ("en-GB" if n % 3 == 1 else "en"),
                publisher="Geopolitika" if n % 5 == 0 else "Dagbladet",
                published_at=datetime(2024, 1, 1 + n % 28) if n % 4 else None,
                ai_generated=AiGenerated.YES if n % 7 == 0 else AiGenerated.UNKNOWN,
                ai_status=AiStatus.AI_REVIEWER if n % 7 == 0 else AiStatus.UNKNOWN,
            )
        )
    _excerpt(session, made[-1], 0, 6)
    _excerpt(session, made[-1], 7, 13)
    session.commit()
    return made


def test_list_pages_newest_first(
    signed_in: Callable[[str], FlaskClient], many: list[Source]
) -> None:
    client = signed_in("viewer")
    first = client.get("/sources")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    ids = _listed_ids(html)
    assert len(ids) == 50 and ids == sorted(ids, reverse=True) and ids[0] == many[-1].id
    assert "60 sources, newest first" in html
    assert 'href="/sources?page=2"' in html
    second = _listed_ids(client.get("/sources?page=2").get_data(as_text=True))
    assert len(second) == 10 and not set(ids) & set(second)
    # The excerpt column counts each source's excerpts.
    row = html[html.index(f'<td><a href="/sources/{many[-1].id}">') :]
    assert re.search(r'<td class="num">2</td>', row[: row.index("</tr>")])


def test_list_filters(signed_in: Callable[[str], FlaskClient], many: list[Source]) -> None:
    client = signed_in("viewer")

    def ids(query: str) -> set[int]:
        response = client.get(f"/sources?{query}")
        assert response.status_code == 200, query
        return set(_listed_ids(response.get_data(as_text=True)))

    by_n = {s.id: n for n, s in enumerate(many)}
    assert {by_n[i] for i in ids("language=de")} == {n for n in range(60) if n % 3 == 0}
    # "en" finds "en" and "en-GB"; "en-GB" only itself.
    assert len(ids("language=en")) == 40
    assert {by_n[i] for i in ids("language=en-GB")} == {n for n in range(60) if n % 3 == 1}
    assert {by_n[i] for i in ids("publisher=Geopolitika")} == {n for n in range(0, 60, 5)}
    assert ids("publisher=Geo") == set()  # exact, not a substring
    assert {by_n[i] for i in ids("ai=yes")} == {n for n in range(60) if n % 7 == 0}
    dated = ids("date_from=2024-01-03&date_to=2024-01-04")
    assert {by_n[i] for i in dated} == {n for n in range(60) if n % 4 and n % 28 in (2, 3)}
    both = ids("language=de&publisher=Geopolitika&ai=yes")
    assert {by_n[i] for i in both} == {0}  # n divisible by 3, 5 and 7
    # The pager keeps the filters.
    html = client.get("/sources?ai=unknown").get_data(as_text=True)
    assert "51 sources match these filters" in html
    assert 'href="/sources?page=2&amp;ai=unknown"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=2024-13-45", "“2024-13-45” is not a date: use YYYY-MM-DD"),
        ("date_to=yesterday", "“yesterday” is not a date"),
        ("date_from=2024-05-02&date_to=2024-05-01", "The end date is before the start date."),
        ("ai=maybe", "Not a valid choice"),
    ],
)
def test_bad_filters_are_explained(
    signed_in: Callable[[str], FlaskClient], query: str, message: str
) -> None:
    response = signed_in("viewer").get(f"/sources?{query}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Fix the filters above" in html


def test_list_query_count_does_not_grow_with_rows(
    signed_in: Callable[[str], FlaskClient],
    session: Session,
    count_queries: Callable[[], Any],
) -> None:
    client = signed_in("viewer")
    few = [_source(session, n, publisher="P") for n in range(2)]
    session.commit()
    counter = count_queries()
    assert len(_listed_ids(client.get("/sources").get_data(as_text=True))) == 2
    small = counter.count
    for n in range(2, 50):
        source = _source(session, n, publisher=f"P{n}", language="de")
        _excerpt(session, source, 0, 6)
        session.add(source)
    for source in few:
        _excerpt(session, source, 0, 6)
    session.commit()
    counter.count = 0
    assert len(_listed_ids(client.get("/sources").get_data(as_text=True))) == 50
    assert counter.count == small, counter.statements


# --- one source -----------------------------------------------------------------------------


def test_segments_nest_overlaps_and_keep_code_point_offsets() -> None:
    text = "a😀b\r\ncdéf𝔘g"
    marks = [(1, 6, "excerpt"), (3, 8, "excerpt"), (5, 7, "boilerplate")]
    segments = cut_segments(text, marks, {1: [7], 3: [9, 8]})
    assert "".join(s.text for s in segments) == text
    position = 0
    for segment in segments:
        assert segment.start == position
        position += len(segment.text)
    by_start = {s.start: s for s in segments}
    assert by_start[1].anchors == (7,) and by_start[3].anchors == (8, 9)
    assert by_start[3].text == "\r" and by_start[3].hidden  # the CR of CRLF stands alone
    assert by_start[3].classes == ("excerpt", "excerpt-overlap")
    assert by_start[5].classes == ("boilerplate", "excerpt", "excerpt-overlap")
    assert by_start[8].classes == () and by_start[8].text == "f𝔘g"


def test_source_page_highlights_excerpts(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    text = "Intro 😀 line.\nThe minister said the budget grows by 5 %. Critics disagree."
    source = _source(session, 1, text=text, language="en")
    start = text.index("The minister")
    first = _excerpt(session, source, start, text.index(" Critics"))
    inner = _excerpt(session, source, text.index("the budget"), text.index("Critics") + 7)
    session.commit()
    html = signed_in("viewer").get(f"/sources/{source.id}").get_data(as_text=True)
    assert (
        f'<span data-start="{start}"><span class="excerpt" id="excerpt-{first.id}">The minister'
        in html
    )
    overlap = text.index("the budget")
    assert (
        f'<span data-start="{overlap}"><span class="excerpt excerpt-overlap" '
        f'id="excerpt-{inner.id}">the budget'
    ) in html
    assert f'data-source-id="{source.id}"' in html and f'data-length="{len(text)}"' in html
    assert 'data-new-claim-url="/claims/new"' in html
    assert f'<a href="#excerpt-{first.id}">characters {start}–' in html
    # The offsets are code points: the emoji counts once, as in Python (UTF-16 would say 15).
    assert start == 14


def test_source_page_shows_metadata_and_quote_form(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    result = ingest_path(session, SEED_000, actor=actor)
    session.commit()
    client = signed_in("reviewer")
    html = client.get(f"/sources/{result.source_id}").get_data(as_text=True)
    assert "28 May 2024" in html and "(from “" in html
    assert result.sha256 and result.sha256 in html
    assert "by the detector when the source was added" in html
    assert '<form method="get" action="/claims/new" class="quote-form">' in html
    assert f'<input type="hidden" name="source_id" value="{result.source_id}">' in html
    assert "Quote an excerpt" in html and "js/select.js" in html
    assert 'id="make-excerpt"' in html
    assert "Set the AI flag" not in html  # a reviewer cannot flag


# --- adding a source ------------------------------------------------------------------------


def _preview(client: FlaskClient, **form: Any) -> Any:
    return client.post(
        "/sources/new", data={"action": "preview", **form}, content_type="multipart/form-data"
    )


def _save_from(client: FlaskClient, preview_html: str, **form: Any) -> Any:
    data = {
        "action": "save",
        "content_b64": _hidden(preview_html, "content_b64"),
        "filename": _hidden(preview_html, "filename"),
        "checked_sha256": _hidden(preview_html, "checked_sha256"),
        **form,
    }
    return client.post("/sources/new", data=data, content_type="multipart/form-data")


def test_upload_txt_preview_then_save(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("reviewer")
    assert client.get("/sources/new").status_code == 200
    raw = NB_TEXT.encode()
    preview = _preview(client, upload=(io.BytesIO(raw), "lov.txt"), publisher="NTB")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert '<code>nb</code> <span class="muted">(detected)</span>' in html
    assert "14 Feb 2023, 07:30" in html and "Publisert 14. februar 2023 kl. 07.30" in html
    assert "1 boilerplate, 0 repeated" in html and "none found" in html
    assert '<span class="boilerplate">Share</span>' in html
    assert hashlib.sha256(raw).hexdigest() in html
    assert _count(session, Source) == 0  # the preview writes nothing
    saved = _save_from(client, html, publisher="NTB")
    assert saved.status_code == 302
    source = session.scalar(select(Source))
    assert source is not None and saved.headers["Location"] == f"/sources/{source.id}"
    assert (source.text, source.origin, source.publisher) == (NB_TEXT, "lov.txt", "NTB")
    assert (source.language, source.published_iso) == ("nb", "2023-02-14T07:30:00")
    assert source.created_by == "user:reviewer-user"
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "source.create"))
    assert event.actor == "user:reviewer-user" and event.entity_id == str(source.id)
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert f"Source {source.id} added." in page and "Stortinget vedtok" in page


def test_upload_html_preview_then_save(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("reviewer")
    preview = _preview(client, upload=(io.BytesIO(HTML_DOC.encode()), "haushalt.html"))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert "<code>de</code>" in html and "Haushalt beschlossen" in html
    assert "5 Mar 2024, 09:30 (UTC+01:00)" in html and "found in the text" in html
    assert "<script" not in html.split("</head>", 1)[1].split("<pre", 1)[1].split("</pre>")[0]
    saved = _save_from(client, html)
    assert saved.status_code == 302
    source = session.scalar(select(Source))
    assert source is not None
    assert (source.content_type, source.title, source.author) == (
        "text/html",
        "Haushalt beschlossen",
        "Erika Muster",
    )
    assert source.published_iso == "2024-03-05T09:30:00+01:00"
    assert source.text.startswith("Der Stadtrat hat den Haushalt beschlossen")
    assert _count(session, AuditEvent) >= 1


def test_paste_with_given_date_overrides_the_detected_one(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("reviewer")
    pasted = NB_TEXT.replace("\n", "\r\n")  # browsers send a textarea's line breaks as CRLF
    form = {"text": pasted, "published": "28. mai 2024", "title": "Pressestøtte"}
    preview = _preview(client, **form)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html
    assert '28 May 2024 <span class="muted">(given: “28. mai 2024”)</span>' in html
    assert _hidden(html, "checked_sha256") == hashlib.sha256(NB_TEXT.encode()).hexdigest()
    saved = _save_from(client, html, **form)
    assert saved.status_code == 302
    source = session.scalar(select(Source))
    assert source is not None
    assert source.text == NB_TEXT and "\r" not in source.text
    assert (source.title, source.origin, source.published_iso) == (
        "Pressestøtte",
        "pasted text",
        "2024-05-28",
    )
    actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["source.create", "source.published"]


def test_save_of_a_changed_text_shows_the_preview_again(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("reviewer")
    html = _preview(client, text=NB_TEXT).get_data(as_text=True)
    changed = _save_from(client, html, text=NB_TEXT + "Ett ord til.")
    assert changed.status_code == 200
    assert "The text changed since the last preview" in changed.get_data(as_text=True)
    assert _count(session, Source) == 0


def test_duplicate_is_a_409_with_a_link(
    signed_in: Callable[[str], FlaskClient], session: Session, actor: Actor
) -> None:
    existing = ingest_path(session, SEED_000, actor=actor)
    session.commit()
    before = (_count(session, Source), _count(session, AuditEvent))
    client = signed_in("reviewer")
    preview = _preview(client, upload=(io.BytesIO(SEED_000.read_bytes()), "copy.txt"))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 409
    assert "already in the tracker" in html
    assert f'<a href="/sources/{existing.source_id}">source {existing.source_id}</a>' in html
    assert "Save the source" not in html
    saved = client.post(
        "/sources/new",
        data={
            "action": "save",
            "text": SEED_000.read_text(),
            "checked_sha256": existing.sha256,
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 409
    assert (_count(session, Source), _count(session, AuditEvent)) == (before[0], before[1] + 2)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"upload": (b"", "empty.txt")}, "file is empty"),
        ({"upload": (b"\x00\x01binary\x00", "blob.txt")}, "NUL bytes"),
        ({"upload": (b"\xff\xfe broken", "bad.txt")}, "UTF-16"),
        ({"upload": (b"fine text here", "x.pdf")}, "unsupported file type &#39;.pdf&#39;"),
        ({"text": "   \n  "}, "Paste a text or choose a file."),
        ({"text": NB_TEXT, "url": "javascript:alert(1)"}, "url must start with http://"),
        ({"text": NB_TEXT, "language": "not a tag"}, "is not a BCP-47 language tag"),
        ({"text": NB_TEXT, "published": "some day"}, "cannot read &#39;some day&#39; as a date"),
        ({"text": NB_TEXT, "upload": (b"more", "two.txt")}, "not both"),
        ({"text": NB_TEXT * 40}, "text is too large"),
        ({"upload": (NB_TEXT.encode() * 40, "big.txt")}, "file is too large"),
    ],
)
@pytest.mark.parametrize("action", ["preview", "save"])
def test_refusals_are_422_and_write_nothing(
    app: Flask,
    signed_in: Callable[[str], FlaskClient],
    session: Session,
    form: dict[str, Any],
    message: str,
    action: str,
) -> None:
    app.config["MAX_SOURCE_BYTES"] = 4000
    client = signed_in("reviewer")
    data = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v for k, v in form.items()}
    if action == "save":
        text = form.get("text", "")
        data["checked_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    before = _count(session, AuditEvent)
    response = client.post(
        "/sources/new", data={"action": action, **data}, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(session, Source) == 0 and _count(session, AuditEvent) == before


def test_viewer_cannot_add_sources(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("viewer")
    assert client.get("/sources/new").status_code == 403
    response = _preview(client, text=NB_TEXT)
    assert response.status_code == 403
    assert _count(session, Source) == 0
    assert "Add a source" not in client.get("/sources").get_data(as_text=True)


# --- the AI flag ----------------------------------------------------------------------------


def _flag_events(session: Session) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "source.ai_flag")))


def test_editor_flags_a_source(signed_in: Callable[[str], FlaskClient], session: Session) -> None:
    source = _source(session, 1, language="en")
    session.commit()
    client = signed_in("editor")
    page = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert "Set the AI flag" in page and "Not set by anyone" in page
    response = client.post(
        f"/sources/{source.id}/flag",
        data={"status": "ai_reviewer", "reason": "Footer: written by a bot"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sources/{source.id}#ai-flag"
    html = client.get(f"/sources/{source.id}").get_data(as_text=True)
    assert "AI status set to “AI-generated (reviewer)”." in html
    assert "by hand by user:editor-user" in html and "Footer: written by a bot" in html
    session.expire_all()
    assert session.get(Source, source.id).ai_generated == AiGenerated.YES  # type: ignore[union-attr]
    [event] = _flag_events(session)
    assert event.actor == "user:editor-user" and event.reason == "Footer: written by a bot"
    assert event.changes["ai_generated"] == {"before": "unknown", "after": "yes"}
    listed = client.get("/sources?ai=yes").get_data(as_text=True)
    assert 'AI-generated (reviewer)</span> <small class="muted">(set by hand)</small>' in listed
    again = client.post(
        f"/sources/{source.id}/flag",
        data={"status": "ai_reviewer", "reason": "Footer: written by a bot"},
    )
    assert again.status_code == 302 and len(_flag_events(session)) == 1
    assert "Nothing changed" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_flag_refusals(app: Flask, make_user: Callable[..., User], session: Session) -> None:
    source = _source(session, 1)
    session.commit()
    reviewer = app.test_client()
    sign_in(reviewer, make_user("reviewer").username)
    assert (
        reviewer.post(
            f"/sources/{source.id}/flag", data={"status": "ai_reviewer", "reason": "r"}
        ).status_code
        == 403
    )
    editor = app.test_client()
    sign_in(editor, make_user("editor").username)
    no_reason = editor.post(
        f"/sources/{source.id}/flag", data={"status": "ai_reviewer", "reason": "  "}
    )
    assert no_reason.status_code == 422
    assert "Give a reason for the flag." in no_reason.get_data(as_text=True)
    bad = editor.post(f"/sources/{source.id}/flag", data={"status": "maybe", "reason": "r"})
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)
    missing = editor.post("/sources/987654/flag", data={"status": "ai_reviewer", "reason": "r"})
    assert missing.status_code == 404
    session.expire_all()
    stored = session.get(Source, source.id)
    assert stored is not None and stored.ai_generated == AiGenerated.UNKNOWN
    assert stored.ai_flag_by is None and _flag_events(session) == []


# --- escaping -------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def test_user_text_is_escaped_everywhere(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    text = f"Before {SCRIPT} middle {IMG} after, with enough words to be a text."
    source = _source(
        session,
        1,
        text=text,
        title=f"{SCRIPT}{IMG}",
        publisher=IMG,
        author=SCRIPT,
        url="javascript:alert(document.domain)",
        published_text=IMG,
        published_at=datetime(2024, 1, 2),
        ai_generated=AiGenerated.YES,
        ai_flag_reason=f"{SCRIPT}{IMG}",
        ai_flag_by="user:x",
    )
    _excerpt(session, source, text.index("<script>"), text.index(" after"))
    session.commit()
    client = signed_in("reviewer")
    pages = {
        "source": client.get(f"/sources/{source.id}").get_data(as_text=True),
        "list": client.get(f"/sources?publisher={IMG}").get_data(as_text=True),
        "preview": _preview(client, text=text + " Stortinget vedtok en lov.", title=IMG).get_data(
            as_text=True
        ),
    }
    for name, html in pages.items():
        assert SCRIPT not in html, name
        assert "<img" not in html, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
        assert 'href="javascript' not in html.lower(), name
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in pages["source"]
    assert _listed_ids(pages["list"]) == [source.id]


# --- select.js in a real browser ------------------------------------------------------------


def _browser_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


SELECT_TEXT = "Intro 😀 line\r\nThe 𝔘nicode minister 😀 said: the budget grows.\r\nEnd 𝔘."

# Puts the selection at UTF-16 offsets of the text's DOM content (anchor, focus), then lifts
# the mouse; returns the link the page offers.
SELECT_JS = """([anchor, focus]) => {
  const pre = document.getElementById("source-text");
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  const point = (target) => {
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      if (seen + node.data.length >= target) { return [node, target - seen]; }
      seen += node.data.length;
    }
    throw new Error("offset past the text");
  };
  const a = point(anchor); walker.currentNode = pre; const f = point(focus);
  window.getSelection().setBaseAndExtent(a[0], a[1], f[0], f[1]);
  pre.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
  const bar = document.getElementById("selection-bar");
  return bar.hidden ? null : document.getElementById("make-excerpt").getAttribute("href");
}"""

# Selects the whole text as an element range (boundary points on the <pre>), by keyboard.
SELECT_ALL_JS = """() => {
  const range = document.createRange();
  range.selectNodeContents(document.getElementById("source-text"));
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
  document.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  return document.getElementById("make-excerpt").getAttribute("href");
}"""


def _browse(files: dict[str, tuple[str, bytes]], steps: Callable[[Any], Any]) -> Any:
    """Open the prefetched ``files`` (path -> (content type, body)) in Chromium, offline, and run
    ``steps(page)`` on the first one. Runs in a thread of its own: Playwright's sync API refuses
    a thread where another Playwright session (the e2e suite's) is running."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _browser_path()
    if executable is None:
        pytest.skip("no Chromium on this machine")
    outcome: dict[str, Any] = {}

    def serve(route: Any) -> None:
        path = route.request.url.removeprefix("http://tracker.test")
        content_type, body = files.get(path, ("text/plain", b""))
        route.fulfill(status=200 if path in files else 404, content_type=content_type, body=body)

    def run() -> None:
        try:
            with sync_api.sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
                try:
                    page = browser.new_page()
                    page.route("**/*", serve)
                    page.goto("http://tracker.test" + next(iter(files)))
                    page.wait_for_function("document.readyState === 'complete'")
                    outcome["value"] = steps(page)
                finally:
                    browser.close()
        except BaseException as exc:  # handed to the test's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="select-js-browser")
    worker.start()
    worker.join(120)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.e2e
def test_select_js_gives_code_point_offsets(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    source = _source(session, 1, text=SELECT_TEXT)
    text = SELECT_TEXT
    _excerpt(session, source, text.index("minister"), text.index(" 😀 said"))
    session.commit()
    client = signed_in("reviewer")
    page_path = f"/sources/{source.id}"
    html = client.get(page_path).get_data()
    files = {page_path: ("text/html", html)}
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+)"', html):
        with client.get(asset.decode()) as response:  # static files stay open until closed
            files[asset.decode()] = (response.content_type, response.get_data())
    assert "/static/js/select.js" in files

    def utf16(index: int) -> int:
        return len(text[:index].encode("utf-16-le")) // 2

    start, end = text.index("𝔘nicode"), text.index("said") + 2
    cases = [
        ((utf16(start), utf16(end)), (start, end)),
        ((utf16(end), utf16(start)), (start, end)),  # selected backwards
        ((utf16(text.index("End")), utf16(len(text))), (text.index("End"), len(text))),
    ]

    def steps(page: Any) -> dict[str, Any]:
        return {
            "bar_hidden": page.is_hidden("#selection-bar"),
            "hint_visible": page.is_visible("#select-hint"),
            "hrefs": [page.evaluate(SELECT_JS, list(points)) for points, _ in cases],
            "collapsed": page.evaluate(SELECT_JS, [utf16(5), utf16(5)]),
            "whole": page.evaluate(SELECT_ALL_JS),
        }

    seen = _browse(files, steps)
    assert seen["bar_hidden"] and seen["hint_visible"]
    link = f"/claims/new?source_id={source.id}"
    assert seen["hrefs"] == [f"{link}&start={s}&end={e}" for _, (s, e) in cases]
    assert seen["collapsed"] is None  # nothing selected: no link offered
    assert seen["whole"] == f"{link}&start=0&end={len(text)}"


def test_the_ai_filter_speaks_the_status_vocabulary(
    signed_in: Callable[[str], FlaskClient],
) -> None:
    page = signed_in("viewer").get("/sources").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="ai".*?</select>', page, re.S)
    assert select is not None
    labels = [
        re.sub(r"<[^>]+>", "", o).strip()
        for o in re.findall(r"<option.*?</option>", select.group(0), re.S)
    ]
    assert "suspected AI" in labels and "AI-generated (disclosed)" in labels
    assert "yes" not in labels and "no" not in labels  # no raw codes
