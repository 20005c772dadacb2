"""Sign-in, sessions and account changes: authentication, session tokens, roles, deactivation.

A user's ``session_token`` is part of every sign-in cookie. Log-out, a password change and
deactivation replace it, so every cookie issued before stops working, wherever it is replayed.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from functools import cache

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import ApiToken, Role, User
from tracker.models.types import utcnow
from tracker.models.user import new_session_token
from tracker.services.accounts import throttle as sign_in_throttle
from tracker.services.accounts.users import (
    check_password_strength,
    get_user,
    hash_password,
    parse_role,
    password_hasher,
)
from tracker.services.audit import log as audit
from tracker.services.errors import Forbidden, Invalid, NotFound

# One message for an unknown user, a wrong password and a deactivated account.
SIGN_IN_REFUSED = "unknown user or wrong password"


@cache
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so both answers take the same time
    (made on first use: hashing at import would slow every CLI start)."""
    return hash_password("not-a-real-password-only-for-timing")


RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


def has_role(user: User, needed: Role) -> bool:
    """Roles are ordered: each one may do everything the ones below it may."""
    return user.active and RANK[user.role] >= RANK[needed]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(password_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str, *, actor: audit.Actor) -> User:
    """The user for these credentials, or Invalid(SIGN_IN_REFUSED). Records the attempt.

    An old hash (weaker argon2 parameters) is replaced by a current one at sign-in. Raises
    Throttled (429) when the client address has failed too often (sign_in_throttle.py)."""
    sign_in_throttle.check(session, (username or "").strip().lower(), actor)
    user = get_user(session, (username or "").strip().lower())
    if user is None:
        _verify(_dummy_hash(), password or "")
        ok = False
    else:
        ok = _verify(user.password_hash, password or "") and user.active
    if user is None or not ok:
        # The attempted name is kept (truncated) but never the password.
        audit.record(
            session,
            actor,
            "user.login_failed",
            "user",
            user.id if user else "-",
            {"username": {"before": None, "after": (username or "").strip().lower()[:64]}},
        )
        sign_in_throttle.after_failure(session, (username or "").strip().lower(), actor)
        raise Invalid(SIGN_IN_REFUSED)
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    # The request was anonymous until now: the event names the user who signed in.
    audit.record(
        session, replace(actor, name=f"user:{user.username}"), "user.login", "user", user.id
    )
    return user


def session_id(user: User) -> str:
    """The identifier stored in the sign-in cookie: the user id and the current token."""
    return f"{user.id}:{user.session_token}"


def load_session_user(session: Session, cookie_id: str) -> User | None:
    """The active user whose current token the cookie holds; None for any stale cookie."""
    user_part, _, token = (cookie_id or "").partition(":")
    if not user_part.isdigit() or not token:
        return None
    user = session.get(User, int(user_part))
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def end_sessions(session: Session, user: User, *, actor: audit.Actor, action: str) -> None:
    """Invalidate every cookie issued to ``user`` (log-out, or an admin ending sessions)."""
    user.session_token = new_session_token()
    session.flush()
    audit.record(session, actor, action, "user", user.id)


def change_password(
    session: Session, user: User, current: str, new: str, *, actor: audit.Actor
) -> None:
    """The user's own change: needs the current password; ends the other sessions."""
    if not _verify(user.password_hash, current or ""):
        raise Invalid("the current password is wrong")
    check_password_strength(new, user.username)
    user.password_hash = hash_password(new)
    user.session_token = new_session_token()
    session.flush()
    audit.record(session, actor, "user.password", "user", user.id, {"password": {"changed": True}})


def get_user_by_id(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def _active_admins(session: Session) -> int:
    query = select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))
    return int(session.scalar(query) or 0)


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role is Role.ADMIN and user.active and _active_admins(session) <= 1:
        raise Forbidden("this is the last active admin: make another admin first")


def set_role(
    session: Session, user: User, role: str | Role, *, actor: audit.Actor, reason: str
) -> None:
    new = parse_role(role)
    if new is user.role:
        return
    if new is not Role.ADMIN:
        _keep_an_admin(session, user)
    before = user.role
    user.role = new
    session.flush()
    audit.record(
        session,
        actor,
        "user.role",
        "user",
        user.id,
        audit.diff({"role": before}, {"role": new}),
        reason=reason,
    )


def set_active(
    session: Session, user: User, active: bool, *, actor: audit.Actor, reason: str
) -> None:
    """Deactivate (ending every session and revoking every API token for good) or reactivate
    an account (its old tokens stay revoked)."""
    if active == user.active:
        return
    if not active:
        _keep_an_admin(session, user)
        user.session_token = new_session_token()
        _revoke_tokens(session, user, actor)
    user.active = active
    session.flush()
    audit.record(
        session,
        actor,
        "user.activate" if active else "user.deactivate",
        "user",
        user.id,
        audit.diff({"active": not active}, {"active": active}),
        reason=reason,
    )


def _revoke_tokens(session: Session, user: User, actor: audit.Actor) -> None:
    """Revoke the user's live API tokens (one ``api_token.revoke`` event each)."""
    live = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    for token in session.scalars(live.order_by(ApiToken.id)):
        token.revoked_at, token.revoked_by = utcnow(), actor.name
        session.flush()
        changes = audit.diff({"revoked_at": None}, {"revoked_at": token.revoked_at})
        audit.record(
            session,
            actor,
            "api_token.revoke",
            "api_token",
            token.id,
            changes,
            reason=f"user {user.username} deactivated",
        )


def reset_password(
    session: Session, user: User, password: str, *, actor: audit.Actor, reason: str
) -> None:
    """An admin sets a new password; the user's sessions end."""
    check_password_strength(password, user.username)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    session.flush()
    audit.record(
        session,
        actor,
        "user.password_reset",
        "user",
        user.id,
        {"password": {"changed": True}},
        reason=reason,
    )


def record_denial(session: Session, actor: audit.Actor, what: str, needed: Role) -> None:
    """A refused request: who tried what, and the role it needed."""
    audit.record(
        session,
        actor,
        "access.denied",
        "route",
        what[:64],
        {"needed_role": {"before": None, "after": needed.value}},
    )


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))
