"""Excerpts as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), in JSON-LD.

The export is one ``AnnotationCollection`` whose single embedded ``AnnotationPage`` holds
every annotation, written while the excerpts are read (``write_collection``):

- one annotation per evidence link (an excerpt linked to a claim): motivation ``assessing``
  when the excerpt supports or refutes the claim, ``linking`` when it only mentions it; its
  bodies are the claim (a ``SpecificResource`` whose ``source`` is the claim's IRI), the
  claim's text (a ``TextualBody`` with purpose ``describing``) and the stance (a
  ``TextualBody`` with purpose ``tagging``: ``supports``, ``refutes`` or ``mentions``, which
  Hypothesis shows as a tag). One annotation per link keeps each stance unambiguous: an
  excerpt linked to two claims gives two annotations with the same target;
- one ``highlighting`` annotation without a body for an excerpt no claim links to.

The target is the source: its URL, or ``urn:sha256:<hex>`` (the snapshot's SHA-256) when it
has none, with a ``TextQuoteSelector`` (exact, prefix, suffix: up to 32 characters of
context, as Hypothesis keeps) and a ``TextPositionSelector``, and a ``TimeState`` whose
``sourceDate`` is when the snapshot was taken: the selectors describe the stored snapshot,
which may differ from what the URL serves today. Positions count Unicode code points over the
snapshot's text (for an HTML page, the readable text ingest extracted), as the W3C model
requires; a client that counts UTF-16 code units (JavaScript) should re-anchor by the quote.

IRIs: with a base URL (the web app's, or ``--base-url``) claims and sources are their pages
(``<base>claims/12``, ``<base>sources/3``) and an annotation is the evidence line on the
claim page (``<base>claims/12#evidence-40``) or the excerpt on the source page
(``<base>sources/3#excerpt-7``); without one they are ``urn:tracker:<kind>:<id>``."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from tracker.models import Claim, Evidence, Excerpt, Source, Stance
from tracker.services.errors import Invalid, NotFound

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Stance -> motivation (W3C motivations; the model has none for "quoting").
MOTIVATIONS = {
    Stance.SUPPORTS: "assessing",
    Stance.REFUTES: "assessing",
    Stance.MENTIONS: "linking",
}
BATCH = 500  # rows fetched at a time while streaming


@dataclass(frozen=True)
class Iris:
    """The IRIs of the tracker's records: page URLs under ``base`` or ``urn:tracker:`` names."""

    base: str | None = None

    @classmethod
    def for_base(cls, base_url: str | None) -> Iris:
        """``base_url`` checked (http or https, with a host) and ending in "/"; None: URNs."""
        if base_url is None or not base_url.strip():
            return cls(None)
        base = base_url.strip()
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise Invalid(f"the base URL must be http(s)://host/..., not {base[:60]!r}")
        if parts.query or parts.fragment:
            raise Invalid("the base URL cannot have a query or a fragment")
        return cls(base if base.endswith("/") else base + "/")

    def namespace(self, kind: str) -> str:
        """The prefix every IRI of ``kind`` ("claims", "sources", ...) starts with."""
        return f"{self.base}{kind}/" if self.base else f"urn:tracker:{kind}:"

    def claim(self, claim_id: int) -> str:
        return f"{self.namespace('claims')}{claim_id}"

    def source(self, source_id: int) -> str:
        return f"{self.namespace('sources')}{source_id}"

    def evidence(self, claim_id: int, evidence_id: int) -> str:
        if self.base:
            return f"{self.claim(claim_id)}#evidence-{evidence_id}"
        return f"urn:tracker:evidence:{evidence_id}"

    def excerpt(self, source_id: int, excerpt_id: int) -> str:
        if self.base:
            return f"{self.source(source_id)}#excerpt-{excerpt_id}"
        return f"urn:tracker:excerpts:{excerpt_id}"


def snapshot_urn(sha256: str) -> str:
    """The name of a source snapshot by its content: ``urn:sha256:<hex>``."""
    return f"urn:sha256:{sha256}"


def iso(value: datetime) -> str:
    """UTC, to the second, with "Z" (the form the W3C model's examples use)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def agent(actor: str) -> dict[str, Any]:
    """A W3C Agent for an actor name: ``user:`` and ``cli:`` are people, ``system:`` software."""
    kind, _, name = actor.partition(":")
    found = {"type": "Software" if kind == "system" else "Person", "name": actor}
    if kind in ("user", "cli") and name:
        found["nickname"] = name
    return found


# --- reading --------------------------------------------------------------------------------

_COLUMNS = (
    Excerpt.id.label("excerpt_id"),
    Excerpt.source_id,
    Excerpt.start_offset,
    Excerpt.end_offset,
    Excerpt.exact,
    Excerpt.prefix,
    Excerpt.suffix,
    Excerpt.created_by,
    Excerpt.created_at,
    Source.url,
    Source.sha256,
    Source.retrieved_at,
    Evidence.id.label("evidence_id"),
    Evidence.stance,
    Evidence.linked_by,
    Evidence.linked_at,
    Claim.id.label("claim_id"),
    Claim.text.label("claim_text"),
    Claim.language.label("claim_language"),
)


def _rows(session: Session, source_id: int | None) -> Iterator[Any]:
    """One row per evidence link (or per unlinked excerpt), by excerpt then link, streamed."""
    query = (
        select(*_COLUMNS)
        .join(Source, Source.id == Excerpt.source_id)
        .outerjoin(Evidence, Evidence.excerpt_id == Excerpt.id)
        .outerjoin(Claim, Claim.id == Evidence.claim_id)
        .order_by(Excerpt.id, Evidence.id)
    )
    if source_id is not None:
        query = query.where(Excerpt.source_id == source_id)
    yield from session.execute(query.execution_options(yield_per=BATCH))


def _target(row: Row[Any], iris: Iris) -> dict[str, Any]:
    state: dict[str, Any] = {"type": "TimeState", "sourceDate": iso(row.retrieved_at)}
    if iris.base:
        state["cached"] = iris.source(row.source_id)  # the stored snapshot's page
    return {
        "type": "SpecificResource",
        "source": row.url or snapshot_urn(row.sha256),
        "state": state,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": row.exact,
                "prefix": row.prefix,
                "suffix": row.suffix,
            },
            {"type": "TextPositionSelector", "start": row.start_offset, "end": row.end_offset},
        ],
    }


def _link_annotation(row: Row[Any], iris: Iris) -> dict[str, Any]:
    stance = Stance(row.stance)
    motivation = MOTIVATIONS[stance]
    described: dict[str, Any] = {
        "type": "TextualBody",
        "value": row.claim_text,
        "format": "text/plain",
        "purpose": "describing",
    }
    if row.claim_language:
        described["language"] = row.claim_language
    return {
        "id": iris.evidence(row.claim_id, row.evidence_id),
        "type": "Annotation",
        "motivation": motivation,
        "created": iso(row.linked_at),
        "creator": agent(row.linked_by),
        "body": [
            {"type": "SpecificResource", "source": iris.claim(row.claim_id), "purpose": motivation},
            described,
            {"type": "TextualBody", "value": stance.value, "purpose": "tagging"},
        ],
        "target": _target(row, iris),
    }


def _highlight(row: Row[Any], iris: Iris) -> dict[str, Any]:
    return {
        "id": iris.excerpt(row.source_id, row.excerpt_id),
        "type": "Annotation",
        "motivation": "highlighting",
        "created": iso(row.created_at),
        "creator": agent(row.created_by),
        "target": _target(row, iris),
    }


def iter_annotations(
    session: Session, *, source_id: int | None = None, iris: Iris = Iris()
) -> Iterator[dict[str, Any]]:
    """Every excerpt (of one source, if given) as annotations, by excerpt id."""
    found = select(Source.id).where(Source.id == source_id)
    if source_id is not None and session.scalar(found) is None:
        raise NotFound(f"source {source_id} does not exist")
    for _, group in itertools.groupby(_rows(session, source_id), key=lambda r: r.excerpt_id):
        for row in group:
            if row.evidence_id is None:
                yield _highlight(row, iris)
            else:
                yield _link_annotation(row, iris)


def write_collection(
    session: Session,
    out: TextIO,
    *,
    source_id: int | None = None,
    base_url: str | None = None,
) -> int:
    """Write the AnnotationCollection to ``out``, one annotation per line; returns the count.

    Nothing is written when the arguments are refused (a bad base URL, an unknown source)."""
    iris = Iris.for_base(base_url)
    annotations = iter_annotations(session, source_id=source_id, iris=iris)
    first = next(annotations, None)  # runs the checks before the first byte is written
    scope = "every excerpt" if source_id is None else f"the excerpts of source {source_id}"
    head = {
        "@context": ANNO_CONTEXT,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": f"Claim tracker: {scope}",
    }
    page = {"id": f"urn:uuid:{uuid.uuid4()}", "type": "AnnotationPage", "startIndex": 0}
    out.write(_dumps(head)[:-1] + ',\n"first": ' + _dumps(page)[:-1] + ',\n"items": [')
    count = 0
    for item in itertools.chain([first] if first else [], annotations):
        out.write(("\n" if count == 0 else ",\n") + _dumps(item))
        count += 1
    out.write(f'\n]}},\n"total": {count}\n}}\n')
    return count


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
