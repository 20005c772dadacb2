"""User accounts. Passwords are hashed with argon2 (argon2-cffi defaults)."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

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


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"the password must have at most {MAX_PASSWORD} characters")
    if len(set(password)) < 4 or not password.strip():
        raise Invalid("the password is too simple: use at least four different characters")


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
    check_password_strength(password)
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
    check_password_strength(password)
    user.password_hash = hash_password(password)
    session.flush()
    audit.record(session, actor, "user.password", "user", user.id, {"password": {"changed": True}})


def random_password() -> str:
    return secrets.token_urlsafe(15)
