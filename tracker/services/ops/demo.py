"""The demo data set: the seed articles plus a hand-made set of claims
(tracker/data/seeds/claims.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Role, Source
from tracker.services.accounts.users import create_user, get_user, random_password, set_password
from tracker.services.audit import log as audit
from tracker.services.claims.edit import check_new_claim_support
from tracker.services.claims.records import create_claim, find_by_normalized, link_evidence
from tracker.services.errors import Conflict, Invalid
from tracker.services.sources.excerpts import get_or_create_excerpt, locate_quote

DEMO_USERNAME = "demo"


CHECKOUT_SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def seeds_folder() -> Path:
    """The seed corpus: the checkout's top-level ``seeds/``, else the copy a built package
    carries (``tracker/data/seeds/``, see setup.py)."""
    if (CHECKOUT_SEEDS / "claims.json").is_file():
        return CHECKOUT_SEEDS
    return Path(str(files("tracker").joinpath("data", "seeds")))


@dataclass
class DemoLoad:
    created: int = 0
    unchanged: int = 0


def _source_by_origin(session: Session, origin: str) -> Source:
    source = session.scalar(select(Source).where(Source.origin == origin).limit(1))
    if source is None:
        raise Invalid(f"claims file names source {origin!r}, which has not been ingested")
    return source


_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "language": (str, type(None)),
    "verdict": (str,),
    "confidence": (int, float, type(None)),
    "rationale": (str,),
    "override_reason": (str, type(None)),
    "evidence": (list,),
}


def _check_item(item: Any) -> None:
    if not isinstance(item, dict):
        raise Invalid("each claim must be a JSON object")
    if "text" not in item:
        raise Invalid("the claim has no text")
    for key, types in _FIELD_TYPES.items():
        if key in item and not isinstance(item[key], types):
            raise Invalid(f"{key!r} has the wrong type ({type(item[key]).__name__})")
    for ev in item.get("evidence", []):
        if not isinstance(ev, dict) or not isinstance(ev.get("source"), str):
            raise Invalid("each evidence entry needs a 'source' file name")
        if not isinstance(ev.get("quote"), str):
            raise Invalid("each evidence entry needs a 'quote'")


def _load_claim(session: Session, item: dict[str, Any], actor: audit.Actor) -> bool:
    _check_item(item)
    if find_by_normalized(session, item["text"], item.get("language")) is not None:
        return False
    with session.begin_nested():
        claim = create_claim(
            session,
            text=item["text"],
            language=item.get("language"),
            verdict=item.get("verdict", "unreviewed"),
            confidence=item.get("confidence"),
            rationale=item.get("rationale", ""),
            actor=actor,
        )
        for ev in item.get("evidence", []):
            source = _source_by_origin(session, ev["source"])
            start, end = locate_quote(source.text, ev["quote"], ev.get("occurrence"))
            excerpt, _ = get_or_create_excerpt(session, source, start, end, actor=actor)
            link_evidence(session, claim, excerpt, ev.get("stance", "supports"), actor=actor)
        # The rules a user faces: a true verdict on AI-only support needs an override reason.
        check_new_claim_support(
            session, claim, override_reason=item.get("override_reason"), actor=actor
        )
    return True


def load_claims_file(session: Session, path: Path, *, actor: audit.Actor) -> DemoLoad:
    """Claims from a JSON file, each linked to its exact quotes; claims already present are
    left alone. A bad entry raises Invalid and the caller's transaction writes nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data["claims"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise Invalid(f"cannot read claims from {path}: {exc}") from exc
    if not isinstance(items, list):
        raise Invalid(f"{path.name}: 'claims' must be a list")
    result = DemoLoad()
    for number, item in enumerate(items, start=1):
        try:
            if _load_claim(session, item, actor):
                result.created += 1
            else:
                result.unchanged += 1
        except Invalid as exc:
            raise Invalid(f"{path.name}: claim {number}: {exc}") from exc
    return result


def reset_demo_user(session: Session, *, actor: audit.Actor) -> tuple[str, str]:
    """Create the demo editor, or give it a new password; returns (username, password)."""
    password = random_password(DEMO_USERNAME)
    user = get_user(session, DEMO_USERNAME)
    if user is None:
        create_user(
            session,
            DEMO_USERNAME,
            role=Role.EDITOR,
            password=password,
            display_name="Demo editor",
            actor=actor,
        )
    elif user.role is not Role.EDITOR:
        raise Conflict(
            f"a {user.role.value} account named {DEMO_USERNAME!r} exists; "
            "the demo will not change its password"
        )
    else:
        set_password(session, user, password, actor=actor)
    return DEMO_USERNAME, password
