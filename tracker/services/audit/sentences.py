"""Audit events as sentences a person reads: "demo linked excerpt 21 (from *Militärische
Allianz…*) to claim #14 as supporting".

Sentence templates live in ``tracker/data/audit_sentences.toml``; an action not listed there
gets a readable generic sentence. A sentence is a list of ``Part``s: plain text, emphasised
text (titles) or a reference to an entity that the web layer turns into a link. No Flask here.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Excerpt, Publisher, Source, User
from tracker.services.ai.labels import status_label
from tracker.services.audit.query import private_changes
from tracker.services.text.display import format_percent, format_when, stance_word, verdict_label

SECRET_MARKERS = ("password", "hash", "token", "secret")
TITLE_CHARS = 60
VALUE_CHARS = 160
REF_KINDS = ("claim", "source", "excerpt", "publisher", "user")
# Entity types whose id is that of another kind of entity (a ClaimReview event is about a claim).
ENTITY_KINDS = {"claim_review": "claim"}


@dataclass(frozen=True)
class Part:
    """A piece of a sentence. ``kind``/``ref`` name an entity the page may link to."""

    text: str
    kind: str | None = None
    ref: str | None = None
    emphasis: bool = False
    source_id: int | None = None  # an excerpt's source, for its link


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str | None


@dataclass
class Described:
    event: AuditEvent
    sentence: list[Part]
    changes: list[Change] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.sentence)


@dataclass
class ActivityLine:
    """One request's events on the dashboard: the first one's sentence and a count of the rest."""

    first: Described
    more: list[str]
    events: int

    @property
    def text(self) -> str:
        extra = f"; also {', '.join(self.more)}" if self.more else ""
        return self.first.text + extra


@cache
def _config() -> dict[str, Any]:
    raw = resources.files("tracker").joinpath("data/audit_sentences.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:–-") + "…"


@dataclass
class Names:
    """Names of the entities a batch of events mentions, read in one query per kind."""

    sources: dict[int, str | None] = field(default_factory=dict)
    excerpts: dict[int, int] = field(default_factory=dict)  # excerpt id -> source id
    publishers: dict[int, str] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    claims: set[int] = field(default_factory=set)


def _ids(events: Iterable[AuditEvent]) -> dict[str, set[int]]:
    kinds: dict[str, str] = _config()["fields"]
    wanted: dict[str, set[int]] = {kind: set() for kind in REF_KINDS}
    for event in events:
        entity_kind = ENTITY_KINDS.get(event.entity_type, event.entity_type)
        if entity_kind in wanted and event.entity_id.isdigit():
            wanted[entity_kind].add(int(event.entity_id))
        for name, change in (event.changes or {}).items():
            kind = kinds.get(name)
            if kind in wanted:
                for value in _values(change):
                    if isinstance(value, int) and not isinstance(value, bool):
                        wanted[kind].add(value)
    return wanted


def _values(change: Any) -> list[Any]:
    if isinstance(change, dict) and ("before" in change or "after" in change):
        return [change.get("before"), change.get("after")]
    return [change]


def load_names(session: Session, events: Sequence[AuditEvent]) -> Names:
    """One query per kind, whatever the events mention (so a page's query count is fixed)."""
    wanted = _ids(events)
    names = Names(claims=wanted["claim"])
    found = select(Excerpt.id, Excerpt.source_id).where(Excerpt.id.in_(wanted["excerpt"]))
    names.excerpts = {eid: sid for eid, sid in session.execute(found)}
    wanted["source"] |= set(names.excerpts.values())
    titles = select(Source.id, Source.title).where(Source.id.in_(wanted["source"]))
    names.sources = {sid: title for sid, title in session.execute(titles)}
    query = select(Publisher.id, Publisher.name).where(Publisher.id.in_(wanted["publisher"]))
    names.publishers = {pid: name for pid, name in session.execute(query)}
    people = select(User.id, User.username).where(User.id.in_(wanted["user"]))
    names.users = {uid: name for uid, name in session.execute(people)}
    return names


def actor_name(actor: str) -> str:
    """``user:demo`` -> ``demo``; ``cli:root`` -> ``root (command line)``."""
    kind, _, name = actor.partition(":")
    if kind == "user" and name:
        return name
    if kind == "cli" and name:
        return f"{name} (command line)"
    if kind == "system" and name:
        return f"the system ({name})"
    return actor


def _ref(kind: str, ident: int, names: Names) -> list[Part]:
    """An entity by name: "claim #14", "excerpt 21 (from *title*)", a publisher's name."""
    if kind == "claim":
        return [Part(f"claim #{ident}", "claim", str(ident))]
    if kind == "source":
        title = names.sources.get(ident)
        parts = [Part(f"source #{ident}", "source", str(ident))]
        if title:
            parts += [Part(" ("), Part(_short(title, TITLE_CHARS), emphasis=True), Part(")")]
        return parts
    if kind == "excerpt":
        source_id = names.excerpts.get(ident)
        parts = [Part(f"excerpt {ident}", "excerpt", str(ident), source_id=source_id)]
        title = names.sources.get(source_id) if source_id is not None else None
        if title:
            parts += [Part(" (from "), Part(_short(title, TITLE_CHARS), emphasis=True), Part(")")]
        return parts
    if kind == "publisher":
        name = names.publishers.get(ident)
        return [Part(name or f"publisher {ident}", "publisher", str(ident))]
    if kind == "user":
        return [Part(names.users.get(ident) or f"account {ident}", "user", str(ident))]
    return [Part(f"{kind} {ident}")]


def entity_parts(event: AuditEvent, names: Names) -> list[Part]:
    kind = ENTITY_KINDS.get(event.entity_type, event.entity_type)
    if kind in REF_KINDS and event.entity_id.isdigit():
        return _ref(kind, int(event.entity_id), names)
    words = event.entity_type.replace("_", " ")
    return [Part(f"{words} {event.entity_id}".strip())]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def format_value(name: str, value: Any, names: Names | None = None) -> str:
    """A changed value as the rest of the site shows it (ids become names)."""
    kind = _config()["fields"].get(name)
    parts = value_parts(name, value, names or Names())
    if parts is not None and kind in REF_KINDS:
        return "".join(p.text for p in parts)
    return _plain(kind, value)


def _plain(kind: str | None, value: Any) -> str:
    if kind == "percent":
        return format_percent(value)
    if kind == "verdict":
        return verdict_label(value)
    if kind == "stance":
        return stance_word(value)
    if kind == "when":
        return format_when(value)
    if kind == "ai_status":
        return status_label(value)
    if kind == "actor" and isinstance(value, str):
        return actor_name(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_plain(None, item) for item in value if not _empty(item))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(None, v)}" for k, v in value.items() if not _empty(v))
    text = str(value)
    if re.fullmatch(r"\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)?)?", text):
        return format_when(text)
    return _short(text.replace("_", " ") if re.fullmatch(r"[a-z_]+", text) else text, VALUE_CHARS)


def value_parts(name: str, value: Any, names: Names) -> list[Part] | None:
    """A field's value as sentence parts; None when it has no value to show."""
    if _empty(value):
        return None
    kind = _config()["fields"].get(name)
    if kind in REF_KINDS and isinstance(value, int) and not isinstance(value, bool):
        return _ref(kind, value, names)
    return [Part(_plain(kind, value))]


def _after(change: Any) -> Any:
    values = _values(change)
    return values[-1] if not _empty(values[-1]) else values[0]


def _sentence(event: AuditEvent, changes: dict[str, Any], names: Names) -> list[Part]:
    spec = _config()["actions"].get(event.action)
    slots: dict[str, list[Part] | None] = {
        "actor": [Part(actor_name(event.actor))],
        "entity": entity_parts(event, names),
        "entity_id": [Part(event.entity_id)],
        "why": [Part(_short(event.reason, VALUE_CHARS))] if event.reason else None,
    }
    for name, change in changes.items():
        if not any(marker in name.lower() for marker in SECRET_MARKERS):
            slots[name] = value_parts(name, _after(change), names)
    for template in (spec or {}).get("text", []):
        parts = _fill(template, slots)
        if parts is not None:
            return parts
    words = event.action.replace(".", " ").replace("_", " ")
    generic = f"{{actor}} recorded “{words}” on {{entity}}"
    return _fill(generic, slots) or [Part(words)]


def _fill(template: str, slots: dict[str, list[Part] | None]) -> list[Part] | None:
    parts: list[Part] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(Part(literal))
        if name is not None:
            value = slots.get(name)
            if not value:
                return None
            parts.extend(value)
    return parts


def _changes(changes: dict[str, Any], names: Names) -> list[Change]:
    config = _config()
    hidden = set(config["hidden"]["fields"])
    labels: dict[str, str] = config["labels"]
    rows = []
    for name, change in sorted(changes.items()):
        label = labels.get(name, name.replace("_", " "))
        if name in hidden:
            continue
        if any(marker in name.lower() for marker in SECRET_MARKERS):
            rows.append(Change(label, None, "changed (not shown)"))
            continue
        before, after = _values(change) if isinstance(change, dict) else (None, change)
        if _empty(before) and _empty(after):
            continue
        shown_before = None if _empty(before) else format_value(name, before, names)
        shown_after = "not set" if _empty(after) else format_value(name, after, names)
        rows.append(Change(label, shown_before, shown_after))
    return rows


def describe(
    session: Session, events: Sequence[AuditEvent], *, for_admin: bool = True
) -> list[Described]:
    """Each event as a sentence with its readable changes (names read in a few queries).
    Without ``for_admin`` the name typed at a failed sign-in is hidden (private_changes)."""
    names = load_names(session, events)
    described = []
    for e in events:
        changes = e.changes or {}
        if not for_admin:
            changes = private_changes(e.action, changes)
        described.append(Described(e, _sentence(e, changes, names), _changes(changes, names)))
    return described


def _summary(action: str, count: int) -> str:
    spec = _config()["actions"].get(action, {})
    one, many = spec.get("summary", [None, None])
    if one is None:
        words = action.replace(".", " ").replace("_", " ")
        return f"{count} × “{words}”"
    return one if count == 1 else str(many).format(n=count)


def group_by_request(described: Sequence[Described]) -> list[ActivityLine]:
    """Consecutive events of one request (same request id and actor) as one line."""
    lines: list[ActivityLine] = []
    groups: list[list[Described]] = []
    for item in described:
        last = groups[-1][0].event if groups else None
        same = (
            last is not None
            and item.event.request_id is not None
            and item.event.request_id == last.request_id
            and item.event.actor == last.actor
        )
        if same:
            groups[-1].append(item)
        else:
            groups.append([item])
    for group in groups:
        ordered = sorted(group, key=lambda d: d.event.id)  # the request's first event leads
        rest = Counter(d.event.action for d in ordered[1:])
        more = [_summary(action, count) for action, count in rest.items()]
        lines.append(ActivityLine(ordered[0], more, len(group)))
    return lines
