"""needs-re-review markers (claim_rereview); sources show the publisher taken from their URL

Revision ID: 5e1a9c7b2d40
Revises: 3b7f2c1d9e4a
Create Date: 2026-12-07 20:00:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.models.types

revision: str = "5e1a9c7b2d40"
down_revision: str | Sequence[str] | None = "3b7f2c1d9e4a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_rereview",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("marked_at", tracker.models.types.UTCDateTime(), nullable=False),
        sa.Column("marked_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_rereview_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_rereview")),
    )
    op.create_index(
        op.f("ix_claim_rereview_marked_at"), "claim_rereview", ["marked_at"], unique=False
    )
    _backfill_publisher_names(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_rereview_marked_at"), table_name="claim_rereview")
    op.drop_table("claim_rereview")


def _backfill_publisher_names(conn: sa.Connection) -> None:
    """A source stored without a publisher name but matched to a publisher (by its URL's host)
    shows that publisher's name, as new sources do."""
    sources = sa.table(
        "sources", sa.column("id"), sa.column("publisher"), sa.column("publisher_id")
    )
    publishers = sa.table("publishers", sa.column("id"), sa.column("name"))
    name = (
        sa.select(publishers.c.name)
        .where(publishers.c.id == sources.c.publisher_id)
        .scalar_subquery()
    )
    conn.execute(
        sa.update(sources)
        .where(sources.c.publisher.is_(None), sources.c.publisher_id.is_not(None))
        .values(publisher=name)
    )
