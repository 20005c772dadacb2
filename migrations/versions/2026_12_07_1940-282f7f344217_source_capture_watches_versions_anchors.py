"""source capture: watched pages, captures with the raw response, snapshot versions, excerpt anchors

Revision ID: 282f7f344217
Revises: 5e1a9c7b2d40
Create Date: 2026-12-07 19:40:00.337525+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "282f7f344217"
# Chained after i15a (merged into this branch); originally 3b7f2c1d9e4a.
down_revision: str | Sequence[str] | None = "5e1a9c7b2d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("first_source_id", sa.Integer(), nullable=False),
        sa.Column("latest_source_id", sa.Integer(), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=True),
        sa.Column("next_check_at", sa.DateTime(), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_source_id"],
            ["sources.id"],
            name=op.f("fk_source_watches_first_source_id_sources"),
        ),
        sa.ForeignKeyConstraint(
            ["latest_source_id"],
            ["sources.id"],
            name=op.f("fk_source_watches_latest_source_id_sources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_watches")),
        sa.UniqueConstraint("first_source_id", name=op.f("uq_source_watches_first_source_id")),
    )
    with op.batch_alter_table("source_watches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_watches_latest_source_id"), ["latest_source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_source_watches_next_check_at"), ["next_check_at"], unique=False
        )

    op.create_table(
        "excerpt_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("excerpt_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=True),
        sa.Column("end_offset", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["excerpt_id"], ["excerpts.id"], name=op.f("fk_excerpt_anchors_excerpt_id_excerpts")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_excerpt_anchors_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_excerpt_anchors")),
        sa.UniqueConstraint("excerpt_id", "source_id", name="uq_excerpt_anchors_version"),
    )
    with op.batch_alter_table("excerpt_anchors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_excerpt_anchors_excerpt_id"), ["excerpt_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_excerpt_anchors_source_id"), ["source_id"], unique=False
        )

    op.create_table(
        "source_captures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("requested_url", sa.String(length=2000), nullable=False),
        sa.Column("final_url", sa.String(length=2000), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("raw_sha256", sa.String(length=64), nullable=True),
        sa.Column("raw_body", sa.LargeBinary(), nullable=True),
        sa.Column("raw_headers", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("fetched_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_captures_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["source_watches.id"],
            name=op.f("fk_source_captures_watch_id_source_watches"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_captures")),
    )
    with op.batch_alter_table("source_captures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_captures_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_source_captures_watch_id"), ["watch_id"], unique=False)

    op.create_table(
        "source_versions",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("previous_source_id", sa.Integer(), nullable=True),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["source_captures.id"],
            name=op.f("fk_source_versions_capture_id_source_captures"),
        ),
        sa.ForeignKeyConstraint(
            ["previous_source_id"],
            ["sources.id"],
            name=op.f("fk_source_versions_previous_source_id_sources"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_versions_source_id_sources")
        ),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["source_watches.id"],
            name=op.f("fk_source_versions_watch_id_source_watches"),
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_source_versions")),
        sa.UniqueConstraint("watch_id", "version_no", name="uq_source_versions_no"),
    )
    with op.batch_alter_table("source_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_versions_watch_id"), ["watch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("source_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_versions_watch_id"))

    op.drop_table("source_versions")
    with op.batch_alter_table("source_captures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_captures_watch_id"))
        batch_op.drop_index(batch_op.f("ix_source_captures_source_id"))

    op.drop_table("source_captures")
    with op.batch_alter_table("excerpt_anchors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_excerpt_anchors_source_id"))
        batch_op.drop_index(batch_op.f("ix_excerpt_anchors_excerpt_id"))

    op.drop_table("excerpt_anchors")
    with op.batch_alter_table("source_watches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_watches_next_check_at"))
        batch_op.drop_index(batch_op.f("ix_source_watches_latest_source_id"))

    op.drop_table("source_watches")
