"""Publishers: matched by name or web domain when a source is added, flagged by editors when
they are known to publish AI-generated text, and counted (how many of their sources are).

A name matches in any spelling of case, spacing and punctuation ("Geo-Politika " is
"geo politika"); a URL matches by its host without "www." ("https://www.geopolitika.no/x" is
"geopolitika.no"). The same rules are copied into the migration that backfilled publishers."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from tracker.models import AiStatus, Publisher, Source
from tracker.models.types import utcnow
from tracker.services.audit import log as audit
from tracker.services.claims import rereview
from tracker.services.errors import Invalid, NotFound

MAX_NAME = 200
MAX_DOMAIN = 253
AI_STATUS_VALUES = (AiStatus.AI_DISCLOSED, AiStatus.AI_REVIEWER)
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """A publisher name for matching: NFKC, casefolded, punctuation and symbols as spaces,
    spaces collapsed. "  The  Daily-Post." -> "the daily post"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return _SPACES.sub(" ", text).strip()[:MAX_NAME]


def domain_of(url: str | None) -> str | None:
    """The host of a URL, lowercased, without "www." and a trailing dot; None if it has none."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower().removeprefix("www.")
    return host[:MAX_DOMAIN] or None


def _display_name(name: str | None) -> str | None:
    return _SPACES.sub(" ", name).strip()[:MAX_NAME] or None if name else None


def _fields(publisher: Publisher) -> dict[str, Any]:
    return {
        "name": publisher.name,
        "name_key": publisher.name_key,
        "domain": publisher.domain,
        "ai_flag": publisher.ai_flag,
    }


def publisher_for(
    session: Session, name: str | None, url: str | None, *, actor: audit.Actor
) -> Publisher | None:
    """The publisher a source with this publisher name and URL belongs to, created if new.

    The name wins over the URL: a name that matches a publisher picks it; else the URL's
    domain does; else a new publisher is made (named by the name, or by the domain when no name
    is given). A matched publisher without a domain gets the URL's domain when no other
    publisher has it. None when there is neither a usable name nor a domain."""
    display = _display_name(name)
    key = name_key(display) if display else ""
    domain = domain_of(url)
    if not key and not domain:
        return None
    found = session.scalar(select(Publisher).where(Publisher.name_key == key)) if key else None
    if found is None and domain:
        found = session.scalar(select(Publisher).where(Publisher.domain == domain))
    if found is None and not key and domain:
        display, key = domain, name_key(domain)
        found = session.scalar(select(Publisher).where(Publisher.name_key == key))
    if found is not None:
        if domain and found.domain is None and _domain_free(session, domain):
            before = _fields(found)
            found.domain = domain
            session.flush()
            changes = audit.diff(before, _fields(found))
            audit.record(session, actor, "publisher.update", "publisher", found.id, changes)
        return found
    assert display is not None
    publisher = Publisher(
        name=display,
        name_key=key,
        domain=domain if domain and _domain_free(session, domain) else None,
        ai_flag=False,
    )
    session.add(publisher)
    session.flush()
    audit.record(
        session,
        actor,
        "publisher.create",
        "publisher",
        publisher.id,
        audit.created(_fields(publisher)),
    )
    return publisher


def _domain_free(session: Session, domain: str) -> bool:
    return session.scalar(select(Publisher.id).where(Publisher.domain == domain)) is None


def get_publisher(session: Session, ref: int | str) -> Publisher:
    """A publisher by id, by name (any spelling name_key matches) or by domain; else NotFound."""
    text = str(ref).strip()
    found: Publisher | None = None
    if text.isdigit():
        found = session.get(Publisher, int(text))
    if found is None and text:
        key, domain = name_key(text), domain_of(f"http://{text}") if "/" not in text else None
        conditions = [Publisher.name_key == key] if key else []
        if domain:
            conditions.append(Publisher.domain == domain)
        if conditions:
            found = session.scalars(
                select(Publisher).where(or_(*conditions)).order_by(Publisher.id)
            ).first()
    if found is None:
        raise NotFound(f"publisher {text[:80]!r} does not exist")
    return found


def _flag_state(publisher: Publisher) -> dict[str, Any]:
    return {
        "ai_flag": publisher.ai_flag,
        "ai_flag_reason": publisher.ai_flag_reason,
        "ai_flag_by": publisher.ai_flag_by,
        "ai_flag_at": publisher.ai_flag_at,
    }


def set_publisher_flag(
    session: Session, publisher_id: int, flag: bool, *, reason: str, actor: audit.Actor
) -> Publisher:
    """Flag (or unflag) a publisher as a source of AI-generated text, with a reason (audited
    as publisher.ai_flag). New sources of a flagged publisher start "suspected"; sources
    already stored keep their status. The same flag and reason again change nothing."""
    if not isinstance(flag, bool):
        raise Invalid("the publisher flag must be on or off")
    why = audit.required_reason(reason, "to flag or unflag a publisher")
    publisher = session.get(Publisher, publisher_id)
    if publisher is None:
        raise NotFound(f"publisher {publisher_id} does not exist")
    if publisher.ai_flag == flag and publisher.ai_flag_reason == why:
        return publisher
    before = _flag_state(publisher)
    publisher.ai_flag = flag
    publisher.ai_flag_reason = why
    publisher.ai_flag_by = actor.name
    publisher.ai_flag_at = utcnow()
    session.flush()
    changes = audit.diff(before, _flag_state(publisher))
    audit.record(
        session, actor, "publisher.ai_flag", "publisher", publisher.id, changes, reason=why
    )
    if flag and not before["ai_flag"]:  # the verdicts citing its sources lose their ground
        rereview.publisher_flagged(session, publisher.id, publisher.name, actor)
    return publisher


def publisher_stats(session: Session) -> list[dict[str, Any]]:
    """Every publisher with its number of sources, how many are AI-generated (disclosed or a
    reviewer's finding) and their share, and how many are suspected; one grouped query."""
    flagged = func.coalesce(func.sum(case((Source.ai_status.in_(AI_STATUS_VALUES), 1), else_=0)), 0)
    suspected = func.coalesce(
        func.sum(case((Source.ai_status == AiStatus.SUSPECTED, 1), else_=0)), 0
    )
    query = (
        select(Publisher, func.count(Source.id), flagged, suspected)
        .outerjoin(Source, Source.publisher_id == Publisher.id)
        .group_by(Publisher.id)
        .order_by(Publisher.name_key, Publisher.id)
    )
    stats = []
    for publisher, count, ai_count, suspected_count in session.execute(query):
        sources, ai_sources = int(count), int(ai_count)
        stats.append(
            {
                "id": publisher.id,
                "name": publisher.name,
                "domain": publisher.domain,
                "sources": sources,
                "flagged_sources": ai_sources,
                "share": round(ai_sources / sources, 4) if sources else 0.0,
                "suspected": int(suspected_count),
                "ai_flag": publisher.ai_flag,
                "reason": publisher.ai_flag_reason,
                "ai_flag_by": publisher.ai_flag_by,
                "ai_flag_at": publisher.ai_flag_at.isoformat() if publisher.ai_flag_at else None,
            }
        )
    return stats
