"""schema.org ClaimReview import, and Google Fact Check Tools style claim records.

A document is one ClaimReview, a list of them, a JSON-LD ``@graph`` (nodes of other types are
skipped), one Fact Check Tools record (``text``, ``claimant``, ``claimDate``,
``claimReview: [{publisher, url, title, reviewDate, textualRating, languageCode}]``), or a
``{"claims": [...]}`` search response of them. Each record goes in its own savepoint: a bad
one is reported (document, index, reason) and the others stay.

Every record is matched against the stored claims first (``dedup.match``):

- an ``auto`` match: no new claim; the record's evidence and appearances go to that claim,
  audited as ``claimreview.link`` with the review (who rated it how). A tracker export that
  adds nothing, or another desk's review already recorded there, is reported as unchanged
  and writes nothing. The claim's own verdict is never changed (a warning says if it differs);
- a ``suggest`` match: a new claim, reported with its candidate. The pair then shows on
  ``/duplicates`` (computed from the newest claims; there is no stored "pending" decision);
- otherwise a new claim (``claim.create``, then ``claimreview.import``).

The verdict is ``tracker:verdict`` when the record is one of our exports, else the rating text
(``reviewRating.alternateName`` / ``textualRating``) looked up in ``claimreview.RATING_WORDS``;
an unknown rating leaves the claim unreviewed, keeps the text in the rationale and adds a
warning. A review from elsewhere also gets a line in the rationale saying who rated it how.

Appearances: a source is an immutable text snapshot, so none is made up from a URL. An
appearance whose snapshot is here (by ``tracker:sha256``, else by a URL that names exactly one
source) has its annotations re-anchored (``anchoring.reanchor``) and linked as evidence with
their stance. The others are recorded, cleaned to the export's shape, in the audit event
(entity ``claim_review``, id = the claim), from which the export reads them again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import AuditEvent, Claim, Source, Stance, Verdict
from tracker.services.audit import log as audit
from tracker.services.claims.records import (
    MAX_CLAIM_CHARS,
    check_confidence,
    create_claim,
    get_claim,
    link_evidence,
)
from tracker.services.dedup.matching import Match, match
from tracker.services.errors import DomainError, Invalid
from tracker.services.interop.claimreview import (
    ANNOTATION_CONTEXT,
    ENTITY,
    appearance_keys,
    organization,
    recorded_appearances,
    verdict_for,
)
from tracker.services.sources.digital_source import COMPOSITE, TRAINED
from tracker.services.sources.excerpts import get_or_create_excerpt, reanchor
from tracker.services.text.language import validate_language
from tracker.services.text.storable import check_storable

MAX_APPEARANCES = 500
MAX_TEXT = 2000  # URL, headline and name lengths
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_SCHEMA = re.compile(r"^(schema:|https?://schema\.org/)")
# IPTC digital source types, and schema.org's names for the same two.
DIGITAL_SOURCE_TYPES = {
    TRAINED: TRAINED,
    COMPOSITE: COMPOSITE,
    "https://schema.org/TrainedAlgorithmicMediaDigitalSource": TRAINED,
    "https://schema.org/CompositeWithTrainedAlgorithmicMediaDigitalSource": COMPOSITE,
}

# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One parsed JSON document and its name for the report (``error``: it could not be read)."""

    name: str
    data: Any = None
    error: str | None = None


def _type_of(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return {_SCHEMA.sub("", name) for name in names if isinstance(name, str)}


def _records(data: Any) -> Iterator[tuple[int, Any, str | None]]:
    """(index, record, kind) for each record of a document; kind: claimreview, google,
    skip (another node of a @graph) or None (not a record we know)."""
    in_graph = isinstance(data, dict) and "@graph" in data
    if in_graph:
        items = data["@graph"]
    elif isinstance(data, dict) and isinstance(data.get("claims"), list):
        items = data["claims"]  # a Fact Check Tools claims:search response
    else:
        items = data if isinstance(data, list) else [data]
    if not isinstance(items, list):
        yield 0, items, None
        return
    for index, item in enumerate(items):
        kind = None
        if isinstance(item, dict):
            if "ClaimReview" in _type_of(item):
                kind = "claimreview"
            elif "claimReview" in item and "@type" not in item:
                kind = "google"
            elif in_graph:
                kind = "skip"
        yield index, item, kind


# --- parsing one record ------------------------------------------------------------------------


@dataclass
class Parsed:
    text: str
    language: str | None = None
    verdict: Verdict = Verdict.UNREVIEWED
    confidence: float | None = None
    rationale: str = ""
    appearances: list[dict[str, Any]] = field(default_factory=list)
    review: dict[str, Any] = field(default_factory=dict)  # what the audit event keeps
    ours: bool = False  # a tracker export (it has tracker:verdict)
    warnings: list[str] = field(default_factory=list)


def _str(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A non-blank string of at most ``limit`` characters, stripped; else None."""
    if isinstance(value, str) and value.strip() and len(value.strip()) <= limit:
        return value.strip()
    return None


def _url(value: Any) -> str | None:
    found = _str(value)
    return found if found and re.match(r"^https?://[^\s/]+", found) else None


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _name(value: Any) -> str | None:
    """An organization's or person's name, given as an object or a plain string."""
    value = _first(value)
    return _str(value.get("name"), 200) if isinstance(value, dict) else _str(value, 200)


def _language(value: Any, parsed: Parsed) -> str | None:
    value = _first(value)
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if value is None:
        return None
    try:
        return validate_language(value)
    except ValueError as exc:
        parsed.warnings.append(f"language left empty: {exc}")
        return None


def _selector(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    if raw.get("type") == "TextQuoteSelector" and _str(raw.get("exact"), 100_000):
        exact = raw["exact"]
        return {
            "type": "TextQuoteSelector",
            "exact": exact,
            "prefix": raw.get("prefix") if isinstance(raw.get("prefix"), str) else "",
            "suffix": raw.get("suffix") if isinstance(raw.get("suffix"), str) else "",
        }
    start, end = raw.get("start"), raw.get("end")
    if (
        raw.get("type") == "TextPositionSelector"
        and isinstance(start, int)
        and isinstance(end, int)
        and not isinstance(start, bool)
        and not isinstance(end, bool)
        and 0 <= start < end
    ):
        return {"type": "TextPositionSelector", "start": start, "end": end}
    return None


def _annotation(raw: Any, parsed: Parsed) -> dict[str, Any] | None:
    target = raw.get("target") if isinstance(raw, dict) else None
    if not isinstance(target, dict):
        parsed.warnings.append("an annotation without a target was left out")
        return None
    stance = raw.get("tracker:stance")
    if stance not in {s.value for s in Stance}:
        parsed.warnings.append(f"an annotation with the stance {stance!r} was left out")
        return None
    items = target.get("selector")
    selectors = [
        s for s in map(_selector, items if isinstance(items, list) else [items]) if s is not None
    ]
    if not selectors:
        parsed.warnings.append("an annotation without a usable selector was left out")
        return None
    found: dict[str, Any] = {"selector": selectors}
    if _str(target.get("source")):
        found = {"source": target["source"].strip(), **found}
    return {
        "@context": ANNOTATION_CONTEXT,
        "type": "Annotation",
        "tracker:stance": stance,
        "target": found,
    }


def _appearance(raw: Any, parsed: Parsed) -> dict[str, Any] | None:
    """An appearance cleaned to the export's shape (known fields only); None if unusable."""
    if isinstance(raw, str):
        raw = {"url": raw}
    if not isinstance(raw, dict):
        parsed.warnings.append("an appearance that is not an object was left out")
        return None
    item: dict[str, Any] = {"@type": "CreativeWork"}
    url, sha = _url(raw.get("url")), raw.get("tracker:sha256")
    if url:
        item["url"] = url
    for name, value in (("headline", _str(raw.get("headline") or raw.get("name"), 500)),):
        if value:
            item[name] = value
    publisher = _first(raw.get("publisher"))
    if _name(publisher):
        org_url = _url(publisher.get("url")) if isinstance(publisher, dict) else None
        item["publisher"] = organization(str(_name(publisher)), org_url)
    date = _str(raw.get("datePublished"), 40)
    if date and _DATE.match(date):
        item["datePublished"] = date
    language = _language(raw.get("inLanguage"), parsed)
    if language:
        item["inLanguage"] = language
    kind = DIGITAL_SOURCE_TYPES.get(str(raw.get("digitalSourceType")))
    if kind:
        item["digitalSourceType"] = kind
    if isinstance(sha, str) and _SHA.match(sha):
        item["tracker:sha256"] = sha
    notes = raw.get("tracker:annotation")
    if isinstance(notes, list):
        kept = [n for n in (_annotation(note, parsed) for note in notes) if n is not None]
        if kept:  # none left: a plain appearance (``claimreview.supports``)
            item["tracker:annotation"] = kept
    if "url" not in item and "tracker:sha256" not in item:
        parsed.warnings.append("an appearance without a URL or snapshot hash was left out")
        return None
    return item


_FIELDS: tuple[str, ...] = ("@type", "url", "headline", "publisher", "datePublished")
_FIELDS += ("inLanguage", "digitalSourceType", "tracker:sha256", "tracker:annotation")


def _appearances(raws: Iterable[Any], parsed: Parsed) -> list[dict[str, Any]]:
    """Cleaned appearances; one given twice (by hash or URL, e.g. also as firstAppearance)
    is kept once, with the fields of both."""
    found: list[dict[str, Any]] = []
    for raw in raws:
        item = _appearance(raw, parsed)
        if item is None:
            continue
        same = next(
            (i for i, f in enumerate(found) if appearance_keys(f) & appearance_keys(item)), None
        )
        if same is None:
            found.append(item)
            continue
        both = found[same] | {k: v for k, v in item.items() if k not in found[same]}
        found[same] = {name: both[name] for name in _FIELDS if name in both}
    if len(found) > MAX_APPEARANCES:
        raise Invalid(f"more than {MAX_APPEARANCES} appearances")
    return found


def _claim_text(value: Any) -> str:
    """The claim text, white space collapsed; Invalid when missing or too long."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text:
        raise Invalid("the record has no claim text")
    if len(text) > MAX_CLAIM_CHARS:
        raise Invalid(f"the claim text is longer than {MAX_CLAIM_CHARS} characters")
    return text


def parse_claimreview(node: dict[str, Any]) -> Parsed:
    """A schema.org ClaimReview (ours or anyone's)."""
    item = _first(node.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    parsed = Parsed(_claim_text(node.get("claimReviewed") or item.get("text") or item.get("name")))
    parsed.language = _language(item.get("inLanguage") or node.get("inLanguage"), parsed)
    rating = _first(node.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    said = _str(rating.get("alternateName") or rating.get("name"), 200)
    ours = node.get("tracker:verdict")
    body = _str(node.get("reviewBody") or rating.get("ratingExplanation"), 100_000) or ""
    author, url = _name(node.get("author")), _url(node.get("url"))
    parsed.review = {"url": url, "author": author, "date": _str(node.get("datePublished"), 40)}
    parsed.review["rating"] = said
    if isinstance(ours, str) and ours in {v.value for v in Verdict}:
        parsed.verdict, parsed.rationale, parsed.ours = Verdict(ours), body, True
        if node.get("tracker:confidence") is not None:
            try:
                parsed.confidence = check_confidence(node["tracker:confidence"])
            except Invalid as exc:
                parsed.warnings.append(f"confidence left empty: {exc}")
    else:
        parsed.verdict = _mapped(said, parsed)
        source = ", ".join(p for p in (author, url) if p)
        line = f'Imported review{f" ({source})" if source else ""}: rated "{said or "-"}".'
        parsed.rationale = f"{body}\n\n{line}" if body else line
    raws = item.get("appearance")
    raws = raws if isinstance(raws, list) else [raws] if raws is not None else []
    if item.get("firstAppearance") is not None:
        raws = [*raws, item["firstAppearance"]]
    parsed.appearances = _appearances(raws, parsed)
    return parsed


def _mapped(said: str | None, parsed: Parsed) -> Verdict:
    if said is None:
        parsed.warnings.append("no rating: imported as unreviewed")
        return Verdict.UNREVIEWED
    verdict = verdict_for(said)
    if verdict is None:
        parsed.warnings.append(f'unknown rating "{said}": imported as unreviewed')
        return Verdict.UNREVIEWED
    return verdict


def parse_google(record: dict[str, Any]) -> Parsed:
    """A Fact Check Tools claim: its reviews must agree on a known rating to set a verdict."""
    parsed = Parsed(_claim_text(record.get("text")))
    reviews = record.get("claimReview")
    if not isinstance(reviews, list) or not all(isinstance(r, dict) for r in reviews):
        raise Invalid("claimReview must be a list of objects")
    lines, verdicts = [], set()
    for review in reviews:
        said = _str(review.get("textualRating"), 200)
        publisher = review.get("publisher") if isinstance(review.get("publisher"), dict) else {}
        who = _name(publisher) or _str(publisher.get("site"), 200) or "unknown publisher"
        verdict = verdict_for(said) if said else None
        if said and verdict is None:
            parsed.warnings.append(f'unknown rating "{said}" ({who})')
        if verdict is not None:
            verdicts.add(verdict)
        if parsed.language is None and review.get("languageCode") is not None:
            parsed.language = _language(review["languageCode"], parsed)
        where = ", ".join(str(v) for v in (review.get("url"), review.get("reviewDate")) if _str(v))
        title = _str(review.get("title"), 500)
        lines.append(f'{who}: rated "{said or "-"}"' + (f" ({title})" if title else ""))
        lines[-1] += f" {where}" if where else ""
    if len(verdicts) == 1:
        parsed.verdict = verdicts.pop()
    elif verdicts:
        parsed.warnings.append("the reviews disagree: imported as unreviewed")
    elif not parsed.warnings:
        parsed.warnings.append("no rating: imported as unreviewed")
    parsed.rationale = "\n".join(lines)
    parsed.review = {
        "claimant": _name(record.get("claimant")),
        "claim_date": _str(record.get("claimDate"), 40),
        "reviews": [
            {"url": _url(r.get("url")), "rating": _str(r.get("textualRating"), 200)}
            for r in reviews
        ],
    }
    return parsed


# --- writing -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What happened to each record; every entry names its ``document`` and ``index``."""

    created: list[dict[str, Any]] = field(default_factory=list)
    linked: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    suggested: list[dict[str, Any]] = field(default_factory=list)  # created, with a candidate
    skipped: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        lists = {
            "created": self.created,
            "linked": self.linked,
            "unchanged": self.unchanged,
            "suggested": self.suggested,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "errors": self.errors,
        }
        return {"counts": {name: len(items) for name, items in lists.items()}, **lists}


def _find_source(session: Session, item: dict[str, Any]) -> Source | None:
    """The snapshot an appearance names: by hash, else by a URL only one source has."""
    sha = item.get("tracker:sha256")
    if sha is not None:
        found = session.scalar(select(Source).where(Source.sha256 == sha))
        if found is not None:
            return found
    if item.get("url") is None:
        return None
    same_url = list(session.scalars(select(Source).where(Source.url == item["url"]).limit(2)))
    return same_url[0] if len(same_url) == 1 else None


def _anchor(
    session: Session,
    claim: Claim,
    source: Source,
    notes: list[Any],
    parsed: Parsed,
    actor: audit.Actor,
) -> list[int]:
    """Link each annotation that anchors in ``source`` as evidence; the new evidence ids."""
    held = {link.excerpt_id for link in claim.evidence}
    created = []
    for note in notes:
        found = reanchor(note["target"]["selector"], source.text)
        if found.start is None or found.end is None:
            parsed.warnings.append(f"a quote was not found again in source {source.id}")
            continue
        why = f"re-anchored from an imported ClaimReview ({found.method}, {found.score:.0f})"
        excerpt, _ = get_or_create_excerpt(
            session, source, found.start, found.end, actor=actor, reason=why
        )
        if excerpt.id in held:
            continue
        link = link_evidence(session, claim, excerpt, note["tracker:stance"], actor=actor)
        held.add(excerpt.id)
        created.append(link.id)
    return created


def _attach(
    session: Session,
    claim: Claim,
    parsed: Parsed,
    known: set[tuple[str, str]],
    actor: audit.Actor,
) -> tuple[list[int], list[dict[str, Any]]]:
    """Evidence for the appearances whose snapshot is here; the others, not ``known`` yet,
    to record."""
    evidence, recorded = [], []
    for item in parsed.appearances:
        source = _find_source(session, item)
        notes = item.get("tracker:annotation") or []
        if source is not None and notes:
            evidence += _anchor(session, claim, source, notes, parsed, actor)
            continue
        if not appearance_keys(item) & known:
            recorded.append(item)
            known |= appearance_keys(item)
    return evidence, recorded


def _known(session: Session, claim: Claim) -> tuple[set[tuple[str, str]], list[Any]]:
    """What a claim has already: the keys of its appearances (its sources and recorded
    ones), and the reviews recorded for it."""
    keys: set[tuple[str, str]] = set()
    for link in claim.evidence:
        source = link.excerpt.source
        keys.add(("tracker:sha256", source.sha256))
        if source.url:
            keys.add(("url", source.url))
    for item in recorded_appearances(session, [claim.id])[claim.id]:
        keys |= appearance_keys(item)
    events = session.scalars(
        select(AuditEvent.changes).where(
            AuditEvent.entity_type == ENTITY, AuditEvent.entity_id == str(claim.id)
        )
    )
    return keys, [(changes.get("review") or {}).get("after") for changes in events]


def _event(
    session: Session,
    action: str,
    claim: Claim,
    parsed: Parsed,
    found: dict[str, Any],
    where: dict[str, Any],
    actor: audit.Actor,
) -> None:
    fields = {"review": parsed.review, **found}
    audit.record(
        session,
        actor,
        action,
        ENTITY,
        claim.id,
        audit.created({name: value for name, value in fields.items() if value}),
        reason=f"imported from {where['document']} (record {where['index']})",
    )


def _candidate(best: Match) -> dict[str, Any]:
    return {
        "claim_id": best.claim_id,
        "score": round(best.score, 1),
        "warnings": [w.code for w in best.warnings],
    }


def _import_one(
    session: Session, parsed: Parsed, where: dict[str, Any], actor: audit.Actor
) -> tuple[str, dict[str, Any]]:
    """Link or create, in the caller's savepoint; (report list, entry)."""
    found = match(session, parsed.text, language=parsed.language, limit=1)
    best = found[0] if found else None
    if best is not None and best.level == "auto":
        claim = get_claim(session, best.claim_id)
        keys, reviews = _known(session, claim)
        evidence, recorded = _attach(session, claim, parsed, keys, actor)
        final = parsed.verdict not in (Verdict.UNREVIEWED, Verdict.IN_REVIEW)
        if final and parsed.verdict != claim.verdict:
            parsed.warnings.append(
                f"claim {claim.id} keeps its verdict {claim.verdict.value}; "
                f"the review says {parsed.verdict.value}"
            )
        entry = where | {"claim_id": claim.id, "score": round(best.score, 1)}
        # Another desk's review is kept once; a tracker export only for what it adds.
        new_review = not parsed.ours and audit.jsonable(parsed.review) not in reviews
        if not evidence and not recorded and not new_review:
            return "unchanged", entry
        changes = {"appearances": recorded, "evidence": evidence, "score": round(best.score, 1)}
        _event(session, "claimreview.link", claim, parsed, changes, where, actor)
        return "linked", entry
    claim = create_claim(
        session,
        text=parsed.text,
        actor=actor,
        language=parsed.language,
        verdict=parsed.verdict,
        confidence=parsed.confidence,
        rationale=parsed.rationale,
    )
    evidence, recorded = _attach(session, claim, parsed, set(), actor)
    candidate = _candidate(best) if best is not None and best.level == "suggest" else None
    changes = {"appearances": recorded, "evidence": evidence, "duplicate_candidate": candidate}
    _event(session, "claimreview.import", claim, parsed, changes, where, actor)
    entry = where | {"claim_id": claim.id, "verdict": claim.verdict.value}
    if candidate is not None:
        return "suggested", entry | {"candidate": candidate}
    return "created", entry


def import_claim_reviews(
    session: Session, documents: Iterable[Any], actor: audit.Actor
) -> ImportReport:
    """Import every record of ``documents`` (parsed JSON values, or ``Document``s to name
    them in the report). Each record is one savepoint; a refused one changes nothing."""
    report = ImportReport()
    for number, doc in enumerate(documents, start=1):
        if not isinstance(doc, Document):
            doc = Document(f"document {number}", doc)
        if doc.error is not None:
            report.errors.append({"document": doc.name, "index": None, "reason": doc.error})
            continue
        for index, record, kind in _records(doc.data):
            where: dict[str, Any] = {"document": doc.name, "index": index}
            if kind == "skip":
                report.skipped.append(where | {"type": sorted(_type_of(record))})
                continue
            try:
                if kind is None:
                    raise Invalid("not a ClaimReview or a Fact Check Tools claim record")
                check_storable(record, "the record")
                parsed = (
                    parse_claimreview(record) if kind == "claimreview" else parse_google(record)
                )
                with session.begin_nested():
                    outcome, entry = _import_one(session, parsed, where, actor)
            except DomainError as exc:
                report.errors.append(where | {"reason": str(exc)})
                continue
            getattr(report, outcome).append(entry)
            report.warnings.extend(where | {"warning": w} for w in parsed.warnings)
    return report
