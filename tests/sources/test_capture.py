"""Sources fetched by URL: fetching safely, extraction, archive, recapture, versions,
re-anchoring and the watch lease. Pages come from a web server on loopback
(tests/helpers/local_web.py); the fetcher may reach loopback only because the ``local_web``
fixture allows 127.0.0.0/8."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from warcio.archiveiterator import ArchiveIterator

from tests.helpers.local_web import LOOPBACK, PAGES, LocalWeb, Route
from tracker.config import FetchSettings, fetch_settings
from tracker.db import make_engine, make_sessionmaker
from tracker.migrate import upgrade
from tracker.models import (
    AuditEvent,
    ExcerptAnchor,
    ImmutableFieldError,
    Source,
    SourceCapture,
    SourceVersion,
    SourceWatch,
)
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.capture import capture_url, recapture
from tracker.services.sources.excerpts import excerpt_from_quote
from tracker.services.sources.fetch import USER_AGENT, FetchRefused, fetch_url
from tracker.services.sources.watch import claim_watch, due_watches, release_watch, set_interval


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- fetching: what is refused ---------------------------------------------------------------


def test_loopback_is_refused_without_the_setting(local_web: LocalWeb) -> None:
    url = local_web.page("/en", "en.html")
    with pytest.raises(FetchRefused, match="loopback, private"):
        fetch_url(url, FetchSettings(timeout=3))
    assert local_web.requests == []  # refused before connecting


def test_allow_private_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_FETCH_ALLOW_PRIVATE", "1")
    assert fetch_settings().allow_private is True
    monkeypatch.setenv("TRACKER_FETCH_ALLOW_PRIVATE", "10.0.0.0/8, ::1")
    assert [str(n) for n in fetch_settings().allow_private] == ["10.0.0.0/8", "::1/128"]  # type: ignore[union-attr]
    monkeypatch.setenv("TRACKER_FETCH_ALLOW_PRIVATE", "intranet")
    with pytest.raises(ValueError, match="list of networks"):
        fetch_settings()


@pytest.mark.parametrize(
    "url", ["ftp://example.org/file", "file:///etc/passwd", "javascript:alert(1)", "http:///x"]
)
def test_only_http_urls_with_a_host(url: str, settings: FetchSettings) -> None:
    with pytest.raises(FetchRefused):
        fetch_url(url, settings)


@pytest.mark.parametrize(
    "url",
    [
        "http://exa mple.org/",
        "http://[::1/",
        "http://example.org:99999/",
        "http://ex%00ample.org/",
        "http://bücher.example/",
        "http://user:secret@example.org/",
        "https://" + "a" * 2000,
        "http://-/",
    ],
)
def test_malformed_urls_are_refused_cleanly(url: str, settings: FetchSettings) -> None:
    with pytest.raises(FetchRefused):
        fetch_url(url, settings)


@pytest.mark.parametrize(
    "address", ["10.1.2.3", "192.168.0.1", "169.254.169.254", "224.0.0.1", "240.0.0.1", "[::1]"]
)
def test_redirect_to_a_private_address_is_refused(
    local_web: LocalWeb, settings: FetchSettings, address: str
) -> None:
    url = local_web.redirect("/go", f"http://{address}/latest/meta-data/")
    with pytest.raises(FetchRefused, match=r"private, link-local, multicast or reserved"):
        fetch_url(url, settings)  # the _no_network guard would fail any connection attempt


def test_404_slow_large_and_binary_pages_are_refused(
    local_web: LocalWeb, settings: FetchSettings
) -> None:
    with pytest.raises(FetchRefused, match="answered 404 Not Found"):
        fetch_url(local_web.url("/missing"), settings)
    local_web.routes["/slow"] = Route(body=b"late", headers={"Content-Type": "text/plain"}, delay=2)
    with pytest.raises(FetchRefused, match=r"did not answer within 0\.5"):
        fetch_url(local_web.url("/slow"), FetchSettings(timeout=0.5, allow_private=LOOPBACK))
    local_web.routes["/big"] = Route(body=b"word " * 3000, headers={"Content-Type": "text/plain"})
    with pytest.raises(FetchRefused, match=r"too large \(15000 bytes; the limit is 1000"):
        fetch_url(local_web.url("/big"), FetchSettings(max_bytes=1000, allow_private=LOOPBACK))
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    local_web.routes["/img"] = Route(body=png, headers={"Content-Type": "image/png"})
    with pytest.raises(FetchRefused, match="image/png, not HTML or plain text"):
        fetch_url(local_web.url("/img"), settings)


def test_too_many_redirects(local_web: LocalWeb) -> None:
    for n in range(4):
        local_web.redirect(f"/r{n}", f"/r{n + 1}")
    local_web.page("/r4", "en.html")
    short = FetchSettings(max_redirects=2, allow_private=LOOPBACK)
    with pytest.raises(FetchRefused, match="too many redirects"):
        fetch_url(local_web.url("/r0"), short)
    page = fetch_url(local_web.url("/r0"), FetchSettings(max_redirects=4, allow_private=LOOPBACK))
    assert page.final_url == local_web.url("/r4")
    assert page.redirects == [local_web.url(f"/r{n}") for n in range(4)]


def test_connects_to_the_checked_address_with_the_original_host(local_web: LocalWeb) -> None:
    """The name is resolved once and the connection pinned to the checked address: a host
    that real DNS does not know still reaches the address our resolver checked."""
    local_web.page("/en", "en.html")
    resolved: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["127.0.0.1"]

    url = f"http://news.example.test:{local_web.port}/en"
    page = fetch_url(url, FetchSettings(allow_private=LOOPBACK), resolver)
    assert page.status == 200 and resolved == ["news.example.test"]
    assert local_web.requests[-1] == ("/en", f"news.example.test:{local_web.port}", USER_AGENT)


def test_refusals_store_nothing(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    local_web.routes["/bin"] = Route(body=b"\x00\x01" * 50, headers={"Content-Type": "text/plain"})
    before = (_count(session, Source), _count(session, SourceCapture), _count(session, AuditEvent))
    for path in ("/missing", "/bin"):
        with pytest.raises(Invalid):
            capture_url(session, local_web.url(path), actor=actor, settings=settings)
    after = (_count(session, Source), _count(session, SourceCapture), _count(session, AuditEvent))
    assert after == before


# --- extraction and the archive --------------------------------------------------------------

ARTICLES = {
    "en": ("Council approves new bridge over the river", "Jane Miller", "The Riverside Courier",
           "2024-05-28", "ending a debate that had lasted almost ten years"),
    "de": ("Stadtrat beschließt neue Brücke über den Fluss", "Anna Schmidt", "Der Stadtkurier",
           "2024-06-03", "eine fast zehnjährige Debatte beendet"),
    "nl": ("Gemeenteraad keurt nieuwe brug over de rivier goed", "Pieter de Vries",
           "De Stadskrant", "2024-07-12", "na een discussie die bijna tien jaar duurde"),
    "nb": ("Bystyret vedtar ny bro over elva", "Kari Nordmann", "Byavisa", "2024-08-20",
           "en debatt som har vart i nesten ti år"),
}  # fmt: skip
BOILERPLATE = ("cookie", "Cookies", "informasjonskapsler", "Most read", "©", "Copyright")


@pytest.mark.parametrize("language", sorted(ARTICLES))
def test_fetch_extracts_the_article_and_its_metadata(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings, language: str
) -> None:
    title, author, site, date, phrase = ARTICLES[language]
    local_web.redirect("/old", "/article")
    local_web.page("/article", f"{language}.html")
    result = capture_url(session, local_web.url("/old"), actor=actor, settings=settings)
    assert result.outcome == "created" and result.version_no == 1
    source = session.get(Source, result.source_id)
    assert source is not None
    assert (source.title, source.author, source.publisher) == (title, author, site)
    assert source.language == language and source.published_iso == date
    assert phrase in source.text and not any(word in source.text for word in BOILERPLATE)
    assert source.url == local_web.url("/article") and source.content_type == "text/html"
    capture = session.get(SourceCapture, result.capture_id)
    assert capture is not None and capture.outcome == "created"
    assert capture.raw_body == (PAGES / f"{language}.html").read_bytes()
    assert capture.raw_sha256 is not None and len(capture.raw_sha256) == 64
    assert (capture.final_url, capture.http_status) == (local_web.url("/article"), 200)
    assert capture.content_type == "text/html; charset=utf-8"
    assert capture.requested_url == local_web.url("/old")
    events = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(source.id))
    ).all()
    assert "source.create" in events and "source.fetch" in events


def test_plain_text_and_the_archive_is_immutable(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    body = b"Minutes of the council meeting.\nThe motion passed by 31 votes to 9.\n"
    local_web.routes["/minutes.txt"] = Route(body=body, headers={"Content-Type": "text/plain"})
    result = capture_url(session, local_web.url("/minutes.txt"), actor=actor, settings=settings)
    source = session.get(Source, result.source_id)
    assert source is not None and source.text == body.decode()
    capture = session.get(SourceCapture, result.capture_id)
    assert capture is not None
    with pytest.raises(ImmutableFieldError):
        capture.raw_body = b"rewritten"
    # The same page again: the same source, and only the check is recorded.
    again = capture_url(session, local_web.url("/minutes.txt"), actor=actor, settings=settings)
    assert (again.outcome, again.source_id) == ("unchanged", source.id)
    second = session.get(SourceCapture, again.capture_id)
    assert second is not None and second.raw_body is None


def test_archive_exports_a_warc_record(
    session: Session,
    actor: Actor,
    local_web: LocalWeb,
    settings: FetchSettings,
    run_cli: object,
    tmp_path: Path,
) -> None:
    url = local_web.page("/en", "en.html")
    result = capture_url(session, url, actor=actor, settings=settings)
    session.commit()
    out = tmp_path / "en.warc.gz"
    cli = run_cli("sources", "archive", str(result.source_id), "-o", str(out))  # type: ignore[operator]
    assert cli.exit_code == 0, cli.output
    with gzip.open(out) as check:
        assert check.read(8) == b"WARC/1.0"
    with out.open("rb") as stream:
        records = list(
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers,
             r.content_stream().read())
            for r in ArchiveIterator(stream)
        )  # fmt: skip
    responses = [r for r in records if r[0] == "response"]
    assert len(responses) == 1
    _, target, http_headers, payload = responses[0]
    assert target == url and http_headers.get_statuscode() == "200"
    assert http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
    assert payload == (PAGES / "en.html").read_bytes()
    refused = run_cli("sources", "archive", "999999", "-o", str(tmp_path / "x.warc.gz"))  # type: ignore[operator]
    assert refused.exit_code == 1 and "no archived response" in refused.output
    assert not (tmp_path / "x.warc.gz").exists()


# --- recapture, versions and re-anchoring ----------------------------------------------------

QUOTES = {
    "unchanged": "Council approves new bridge over the river",
    "moved": "The city council voted on Tuesday to approve a new pedestrian bridge",
    "edited": "The bridge will cost 12 million pounds and is expected to open in the spring",
    "orphaned": "Opponents argued that the money should have been spent on repairing",
}


def test_an_edited_article_becomes_a_new_version(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    url = local_web.page("/story", "en.html")
    first = capture_url(session, url, actor=actor, settings=settings)
    source = session.get(Source, first.source_id)
    assert source is not None
    original_text = source.text
    excerpts = {
        status: excerpt_from_quote(session, source, quote, actor=actor)[0]
        for status, quote in QUOTES.items()
    }
    unchanged = recapture(session, source.id, actor=actor, settings=settings)
    assert unchanged.outcome == "unchanged" and _count(session, Source) >= 1
    assert session.get(SourceCapture, unchanged.capture_id).raw_body is None  # type: ignore[union-attr]

    local_web.page("/story", "en_edited.html")
    changed = recapture(session, source.id, actor=actor, settings=settings)
    assert changed.outcome == "changed" and changed.version_no == 2
    assert changed.source_id != source.id and changed.previous_source_id == source.id
    version = session.get(SourceVersion, changed.source_id)
    assert version is not None and version.previous_source_id == source.id
    new = session.get(Source, changed.source_id)
    assert new is not None and "18 million pounds" in new.text
    assert source.text == original_text  # never overwritten
    watch = session.scalars(select(SourceWatch).where(SourceWatch.first_source_id == source.id))
    assert watch.one().latest_source_id == new.id
    for status, excerpt in excerpts.items():
        anchor = session.scalar(select(ExcerptAnchor).where(ExcerptAnchor.excerpt_id == excerpt.id))
        assert anchor is not None and anchor.status == status, (status, anchor.status)
        assert anchor.source_id == new.id
        assert excerpt.source_id == source.id  # every excerpt keeps its own snapshot
        if status == "orphaned":
            assert anchor.start_offset is None
        else:
            assert anchor.start_offset is not None and anchor.end_offset is not None
            found = new.text[anchor.start_offset : anchor.end_offset]
            assert (found == excerpt.exact) == (status != "edited")
    edited = session.scalar(
        select(ExcerptAnchor).where(ExcerptAnchor.excerpt_id == excerpts["edited"].id)
    )
    assert edited is not None and 85 <= edited.score < 100
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("source.recapture") == 2 and actions.count("excerpt.reanchor") == 4

    # Back to the first text: no new snapshot, the first version is the latest again.
    local_web.page("/story", "en.html")
    back = recapture(session, new.id, actor=actor, settings=settings)
    assert (back.outcome, back.source_id, back.version_no) == ("changed", source.id, 1)


def test_recapture_refusals_and_failed_checks(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    with pytest.raises(NotFound):
        recapture(session, 999_999, actor=actor, settings=settings)
    pasted = session.scalar(select(Source).limit(1))
    if pasted is not None and session.get(SourceVersion, pasted.id) is None:
        with pytest.raises(Invalid, match="not fetched from a URL"):
            recapture(session, pasted.id, actor=actor, settings=settings)
    url = local_web.page("/gone", "nl.html")
    first = capture_url(session, url, actor=actor, settings=settings)
    del local_web.routes["/gone"]
    failed = recapture(session, first.source_id or 0, actor=actor, settings=settings)
    assert failed.outcome == "failed" and "404" in (failed.error or "")
    capture = session.get(SourceCapture, failed.capture_id)
    assert capture is not None and capture.outcome == "failed" and capture.source_id is None


def test_interval_and_due_pages(
    session: Session, actor: Actor, local_web: LocalWeb, settings: FetchSettings
) -> None:
    result = capture_url(
        session, local_web.page("/de", "de.html"), actor=actor, settings=settings,
        interval_minutes=30,
    )  # fmt: skip
    watch = session.get(SourceWatch, result.watch_id)
    assert watch is not None and watch.next_check_at is not None
    assert (watch.next_check_at - watch.last_checked_at).total_seconds() == 1800  # type: ignore[operator]
    assert watch.id not in due_watches(session)
    assert watch.id in due_watches(session, watch.next_check_at)
    with pytest.raises(Invalid, match="1 to 525600"):
        set_interval(session, result.source_id or 0, 0, actor=actor)
    set_interval(session, result.source_id or 0, None, actor=actor)
    assert watch.interval_minutes is None
    assert (watch.next_check_at - watch.last_checked_at).total_seconds() == 1440 * 60  # type: ignore[operator]


def test_two_runners_never_hold_the_same_page(fresh_url: str, local_web: LocalWeb) -> None:
    """The lease is one UPDATE: with real commits, the second runner cannot take it."""
    engine = make_engine(fresh_url)
    try:
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        actor = Actor.system("test")
        with sessions() as session, session.begin():
            result = capture_url(
                session, local_web.page("/nb", "nb.html"), actor=actor, settings=fetch_settings()
            )
            watch = session.get(SourceWatch, result.watch_id)
            assert watch is not None
            due_at = watch.next_check_at
        with sessions() as one, sessions() as two:
            with one.begin():
                assert claim_watch(one, result.watch_id or 0, "runner-1", due_at)
            with two.begin():
                assert not claim_watch(two, result.watch_id or 0, "runner-2", due_at)
                assert result.watch_id not in due_watches(two, due_at)
            with one.begin():
                release_watch(one, result.watch_id or 0, "runner-1")
            with two.begin():
                assert claim_watch(two, result.watch_id or 0, "runner-2", due_at)
    finally:
        engine.dispose()


def test_cli_fetch_recapture_and_watch(
    run_cli: object, local_web: LocalWeb, session: Session
) -> None:
    url = local_web.page("/cli", "en.html")
    out = run_cli("sources", "fetch", url, "--publisher", "Courier", "--json")  # type: ignore[operator]
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["outcome"] == "created" and data["version"] == 1
    source = session.get(Source, data["source_id"])
    assert source is not None and source.publisher == "Courier"
    again = run_cli("sources", "recapture", str(data["source_id"]), "--json")  # type: ignore[operator]
    assert json.loads(again.output)["outcome"] == "unchanged"
    none_due = run_cli("sources", "watch", "--json")  # type: ignore[operator]
    assert json.loads(none_due.output)["results"] == []
    run_cli("sources", "interval", str(data["source_id"]), "1")  # type: ignore[operator]
    watch = session.get(SourceWatch, data["watch_id"])
    assert watch is not None and watch.last_checked_at is not None
    watch.next_check_at = watch.last_checked_at
    session.commit()
    local_web.page("/cli", "en_edited.html")
    ran = run_cli("sources", "watch", "--json")  # type: ignore[operator]
    report = json.loads(ran.output)
    assert report["counts"]["changed"] == 1 and report["results"][0]["version"] == 2
    bad = run_cli("sources", "fetch", "ftp://example.org/x")  # type: ignore[operator]
    assert bad.exit_code == 1 and "only http and https" in bad.output
    usage = run_cli("sources", "recapture")  # type: ignore[operator]
    assert usage.exit_code == 2


def test_two_recaptures_at_once_make_one_version(fresh_url: str, local_web: LocalWeb) -> None:
    """The web button and a watch runner at the same moment: one new version, one check."""
    engine = make_engine(fresh_url)
    try:
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        actor = Actor.system("test")
        with sessions() as session, session.begin():
            url = local_web.page("/both", "en.html")
            first = capture_url(session, url, actor=actor, settings=fetch_settings())
        local_web.page("/both", "en_edited.html")
        outcomes: list[str] = []

        def run() -> None:
            with sessions() as session, session.begin():
                found = recapture(
                    session, first.source_id or 0, actor=actor, settings=fetch_settings()
                )
                outcomes.append(found.outcome)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(outcomes) == ["changed", "unchanged"]
        with sessions() as session:
            assert _count(session, SourceVersion) == 2
    finally:
        engine.dispose()
