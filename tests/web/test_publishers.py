"""The publishers page: shares of AI-generated sources, and the editor's publisher flag."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AiStatus, AuditEvent, Publisher, Source
from tracker.services.audit.log import Actor
from tracker.services.sources.flags import set_ai_status
from tracker.services.sources.ingest import SourceMeta, ingest_text


def _source(session: Session, actor: Actor, n: int, publisher: str) -> Source:
    text = f"Story number {n} from the harbour town.\n\nThe council met on Tuesday about item {n}."
    source, _created = ingest_text(
        session, text, actor=actor, origin=f"test-{n}", meta=SourceMeta(publisher=publisher)
    )
    return source


def test_page_shows_the_share_and_editors_flag_with_a_reason(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    first = _source(session, actor, 1, "Harbour Gazette")
    _source(session, actor, 2, "harbour  gazette")  # the same publisher, spelled differently
    set_ai_status(session, first.id, AiStatus.AI_REVIEWER, reason="template text", actor=actor)
    session.commit()
    publisher = session.scalars(select(Publisher)).one()

    viewer = signed_in("viewer")
    page = viewer.get("/publishers").get_data(as_text=True)
    row = page[page.index(f'id="publisher-{publisher.id}"') :]
    assert "Harbour Gazette" in row and "1 (50 %)" in row
    assert "Flag as AI content source" not in page  # viewers see no form
    denied = viewer.post("/publishers/flag", data={"publisher_id": publisher.id, "flag": "on"})
    assert denied.status_code == 403

    editor = signed_in("editor")
    missing = editor.post("/publishers/flag", data={"publisher_id": publisher.id, "flag": "on"})
    assert missing.status_code == 422
    session.refresh(publisher)
    assert publisher.ai_flag is False

    done = editor.post(
        "/publishers/flag",
        data={"publisher_id": publisher.id, "flag": "on", "reason": "content farm <b>x</b>"},
    )
    assert done.status_code == 302
    session.refresh(publisher)
    assert publisher.ai_flag is True and publisher.ai_flag_reason == "content farm <b>x</b>"
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "publisher.ai_flag")
    ).one()
    assert event.reason == "content farm <b>x</b>" and event.actor == "user:editor-user"
    shown = editor.get("/publishers").get_data(as_text=True)
    assert "content farm &lt;b&gt;x&lt;/b&gt;" in shown and "AI content source" in shown

    # A new source from the flagged publisher starts as suspected.
    assert _source(session, actor, 3, "Harbour Gazette").ai_status is AiStatus.SUSPECTED


def test_unknown_publisher_is_a_clear_error(signed_in: Callable[[str], FlaskClient]) -> None:
    editor = signed_in("editor")
    response = editor.post(
        "/publishers/flag", data={"publisher_id": 424242, "flag": "on", "reason": "x"}
    )
    assert response.status_code == 404
    assert "424242" in response.get_data(as_text=True)
