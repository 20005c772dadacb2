"""packed token postings (token_blocks), backfilled from claim_tokens

Revision ID: 3b7f2c1d9e4a
Revises: 0ff53de38556
Create Date: 2026-11-22 11:00:00+00:00

"""

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from alembic import op

revision: str = "3b7f2c1d9e4a"
down_revision: str | Sequence[str] | None = "0ff53de38556"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BLOCK_BITS = 16


def upgrade() -> None:
    op.create_table(
        "token_blocks",
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.Column("block", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ids", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("token", "block", name=op.f("pk_token_blocks")),
    )
    _backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("token_blocks")


def _backfill(conn: sa.Connection) -> None:
    """Pack the existing claim_tokens rows: sorted uint16 offsets per (token, block of 2**16
    ids), the format of tracker.services.dedup.postings at this revision."""
    tokens = sa.table("claim_tokens", sa.column("token"), sa.column("claim_id"))
    blocks = sa.table("token_blocks", sa.column("token"), sa.column("block"), sa.column("ids"))
    query = sa.select(tokens.c.token, tokens.c.claim_id).order_by(tokens.c.token, tokens.c.claim_id)
    result = conn.execute(query.execution_options(yield_per=50_000))
    batch: list[dict[str, Any]] = []
    for row in _packed(result):
        batch.append(row)
        if len(batch) >= 1000:
            conn.execute(sa.insert(blocks), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(blocks), batch)


def _packed(rows: Any) -> Iterator[dict[str, Any]]:
    current: tuple[str, int] | None = None
    offsets: list[int] = []
    for token, claim_id in rows:
        key = (token, claim_id >> BLOCK_BITS)
        if key != current:
            if current is not None:
                yield _row(current, offsets)
            current, offsets = key, []
        offsets.append(claim_id & ((1 << BLOCK_BITS) - 1))
    if current is not None:
        yield _row(current, offsets)


def _row(key: tuple[str, int], offsets: list[int]) -> dict[str, Any]:
    packed = np.array(offsets, dtype="<u2").tobytes()  # already sorted and distinct
    return {"token": key[0], "block": key[1], "ids": packed}
