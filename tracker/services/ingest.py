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
from sqlalchemy.orm import Session

from tracker.config import DEFAULT_MAX_SOURCE_BYTES
from tracker.models import AiEvidence, AiGenerated, Source, SourceSpan, SpanKind
from tracker.services import audit
from tracker.services.ai_detect import DETECTOR_VERSION, detect_ai_signals
from tracker.services.dates import find_publication_date, parse_date_expression
from tracker.services.errors import Invalid
from tracker.services.html_text import extract_html
from tracker.services.language import detect_language, validate_language
from tracker.services.spans import Span, derive_spans
from tracker.services.titles import guess_title

TEXT_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown"}
HTML_SUFFIXES = {".html": "text/html", ".htm": "text/html"}
SUPPORTED_SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES}
# Control characters other than tab, newline, carriage return and form feed mark binary data.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
MAX_CONTROL_RATIO = 0.01


class IngestRefused(Invalid):
    """Input that cannot become a source; the message says why, in one line."""


@dataclass(frozen=True)
class SourceMeta:
    """Metadata given by the user; None means "detect or leave empty"."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass
class IngestResult:
    name: str
    status: str  # created | unchanged | refused
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


def _published_fields(text: str, language: str | None, html_date: str | None) -> dict[str, object]:
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


def _outlet_name(text: str, spans: Iterable[Span]) -> str | None:
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
) -> tuple[Source, bool]:
    """Store ``text`` as a source; returns (source, created). Identical text is a no-op."""
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
    with session.begin_nested():
        source = Source(
            sha256=digest,
            text=text,
            content_type=content_type,
            title=meta.title or guess_title(text, spans),
            publisher=meta.publisher or _outlet_name(text, spans),
            url=meta.url,
            author=meta.author,
            language=language,
            origin=origin,
            created_by=actor.name,
            ai_generated=AiGenerated.YES if ai_rows else AiGenerated.UNKNOWN,
            spans=_span_rows(spans),
            ai_evidence=ai_rows,
            **_published_fields(text, language, html_published),
        )
        session.add(source)
        session.flush()
        audit.record(session, actor, "source.create", "source", source.id, _created_diff(source))
    return source, True


def _created_diff(source: Source) -> dict[str, dict[str, object]]:
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
            "ai_generated": source.ai_generated,
            "ai_evidence": [e.sentence for e in source.ai_evidence],
            "spans": len(source.spans),
        }
    )


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
    suffix = Path(name).suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            raise IngestRefused(f"unsupported file type {suffix or '(none)'!r} (use {supported})")
        text = decode_input(data, max_bytes)
        html_published = None
        if suffix in HTML_SUFFIXES:
            doc = extract_html(text)
            text = doc.text
            html_published = doc.published
            meta = SourceMeta(
                title=meta.title or doc.title,
                publisher=meta.publisher or doc.publisher,
                url=meta.url or doc.url,
                author=meta.author or doc.author,
                language=meta.language,
            )
            if not text.strip():
                raise IngestRefused("HTML file has no readable text")
        source, created = ingest_text(
            session,
            text,
            actor=actor,
            origin=name,
            meta=meta,
            content_type=SUPPORTED_SUFFIXES[suffix],
            html_published=html_published,
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


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and the supported files inside named folders (sorted, no dotfiles)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def ingest_path(
    session: Session,
    path: Path,
    *,
    actor: audit.Actor,
    meta: SourceMeta = SourceMeta(),
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
) -> IngestResult:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestRefused(f"file is too large ({size} bytes; the limit is {max_bytes})")
        data = path.read_bytes()
    except IngestRefused as exc:
        return IngestResult(name=path.name, status="refused", reason=str(exc))
    except OSError as exc:
        return IngestResult(name=path.name, status="refused", reason=exc.strerror or str(exc))
    return ingest_bytes(session, data, name=path.name, actor=actor, meta=meta, max_bytes=max_bytes)
