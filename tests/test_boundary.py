"""The transaction boundary (tracker/boundary.py): a request's writes are committed when its view
returns and rolled back when it raises; views and API routes never commit or roll back
themselves, define no forms and (the API) hold no queries; each layer maps domain errors."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.helpers import PASSWORD
from tracker.api import problems
from tracker.boundary import savepoint
from tracker.db import get_session
from tracker.models import AuditEvent, User
from tracker.services.accounts.api_tokens import issue_token
from tracker.services.accounts.users import create_user
from tracker.services.audit.log import Actor
from tracker.services.claims.edit import FieldInvalid
from tracker.services.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Throttled,
)
from tracker.web import errors as web_errors

TRACKER = Path(__file__).resolve().parents[1] / "tracker"
VIEW_LAYERS = [TRACKER / "web", TRACKER / "api"]
ACTOR = Actor(name="system:test")


def _python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def _calls(path: Path, names: set[str]) -> list[str]:
    """``where: call`` for each call of a method named in ``names``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno}: .{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    ]


# --- the rules, checked on the source ---------------------------------------------------------


def test_views_and_api_routes_never_commit_or_roll_back() -> None:
    found = [
        hit for path in _python_files(*VIEW_LAYERS) for hit in _calls(path, {"commit", "rollback"})
    ]
    assert found == []


def test_the_check_finds_a_commit_and_a_rollback(tmp_path: Path) -> None:
    sample = tmp_path / "view.py"
    sample.write_text("def view(db):\n    db.rollback()\n    get().commit()\n", encoding="utf-8")
    assert _calls(sample, {"commit", "rollback"}) == [
        "view.py:2: .rollback()",
        "view.py:3: .commit()",
    ]


def test_the_api_holds_no_queries() -> None:
    """Route handlers call services: no SQL construct is imported, no statement executed."""
    imported = []
    for path in _python_files(TRACKER / "api"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
                names = {alias.name for alias in node.names}
                if node.module == "sqlalchemy.orm" and names <= {"Session"}:
                    continue  # the type of a service's session argument
                if node.module == "sqlalchemy.exc":
                    continue
                imported.append(f"{path.name}: from {node.module} import {sorted(names)}")
    executed = [
        hit
        for path in _python_files(TRACKER / "api")
        for hit in _calls(path, {"execute", "scalars", "scalar"})
    ]
    assert imported == [] and executed == []


def test_forms_live_in_the_forms_modules() -> None:
    """Every FlaskForm subclass of the web app is defined in tracker/web/forms/<area>.py."""
    outside = []
    for path in _python_files(TRACKER / "web"):
        if path.parent.name == "forms":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id.endswith("Form") for base in node.bases
            ):
                outside.append(f"{path.name}: {node.name}")
    assert outside == []
    areas = {path.stem for path in (TRACKER / "web" / "forms").glob("*.py")} - {"__init__"}
    assert {"auth", "admin", "claims", "intake", "sources", "capture"} <= areas


# --- one mapping per layer --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (Invalid("x"), 422),
        (FieldInvalid("language", "x"), 422),
        (NotFound("x"), 404),
        (Conflict("x"), 409),
        (Forbidden("x"), 403),
        (Throttled("x", 30), 429),
        (DomainError("x"), 400),
    ],
)
def test_each_layer_maps_each_domain_error(error: DomainError, status: int) -> None:
    assert not hasattr(error, "status")  # the services know nothing of HTTP
    assert web_errors.status_of(error) == status
    assert problems.status_of(error) == status


def test_a_throttled_api_problem_says_when_to_retry(app: Flask) -> None:
    with app.test_request_context("/api/v1/me"):
        response = problems.from_domain_error(Throttled("slow down", 42))
    assert response.status_code == 429 and response.headers["Retry-After"] == "42"
    assert response.get_json()["type"].endswith("#problem-rate-limited")


# --- behaviour --------------------------------------------------------------------------------


def _users(session: Session, name: str) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.username == name)) or 0


def _events(session: Session, action: str) -> int:
    found = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    return session.scalar(found) or 0


@pytest.fixture
def test_views(app: Flask) -> Flask:
    """Views that write through a service and then fail, or refuse through a savepoint."""

    def write_then_fail() -> str:
        create_user(get_session(), "ghost", role="viewer", password=PASSWORD, actor=ACTOR)
        get_session().flush()
        raise Conflict("refused after the write")

    def write_then_crash() -> str:
        create_user(get_session(), "phantom", role="viewer", password=PASSWORD, actor=ACTOR)
        raise RuntimeError("a bug after the write")

    def refuse_in_savepoint() -> tuple[str, int]:
        create_user(get_session(), "kept", role="viewer", password=PASSWORD, actor=ACTOR)
        with savepoint(Invalid) as refused:
            create_user(get_session(), "dropped", role="viewer", password=PASSWORD, actor=ACTOR)
            raise Invalid("the form is refused")
        assert refused.error is not None
        return f"shown again: {refused.error}", web_errors.status_of(refused.error)

    app.add_url_rule("/test/write-then-fail", view_func=write_then_fail, methods=["POST"])
    app.add_url_rule("/test/write-then-crash", view_func=write_then_crash, methods=["POST"])
    app.add_url_rule("/test/savepoint", view_func=refuse_in_savepoint, methods=["POST"])
    return app


def test_a_view_that_raises_after_a_service_flushed_leaves_nothing(
    test_views: Flask, signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("viewer")
    response = client.post("/test/write-then-fail")
    assert response.status_code == 409  # the page for the domain error
    assert "refused after the write" in response.get_data(as_text=True)
    assert _users(session, "ghost") == 0
    assert _events(session, "user.create") == 1  # the signed-in viewer's own, from the fixture


def test_a_bug_after_a_write_leaves_nothing(
    test_views: Flask, signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("viewer")
    with pytest.raises(RuntimeError):  # testing apps let bugs through to the test
        client.post("/test/write-then-crash")
    assert _users(session, "phantom") == 0


def test_a_savepoint_refusal_drops_its_writes_and_keeps_the_rest(
    test_views: Flask, signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("viewer")
    response = client.post("/test/savepoint")
    assert response.status_code == 422
    assert response.get_data(as_text=True) == "shown again: the form is refused"
    assert _users(session, "dropped") == 0
    assert _users(session, "kept") == 1  # the view returned: what came before is committed


def test_a_successful_post_commits(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("admin")
    before = _events(session, "user.create")
    form = {"username": "newcomer", "role": "viewer", "password": PASSWORD}
    response = client.post("/users/new", data=form)
    assert response.status_code == 302
    # The app's session is closed: only a committed row is seen from another session.
    assert _users(session, "newcomer") == 1
    assert _events(session, "user.create") == before + 1


def test_a_failed_sign_in_is_audited(
    client: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    make_user("viewer", "vera")
    response = client.post("/login", data={"username": "vera", "password": "wrong password!"})
    assert response.status_code == 401
    assert _events(session, "user.login_failed") == 1
    assert _events(session, "user.login") == 0


def test_a_form_refusal_is_shown_again_and_writes_nothing(
    signed_in: Callable[[str], FlaskClient], session: Session
) -> None:
    client = signed_in("admin")
    before = _events(session, "user.create")
    form = {"username": "admin-user", "role": "viewer", "password": PASSWORD}  # taken
    response = client.post("/users/new", data=form)
    assert response.status_code == 409
    assert "already exists" in response.get_data(as_text=True)
    assert _events(session, "user.create") == before
    assert _users(session, "admin-user") == 1


def test_an_api_refusal_writes_nothing_but_the_denial(
    client: FlaskClient, make_user: Callable[..., User], session: Session
) -> None:
    """A reviewer's token setting a verdict: 403, audited, and no claim stored."""
    make_user("reviewer", "rita")
    _token, raw = issue_token(session, role="reviewer", username="rita", actor=ACTOR)
    session.commit()
    body = {"text": "The bridge opened in 1932.", "verdict": "true"}
    response = client.post("/api/v1/claims", json=body, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 403
    assert _events(session, "access.denied") == 1
    assert _events(session, "claim.create") == 0
