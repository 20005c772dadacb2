"""Personal API tokens: issue, revoke, list, and check a presented token.

A token is ``trk_`` plus 43 characters of ``secrets.token_urlsafe(32)`` (256 random bits).
Only its SHA-256 is stored (see ``tracker.models.api_token`` for why a fast hash is enough).
A token may belong to a user: it then acts as that user (``user:<name>`` in the audit log)
and never with more than the user's current role; a deactivated user's tokens stop working.
A token without a user acts as ``system:api-token-<id>``."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from tracker.models import ApiToken, Role
from tracker.models.types import utcnow
from tracker.services.accounts.sign_in import RANK
from tracker.services.accounts.users import get_user, parse_role
from tracker.services.audit import log as audit
from tracker.services.errors import Invalid, NotFound
from tracker.services.text.times import parse_time

TOKEN_PREFIX = "trk_"
PREFIX_CHARS = 12  # "trk_" and 8 characters: enough to tell tokens apart in a list
MAX_NAME = 100
MAX_TOKEN_CHARS = 200  # anything longer is not one of ours (and is not hashed)
# last_used_at is written at most this often per token (a write on every GET would not do).
TOUCH_EVERY = timedelta(minutes=1)
_AHEAD = re.compile(r"^(\d{1,4})\s*(h|d|w|m|y)$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks", "m": "months", "y": "years"}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def parse_expiry(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """When a token expires: "30d", "12h", "2w", "6m" (months), "1y" from now, or a day or
    moment ("2027-01-31", "2027-01-31 18:00"; a day means its midnight, UTC). None or
    "never": no expiry. It must lie in the future."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    clean = " ".join((text or "").split()).lower()
    if not clean or clean == "never":
        return None
    try:
        if found := _AHEAD.match(clean):
            amount, unit = int(found.group(1)), _UNITS[found.group(2)]
            moment = now + relativedelta(**{unit: amount})  # type: ignore[arg-type]
        else:
            moment = parse_time(clean, now=now).start
    except (Invalid, ValueError, OverflowError):  # not a time, or past the year 9999
        raise Invalid(
            f"cannot read {text!r} as an expiry: use 30d, 12h, 2w, 6m (months), 1y, "
            "a date (2027-01-31) or a date and time (2027-01-31 18:00, UTC)"
        ) from None
    if moment <= now:
        raise Invalid(f"the expiry {moment:%Y-%m-%d %H:%M} UTC is not in the future")
    return moment


def issue_token(
    session: Session,
    *,
    role: str | Role,
    actor: audit.Actor,
    username: str | None = None,
    expires: str | None = None,
    name: str = "",
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once). A user's token may not exceed the user's role."""
    wanted = parse_role(role)
    label = " ".join((name or "").split())
    if len(label) > MAX_NAME:
        raise Invalid(f"the token name must have at most {MAX_NAME} characters")
    user = None
    if username is not None:
        user = get_user(session, username.strip().lower())
        if user is None:
            raise NotFound(f"user {username!r} does not exist")
        if not user.active:
            raise Invalid(f"user {user.username!r} is deactivated")
        if RANK[wanted] > RANK[user.role]:
            raise Invalid(
                f"user {user.username!r} has the {user.role.value} role: "
                f"a token of theirs cannot have the {wanted.value} role"
            )
    raw = new_token()
    token = ApiToken(
        name=label,
        token_hash=hash_token(raw),
        prefix=raw[:PREFIX_CHARS],
        role=wanted,
        user=user,
        created_by=actor.name,
        expires_at=parse_expiry(expires, now=now),
    )
    session.add(token)
    session.flush()
    # Never the token or its hash: the prefix is enough to recognise it.
    fields = {
        "name": token.name,
        "prefix": token.prefix,
        "role": token.role,
        "user": user.username if user else None,
        "expires_at": token.expires_at,
    }
    audit.record(session, actor, "api_token.create", "api_token", token.id, audit.created(fields))
    return token, raw


def get_token(session: Session, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"API token {token_id} does not exist")
    return token


def revoke_token(
    session: Session, token_id: int, *, actor: audit.Actor, reason: str | None = None
) -> tuple[ApiToken, bool]:
    """Revoke a token at once; (token, False) when it was already revoked (nothing changes)."""
    token = get_token(session, token_id)
    if token.revoked_at is not None:
        return token, False
    why = " ".join((reason or "").split()) or None
    if why is not None and len(why) > audit.MAX_REASON:
        raise Invalid(f"the reason is longer than {audit.MAX_REASON} characters")
    token.revoked_at, token.revoked_by = utcnow(), actor.name
    session.flush()
    changes = audit.diff({"revoked_at": None}, {"revoked_at": token.revoked_at})
    audit.record(session, actor, "api_token.revoke", "api_token", token.id, changes, reason=why)
    return token, True


def list_tokens(session: Session) -> list[ApiToken]:
    query = select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.id)
    return list(session.scalars(query))


def token_state(token: ApiToken, now: datetime | None = None) -> str:
    """active, expired or revoked."""
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= (now or utcnow()):
        return "expired"
    return "active"


def token_to_dict(token: ApiToken) -> dict[str, Any]:
    def when(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": token.id,
        "name": token.name,
        "prefix": token.prefix,
        "role": token.role.value,
        "user": token.user.username if token.user else None,
        "state": token_state(token),
        "created_by": token.created_by,
        "created_at": when(token.created_at),
        "expires_at": when(token.expires_at),
        "revoked_at": when(token.revoked_at),
        "revoked_by": token.revoked_by,
        "last_used_at": when(token.last_used_at),
    }


# --- using a token ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenUse:
    """A valid token as a request sees it: who acts, with which role, and its bookkeeping."""

    token_id: int
    role: Role  # the token's role, capped by its user's current role
    actor_name: str
    username: str | None
    expires_at: datetime | None
    stale: bool  # last_used_at is older than TOUCH_EVERY (the caller may record the use)


def check_token(session: Session, raw: str, *, now: datetime | None = None) -> TokenUse | None:
    """The use a presented token allows; None when it is unknown, revoked or expired, or its
    user is deactivated. Reads only."""
    if not raw or len(raw) > MAX_TOKEN_CHARS or not raw.isascii():
        return None
    digest = hash_token(raw)
    token = session.scalar(
        select(ApiToken).options(selectinload(ApiToken.user)).where(ApiToken.token_hash == digest)
    )
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    moment = now or utcnow()
    if token_state(token, moment) != "active":
        return None
    user = token.user
    role = token.role
    if user is not None:
        if not user.active:
            return None
        role = min(role, user.role, key=RANK.__getitem__)
    last = token.last_used_at
    return TokenUse(
        token_id=token.id,
        role=role,
        actor_name=f"user:{user.username}" if user else f"system:api-token-{token.id}",
        username=user.username if user else None,
        expires_at=token.expires_at,
        stale=last is None or moment - last >= TOUCH_EVERY,
    )


def touch(session: Session, token_id: int, *, now: datetime | None = None) -> None:
    """Record that a token was used (bookkeeping like a sign-in time: not audited)."""
    session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now or utcnow())
    )
