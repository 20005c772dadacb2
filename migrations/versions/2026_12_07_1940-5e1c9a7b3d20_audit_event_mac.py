"""audit_events.mac: the HMAC of each event's hash with the instance's audit key

Revision ID: 5e1c9a7b3d20
Revises: 9c4e1a7b2d53
Create Date: 2026-12-07 19:40:00+00:00

Existing events keep a NULL mac: they were written before the key existed, and signing them
now would vouch for rows nobody checked at the time. The first write after the upgrade (or
`tracker audit anchor`) anchors the head found then in the instance folder instead.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e1c9a7b3d20"
down_revision: str | Sequence[str] | None = "9c4e1a7b2d53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch table copy would drop the append-only triggers.
    op.add_column("audit_events", sa.Column("mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_events", "mac")
