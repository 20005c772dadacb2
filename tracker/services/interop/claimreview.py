"""schema.org ClaimReview export: one JSON-LD object per claim.

The object (validated by ``tracker/data/claimreview.schema.json``):

- ``url`` is the claim's page (``<public_url>/claims/<id>``), ``claimReviewed`` its text,
  ``datePublished`` its last update (UTC), ``author`` the desk (``ReviewSettings``),
  ``reviewBody`` the rationale, ``reviewRating`` the verdict (``RATINGS``: true 5, mostly true
  4, misleading 2, false 1 on a 1-5 scale; unverifiable has a name but no number; unreviewed
  and in-review claims carry no rating at all; ``verdict_for`` maps rating texts back, for the
  import), and the extensions ``tracker:verdict`` (our exact verdict) and
  ``tracker:confidence``.
- ``itemReviewed`` is the Claim: ``@id``, ``inLanguage``, one ``appearance`` per source (a
  CreativeWork with url, headline, publisher, datePublished, inLanguage, the IPTC
  ``digitalSourceType`` of an AI-generated source, ``tracker:sha256`` of the snapshot, and one
  W3C Web Annotation per linked excerpt in ``tracker:annotation``: stance plus TextQuote and
  TextPosition selectors). ``firstAppearance`` is the earliest dated appearance that supports
  the claim; its publisher is the Claim's ``author`` and its date the Claim's
  ``datePublished`` (all three are left out when no supporting appearance has a date).
- Appearances recorded by ``claimreview_import`` (imported reviews whose sources are not in
  this database) are stored in the import's audit event (entity ``claim_review``) and exported
  again with the claim, and with the claim any other claim was merged into.

``ReviewSettings`` lives in ``tracker.config`` (which reads it from the environment) and is
re-exported here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.config import ReviewSettings as ReviewSettings
from tracker.models import AuditEvent, Claim, Evidence, Excerpt, Source, Verdict
from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.digital_source import digital_source_type

SCHEMA_ORG = "https://schema.org"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Audit entity and actions that carry imported appearances (see claimreview_import).
ENTITY = "claim_review"
RECORD_ACTIONS = ("claimreview.import", "claimreview.link")
BEST_RATING, WORST_RATING = 5, 1
# Verdict -> (ratingValue, alternateName). Unverifiable is not a point on the truth scale.
RATINGS: dict[Verdict, tuple[int | None, str]] = {
    Verdict.TRUE: (5, "True"),
    Verdict.MOSTLY_TRUE: (4, "Mostly true"),
    Verdict.MISLEADING: (2, "Misleading"),
    Verdict.FALSE: (1, "False"),
    Verdict.UNVERIFIABLE: (None, "Unverifiable"),
}
FINAL_VERDICTS = tuple(RATINGS)
CHUNK = 200  # claims per query when exporting all of them
_LOAD = (
    selectinload(Claim.evidence)
    .selectinload(Evidence.excerpt)
    .selectinload(Excerpt.source)
    .options(selectinload(Source.ai_evidence), selectinload(Source.publisher_ref)),
)


def context(settings: ReviewSettings) -> list[Any]:
    """schema.org plus the ``tracker:`` namespace for our extensions, under the desk's URL."""
    return [SCHEMA_ORG, {"tracker": f"{settings.public_url}/ns/claimreview#"}]


def claimreview_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of the objects this module writes."""
    text = resources.files("tracker").joinpath("data/claimreview.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def rating(verdict: Verdict) -> dict[str, Any] | None:
    """The schema.org Rating of a final verdict; None for unreviewed and in-review claims."""
    if verdict not in RATINGS:
        return None
    value, name = RATINGS[verdict]
    found: dict[str, Any] = {"@type": "Rating", "alternateName": name}
    if value is not None:
        found |= {"ratingValue": value, "bestRating": BEST_RATING, "worstRating": WORST_RATING}
    return found


# --- verdicts back from rating texts (the import) ------------------------------------------

# Rating texts (compared case-insensitively, see ``rating_key``) -> verdict; en, de, nl, nb.
# "Mostly false" and "partly false" read as misleading (some truth, wrong impression);
# "half true" and "mixture" are left unmapped on purpose: they fit none of our verdicts.
_WORDS: dict[Verdict, tuple[str, ...]] = {
    Verdict.TRUE: (
        "true", "correct", "accurate", "right",
        "richtig", "wahr", "stimmt", "zutreffend", "korrekt",
        "waar", "juist", "klopt",
        "sant", "helt sant", "riktig", "stemmer",
    ),
    Verdict.MOSTLY_TRUE: (
        "mostly true", "largely true", "mostly correct", "mostly accurate",
        "weitgehend richtig", "größtenteils richtig", "überwiegend richtig",
        "grotendeels waar", "grotendeels juist", "overwegend waar", "meestal waar",
        "stort sett sant", "stort sett riktig", "i hovedsak riktig", "hovedsakelig sant",
    ),
    Verdict.MISLEADING: (
        "misleading", "mostly false", "partly false", "partially false", "missing context",
        "lacks context", "out of context",
        "irreführend", "irrefuhrend", "missverständlich", "größtenteils falsch",
        "teilweise falsch", "fehlender kontext", "aus dem kontext gerissen",
        "misleidend", "grotendeels onwaar", "deels onwaar", "gedeeltelijk onwaar",
        "misvisende", "villedende", "stort sett usant", "stort sett feil", "delvis feil",
        "delvis usant", "mangler kontekst",
    ),
    Verdict.FALSE: (
        "false", "fake", "incorrect", "wrong", "not true", "untrue", "inaccurate",
        "pants on fire", "fabricated", "hoax",
        "falsch", "unwahr", "frei erfunden", "nicht wahr",
        "onwaar", "niet waar", "onjuist", "fout", "nep",
        "usant", "feil", "falsk", "helt feil", "ikke sant", "uriktig",
    ),
    Verdict.UNVERIFIABLE: (
        "unverifiable", "unproven", "unsupported", "unsubstantiated", "not verifiable",
        "cannot be verified", "no evidence",
        "unbelegt", "nicht belegt", "unbewiesen", "nicht überprüfbar", "nicht verifizierbar",
        "onbewezen", "niet te verifiëren", "niet te controleren", "onbevestigd",
        "udokumentert", "ikke dokumentert", "ikke verifiserbart", "kan ikke verifiseres",
    ),
}  # fmt: skip


def rating_key(text: str) -> str:
    """A rating text for comparing: NFKC, casefolded, dashes and underscores as spaces, no
    quotes or end punctuation."""
    key = unicodedata.normalize("NFKC", text).casefold()
    key = re.sub(r"[\s_\-–—]+", " ", key)
    return key.strip(" .!?:;\"'«»„“”")


RATING_WORDS: dict[str, Verdict] = {
    rating_key(word): verdict
    for verdict, words in _WORDS.items()
    for word in (*words, RATINGS[verdict][1], verdict.value)
}


def verdict_for(rating_text: str) -> Verdict | None:
    """Our verdict for a published rating text, or None when it is not a known one."""
    return RATING_WORDS.get(rating_key(rating_text))


def organization(name: str, url: str | None = None) -> dict[str, Any]:
    found = {"@type": "Organization", "name": name}
    return (found | {"url": url}) if url else found


# --- appearances ------------------------------------------------------------------------------


def _annotation(excerpt: Excerpt, stance: str, target: str) -> dict[str, Any]:
    return {
        "@context": ANNOTATION_CONTEXT,
        "type": "Annotation",
        "tracker:stance": stance,
        "target": {"source": target, "selector": excerpt.selectors()},
    }


def source_appearance(
    source: Source, annotations: list[dict[str, Any]], settings: ReviewSettings
) -> dict[str, Any]:
    """A source as a schema.org CreativeWork carrying its excerpts' annotations."""
    item: dict[str, Any] = {"@type": "CreativeWork"}
    if source.url:
        item["url"] = source.url
    if source.title:
        item["headline"] = source.title
    if source.publisher:
        ref = source.publisher_ref
        item["publisher"] = organization(
            source.publisher, f"https://{ref.domain}" if ref is not None and ref.domain else None
        )
    if source.published_iso:
        item["datePublished"] = source.published_iso
    if source.language:
        item["inLanguage"] = source.language
    kind = digital_source_type(source)
    if kind:
        item["digitalSourceType"] = kind
    item["tracker:sha256"] = source.sha256
    item["tracker:annotation"] = annotations
    return item


def _derived(claim: Claim, settings: ReviewSettings) -> list[dict[str, Any]]:
    """One appearance per source of the claim's evidence, excerpts in text order."""
    by_source: dict[int, list[Evidence]] = defaultdict(list)
    for link in claim.evidence:
        by_source[link.excerpt.source_id].append(link)
    found = []
    for links in by_source.values():
        source = links[0].excerpt.source
        target = f"{settings.public_url}/sources/{source.id}"
        links.sort(key=lambda e: (e.excerpt.start_offset, e.excerpt.end_offset, e.stance.value))
        notes = [_annotation(e.excerpt, e.stance.value, target) for e in links]
        found.append(source_appearance(source, notes, settings))
    return found


def appearance_keys(item: dict[str, Any]) -> set[tuple[str, str]]:
    """What identifies an appearance: its snapshot hash and its URL, where given."""
    keys = set()
    for name in ("tracker:sha256", "url"):
        if isinstance(item.get(name), str):
            keys.add((name, item[name]))
    return keys


def _order(item: dict[str, Any]) -> tuple[bool, str, str, str]:
    date = item.get("datePublished")
    return (not date, str(date or ""), str(item.get("url") or ""), item.get("tracker:sha256", ""))


def merge_appearances(
    derived: list[dict[str, Any]], recorded: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The claim's own sources, then recorded appearances not already among them (by hash
    or URL), ordered by date (undated last), URL and hash."""
    found, seen = list(derived), set().union(*(appearance_keys(a) for a in derived))
    for item in recorded:
        keys = appearance_keys(item)
        if keys & seen or item in found:
            continue
        found.append(item)
        seen |= keys
    return sorted(found, key=_order)


def supports(item: dict[str, Any]) -> bool:
    """An appearance where the claim is made: a supporting excerpt, or (for an appearance
    imported without excerpts, as schema.org means ``appearance``) no excerpt at all."""
    notes = item.get("tracker:annotation") or []
    return not notes or any(n.get("tracker:stance") == "supports" for n in notes)


def first_appearance(appearances: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The earliest dated supporting appearance (``appearances`` are in ``_order``)."""
    return next((a for a in appearances if a.get("datePublished") and supports(a)), None)


# --- the review ------------------------------------------------------------------------------


def _item_reviewed(claim: Claim, url: str, appearances: list[dict[str, Any]]) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "Claim", "@id": f"{url}#claim"}
    if claim.language:
        item["inLanguage"] = claim.language
    first = first_appearance(appearances)
    if first is not None:
        if "publisher" in first:
            item["author"] = first["publisher"]
        item["datePublished"] = first["datePublished"]
    if appearances:
        item["appearance"] = appearances
    if first is not None:
        item["firstAppearance"] = first
    return item


def _review(
    claim: Claim, recorded: list[dict[str, Any]], settings: ReviewSettings
) -> dict[str, Any]:
    url = f"{settings.public_url}/claims/{claim.id}"
    appearances = merge_appearances(_derived(claim, settings), recorded)
    updated = claim.updated_at.astimezone(UTC).isoformat(timespec="seconds")
    review: dict[str, Any] = {
        "@context": context(settings),
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "datePublished": updated.replace("+00:00", "Z"),
        "author": organization(settings.org_name, settings.org_url),
    }
    found = rating(claim.verdict)
    if found is not None:
        review["reviewRating"] = found
    if claim.rationale:
        review["reviewBody"] = claim.rationale
    review["itemReviewed"] = _item_reviewed(claim, url, appearances)
    review["tracker:verdict"] = claim.verdict.value
    if claim.confidence is not None:
        review["tracker:confidence"] = claim.confidence
    return review


def _owners(session: Session, claim_ids: list[int]) -> dict[int, int]:
    """Each claim id, and every claim merged into one of them (directly or not), -> the
    unmerged claim it belongs to."""
    owner = {claim_id: claim_id for claim_id in claim_ids}
    frontier = set(claim_ids)
    while frontier:
        rows = session.execute(
            select(Claim.id, Claim.merged_into_id).where(Claim.merged_into_id.in_(frontier))
        )
        frontier = set()
        for claim_id, parent in rows:
            if claim_id not in owner and parent is not None:
                owner[claim_id] = owner[parent]
                frontier.add(claim_id)
    return owner


def recorded_appearances(session: Session, claim_ids: list[int]) -> dict[int, list[Any]]:
    """Appearances stored by imports for these claims (and claims merged into them)."""
    owner = _owners(session, claim_ids)
    found: dict[int, list[Any]] = {claim_id: [] for claim_id in claim_ids}
    rows = session.execute(
        select(AuditEvent.entity_id, AuditEvent.changes)
        .where(
            AuditEvent.entity_type == ENTITY,
            AuditEvent.action.in_(RECORD_ACTIONS),
            AuditEvent.entity_id.in_([str(i) for i in owner]),
        )
        .order_by(AuditEvent.id)
    )
    for entity_id, changes in rows:
        after = (changes.get("appearances") or {}).get("after")
        if isinstance(after, list):
            found[owner[int(entity_id)]].extend(a for a in after if isinstance(a, dict))
    return found


def _reviews(
    session: Session, claims: list[Claim], settings: ReviewSettings
) -> list[dict[str, Any]]:
    recorded = recorded_appearances(session, [c.id for c in claims])
    return [_review(claim, recorded[claim.id], settings) for claim in claims]


def claim_review(session: Session, claim_id: int, settings: ReviewSettings) -> dict[str, Any]:
    """The claim as one ClaimReview JSON-LD object. Raises NotFound for an unknown claim.

    A merged claim is exported as the claim it was merged into (which holds its evidence)."""
    seen: set[int] = set()
    while True:
        claim = session.scalar(select(Claim).where(Claim.id == claim_id).options(*_LOAD))
        if claim is None:
            raise NotFound(f"claim {claim_id} does not exist")
        if claim.merged_into_id is None:
            return _reviews(session, [claim], settings)[0]
        if claim.id in seen:
            raise Invalid(f"claim {claim.id} is in a merge cycle")
        seen.add(claim.id)
        claim_id = claim.merged_into_id


def all_claim_reviews(
    session: Session, settings: ReviewSettings, *, include_unreviewed: bool = False
) -> Iterator[dict[str, Any]]:
    """Every unmerged claim with a final verdict (all unmerged claims with
    ``include_unreviewed``) as a ClaimReview, by id, read CHUNK claims at a time."""
    last = 0
    while True:
        query = select(Claim).where(Claim.merged_into_id.is_(None), Claim.id > last)
        if not include_unreviewed:
            query = query.where(Claim.verdict.in_(FINAL_VERDICTS))
        chunk = list(session.scalars(query.order_by(Claim.id).limit(CHUNK).options(*_LOAD)))
        if not chunk:
            return
        yield from _reviews(session, chunk, settings)
        last = chunk[-1].id
