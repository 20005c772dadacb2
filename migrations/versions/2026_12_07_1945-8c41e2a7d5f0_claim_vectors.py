"""claim_vectors: sentence embeddings for the semantic tier (filled by `tracker dedup embed`)

Revision ID: 8c41e2a7d5f0
Revises: 5e1c9a7b3d20
Create Date: 2026-12-07 19:45:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c41e2a7d5f0"
down_revision: str | Sequence[str] | None = "5e1c9a7b3d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_vectors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_vectors_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_vectors")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_claim_vectors_claim_id")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_claim_vectors_model", "claim_vectors", ["model", "version", "id"])


def downgrade() -> None:
    op.drop_index("ix_claim_vectors_model", table_name="claim_vectors")
    op.drop_table("claim_vectors")
