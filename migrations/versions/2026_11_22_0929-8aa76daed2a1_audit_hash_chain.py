"""audit hash chain

Revision ID: 8aa76daed2a1
Revises: d24088757364
Create Date: 2026-11-22 09:29:13.849704+00:00

Audit events get ``seq``, ``prev_hash`` and ``hash`` (backfilled in id order, with the same
canonical serialization as ``tracker.models.audit.event_hash``, copied here: migrations import
nothing from tracker), then triggers that refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL)
and any insert without its chain columns.

Columns are added with plain ALTER TABLE, never a batch copy of the table. They stay nullable
in the schema because SQLite cannot add a NOT NULL column without a default; the insert
trigger enforces them instead.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "8aa76daed2a1"
down_revision: str | Sequence[str] | None = "d24088757364"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64
HASH_PREFIX = b"tracker-audit\x00"
APPEND_ONLY = "audit events are append-only"
UNCHAINED = "audit events need seq, prev_hash and hash"
BATCH = 5000

_events = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", sa.DateTime),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("reason", sa.Text),
    sa.column("request_id", sa.String),
    sa.column("context", sa.JSON),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _canonical_time(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _hash(prev_hash: str, row: Any) -> str:
    payload = {
        "v": 1,
        "prev_hash": prev_hash,
        "occurred_at": _canonical_time(row.occurred_at),
        "actor": row.actor,
        "action": row.action,
        "entity_type": row.entity_type,
        "entity_id": row.entity_id,
        "changes": row.changes if row.changes is not None else {},
        "reason": row.reason,
        "request_id": row.request_id,
        "context": row.context if row.context is not None else {},
    }
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(HASH_PREFIX + body.encode("utf-8")).hexdigest()


def _backfill(conn: sa.Connection) -> None:
    """Chain the existing events in id order, in batches (constant memory)."""
    seq, prev, last_id = 0, GENESIS_HASH, 0
    update = (
        _events.update()
        .where(_events.c.id == sa.bindparam("b_id"))
        .values(
            seq=sa.bindparam("b_seq"), prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash")
        )
    )
    while True:
        rows = conn.execute(
            sa.select(_events).where(_events.c.id > last_id).order_by(_events.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        params = []
        for row in rows:
            seq += 1
            digest = _hash(prev, row)
            params.append({"b_id": row.id, "b_seq": seq, "b_prev": prev, "b_hash": digest})
            prev = digest
        conn.execute(update, params)
        last_id = rows[-1].id


def _create_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        for name, when in (("no_update", "UPDATE"), ("no_delete", "DELETE")):
            op.execute(
                f"CREATE TRIGGER audit_events_{name} BEFORE {when} ON audit_events "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )
        op.execute(
            "CREATE TRIGGER audit_events_chained BEFORE INSERT ON audit_events "
            "WHEN NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL "
            f"BEGIN SELECT RAISE(ABORT, '{UNCHAINED}'); END"
        )
        return
    op.execute(
        "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
    )
    op.execute(
        "CREATE FUNCTION audit_events_chained() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF NEW.seq IS NULL OR NEW.prev_hash IS NULL OR NEW.hash IS NULL THEN "
        f"RAISE EXCEPTION '{UNCHAINED}'; END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_chained BEFORE INSERT ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_chained()"
    )


def _drop_triggers(dialect: str) -> None:
    if dialect == "sqlite":
        for name in ("no_update", "no_delete", "chained"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_{name}")
        return
    for name in ("no_change", "no_truncate", "chained"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_{name} ON audit_events")
    op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
    op.execute("DROP FUNCTION IF EXISTS audit_events_chained()")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no batch copy: see the module docstring).
    op.add_column("audit_events", sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    _backfill(conn)
    op.create_index(op.f("ix_audit_events_hash"), "audit_events", ["hash"], unique=True)
    op.create_index(op.f("ix_audit_events_seq"), "audit_events", ["seq"], unique=True)
    _create_triggers(conn.dialect.name)


def downgrade() -> None:
    _drop_triggers(op.get_bind().dialect.name)
    op.drop_index(op.f("ix_audit_events_seq"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_hash"), table_name="audit_events")
    op.drop_column("audit_events", "hash")
    op.drop_column("audit_events", "prev_hash")
    op.drop_column("audit_events", "seq")
