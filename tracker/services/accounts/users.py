"""User accounts. Passwords are hashed with argon2 (argon2-cffi defaults).

The password rule follows OWASP ASVS 5.0 V6: at least 12 characters (at most 1024), not
containing the username, and not common, breached or built on an easy pattern. The last check
is zxcvbn (Dropbox's estimator, offline: its frequency lists of breached passwords, English
words, names and keyboard patterns ship inside the package); a password it scores below 3 of 4
is refused."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from tracker.models import Role, User
from tracker.services.audit import log as audit
from tracker.services.errors import Conflict, Invalid

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
password_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


MAX_PASSWORD = 1024
MAX_DISPLAY_NAME = 200


MIN_SCORE = 3  # zxcvbn's 0-4 scale: 3 is "safely unguessable" (about 10^8 guesses or more)
# zxcvbn's time grows fast with the length; the first characters decide a weak password.
SCORED_CHARS = 100


def check_password_strength(password: str, username: str = "") -> None:
    """Raise Invalid, saying what to change, when ``password`` breaks the rule above."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"the password must have at most {MAX_PASSWORD} characters")
    if len(set(password)) < 4 or not password.strip():
        raise Invalid("the password is too simple: use at least four different characters")
    name = username.strip().lower()
    if name and name in password.lower():
        raise Invalid("the password must not contain the username")
    result = zxcvbn(password[:SCORED_CHARS], user_inputs=[name] if name else [])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "it follows a common pattern"
        raise Invalid(
            f"the password is too easy to guess ({hint.rstrip('.').lower()}): "
            "use a longer passphrase of unrelated words"
        )


def parse_role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError as exc:
        allowed = ", ".join(r.value for r in Role)
        raise Invalid(f"unknown role {role!r} (use one of: {allowed})") from exc


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def create_user(
    session: Session,
    username: str,
    *,
    role: str | Role,
    password: str,
    actor: audit.Actor,
    display_name: str = "",
) -> User:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise Invalid(
            "the username must be 2-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    check_password_strength(password, name)
    if len(display_name.strip()) > MAX_DISPLAY_NAME:
        raise Invalid(f"the display name must have at most {MAX_DISPLAY_NAME} characters")
    if get_user(session, name) is not None:
        raise Conflict(f"user {name!r} already exists")
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        role=parse_role(role),
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    # The password hash is a secret too: it never goes into the audit log.
    fields = {"username": user.username, "role": user.role, "display_name": user.display_name}
    audit.record(session, actor, "user.create", "user", user.id, audit.created(fields))
    return user


def set_password(session: Session, user: User, password: str, *, actor: audit.Actor) -> None:
    check_password_strength(password, user.username)
    user.password_hash = hash_password(password)
    session.flush()
    audit.record(session, actor, "user.password", "user", user.id, {"password": {"changed": True}})


def random_password(username: str = "") -> str:
    """20 random URL-safe characters (120 bits) that pass the password rule."""
    while True:
        password = secrets.token_urlsafe(15)
        try:
            check_password_strength(password, username)
        except Invalid:
            continue
        return password
