"""Reading sources, and their JSON form for the CLI and the web app."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Source
from tracker.services.errors import NotFound


def list_sources(session: Session) -> list[Source]:
    query = select(Source).options(selectinload(Source.ai_evidence)).order_by(Source.id)
    return list(session.scalars(query))


def get_source(session: Session, source_id: int) -> Source:
    source = session.get(
        Source, source_id, options=[selectinload(Source.spans), selectinload(Source.ai_evidence)]
    )
    if source is None:
        raise NotFound(f"source {source_id} does not exist")
    return source


def source_summary(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "author": source.author,
        "language": source.language,
        "published_at": source.published_iso,
        "published_text": source.published_text,
        "sha256": source.sha256,
        "origin": source.origin,
        "content_type": source.content_type,
        "created_at": source.created_at.isoformat(),
        "ai_generated": source.ai_generated.value,
        "ai_evidence": [
            {
                "kind": e.kind,
                "start": e.start_offset,
                "end": e.end_offset,
                "sentence": e.sentence,
                "language": e.language,
                "pattern": e.pattern,
                "detector": e.detector,
                "confidence": e.confidence,
                "created_by": e.created_by,
            }
            for e in source.ai_evidence
        ],
    }


def source_detail(source: Source) -> dict[str, Any]:
    data = source_summary(source)
    data["length"] = len(source.text)
    data["boilerplate_spans"] = [
        {"start": s.start_offset, "end": s.end_offset, "label": s.label}
        for s in source.spans
        if s.kind == "boilerplate"
    ]
    data["repeated_spans"] = [
        {
            "start": s.start_offset,
            "end": s.end_offset,
            "group": s.group_no,
            "copy": s.copy_no,
            "copies": s.copies,
        }
        for s in source.spans
        if s.kind == "repeated"
    ]
    data["text"] = source.text
    return data
