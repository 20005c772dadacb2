"""Representative rows for the migration tests, written with plain SQL against the tables as
they exist at a revision (reflected from the database, never the current ORM models).

``ROWS`` holds every table's rows with the union of the columns the table has had: a row is
inserted with the columns its table has at that revision and the others are left out. The
values agree with each other the way the app writes them (the publishers are the ones the
AI-status migration derives from the sources; token_stats and token_blocks count and pack
claim_tokens; the audit events form a valid hash chain), so a migration's backfill can be
checked against them.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, MetaData, select

from tracker.models.audit import GENESIS_HASH, canonical_time, event_hash

T0 = datetime(2026, 11, 1, 9, 30, 0, 123456)
T1 = datetime(2026, 11, 2, 14, 5, 7, 654321)
BLOCK_BITS = 16  # token_blocks: offsets per block of 2**16 claim ids

ARTICLE = (
    "The Øresund bridge opened in 2000. Officials in Zürich said the council approved the "
    "budget on Monday. This article was written with the help of an AI assistant."
)


def _source(
    id: int, publisher: str | None, url: str | None, ai_generated: str, **extra: Any
) -> dict[str, Any]:
    text = f"{ARTICLE} (copy {id})"
    row: dict[str, Any] = {
        "id": id,
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "text": text,
        "content_type": "text/plain",
        "title": f"Story {id}",
        "publisher": publisher,
        "url": url,
        "author": "Kari Nordmann" if id % 2 else None,
        "language": "en",
        "published_at": T0 if id != 4 else None,
        "published_has_time": id == 1,
        "published_utc_offset_min": 60 if id == 1 else None,
        "published_text": "1 Nov 2026 10:30 CET" if id == 1 else None,
        "origin": url or f"upload:story-{id}.txt",
        "retrieved_at": T1,
        "created_at": T1,
        "created_by": "cli:import",
        "ai_generated": ai_generated,
        "ai_flag_reason": None,
        "ai_flag_by": None,
        "ai_flag_at": None,
    }
    row.update(extra)
    return row


# What the AI-status migration (d24088757364) derives from these sources: each source's status
# and publisher, and the publishers it creates (name, name key, domain) in id order.
EXPECTED_STATUS = {
    1: "ai_disclosed",  # yes + a disclosure found by the detector, no manual flag
    2: "ai_reviewer",  # yes, set by hand
    3: "human_reviewer",  # no
    4: "unknown",
    5: "unknown",
}
EXPECTED_PUBLISHER = {1: 1, 2: 2, 3: 1, 4: None, 5: 2}
EXPECTED_PUBLISHERS = [
    # named by source 1, its domain from source 3 (same name key, with a URL)
    (1, "The Daily Planet", "the daily planet", "dailyplanet.example"),
    (2, "news.example.org", "news example org", "news.example.org"),  # from the URL alone
]

SOURCES = [
    _source(1, "The Daily Planet", None, "yes"),
    _source(
        2,
        None,
        "https://news.example.org/a?x=1",
        "yes",
        ai_flag_reason="Generated images",
        ai_flag_by="web:editor",
        ai_flag_at=T1,
    ),
    _source(3, "the daily planet!", "https://www.dailyplanet.example/story", "no"),
    _source(4, None, None, "unknown"),  # no publisher at all
    # another name, but the domain of publisher 2: matched by its URL
    _source(5, "Daily  Planet Weekly", "https://NEWS.example.org/b", "unknown"),
]
for _row in SOURCES:
    _row["ai_status"] = EXPECTED_STATUS[_row["id"]]
    _row["publisher_id"] = EXPECTED_PUBLISHER[_row["id"]]
# A database at a later revision shows the URL's publisher name on source 2 (5e1a9c7b2d40).
PUBLISHER_NAME_BACKFILL = {2: "news.example.org"}


def _claim(id: int, text: str, verdict: str, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": id,
        "text": text,
        "normalized_text": text.lower(),
        "language": "en",
        "verdict": verdict,
        "confidence": 0.75 if verdict != "unreviewed" else None,
        "proposed_verdict": None,
        "proposed_confidence": None,
        "proposed_by": None,
        "rationale": "",
        "created_at": T0,
        "updated_at": T1,
        "created_by": "web:alice",
        "merged_into_id": None,
        "version": 1,
    }
    row.update(extra)
    return row


CLAIMS = [
    _claim(1, "The Øresund bridge opened in 2000", "true", rationale="Opening ceremony"),
    _claim(
        2,
        "The council approved the budget",
        "in_review",
        proposed_verdict="mostly_true",
        proposed_confidence=0.6,
        proposed_by="web:bob",
        version=3,
    ),
    _claim(3, "The bridge opened in 2000", "unreviewed", merged_into_id=1),
    _claim(70_001, "A bridge in the second block of ids", "false"),  # claim id >= 2**16
]

CLAIM_TOKENS = [
    ("2000", 1),
    ("bridge", 1),
    ("oresund", 1),
    ("budget", 2),
    ("bridge", 2),
    ("council", 2),
    ("2000", 3),
    ("bridge", 3),
    ("bridge", 70_001),
    ("second", 70_001),
]


def token_stats() -> list[dict[str, Any]]:
    """Each token's document frequency: the claims that hold it."""
    counts = Counter(token for token, _ in CLAIM_TOKENS)
    return [{"token": token, "df": df} for token, df in sorted(counts.items())]


def token_blocks() -> list[dict[str, Any]]:
    """claim_tokens packed as sorted little-endian uint16 offsets per (token, block)."""
    grouped: dict[tuple[str, int], list[int]] = defaultdict(list)
    for token, claim_id in CLAIM_TOKENS:
        grouped[(token, claim_id >> BLOCK_BITS)].append(claim_id & ((1 << BLOCK_BITS) - 1))
    return [
        {"token": token, "block": block, "ids": np.array(sorted(ids), dtype="<u2").tobytes()}
        for (token, block), ids in sorted(grouped.items())
    ]


def _events() -> list[dict[str, Any]]:
    base = [
        ("web:alice", "claim.create", "claim", "1", {"text": [None, "The Øresund bridge"]}, None),
        ("web:bob", "claim.update", "claim", "2", {"verdict": ["unreviewed", "in_review"]}, "ok"),
        ("cli:import", "source.create", "source", "1", {"url": [None, "https://x.example/"]}, None),
    ]
    rows, prev = [], GENESIS_HASH
    for seq, (actor, action, entity_type, entity_id, changes, reason) in enumerate(base, 1):
        occurred = datetime(2026, 11, 3, 8, seq, 0, 1000 * seq)
        context = {"ip": "192.0.2.1", "ua": "tést"} if seq == 2 else {}
        request_id = f"req-{seq}" if seq != 3 else None
        digest = event_hash(
            prev,
            canonical_time(occurred),
            actor,
            action,
            entity_type,
            entity_id,
            changes,
            reason,
            request_id,
            context,
        )
        rows.append(
            {
                "id": seq * 10,  # ids with gaps: the chain's seq is its own count
                "occurred_at": occurred,
                "actor": actor,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "changes": changes,
                "reason": reason,
                "request_id": request_id,
                "context": context,
                "seq": seq,
                "prev_hash": prev,
                "hash": digest,
                "mac": None if seq == 1 else hashlib.sha256(digest.encode()).hexdigest(),
            }
        )
        prev = digest
    return rows


ROWS: dict[str, list[dict[str, Any]]] = {
    "audit_events": _events(),
    "users": [
        {
            "id": 1,
            "username": "alice",
            "display_name": "Alice Ålesund",
            "role": "editor",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            "active": True,
            "created_at": T0,
            "session_token": "a" * 64,
            "last_login_at": T1,
        },
        {
            "id": 2,
            "username": "bob",
            "display_name": "Bob",
            "role": "viewer",
            "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdDI$aGFzaDI",
            "active": False,
            "created_at": T1,
            "session_token": "b" * 64,
            "last_login_at": None,
        },
    ],
    "publishers": [
        {
            "id": pid,
            "name": name,
            "name_key": key,
            "domain": domain,
            "ai_flag": pid == 2,
            "ai_flag_reason": "Content farm" if pid == 2 else None,
            "ai_flag_by": "web:alice" if pid == 2 else None,
            "ai_flag_at": T1 if pid == 2 else None,
            "created_at": T0,
        }
        for pid, name, key, domain in EXPECTED_PUBLISHERS
    ],
    "sources": SOURCES,
    "claims": CLAIMS,
    "ai_evidence": [
        {
            "id": 1,
            "source_id": 1,
            "kind": "disclosure",
            "start_offset": 103,
            "end_offset": 161,
            "sentence": "This article was written with the help of an AI assistant.",
            "language": "en",
            "pattern": "written with the help of",
            "detector": "ai-detect/2",
            "confidence": 0.9,
            "created_by": "cli:import",
            "created_at": T1,
        },
        {
            "id": 2,
            "source_id": 2,
            "kind": "phrase",
            "start_offset": 0,
            "end_offset": 33,
            "sentence": "The Øresund bridge opened in 2000.",
            "language": "en",
            "pattern": None,
            "detector": "ai-detect/2",
            "confidence": 0.2,
            "created_by": "cli:import",
            "created_at": T1,
        },
    ],
    "excerpts": [
        {
            "id": 1,
            "source_id": 1,
            "start_offset": 0,
            "end_offset": 33,
            "exact": "The Øresund bridge opened in 2000",
            "prefix": "",
            "suffix": ". Officials",
            "created_by": "web:alice",
            "created_at": T1,
        },
        {
            "id": 2,
            "source_id": 3,
            "start_offset": 60,
            "end_offset": 91,
            "exact": "the council approved the budget",
            "prefix": "Zürich said ",
            "suffix": " on Monday",
            "created_by": "web:bob",
            "created_at": T1,
        },
    ],
    "source_spans": [
        {
            "id": 1,
            "source_id": 1,
            "kind": "boilerplate",
            "start_offset": 103,
            "end_offset": 161,
            "label": "disclaimer",
            "group_no": None,
            "copy_no": None,
            "copies": None,
        },
        {
            "id": 2,
            "source_id": 2,
            "kind": "repeated",
            "start_offset": 0,
            "end_offset": 33,
            "label": "repeated",
            "group_no": 1,
            "copy_no": 2,
            "copies": 2,
        },
    ],
    "evidence": [
        {
            "id": 1,
            "claim_id": 1,
            "excerpt_id": 1,
            "stance": "supports",
            "linked_by": "web:alice",
            "linked_at": T1,
        },
        {
            "id": 2,
            "claim_id": 2,
            "excerpt_id": 2,
            "stance": "refutes",
            "linked_by": "web:bob",
            "linked_at": T1,
        },
    ],
    "entity_aliases": [
        {
            "id": 1,
            "canonical": "oresund",
            "surface": "Øresundsbron",
            "created_by": "web:alice",
            "created_at": T0,
        }
    ],
    "claim_merges": [
        {
            "id": 1,
            "claim_id": 3,
            "into_id": 1,
            "snapshot": {"verdict": "unreviewed", "evidence": []},
            "reason": "same claim",
            "merged_by": "web:alice",
            "merged_at": T1,
            "unmerged_by": None,
            "unmerged_at": None,
        }
    ],
    "claim_tokens": [{"token": token, "claim_id": claim_id} for token, claim_id in CLAIM_TOKENS],
    "token_stats": token_stats(),
    "token_blocks": token_blocks(),
    "dedup_decisions": [
        {
            "id": 1,
            "claim_id": 3,
            "other_id": 1,
            "algorithm": "lexical-v2",
            "score": 91.5,
            "t_auto": 92.0,
            "t_suggest": 60.0,
            "level": "suggest",
            "warnings": [{"code": "numbers", "detail": "2000"}],
            "outcome": "merged",
            "decided_by": "web:alice",
            "decided_at": T1,
            "reason": None,
        }
    ],
    "api_tokens": [
        {
            "id": 1,
            "name": "newsroom script",
            "token_hash": hashlib.sha256(b"tok").hexdigest(),
            "prefix": "trk_abc",
            "role": "reviewer",
            "user_id": 1,
            "created_by": "web:alice",
            "created_at": T0,
            "expires_at": datetime(2027, 1, 1),
            "revoked_at": None,
            "revoked_by": None,
            "last_used_at": T1,
        }
    ],
    "claim_rereview": [
        {
            "claim_id": 2,
            "reasons": ["excerpt 2 edited"],
            "marked_at": T1,
            "marked_by": "web:bob",
        }
    ],
    "source_watches": [
        {
            "id": 1,
            "url": "https://www.dailyplanet.example/story",
            "first_source_id": 1,
            "latest_source_id": 5,
            "interval_minutes": 60,
            "next_check_at": T1,
            "last_checked_at": T0,
            "lease_owner": None,
            "lease_expires_at": None,
            "created_at": T0,
            "created_by": "cli:watch",
        }
    ],
    "source_captures": [
        {
            "id": 1,
            "watch_id": 1,
            "source_id": 5,
            "outcome": "changed",
            "requested_url": "https://www.dailyplanet.example/story",
            "final_url": "https://www.dailyplanet.example/story",
            "http_status": 200,
            "content_type": "text/html",
            "fetched_at": T1,
            "raw_sha256": hashlib.sha256(b"<html>").hexdigest(),
            "raw_body": b"<html>\x00\xff",
            "raw_headers": "content-type: text/html",
            "error": None,
            "fetched_by": "cli:watch",
        }
    ],
    "source_versions": [
        {
            "source_id": 5,
            "watch_id": 1,
            "version_no": 2,
            "previous_source_id": 1,
            "capture_id": 1,
            "created_at": T1,
        }
    ],
    "excerpt_anchors": [
        {
            "id": 1,
            "excerpt_id": 1,
            "source_id": 5,
            "status": "moved",
            "score": 0.97,
            "start_offset": 0,
            "end_offset": 33,
            "method": "fuzzy",
            "checked_at": T1,
        }
    ],
    "claim_vectors": [
        {
            "id": 1,
            "claim_id": 1,
            "model": "use-m3",
            "version": "1",
            "vector": np.arange(8, dtype="<f2").tobytes(),
            "created_at": T1,
        }
    ],
}


def reflect(conn: Connection) -> MetaData:
    """The tables as they are in the database now (without Alembic's own)."""
    metadata = MetaData()
    metadata.reflect(conn)
    if "alembic_version" in metadata.tables:
        metadata.remove(metadata.tables["alembic_version"])
    return metadata


def insert_rows(conn: Connection) -> None:
    """Insert ``ROWS`` into each table that exists, with the columns it has now."""
    for table in reflect(conn).sorted_tables:
        rows = [
            {key: value for key, value in row.items() if key in table.c} for row in ROWS[table.name]
        ]
        conn.execute(table.insert(), rows)


Snapshot = dict[str, list[dict[str, Any]]]
Shape = dict[str, list[str]]


def state(conn: Connection) -> tuple[Shape, Snapshot]:
    """Each table's columns, and every row of every table in primary key order."""
    shape: Shape = {}
    data: Snapshot = {}
    for table in reflect(conn).sorted_tables:
        shape[table.name] = [column.name for column in table.c]
        order = list(table.primary_key.columns) or list(table.c)
        data[table.name] = [
            dict(row._mapping) for row in conn.execute(select(table).order_by(*order))
        ]
    return shape, data


def project(data: Snapshot, tables: Shape) -> Snapshot:
    """``data`` cut down to the tables and columns of ``tables``."""
    return {
        name: [{column: row[column] for column in columns} for row in data.get(name, [])]
        for name, columns in tables.items()
    }
