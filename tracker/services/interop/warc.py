"""A captured page's archived response as a standard WARC file (warcio), which web-archive
tools (pywb, ReplayWeb.page, warcio itself) open: a ``warcinfo`` record, then the
``response`` record with the HTTP status line, headers and body as fetched."""

from __future__ import annotations

import io
import json
from typing import BinaryIO

from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tracker.services.errors import Invalid, NotFound
from tracker.services.sources.versions import archived_capture
from tracker.services.text.storable import is_id

# The body is stored decoded and whole, so these would describe it wrongly.
_DROPPED = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def write_warc(session: Session, source_id: int, out: BinaryIO) -> int:
    """Write the archived response of source ``source_id`` to ``out`` (gzipped WARC);
    returns the number of payload bytes. NotFound / Invalid when there is none."""
    if not is_id(source_id):
        raise NotFound(f"source {source_id} does not exist")
    capture = archived_capture(session, source_id)
    if capture is None or capture.raw_body is None or capture.final_url is None:
        raise Invalid(f"source {source_id} has no archived response (it was not fetched by URL)")
    meta = json.loads(capture.raw_headers or "{}")
    headers = [(k, v) for k, v in meta.get("headers", []) if k.lower() not in _DROPPED]
    headers.append(("Content-Length", str(len(capture.raw_body))))
    status = f"{meta.get('status', capture.http_status)} {meta.get('reason', '')}".strip()
    protocol = meta.get("http_version") or "HTTP/1.1"
    writer = WARCWriter(out, gzip=True)
    date = capture.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    info = writer.create_warcinfo_record(
        f"source-{source_id}.warc.gz",
        {"software": "tracker", "format": "WARC File Format 1.1", "source-id": str(source_id)},
    )
    writer.write_record(info)
    record = writer.create_warc_record(
        capture.final_url,
        "response",
        payload=io.BytesIO(capture.raw_body),
        length=len(capture.raw_body),
        http_headers=StatusAndHeaders(status, headers, protocol=protocol),
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Target-URI": capture.final_url,
            "X-Tracker-Payload-SHA256": capture.raw_sha256 or "",
        },
    )
    writer.write_record(record)
    return len(capture.raw_body)
