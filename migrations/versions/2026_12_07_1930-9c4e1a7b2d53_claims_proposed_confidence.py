"""claims.proposed_confidence: a reviewer's proposed confidence (an editor sets confidence)

Revision ID: 9c4e1a7b2d53
Revises: 282f7f344217
Create Date: 2026-12-07 19:30:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c4e1a7b2d53"
down_revision: str | Sequence[str] | None = "282f7f344217"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claims", sa.Column("proposed_confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("proposed_confidence")
