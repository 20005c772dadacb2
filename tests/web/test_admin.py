"""The users, aliases, duplicates and audit pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.helpers import PASSWORD, sign_in
from tracker import create_app, migrate
from tracker.db import make_engine
from tracker.models import (
    AuditEvent,
    Claim,
    DedupDecision,
    EntityAlias,
    Evidence,
    Excerpt,
    Role,
    Source,
    User,
)
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.claims.records import create_claim, link_evidence

NK = "North Korea has ratified its defence treaty with Russia"
DPRK = "DPRK ratified the defense treaty with Russia"
NEW_PASSWORD = "a brand new password 42"


def _events(session: Session, action: str) -> list[AuditEvent]:
    session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(session.scalars(query))


def _user(session: Session, username: str) -> User:
    session.expire_all()
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


# --- users ------------------------------------------------------------------------------------


def test_users_page_is_for_admins_only(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("editor")
    assert client.get("/users").status_code == 403
    assert client.get("/users?user=1").status_code == 403
    new = {"username": "sneaky", "role": "admin", "password": PASSWORD}
    assert client.post("/users/new", data=new).status_code == 403
    assert session.scalar(select(User).where(User.username == "sneaky")) is None


def test_a_refused_users_page_is_audited(fresh_url: str, actor: Actor) -> None:
    """On a database of its own (real commits): inside the savepoint-isolated fixtures the
    access.denied event would vanish with the request's savepoint."""
    engine = make_engine(fresh_url)
    try:
        migrate.upgrade(engine)
        factory = sessionmaker(bind=engine, expire_on_commit=False)
        with factory() as db:
            create_user(db, "eddie", role="editor", password=PASSWORD, actor=actor)
            db.commit()
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret-key-for-pytest-only",
                "DATABASE_URL": fresh_url,
                "ENGINE": engine,
                "SESSION_FACTORY": factory,
                "WTF_CSRF_ENABLED": False,
            }
        )
        client = app.test_client()
        sign_in(client, "eddie")
        response = client.get("/users")
        assert response.status_code == 403 and "admin role" in response.get_data(as_text=True)
        with factory() as db:
            [denied] = db.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied"))
            assert denied.actor == "user:eddie" and denied.entity_id == "admin.users"
            assert denied.changes == {"needed_role": {"before": None, "after": "admin"}}
    finally:
        engine.dispose()


def test_admin_creates_a_user_and_never_sees_hashes(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("admin")
    data = {"username": "Newbie", "display_name": "New Bie", "role": "reviewer"}
    response = client.post("/users/new", data=data | {"password": PASSWORD})
    assert response.status_code == 302
    user = _user(session, "newbie")
    assert user.role is Role.REVIEWER and user.display_name == "New Bie"
    [created] = _events(session, "user.create")[-1:]
    assert created.actor == "user:admin-user" and "password_hash" not in created.changes
    page = client.get("/users").get_data(as_text=True)
    assert "newbie" in page and "New Bie" in page and "argon2" not in page
    assert "argon2" not in client.get(f"/users?user={user.id}").get_data(as_text=True)

    weak = client.post("/users/new", data={"username": "weak", "role": "viewer", "password": "x"})
    assert weak.status_code == 422
    again = client.post("/users/new", data=data | {"password": PASSWORD})
    assert again.status_code == 409 and "already exists" in again.get_data(as_text=True)
    assert session.scalar(select(func.count(User.id)).where(User.username == "weak")) == 0


def test_role_change_needs_a_reason(
    session: Session, signed_in: Callable[[str], FlaskClient], make_user: Callable[..., User]
) -> None:
    target = make_user("viewer", "target")
    client = signed_in("admin")
    no_reason = client.post(f"/users/{target.id}/role", data={"role": "editor"})
    assert no_reason.status_code == 422 and "Give a reason." in no_reason.get_data(as_text=True)
    assert _user(session, "target").role is Role.VIEWER
    response = client.post(
        f"/users/{target.id}/role", data={"role": "editor", "role_reason": "runs the desk now"}
    )
    assert response.status_code == 302
    assert _user(session, "target").role is Role.EDITOR
    [event] = _events(session, "user.role")
    assert event.reason == "runs the desk now"
    assert event.changes == {"role": {"before": "viewer", "after": "editor"}}


def test_deactivation_ends_the_users_sessions(
    app: Flask,
    session: Session,
    signed_in: Callable[[str], FlaskClient],
    make_user: Callable[..., User],
) -> None:
    target = make_user("reviewer", "leaver")
    other = app.test_client()
    sign_in(other, "leaver")
    assert other.get("/").status_code == 200
    admin = signed_in("admin")
    response = admin.post(f"/users/{target.id}/deactivate", data={"active_reason": "left"})
    assert response.status_code == 302
    assert _user(session, "leaver").active is False
    after = other.get("/")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    [event] = _events(session, "user.deactivate")
    assert event.reason == "left"
    back = admin.post(f"/users/{target.id}/reactivate", data={"active_reason": "came back"})
    assert back.status_code == 302 and _user(session, "leaver").active is True


def test_password_reset_needs_a_reason_and_ends_sessions(
    app: Flask,
    session: Session,
    signed_in: Callable[[str], FlaskClient],
    make_user: Callable[..., User],
) -> None:
    target = make_user("viewer", "forgetful")
    other = app.test_client()
    sign_in(other, "forgetful")
    admin = signed_in("admin")
    url = f"/users/{target.id}/password"
    assert admin.post(url, data={"new_password": NEW_PASSWORD}).status_code == 422
    response = admin.post(url, data={"new_password": NEW_PASSWORD, "reset_reason": "forgot it"})
    assert response.status_code == 302
    assert other.get("/").status_code == 302
    sign_in(app.test_client(), "forgetful", NEW_PASSWORD)
    [event] = _events(session, "user.password_reset")
    assert event.reason == "forgot it" and NEW_PASSWORD not in str(event.changes)


def test_the_last_active_admin_is_protected(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("admin")
    me = _user(session, "admin-user")
    demote = client.post(f"/users/{me.id}/role", data={"role": "viewer", "role_reason": "oops"})
    assert demote.status_code == 403 and "last active admin" in demote.get_data(as_text=True)
    leave = client.post(f"/users/{me.id}/deactivate", data={"active_reason": "oops"})
    assert leave.status_code == 403
    me = _user(session, "admin-user")
    assert me.role is Role.ADMIN and me.active
    assert _events(session, "user.role") == [] and _events(session, "user.deactivate") == []


# --- aliases ----------------------------------------------------------------------------------


def test_viewer_reads_the_alias_table_with_a_filter(
    signed_in: Callable[[str], FlaskClient],
) -> None:
    client = signed_in("viewer")
    page = client.get("/aliases").get_data(as_text=True)
    assert "Add an alias" not in page  # admins only
    assert 0 < page.count("<tr>") - 1 <= 50  # one page of at most 50 forms (plus the header)
    assert 'href="/aliases?page=2"' in page and "Page 1 of" in page
    last = client.get("/aliases?page=999").get_data(as_text=True)  # past the end: the last page
    assert "Next →" not in last and "← Previous" in last
    filtered = client.get("/aliases?q=nordkorea").get_data(as_text=True)
    assert "<code>north_korea</code>" in filtered and "nordkorea" in filtered
    assert "<code>russia</code>" not in filtered
    assert "Page 1 of" not in filtered  # one page of results
    dprk = client.get("/aliases?q=DPRK").get_data(as_text=True)  # any case
    assert "<code>north_korea</code>" in dprk


def test_admin_adds_and_removes_an_alias_and_claims_follow(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    claim = create_claim(session, text="The Hermit Kingdom tested a missile", actor=actor)
    session.commit()
    before = claim.normalized_text
    client = signed_in("admin")
    added = client.post(
        "/aliases/add", data={"surface": "Hermit Kingdom", "canonical": "north_korea"}
    )
    assert added.status_code == 302
    session.expire_all()
    assert claim.normalized_text != before and "north_korea" in claim.normalized_text
    assert session.scalar(select(EntityAlias).where(EntityAlias.surface == "hermit kingdom"))
    assert [e.entity_id for e in _events(session, "claim.renormalize")] == [str(claim.id)]

    assert (
        client.post("/aliases/remove", data={"remove_surface": "hermit kingdom"}).status_code == 422
    )
    removed = client.post(
        "/aliases/remove",
        data={"remove_surface": "Hermit Kingdom", "remove_reason": "too vague"},
    )
    assert removed.status_code == 302
    session.expire_all()
    assert claim.normalized_text == before
    [event] = _events(session, "alias.remove")
    assert event.reason == "too vague"
    missing = client.post(
        "/aliases/remove", data={"remove_surface": "no such alias", "remove_reason": "x"}
    )
    assert missing.status_code == 404


def test_non_admins_cannot_edit_aliases(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("editor")
    data = {"surface": "Hermit Kingdom", "canonical": "north_korea"}
    assert client.post("/aliases/add", data=data).status_code == 403
    removal = {"remove_surface": "dprk", "remove_reason": "no"}
    assert client.post("/aliases/remove", data=removal).status_code == 403
    assert session.scalar(select(func.count()).select_from(EntityAlias)) == 0


# --- duplicates -------------------------------------------------------------------------------


def _pair(session: Session, actor: Actor) -> tuple[Claim, Claim]:
    older = create_claim(session, text=NK, actor=actor)
    newer = create_claim(session, text=DPRK, actor=actor)
    create_claim(session, text="Iran supplies Shahed drones to the Russian military", actor=actor)
    session.commit()
    return older, newer


def test_duplicates_page_lists_a_near_duplicate_pair(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    older, newer = _pair(session, actor)
    page = signed_in("viewer").get("/duplicates").get_data(as_text=True)
    assert f'id="group-{older.id}-{newer.id}"' in page
    assert NK in page and DPRK in page and "Shahed" not in page
    assert "Pairs among the newest 500 claims" in page
    assert "Merge…" not in page and "Keep distinct…" not in page  # a viewer's page


def test_keep_distinct_stores_a_decision_and_hides_the_pair(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    older, newer = _pair(session, actor)
    client = signed_in("reviewer")
    pair = {"claim_id": older.id, "other_id": newer.id}
    assert client.post("/duplicates/distinct", data=pair).status_code == 422  # no reason
    response = client.post("/duplicates/distinct", data=pair | {"reason": "different treaty"})
    assert response.status_code == 302
    decision = session.scalar(select(DedupDecision))
    assert decision is not None and decision.outcome == "distinct"
    assert (decision.claim_id, decision.other_id, decision.reason) == (
        older.id,
        newer.id,
        "different treaty",
    )
    page = client.get("/duplicates").get_data(as_text=True)
    assert f"group-{older.id}-{newer.id}" not in page and DPRK not in page


def test_editor_merges_a_pair_newer_into_older(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    older, newer = _pair(session, actor)
    text = "Pyongyang said the treaty with Moscow was ratified on Tuesday."
    source = Source(sha256="f" * 64, text=text, origin="test://treaty", created_by=actor.name)
    excerpt = Excerpt(
        source=source, start_offset=15, end_offset=37, exact=text[15:37], created_by=actor.name
    )
    session.add_all([source, excerpt])
    session.flush()
    link = link_evidence(session, newer, excerpt, "supports", actor=actor)
    session.commit()
    reviewer_data = {"claim_id": older.id, "other_id": newer.id, "reason": "same claim"}
    client = signed_in("editor")
    assert client.post("/duplicates/merge", data=reviewer_data | {"reason": ""}).status_code == 422
    response = client.post("/duplicates/merge", data=reviewer_data | {"keep": "older"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Claim, newer.id).merged_into_id == older.id  # type: ignore[union-attr]
    moved = session.get(Evidence, link.id)
    assert moved is not None and moved.claim_id == older.id
    [event] = _events(session, "claim.merge")
    assert event.reason == "same claim" and event.actor == "user:editor-user"
    assert f"group-{older.id}-{newer.id}" not in client.get("/duplicates").get_data(as_text=True)


def test_reviewer_cannot_merge(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    older, newer = _pair(session, actor)
    client = signed_in("reviewer")
    data = {"claim_id": older.id, "other_id": newer.id, "reason": "same", "keep": "older"}
    assert client.post("/duplicates/merge", data=data).status_code == 403
    session.expire_all()
    assert session.get(Claim, newer.id).merged_into_id is None  # type: ignore[union-attr]
    assert _events(session, "claim.merge") == []


def test_skip_hides_a_group_for_the_session_without_writing(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    older, newer = _pair(session, actor)
    client = signed_in("viewer")
    events = session.scalar(select(func.count(AuditEvent.id)))
    key = f"{older.id}-{newer.id}"
    assert client.post("/duplicates/skip", data={"group": key}).status_code == 302
    page = client.get("/duplicates").get_data(as_text=True)
    assert f"group-{key}" not in page and "1 skipped in this session" in page
    assert session.scalar(select(func.count(AuditEvent.id))) == events
    assert session.scalar(select(func.count(DedupDecision.id))) == 0
    assert client.post("/duplicates/skip", data={"group": "<x>"}).status_code == 422
    assert client.post("/duplicates/unskip").status_code == 302
    assert f"group-{key}" in client.get("/duplicates").get_data(as_text=True)


# --- audit ------------------------------------------------------------------------------------

BASE = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _event(session: Session, n: int, **fields: object) -> None:
    values: dict[str, object] = {
        "occurred_at": BASE + timedelta(hours=n),
        "actor": "user:alice",
        "action": "claim.update",
        "entity_type": "claim",
        "entity_id": "7",
        "changes": {},
    }
    session.add(AuditEvent(**(values | fields)))


def test_audit_filters_and_pagination(
    session: Session, signed_in: Callable[[str], FlaskClient]
) -> None:
    client = signed_in("viewer")
    for n in range(120):
        _event(session, n, entity_id=str(n), actor="user:alice" if n % 2 else "cli:bob")
    _event(session, 200, action="source.flag", entity_type="source", entity_id="3")
    session.commit()
    first = client.get("/audit?entity_type=claim").get_data(as_text=True)
    assert "Page 1 of 3" in first and "120 events" in first
    assert ">claim #119<" in first and ">claim #70<" in first and ">claim #69<" not in first
    third = client.get("/audit?entity_type=claim&page=3").get_data(as_text=True)
    assert ">claim #19<" in third and ">claim #0<" in third and ">claim #20<" not in third
    assert 'href="/audit?page=2&amp;entity_type=claim"' in third

    alice = client.get("/audit?actor=alice&entity_type=claim").get_data(as_text=True)
    assert "60 events" in alice and "cli:bob" not in alice
    prefix = client.get("/audit?action=source.").get_data(as_text=True)
    assert "1 event," in prefix and 'href="/sources/3"' in prefix
    one = client.get("/audit?entity_type=claim&entity_id=42").get_data(as_text=True)
    assert "1 event," in one and 'href="/claims/42"' in one
    # 2024-03-02 (UTC) holds the events of hours 12 to 35.
    day = client.get("/audit?since=2024-03-02&until=2024-03-02").get_data(as_text=True)
    assert "24 events" in day
    bad = client.get("/audit?since=whenever")
    assert bad.status_code == 422 and "cannot read &#39;whenever&#39;" in bad.get_data(as_text=True)


def test_audit_shows_escaped_diffs_and_no_context_secrets(
    session: Session, actor: Actor, signed_in: Callable[[str], FlaskClient]
) -> None:
    evil = Actor(
        name="cli:mallory",
        request_id="req-0123456789",
        context={"command": "tracker --token hush-hush", "ip": "10.1.2.3"},
    )
    claim = create_claim(session, text="<script>alert(1)</script> is a claim", actor=evil)
    session.commit()
    page = signed_in("viewer").get(f"/audit?entity_id={claim.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is a claim" in page
    assert "<script>alert" not in page
    assert "10.1.2.3" not in page and "req-0123" in page  # addresses: admins only (issue 16)
    assert "hush-hush" not in page and "tracker --token" not in page
