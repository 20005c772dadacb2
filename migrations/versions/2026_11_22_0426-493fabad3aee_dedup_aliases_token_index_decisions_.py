"""dedup aliases token index decisions merges

Revision ID: 493fabad3aee
Revises: e433a77d1b10
Create Date: 2026-11-22 04:26:39.327093+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "493fabad3aee"
down_revision: str | Sequence[str] | None = "e433a77d1b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("canonical", sa.String(length=100), nullable=False),
        sa.Column("surface", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_aliases")),
        sa.UniqueConstraint("surface", name=op.f("uq_entity_aliases_surface")),
    )
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_aliases_canonical"), ["canonical"], unique=False
        )

    op.create_table(
        "claim_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("into_id", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("merged_by", sa.String(length=200), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("unmerged_by", sa.String(length=200), nullable=True),
        sa.Column("unmerged_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_merges_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["into_id"], ["claims.id"], name=op.f("fk_claim_merges_into_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_merges")),
    )
    with op.batch_alter_table("claim_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_merges_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_merges_into_id"), ["into_id"], unique=False)

    op.create_table(
        "claim_tokens",
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_tokens_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token", "claim_id", name=op.f("pk_claim_tokens")),
    )
    with op.batch_alter_table("claim_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_claim_tokens_claim_id", ["claim_id"], unique=False)

    op.create_table(
        "dedup_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("algorithm", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("t_auto", sa.Float(), nullable=False),
        sa.Column("t_suggest", sa.Float(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_dedup_decisions_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["claims.id"],
            name=op.f("fk_dedup_decisions_other_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_decisions")),
    )
    with op.batch_alter_table("dedup_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_dedup_decisions_pair", ["claim_id", "other_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("dedup_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_dedup_decisions_pair")

    op.drop_table("dedup_decisions")
    with op.batch_alter_table("claim_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_tokens_claim_id")

    op.drop_table("claim_tokens")
    with op.batch_alter_table("claim_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_merges_into_id"))
        batch_op.drop_index(batch_op.f("ix_claim_merges_claim_id"))

    op.drop_table("claim_merges")
    with op.batch_alter_table("entity_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_aliases_canonical"))

    op.drop_table("entity_aliases")
