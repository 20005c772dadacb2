"""Hostile input against every form of the web app (issue 8, scenario 5).

Each test draws form fields from the corpus (tests/hostile/corpus.py) with hypothesis and
posts them byte for byte, CSRF token included, to an app that checks CSRF. Every submission
goes through ``Probe.check``: no 5xx or traceback, a refusal is 400/413/422 (or the status
named) with a message and no database change, every page is inert; an accepted payload is
then looked at on the pages that show it. The budget: tests/hostile/strategies.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import PASSWORD
from tests.helpers.api import QUOTE
from tests.hostile import corpus
from tests.hostile.strategies import (
    ANY_TEXT,
    choice,
    full_run,
    hostile_settings,
    ids,
    maybe_bytes,
    numbers,
    texts,
    urls,
    weighted,
)
from tests.hostile.web import MAX_SOURCE_BYTES, Desk, csrf_of, make_desk
from tracker.models import AiStatus, Role, Stance, User, Verdict
from tracker.services.accounts.users import set_password
from tracker.services.audit.log import Actor

VERDICTS = [v.value for v in Verdict]
STANCES = [s.value for s in Stance]
LANGUAGES = ["en", "de", "nb", "en-GB", ""]
CLAIM_TEXTS = ["The parliament ratified the defence treaty", "Prices rose by 45 percent"]
REFUSED = (400, 413, 422)


def optional(**fields: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the fields."""
    return st.fixed_dictionaries({}, optional=fields)


@pytest.fixture
def desk(
    engine: Engine,
    session_factory: sessionmaker[Session],
    session: Session,
    actor: Actor,
    make_user: Callable[..., User],
) -> Iterator[Desk]:
    yield make_desk("web", engine, session_factory, session, actor, make_user)


# --- signing in -------------------------------------------------------------------------------

ADDRESSES = [f"198.51.100.{n}" for n in range(1, 6)]


def _one_audit_event(diff: dict[str, tuple[int, int]]) -> bool:
    """A failed or throttled sign-in writes its audit event and nothing else."""
    return set(diff) == {"audit_events"} and diff["audit_events"][1] == diff["audit_events"][0] + 1


@hostile_settings(0.03)
@given(
    fields=optional(
        username=maybe_bytes(texts(plain=["root", "victim", "nobody"])),
        password=maybe_bytes(texts(big=True, plain=[PASSWORD, "wrong password"])),
        next=maybe_bytes(urls()),
        csrf_token=maybe_bytes(texts()),
    ),
    address=st.sampled_from(ADDRESSES),
)
def test_login(desk: Desk, fields: dict[str, Any], address: str) -> None:
    anonymous = desk.new_client()
    anonymous.environ_base["REMOTE_ADDR"] = address
    token = csrf_of(anonymous)
    response = desk.probe.check(
        lambda: desk.post("/login", fields, client=anonymous, token=token),
        what=f"POST /login {fields!r}"[:300],
        refusals=(*REFUSED, 401, 429),
        writes_on_refusal=_one_audit_event,
    )
    if response.status_code == 302:
        target = response.headers["Location"]
        assert target.startswith(("/", "http://localhost/")) and not target.startswith("//")


@hostile_settings(0.02)
@given(
    fields=optional(
        current=maybe_bytes(texts(plain=[PASSWORD])),
        new=maybe_bytes(texts(big=True, plain=["a much longer passphrase 1", "short"])),
    )
)
@example(fields={"current": PASSWORD, "new": corpus.SCRIPTS[0] + " \u202e long passphrase"})
def test_password_change(desk: Desk, fields: dict[str, Any]) -> None:
    response = desk.submit("POST /account/password", "/account/password", fields)
    if response.status_code == 302:  # the admin's password changed: put it back
        assert fields.get("current") == PASSWORD
        root = desk.session.scalar(select(User).where(User.username == "root"))
        assert root is not None
        set_password(desk.session, root, PASSWORD, actor=Actor.system("hostile-test"))
        desk.session.commit()


# --- sources ----------------------------------------------------------------------------------

SOURCE_FIELDS = {
    "title": maybe_bytes(texts(plain=["A title"])),
    "publisher": maybe_bytes(texts(plain=["Daily Example", "Other Desk"])),
    "url": maybe_bytes(urls()),
    "author": maybe_bytes(texts(plain=["A. Writer"])),
    "language": choice(LANGUAGES, corpus.STRINGS),
    "published": maybe_bytes(texts(plain=["2024-05-28", "28. mai 2024", "yesterday"])),
}


def _save_after_preview(desk: Desk, fields: dict[str, Any], response: Any, what: str) -> None:
    """A preview that shows the text offers to save it: save it, as the user would."""
    page = response.get_data(as_text=True)
    if response.status_code != 200 or 'value="save"' not in page:
        return
    token = page.split('name="checked_sha256"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    carried = {}
    for name in ("content_b64", "filename"):
        if f'name="{name}"' in page:
            part = page.split(f'name="{name}"', 1)[1]
            carried[name] = (
                part.split('value="', 1)[1].split('"', 1)[0] if 'value="' in part else ""
            )
    saved = desk.submit(
        what + " (save)",
        "/sources/new",
        {**fields, **carried, "action": "save", "checked_sha256": token},
        refusals=(*REFUSED, 409),
    )
    if saved.status_code == 302:
        location = saved.headers["Location"]
        desk.shows(what, location, "/sources", "/", "/publishers")


@hostile_settings(0.05)
@given(
    text=maybe_bytes(
        texts(big=full_run(), plain=["The mayor said the bridge will reopen in May, officials."])
    ),
    fields=optional(**SOURCE_FIELDS),
)
@example(text=corpus.big_text(), fields={"title": corpus.SCRIPTS[0], "url": corpus.URLS[0]})
@example(text=corpus.megabyte_field(), fields={"publisher": corpus.FORMULAS[0]})
def test_source_paste(desk: Desk, text: Any, fields: dict[str, Any]) -> None:
    what = f"paste {text!r:.120} {fields!r:.200}"
    data = {**fields, "text": text, "action": "preview"}
    response = desk.submit(what, "/sources/new", data, refusals=(*REFUSED, 409))
    _save_after_preview(desk, data, response, what)


# name -> content, made when drawn (hypothesis reports the name only)
UPLOADS: dict[str, Callable[[], bytes]] = {
    "bomb.txt": corpus.zip_bomb,
    "bomb.html": corpus.zip_bomb,
    "bomb.gz.txt": corpus.gzip_bomb,
    "nested.html": corpus.nested_html,
    "nested-span.html": lambda: corpus.nested_html(100_000, "span"),
    "big.txt": lambda: corpus.big_text().encode(),
    "too-big.txt": lambda: b"a" * (MAX_SOURCE_BYTES + 1),
    **{f"page{n}.html": partial(bytes, doc) for n, doc in enumerate(corpus.HTML_DOCUMENTS)},
    **{f"{what}.txt": partial(bytes, blob) for what, blob in corpus.binary_blobs()},
}
FILENAMES = [
    "x.exe",
    "../../etc/passwd.txt",
    "C:\\Users\\x\\doc.html",
    "\u202etxt.exe",
    "name\x00.txt",
    "a" * 300 + ".txt",
    "",
    ".txt",
    "noext",
]


@hostile_settings(0.04)
@given(
    upload=st.sampled_from(sorted(UPLOADS)),
    rename=st.one_of(st.none(), st.sampled_from(FILENAMES), ANY_TEXT.map(lambda t: t + ".txt")),
    fields=optional(**SOURCE_FIELDS),
)
def test_source_upload(desk: Desk, upload: str, rename: str | None, fields: dict[str, Any]) -> None:
    content = UPLOADS[upload]()
    name = upload if rename is None else rename
    what = f"upload {name!r:.80} ({len(content)} bytes) {fields!r:.200}"

    data = {
        k: v.decode("utf-8", "replace") if isinstance(v, bytes) else v for k, v in fields.items()
    }
    data |= {"action": "preview"}
    response = desk.probe.check(
        lambda: desk.upload("/sources/new", data, content, name),
        what=what,
        refusals=(*REFUSED, 409),
    )
    _save_after_preview(desk, {**fields, "text": ""}, response, what)


def test_an_oversized_upload_is_413(desk: Desk) -> None:
    content = b"x" * (desk.app.config["MAX_CONTENT_LENGTH"] + 1)
    response = desk.probe.check(
        lambda: desk.upload("/sources/new", {}, content, "huge.txt"),
        what="upload over MAX_CONTENT_LENGTH",
        refusals=(413,),
    )
    assert response.status_code == 413


@hostile_settings(0.02)
@given(
    fields=optional(
        status=choice([s.value for s in AiStatus], corpus.VERDICT_TEXTS),
        reason=maybe_bytes(texts(big=True, plain=["checked with the author"])),
    ),
    which=st.sampled_from(["source_id", "other_source_id", "missing"]),
)
def test_source_ai_flag(desk: Desk, fields: dict[str, Any], which: str) -> None:
    source_id = getattr(desk, which) if which != "missing" else 10**6
    path = f"/sources/{source_id}/flag"
    response = desk.submit(f"POST {path} {fields!r:.300}", path, fields, (*REFUSED, 404))
    if response.status_code == 302:
        desk.shows(f"flag {fields!r:.100}", f"/sources/{source_id}", "/audit", "/")


@hostile_settings(0.02)
@given(
    fields=optional(
        publisher_id=ids(),
        flag=choice(["on", "off"]),
        reason=maybe_bytes(texts(big=True, plain=["known content farm"])),
    ),
    own=st.booleans(),
)
def test_publisher_flag(desk: Desk, fields: dict[str, Any], own: bool) -> None:
    if own:
        fields = {**fields, "publisher_id": str(desk.publisher_id)}
    response = desk.submit(
        f"publisher flag {fields!r:.300}", "/publishers/flag", fields, (*REFUSED, 404)
    )
    if response.status_code == 302:
        desk.shows("publisher flag", "/publishers", "/audit")


# --- claims -------------------------------------------------------------------------------------


def _claim_fields(desk_claims: list[int]) -> st.SearchStrategy[dict[str, Any]]:
    return optional(
        text=maybe_bytes(texts(big=True, plain=CLAIM_TEXTS)),
        language=choice(LANGUAGES, corpus.STRINGS),
        stance=choice(STANCES),
        confidence=numbers(),
        verdict=choice(VERDICTS),
        proposed_verdict=choice(["", *VERDICTS[1:]]),
        rationale=maybe_bytes(texts(big=True, plain=["Checked against the record."])),
        source_id=ids([1, 2]),
        start=numbers(["0", "4", "20"]),
        end=numbers(["10", "40", "99999"]),
        quote=maybe_bytes(texts(big=True, plain=[QUOTE, QUOTE[:20], "ratifed the defense treaty"])),
        occurrence=numbers(["1", "2"]),
        link_to=ids(desk_claims),
        action=choice(["check", "create", "link"], corpus.STRINGS),
    )


@hostile_settings(0.06)
@given(data=st.data())
def test_add_claim(desk: Desk, data: st.DataObject) -> None:
    fields = data.draw(_claim_fields(desk.claim_ids))
    what = f"POST /claims/new {fields!r:.400}"
    response = desk.submit(what, "/claims/new", fields, (*REFUSED, 404))
    if response.status_code == 302:
        location = response.headers["Location"]
        desk.shows(what, location, "/claims", "/", "/search?text=parliament", "/duplicates")


@hostile_settings(0.05)
@given(
    fields=optional(
        text=maybe_bytes(texts(big=True, plain=CLAIM_TEXTS)),
        language=choice(LANGUAGES, corpus.STRINGS),
        verdict=choice(VERDICTS),
        confidence=numbers(),
        rationale=maybe_bytes(texts(big=True, plain=["Because."])),
        reason=maybe_bytes(texts(big=True, plain=["new evidence"])),
        override_reason=maybe_bytes(texts(plain=["reviewed by hand"])),
        version=numbers(["1"]),
    ),
    which=st.integers(0, 2),
    current=st.booleans(),
)
def test_edit_claim(desk: Desk, fields: dict[str, Any], which: int, current: bool) -> None:
    claim_id = desk.claim_ids[which]
    if current:
        fields = {**fields, "version": str(desk.claim(claim_id).version)}
    path = f"/claims/{claim_id}/edit"
    response = desk.submit(f"POST {path} {fields!r:.400}", path, fields, (*REFUSED, 409))
    if response.status_code == 302:
        desk.shows(f"edit {fields!r:.200}", f"/claims/{claim_id}", path, "/claims", "/")


@hostile_settings(0.05)
@given(
    form=st.sampled_from(["merge", "unmerge", "revert", "dup-merge", "distinct", "skip"]),
    fields=optional(
        target_id=ids([1, 2, 3]),
        claim_id=ids([1, 2, 3]),
        other_id=ids([1, 2, 3]),
        keep=choice(["older", "newer"]),
        reason=maybe_bytes(texts(big=True, plain=["same claim, reworded"])),
        to_version=numbers(["1", "2"]),
        version=numbers(["1", "2"]),
        override_reason=maybe_bytes(texts()),
        group=choice(["1-2", "2-3", "1-2-3"], corpus.STRINGS),
    ),
    which=st.integers(0, 2),
)
def test_merge_unmerge_distinct(desk: Desk, form: str, fields: dict[str, Any], which: int) -> None:
    claim_id = desk.claim_ids[which]
    path = {
        "merge": f"/claims/{claim_id}/merge",
        "unmerge": f"/claims/{claim_id}/unmerge",
        "revert": f"/claims/{claim_id}/revert",
        "dup-merge": "/duplicates/merge",
        "distinct": "/duplicates/distinct",
        "skip": "/duplicates/skip",
    }[form]
    response = desk.submit(f"POST {path} {fields!r:.400}", path, fields, (*REFUSED, 404, 409))
    if response.status_code == 302:
        pages = [f"/claims/{c}" for c in desk.claim_ids]
        desk.shows(f"{form} {fields!r:.200}", *pages, "/duplicates", "/audit", "/")


# --- administration -------------------------------------------------------------------------------


@hostile_settings(0.03)
@given(
    form=st.sampled_from(["add", "remove"]),
    fields=optional(
        surface=maybe_bytes(texts(plain=["Pjöngjang", "DPRK", "the Kremlin"])),
        canonical=choice(["north_korea", "russia", "x"], corpus.STRINGS),
        remove_surface=maybe_bytes(texts(plain=["dprk", "pjöngjang"])),
        remove_reason=maybe_bytes(texts(big=True, plain=["wrong entity"])),
    ),
)
def test_aliases(desk: Desk, form: str, fields: dict[str, Any]) -> None:
    path = f"/aliases/{form}"
    response = desk.submit(f"POST {path} {fields!r:.300}", path, fields, (*REFUSED, 404, 409))
    if response.status_code == 302:
        desk.shows(f"alias {fields!r:.200}", "/aliases", "/aliases?q=korea", "/audit")


@hostile_settings(0.04)
@given(
    form=st.sampled_from(["new", "role", "deactivate", "reactivate", "password"]),
    fields=optional(
        username=maybe_bytes(texts(plain=["newsdesk", "r\u00f6sti"])),
        display_name=maybe_bytes(texts(big=True, plain=["Night Desk"])),
        role=choice([r.value for r in Role], corpus.STRINGS),
        password=maybe_bytes(texts(big=True, plain=["a very long passphrase 42"])),
        role_reason=maybe_bytes(texts(plain=["promotion"])),
        active_reason=maybe_bytes(texts(plain=["left the desk"])),
        new_password=maybe_bytes(texts(big=True, plain=["another long passphrase 7"])),
        reset_reason=maybe_bytes(texts(plain=["forgot it"])),
    ),
    target=st.sampled_from(["victim", "missing"]),
)
def test_users_admin(desk: Desk, form: str, fields: dict[str, Any], target: str) -> None:
    user_id = desk.victim_id if target == "victim" else 10**6
    path = "/users/new" if form == "new" else f"/users/{user_id}/{form}"
    response = desk.submit(f"POST {path} {fields!r:.300}", path, fields, (*REFUSED, 404, 409))
    if response.status_code == 302:
        desk.shows(f"users {fields!r:.200}", "/users", f"/users?user={desk.victim_id}", "/audit")
    else:
        assert response.status_code != 403  # the admin is never denied its own forms


# --- reading: filters, searches, query parameters -----------------------------------------------

READS: dict[str, dict[str, Any]] = {
    "/audit": dict.fromkeys(("actor", "action", "entity_type", "entity_id", "text"), None)
    | {"since": "time", "until": "time", "page": "number"},
    "/audit/export.csv": {"actor": None, "since": "time", "until": "time", "text": None},
    "/audit/export.ndjson": {"action": None, "entity_type": None, "until": "time"},
    "/audit/reports/confidence-jumps": {"since": "time", "actor": None, "points": "number"},
    "/audit/reports/sources-reflagged": {"after_link_only": None, "until": "time"},
    "/audit/reports/activity/export.csv": {"since": "time", "points": "number"},
    "/search": {"text": None, "verdict": "verdict", "min_conf": "number", "max_conf": "number"}
    | {"language": None, "source_id": "number", "ai_only": None, "page": "number"},
    "/sources": {"language": None, "publisher": None, "ai": None, "date_from": "time"}
    | {"date_to": "time", "page": "number"},
    "/claims": {"verdict": "verdict", "language": None, "merged": None, "page": "number"},
    "/claims/candidates": {"text": None, "language": None},
    "/claims/new": {"text": None, "language": None, "quote": None, "source_id": "number"}
    | {"start": "number", "end": "number", "occurrence": "number"},
    "/claims/1/as-of": {"at": "time"},
    "/aliases": {"q": None, "remove": None},
    "/users": {"user": "number"},
    "/login": {"next": "url"},
    "/duplicates": {"page": "number"},
    "/": {"page": "number"},
}
KINDS: dict[str | None, st.SearchStrategy[Any]] = {
    None: maybe_bytes(texts(plain=["root", "claim.", "claim", "parliament", "en"])),
    "time": maybe_bytes(texts(plain=["7d", "2024-05-28", "yesterday", "9999-12-31 23:59"])),
    "number": numbers(["1", "2", "0"]),
    "verdict": choice(VERDICTS),
    "url": urls(),
}


@hostile_settings(0.08)
@given(path=st.sampled_from(sorted(READS)), data=st.data())
def test_get_parameters(desk: Desk, path: str, data: st.DataObject) -> None:
    params = {name: KINDS[kind] for name, kind in READS[path].items()}
    fields = data.draw(optional(**params, junk=ANY_TEXT))
    desk.read(f"GET {path} {fields!r:.300}", path, fields, refusals=(400, 404, 413, 422))


# --- raw requests: bytes that are not UTF-8, broken bodies, bad tokens --------------------------

RAW_PATHS = ["/search", "/audit", "/claims/new", "/sources/new", "/aliases/add", "/login"]


@hostile_settings(0.03)
@given(
    path=st.sampled_from(RAW_PATHS),
    method=st.sampled_from(["GET", "POST"]),
    query=st.binary(max_size=40) | st.sampled_from(corpus.INVALID_UTF8),
    body=st.binary(max_size=200) | st.sampled_from([b"text=\xff\x00", b"%", b"a=%zz&&=&"]),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=x",
            "application/json",
            "text/plain; charset=utf-16",
        ]
    ),
    token=weighted((3, st.just("valid")), (1, texts())),
)
def test_raw_requests(
    desk: Desk, path: str, method: str, query: bytes, body: bytes, content_type: str, token: str
) -> None:
    csrf = desk.token if token == "valid" else token.encode("utf-8", "surrogatepass")
    payload = body + b"&csrf_token=" + (csrf.encode() if isinstance(csrf, str) else csrf)

    def send() -> Any:
        environ = {"QUERY_STRING": query.decode("latin-1")}
        if method == "GET":
            return desk.client.get(path, environ_overrides=environ)
        return desk.client.post(
            path, data=payload, content_type=content_type, environ_overrides=environ
        )

    desk.probe.check(
        send, what=f"{method} {path}?{query!r} {payload!r:.200}", refusals=(*REFUSED, 404, 405, 409)
    )


@pytest.mark.parametrize(
    "raw", [b"/claims/\xff", b"/sources/%ff", b"/claims/1/\xed\xa0\x80", b"/\x00"]
)
def test_paths_that_are_not_utf8(desk: Desk, raw: bytes) -> None:
    desk.probe.check(
        lambda: desk.client.get("/", environ_overrides={"PATH_INFO": raw.decode("latin-1")}),
        what=f"GET {raw!r}",
        refusals=(400, 404),
        may_write=False,
    )


def test_csrf_is_checked_before_any_hostile_field(desk: Desk, session: Session) -> None:
    fields = {"text": corpus.SCRIPTS[0], "csrf_token": "forged"}
    response = desk.submit("forged CSRF token", "/claims/new", fields, refusals=(400,))
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_a_stored_script_shows_escaped(desk: Desk, session: Session) -> None:
    """The check that every page is inert can fail: the payload is stored and shown."""
    fields = {"text": corpus.SCRIPTS[0], "action": "create"}
    response = desk.submit("script claim", "/claims/new", fields)
    assert response.status_code == 302
    page = desk.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page and corpus.SCRIPTS[0] not in page
