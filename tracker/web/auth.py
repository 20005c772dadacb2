"""Sign-in, sign-out, the password change, and the role checks every route goes through.

Every endpoint needs a signed-in user unless it is listed in PUBLIC_ENDPOINTS; routes that
need more than the viewer role say so with ``@require_role``. A refusal is logged and audited.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar, cast
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from tracker.boundary import audit_refusal, savepoint
from tracker.db import get_session
from tracker.models import Role, User
from tracker.services.accounts import sign_in as accounts
from tracker.services.audit.log import Actor
from tracker.services.errors import Invalid, Throttled
from tracker.web.errors import retry_headers, status_of
from tracker.web.forms.auth import (
    LoginForm,
    PasswordForm,
)

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


class WebUser(UserMixin):  # type: ignore[misc]
    """The signed-in user as Flask-Login sees it (the model itself knows nothing of Flask).

    ``sign_in`` is a random value made at each sign-in and kept in the cookie's user id, so the
    identifier changes with every sign-in."""

    def __init__(self, user: User, sign_in: str) -> None:
        self.user = user
        self.sign_in = sign_in

    def get_id(self) -> str:
        return f"{accounts.session_id(self.user)}:{self.sign_in}"

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def role(self) -> Role:
        return self.user.role


def _load_user(cookie_id: str) -> WebUser | None:
    """The cookie's user, unless the cookie is stale or older than SESSION_MAX_AGE seconds
    (an absolute lifetime, however active the session: the sign-in time is in the signed
    cookie)."""
    signed_in_at = session.get("signed_in_at")
    max_age = int(current_app.config["SESSION_MAX_AGE"])
    if not isinstance(signed_in_at, int) or time.time() - signed_in_at > max_age:
        return None
    stored_id, _, sign_in = (cookie_id or "").rpartition(":")
    user = accounts.load_session_user(get_session(), stored_id)
    return WebUser(user, sign_in) if user is not None and sign_in else None


def _start_session(user: User) -> None:
    """A new cookie for a sign-in: nothing of the anonymous session is kept, the identifier is
    fresh and the sign-in time starts the absolute lifetime."""
    session.clear()
    login_user(WebUser(user, secrets.token_urlsafe(16)))
    session["signed_in_at"] = int(time.time())
    session.permanent = True


def signed_in_user() -> User | None:
    if current_user.is_authenticated:
        return cast(WebUser, current_user).user
    return None


def can(role: Role | str) -> bool:
    """For templates and views: may the signed-in user act with ``role``?"""
    user = signed_in_user()
    return user is not None and accounts.has_role(user, Role(role))


def web_actor() -> Actor:
    """The audit actor for this request: the user, the request id and the client address."""
    user = signed_in_user()
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return Actor(
        name=f"user:{user.username}" if user else "anonymous",
        request_id=g.request_id,
        context={
            "ip": request.remote_addr,
            "method": request.method,
            "path": request.path[:500],
        },
    )


def deny(needed: Role) -> NoReturn:
    """Log and audit a refused request (nothing else of it lands), then answer 403."""
    actor = web_actor()
    log.warning("denied %s %s to %s: needs %s", request.method, request.path, actor.name, needed)
    what = request.endpoint or request.path
    audit_refusal(lambda db: accounts.record_denial(db, actor, what, needed))
    abort(403, description=f"This needs the {needed.value} role.")


def require_role(needed: Role) -> Callable[[F], F]:
    """The view needs a signed-in user with at least role ``needed`` (checked on the server)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if not current_user.is_authenticated:
                return cast(ResponseReturnValue, login_manager.unauthorized())
            if not can(needed):
                deny(needed)
            return view(*args, **kwargs)

        checked.required_role = needed  # type: ignore[attr-defined]
        return cast(F, checked)

    return decorate


def _require_sign_in() -> ResponseReturnValue | None:
    """Every endpoint but the public ones needs a signed-in user (the viewer role)."""
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if request.blueprint == "api":  # bearer tokens, never the cookie (tracker.api.auth)
        return None
    if not current_user.is_authenticated:
        return cast(ResponseReturnValue, login_manager.unauthorized())
    return None


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site; None for anything that could leave it."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    decoded = unquote(target)  # %2F%2F, %0d%0a and the like, as a browser may decode them
    if decoded.startswith(("//", "/\\")) or any(ord(ch) < 32 or ch == "\\" for ch in decoded):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# --- views ------------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("dashboard.index"))
    status = 200
    if form.validate_on_submit():
        # A refused or failed attempt is audited: its page is returned, not raised, so the
        # boundary commits the audit event with it.
        try:
            user = accounts.authenticate(
                get_session(), form.username.data, form.password.data, actor=web_actor()
            )
        except Throttled as exc:
            form.password.errors.append(str(exc))
            page = render_template("login.html", form=form)
            return page, 429, retry_headers(exc)
        except Invalid as exc:
            form.password.errors.append(str(exc))
            status = 401
        else:
            _start_session(user)
            return redirect(safe_next(form.next.data) or url_for("dashboard.index"))
    return render_template("login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    user = signed_in_user()
    if user is not None:
        accounts.end_sessions(get_session(), user, actor=web_actor(), action="user.logout")
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    user = signed_in_user()
    if user is None:
        abort(401)
    status = 200
    if form.validate_on_submit():
        with savepoint(Invalid) as refused:
            accounts.change_password(
                get_session(), user, form.current.data, form.new.data, actor=web_actor()
            )
        if refused.error is not None:
            form.new.errors.append(str(refused.error))
            status = status_of(refused.error)
        else:
            # This session goes on with the new token, under the same sign-in.
            login_user(WebUser(user, cast(WebUser, current_user).sign_in))
            flash("Your password is changed; your other sessions are signed out.", "success")
            return redirect(url_for("dashboard.index"))
    return render_template("password.html", form=form), status


def register_auth(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    app.register_blueprint(bp)
    app.before_request(_require_sign_in)
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["Role"] = Role
