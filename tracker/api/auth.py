"""Who calls the API: a bearer token (never the session cookie), or nobody when anonymous
reading is on; role checks that audit refusals; the audit actor; a per-caller rate limit."""

from __future__ import annotations

import logging
import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, request
from flask_limiter import Limiter
from limits import RateLimitItemPerMinute
from sqlalchemy.exc import SQLAlchemyError

from tracker.api.problems import ApiProblem
from tracker.boundary import apart, audit_refusal
from tracker.db import read_only_session
from tracker.models import Role
from tracker.services.accounts import sign_in as accounts
from tracker.services.accounts.api_tokens import check_token, touch
from tracker.services.audit.log import Actor

log = logging.getLogger(__name__)
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
REALM = 'Bearer realm="tracker"'


@dataclass(frozen=True)
class Principal:
    role: Role
    actor_name: str
    token_id: int | None = None  # None: an anonymous reader
    username: str | None = None
    expires_at: datetime | None = None


ANONYMOUS = Principal(role=Role.VIEWER, actor_name="anonymous")


def unauthorized(detail: str, error: str | None = None) -> ApiProblem:
    challenge = f'{REALM}, error="{error}"' if error else REALM
    return ApiProblem(401, detail, headers={"WWW-Authenticate": challenge})


def _bearer() -> str | None:
    """The token of an ``Authorization: Bearer`` header; None without the header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise unauthorized("use the header Authorization: Bearer <token>", "invalid_request")
    return value.strip()


def _from_token(raw: str) -> Principal:
    with read_only_session(current_app.extensions["tracker"].sessions) as session:
        use = check_token(session, raw)
    if use is None:
        log.warning("refused API token from %s for %s", request.remote_addr, request.path)
        raise unauthorized("the token is unknown, revoked or expired", "invalid_token")
    if use.stale:
        _record_use(use.token_id)
    return Principal(use.role, use.actor_name, use.token_id, use.username, use.expires_at)


def _record_use(token_id: int) -> None:
    """last_used_at, in a short transaction of its own (committed whatever becomes of the
    request); a failure never fails the request."""
    try:
        with apart() as session:
            touch(session, token_id)
    except SQLAlchemyError as exc:  # e.g. the database is busy: the next use records it
        log.warning("could not record the use of API token %s: %s", token_id, exc)


def authenticate(anonymous_allowed: bool) -> Principal:
    """The caller of this request (kept in ``g``), or a 401 problem."""
    raw = _bearer()
    if raw is not None:
        principal = _from_token(raw)
    elif anonymous_allowed and request.method in SAFE and current_app.config["API_ANONYMOUS_READ"]:
        principal = ANONYMOUS
    else:
        raise unauthorized("this needs a token: send Authorization: Bearer <token>")
    g.api_principal = principal
    return principal


def principal() -> Principal:
    found: Principal = g.api_principal
    return found


def allows(who: Principal, needed: Role) -> bool:
    return accounts.RANK[who.role] >= accounts.RANK[needed]


def api_actor() -> Actor:
    """The audit actor: the token's user (or the token itself), with where the call came from."""
    who = principal()
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    context: dict[str, object] = {
        "ip": request.remote_addr,
        "method": request.method,
        "path": request.path[:500],
    }
    if who.token_id is not None:
        context["via"] = f"api token {who.token_id}"
    return Actor(name=who.actor_name, request_id=g.request_id, context=context)


def require(needed: Role) -> None:
    """Refuse (403, audited as access.denied) unless the caller has at least ``needed``.

    Like the web app's ``deny``: nothing of the request may land, so its transaction is
    rolled back first and the denial is recorded in a transaction of its own
    (``tracker.boundary.audit_refusal``)."""
    who = principal()
    if allows(who, needed):
        return
    log.warning(
        "denied %s %s to %s: needs %s", request.method, request.path, who.actor_name, needed
    )
    actor, what = api_actor(), request.endpoint or request.path
    audit_refusal(lambda db: accounts.record_denial(db, actor, what, needed))
    raise ApiProblem(403, f"this needs the {needed.value} role (the token has {who.role.value})")


# --- rate limit --------------------------------------------------------------------------------

LIMITER_KEY = "tracker_api_limiter"
SCOPE = "api"


def rate_limit(key: str) -> None:
    """429 once ``key`` passes API_RATE_LIMIT requests in a minute (0: no limit), counted by
    the app's Flask-Limiter in its shared storage (see ``tracker.api.register_api``)."""
    limit = int(current_app.config["API_RATE_LIMIT"])
    if limit <= 0:
        return
    limiter: Limiter = current_app.extensions[LIMITER_KEY]
    item = RateLimitItemPerMinute(limit)
    if limiter.limiter.hit(item, SCOPE, key):
        return
    reset, _ = limiter.limiter.get_window_stats(item, SCOPE, key)
    seconds = max(1, math.ceil(reset - time.time()))
    raise ApiProblem(
        429,
        f"over {limit} requests a minute: retry in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


def caller_key(who: Principal | None) -> str:
    """Whom the rate limit counts: the token, else the client address."""
    if who is not None and who.token_id is not None:
        return f"token:{who.token_id}"
    return f"ip:{request.remote_addr}"
