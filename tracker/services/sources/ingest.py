"""Ingest: files and pasted text become immutable Source snapshots.

Each input is checked (size, NUL bytes, UTF-8, binary, empty), then hashed; identical content
is a no-op. New sources get their language, publication date, title, derived spans and AI
disclosure evidence, and one audit event, all inside one savepoint so a refusal writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.config import DEFAULT_MAX_SOURCE_BYTES
from tracker.models import AiEvidence, AiStatus, Source, SourceSpan, SpanKind
from tracker.services.ai.detect import DETECTOR_VERSION, detect_ai_signals
from tracker.services.audit import log as audit
from tracker.services.errors import Invalid
from tracker.services.sources.boilerplate import Span, derive_spans
from tracker.services.sources.bylines import find_author
from tracker.services.sources.flags import initial_status
from tracker.services.sources.titles import guess_title
from tracker.services.text.dates import find_publication_date, parse_date_expression
from tracker.services.text.html import MAX_DEPTH, extract_html, nesting_depth
from tracker.services.text.language import detect_language, validate_language
from tracker.services.text.storable import problem_in, readable

TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown"}
HTML_SUFFIXES = {".html": "text/html", ".htm": "text/html"}
SUPPORTED_SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES}
# Control characters other than tab, newline, carriage return and form feed mark binary data.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
MAX_CONTROL_RATIO = 0.01


class IngestRefused(Invalid):
    """Input that cannot become a source; the message says why, in one line."""


# Column sizes of the metadata fields (see tracker.models.source.Source).
FIELD_LIMITS = {"title": 500, "publisher": 200, "url": 2000, "author": 200}
URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class SourceMeta:
    """Metadata given by the user; None means "detect or leave empty"."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None

    def checked(self) -> SourceMeta:
        """Metadata a user gave: stripped, within the column sizes, URLs http(s) only."""
        values = {k: (v.strip() or None) if v else None for k, v in self._fields().items()}
        for key, value in values.items():
            if (problem := problem_in(value)) is not None:
                raise IngestRefused(f"{key} holds {problem}, which cannot be stored")
        for key, limit in FIELD_LIMITS.items():
            value = values[key]
            if value and len(value) > limit:
                raise IngestRefused(f"{key} is longer than {limit} characters")
        url = values["url"]
        if url and not url.lower().startswith(URL_SCHEMES):
            raise IngestRefused(f"url must start with http:// or https:// (got {url[:40]!r})")
        return SourceMeta(**values)

    def trimmed(self) -> SourceMeta:
        """Metadata found in a document: cut to the column sizes, unsafe URLs dropped."""
        values = {
            k: " ".join(v.split())[: FIELD_LIMITS.get(k, 35)] or None if v else None
            for k, v in self._fields().items()
        }
        if values["url"] and not values["url"].lower().startswith(URL_SCHEMES):
            values["url"] = None
        return SourceMeta(**values)

    def _fields(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "author": self.author,
            "language": self.language,
        }


@dataclass
class IngestResult:
    name: str
    status: str  # created | unchanged | refused | skipped
    source_id: int | None = None
    sha256: str | None = None
    reason: str | None = None
    details: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name, "status": self.status}
        for key in ("source_id", "sha256", "reason"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        data.update(self.details)
        return data


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_input(data: bytes, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES) -> str:
    """Bytes to text, or IngestRefused naming the first problem found."""
    if len(data) > max_bytes:
        raise IngestRefused(f"file is too large ({len(data)} bytes; the limit is {max_bytes})")
    if not data.strip():
        raise IngestRefused("file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestRefused("file is UTF-16 or UTF-32; convert it to UTF-8")
    if b"\x00" in data:
        raise IngestRefused(f"file contains NUL bytes (first at byte {data.index(0)})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestRefused(f"file is not valid UTF-8 (byte {exc.start}: {exc.reason})") from exc
    return check_text(text.removeprefix("\ufeff"))


def check_text(text: str) -> str:
    """Refuse text that is empty or looks binary; return it unchanged otherwise."""
    if not text.strip():
        raise IngestRefused("text is empty")
    if "\x00" in text:
        raise IngestRefused("text contains NUL characters")
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if controls > max(2, len(text) * MAX_CONTROL_RATIO):
        raise IngestRefused(f"file looks binary ({controls} control characters)")
    return text


def published_fields(text: str, language: str | None, html_date: str | None) -> dict[str, object]:
    found = find_publication_date(text, language)
    if found is not None:
        value, has_time, expr = found.value, found.has_time, text[found.start : found.end]
    elif html_date and (parsed := parse_date_expression(html_date, None)) is not None:
        (value, has_time), expr = parsed, html_date
    else:
        return {"published_at": None, "published_has_time": False}
    offset = value.utcoffset()
    return {
        "published_at": value.replace(tzinfo=None),
        "published_has_time": has_time,
        "published_utc_offset_min": None if offset is None else int(offset.total_seconds() // 60),
        "published_text": expr[:200],
    }


def _span_rows(spans: Iterable[Span]) -> list[SourceSpan]:
    return [
        SourceSpan(
            kind=SpanKind(span.kind),
            start_offset=span.start,
            end_offset=span.end,
            label=span.label,
            group_no=span.group,
            copy_no=span.copy,
            copies=span.copies,
        )
        for span in spans
    ]


def _ai_rows(text: str, language: str | None) -> list[AiEvidence]:
    return [
        AiEvidence(
            kind=signal.kind,
            start_offset=signal.start,
            end_offset=signal.end,
            sentence=signal.sentence,
            language=signal.language,
            pattern=signal.pattern,
            detector=DETECTOR_VERSION,
            confidence=signal.confidence,
            created_by=f"system:{DETECTOR_VERSION}",
        )
        for signal in detect_ai_signals(text, language)
    ]


def outlet_name(text: str, spans: Iterable[Span]) -> str | None:
    """The outlet's name where the page repeats it as a footer line (seed 000's "Geopolitika")."""
    for span in spans:
        if span.label == "outlet_name":
            return text[span.start : span.end].strip()[:200] or None
    return None


def find_by_hash(session: Session, sha256: str) -> Source | None:
    return session.scalar(select(Source).where(Source.sha256 == sha256))


def ingest_text(
    session: Session,
    text: str,
    *,
    actor: audit.Actor,
    origin: str,
    meta: SourceMeta = SourceMeta(),
    content_type: str = "text/plain",
    html_published: str | None = None,
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> tuple[Source, bool]:
    """Store ``text`` as a source; returns (source, created). Identical text is a no-op.

    ``meta`` must already be checked or trimmed (SourceMeta.checked / .trimmed)."""
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise IngestRefused(f"text is too large ({size} bytes; the limit is {max_bytes})")
    text = check_text(text)
    digest = sha256_text(text)
    existing = find_by_hash(session, digest)
    if existing is not None:
        return existing, False
    try:
        language = validate_language(meta.language) if meta.language else detect_language(text)
    except ValueError as exc:
        raise IngestRefused(str(exc)) from exc
    spans = derive_spans(text, language)
    ai_rows = _ai_rows(text, language)
    try:
        source = _insert(
            session,
            text,
            digest,
            language,
            spans,
            ai_rows,
            actor=actor,
            origin=origin,
            meta=meta,
            content_type=content_type,
            html_published=html_published,
        )
    except IntegrityError:
        # Another writer stored the same content since the lookup above.
        existing = find_by_hash(session, digest)
        if existing is None:
            raise
        return existing, False
    return source, True


def _insert(
    session: Session,
    text: str,
    digest: str,
    language: str | None,
    spans: list[Span],
    ai_rows: list[AiEvidence],
    *,
    actor: audit.Actor,
    origin: str,
    meta: SourceMeta,
    content_type: str,
    html_published: str | None,
) -> Source:
    with session.begin_nested():
        source = Source(
            sha256=digest,
            text=text,
            content_type=content_type,
            title=meta.title or guess_title(text, spans),
            publisher=meta.publisher or outlet_name(text, spans),
            url=meta.url,
            author=meta.author or find_author(text),
            language=language,
            origin=origin,
            created_by=actor.name,
            ai_status=AiStatus.UNKNOWN,  # set by initial_status below
            ai_generated=AiStatus.UNKNOWN.derived(),
            spans=_span_rows(spans),
            ai_evidence=ai_rows,
            **published_fields(text, language, html_published),
        )
        session.add(source)
        session.flush()
        # Publisher, weak signals and the first AI status (disclosed, suspected or unknown).
        why = initial_status(session, source, actor=actor)
        changes = _created_diff(source, why)
        audit.record(session, actor, "source.create", "source", source.id, changes)
    return source


def _created_diff(source: Source, ai_status_why: list[str]) -> dict[str, dict[str, object]]:
    return audit.created(
        {
            "sha256": source.sha256,
            "title": source.title,
            "publisher": source.publisher,
            "url": source.url,
            "author": source.author,
            "language": source.language,
            "published_at": source.published_iso,
            "origin": source.origin,
            "publisher_id": source.publisher_id,
            "ai_status": source.ai_status,
            "ai_status_why": ai_status_why,
            "ai_generated": source.ai_generated,
            "ai_evidence": [e.sentence for e in source.ai_evidence],
            "spans": len(source.spans),
        }
    )


@dataclass(frozen=True)
class PreparedText:
    """Decoded input ready for ingest: the text, checked metadata, and where it came from."""

    text: str
    meta: SourceMeta
    origin: str
    content_type: str = "text/plain"
    html_published: str | None = None

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


def prepare_bytes(
    data: bytes, name: str, meta: SourceMeta, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES
) -> PreparedText:
    """A file's content as ingest stores it: type checked, decoded, HTML reduced to its text
    with the page's own metadata filling what ``meta`` leaves empty. Writes nothing."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestRefused(f"unsupported file type {suffix or '(none)'!r} (use {supported})")
    meta = meta.checked()
    text = decode_input(data, max_bytes)
    html_published = None
    if suffix in HTML_SUFFIXES:
        if nesting_depth(text) > MAX_DEPTH:  # parsing takes the square of the depth
            raise IngestRefused(f"HTML elements nest more than {MAX_DEPTH} levels deep")
        doc = extract_html(text)
        text, html_published = doc.text, doc.published
        found = SourceMeta(doc.title, doc.publisher, doc.url, doc.author).trimmed()
        meta = SourceMeta(
            title=meta.title or found.title,
            publisher=meta.publisher or found.publisher,
            url=meta.url or found.url,
            author=meta.author or found.author,
            language=meta.language,
        )
        if not text.strip():
            raise IngestRefused("HTML file has no readable text")
    return PreparedText(text, meta, name, SUPPORTED_SUFFIXES[suffix], html_published)


def ingest_bytes(
    session: Session,
    data: bytes,
    *,
    name: str,
    actor: audit.Actor,
    meta: SourceMeta = SourceMeta(),
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> IngestResult:
    """One file's content: decoded, extracted if HTML, stored. Refusals write nothing."""
    try:
        prepared = prepare_bytes(data, name, meta, max_bytes)
        source, created = ingest_text(
            session,
            prepared.text,
            actor=actor,
            origin=name,
            meta=prepared.meta,
            content_type=prepared.content_type,
            html_published=prepared.html_published,
            max_bytes=max_bytes,
        )
    except IngestRefused as exc:
        return IngestResult(name=name, status="refused", reason=str(exc))
    status = "created" if created else "unchanged"
    result = IngestResult(name=name, status=status, source_id=source.id, sha256=source.sha256)
    if created:
        result.details = {"language": source.language, "published_at": source.published_iso}
    else:
        result.reason = f"identical content is already source {source.id}"
    return result


def iter_input_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each input file with None, or with the reason it is skipped.

    Files named directly are always tried (and refused with a reason if unusable). Inside named
    folders: supported files, sorted; dotfiles are ignored, and links and other types are
    reported as skipped, so nothing outside the folder is read by accident."""
    for path in paths:
        if not path.is_dir():
            yield path, None
            continue
        for child in sorted(path.rglob("*")):
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            if child.is_symlink():
                yield child, "symbolic link inside a folder (name the file itself to ingest it)"
            elif child.is_dir():
                continue
            elif child.suffix.lower() not in SUPPORTED_SUFFIXES:
                yield child, f"unsupported file type {child.suffix.lower() or '(none)'!r}"
            else:
                yield child, None


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, reading at most one byte past the limit."""
    if not path.exists():
        raise IngestRefused("no such file")
    if not path.is_file():
        raise IngestRefused("not a regular file")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise IngestRefused(f"file is too large (over {max_bytes} bytes, the limit)")
    return data


def ingest_path(
    session: Session,
    path: Path,
    *,
    actor: audit.Actor,
    meta: SourceMeta = SourceMeta(),
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> IngestResult:
    name = readable(path.name)  # a name that is not UTF-8 cannot be stored as it is
    try:
        data = _read_limited(path, max_bytes)
    except IngestRefused as exc:
        return IngestResult(name=name, status="refused", reason=str(exc))
    except OSError as exc:
        return IngestResult(name=name, status="refused", reason=exc.strerror or str(exc))
    return ingest_bytes(session, data, name=name, actor=actor, meta=meta, max_bytes=max_bytes)
