"""audit events indexed by actor and time

Revision ID: 6d02063456bf
Revises: 8aa76daed2a1
Create Date: 2026-11-22 09:53:00.695053+00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "6d02063456bf"
down_revision: str | Sequence[str] | None = "8aa76daed2a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain CREATE INDEX: a batch table copy would drop the append-only triggers.
    op.create_index(
        "ix_audit_events_actor_occurred_at", "audit_events", ["actor", "occurred_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_audit_events_actor_occurred_at", table_name="audit_events")
