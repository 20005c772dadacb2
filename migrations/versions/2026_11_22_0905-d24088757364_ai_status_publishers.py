"""AI status, publishers

Revision ID: d24088757364
Revises: ec28f4b90e93
Create Date: 2026-11-22 09:05:54.280349+00:00

Sources get ``ai_status`` (backfilled from ``ai_generated``: "yes" becomes "ai_disclosed" when
the detector found a disclosure and nobody set the flag by hand, else "ai_reviewer"; "no"
becomes "human_reviewer") and a publisher: publishers are created from the sources' publisher
names, or from their URL's domain when they name none, with the same matching rules as
``tracker.services.sources.publishers`` (copied here: migrations import nothing from tracker).
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision: str = "d24088757364"
down_revision: str | Sequence[str] | None = "ec28f4b90e93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AI_STATUSES = ("unknown", "suspected", "ai_disclosed", "ai_reviewer", "human_reviewer")
_SPACES = re.compile(r"\s+")


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in text)
    return _SPACES.sub(" ", text).strip()[:200]


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower().removeprefix("www.")
    return host[:253] or None


def _backfill_status(conn: sa.Connection) -> None:
    sources = sa.table(
        "sources",
        sa.column("id", sa.Integer),
        sa.column("ai_generated", sa.String),
        sa.column("ai_status", sa.String),
        sa.column("ai_flag_by", sa.String),
    )
    evidence = sa.table("ai_evidence", sa.column("source_id", sa.Integer), sa.column("kind"))
    disclosed = sa.exists().where(
        evidence.c.source_id == sources.c.id, evidence.c.kind == "disclosure"
    )
    status = sa.case(
        (
            sources.c.ai_generated == "yes",
            sa.case(
                (sa.and_(disclosed, sources.c.ai_flag_by.is_(None)), "ai_disclosed"),
                else_="ai_reviewer",
            ),
        ),
        (sources.c.ai_generated == "no", "human_reviewer"),
        else_="unknown",
    )
    conn.execute(sources.update().values(ai_status=status))


def _backfill_publishers(conn: sa.Connection) -> None:
    sources = sa.table(
        "sources",
        sa.column("id", sa.Integer),
        sa.column("publisher", sa.String),
        sa.column("url", sa.String),
        sa.column("publisher_id", sa.Integer),
    )
    publishers = sa.table(
        "publishers",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("domain", sa.String),
        sa.column("ai_flag", sa.Boolean),
        sa.column("created_at", sa.DateTime),
    )
    by_key: dict[str, int] = {}
    by_domain: dict[str, int] = {}
    has_domain: set[int] = set()
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = conn.execute(
        sa.select(sources.c.id, sources.c.publisher, sources.c.url).order_by(sources.c.id)
    ).all()
    for source_id, name, url in rows:
        name = _SPACES.sub(" ", name).strip()[:200] if name else None
        key = _name_key(name) if name else None
        domain = _domain(url)
        if not key and not domain:
            continue
        found = by_key.get(key) if key else None
        if found is None and domain:
            found = by_domain.get(domain)
        if found is None:
            display = name if name and key else domain
            assert display is not None
            key = key or _name_key(display)
            found = by_key.get(key)
        if found is None:
            found = conn.execute(
                publishers.insert()
                .values(
                    name=display,
                    name_key=key,
                    domain=domain if domain not in by_domain else None,
                    ai_flag=False,
                    created_at=now,
                )
                .returning(publishers.c.id)
            ).scalar_one()
            by_key[key] = found
            if domain and domain not in by_domain:
                by_domain[domain] = found
                has_domain.add(found)
        elif domain and found not in has_domain and domain not in by_domain:
            conn.execute(publishers.update().where(publishers.c.id == found).values(domain=domain))
            by_domain[domain] = found
            has_domain.add(found)
        conn.execute(sources.update().where(sources.c.id == source_id).values(publisher_id=found))


def _ai_status_type() -> sa.Enum:
    return sa.Enum(
        *AI_STATUSES, name="ai_status", native_enum=False, create_constraint=True, length=32
    )


def upgrade() -> None:
    op.create_table(
        "publishers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("ai_flag", sa.Boolean(), nullable=False),
        sa.Column("ai_flag_reason", sa.Text(), nullable=True),
        sa.Column("ai_flag_by", sa.String(length=200), nullable=True),
        sa.Column("ai_flag_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publishers")),
        sa.UniqueConstraint("domain", name=op.f("uq_publishers_domain")),
        sa.UniqueConstraint("name", name=op.f("uq_publishers_name")),
        sa.UniqueConstraint("name_key", name=op.f("uq_publishers_name_key")),
    )
    conn = op.get_bind()
    # Plain ADD COLUMNs: on SQLite a batch "move and copy" of ``sources`` would drop the old
    # table, and with foreign keys on that deletes every span and AI evidence row (CASCADE).
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # named constraints in the columns (Alembic would leave the CHECK out)
        values = ", ".join(f"'{value}'" for value in AI_STATUSES)
        op.execute(
            "ALTER TABLE sources ADD COLUMN publisher_id INTEGER "
            "CONSTRAINT fk_sources_publisher_id_publishers REFERENCES publishers (id)"
        )
        op.execute(
            "ALTER TABLE sources ADD COLUMN ai_status VARCHAR(32) DEFAULT 'unknown' NOT NULL "
            f"CONSTRAINT ck_sources_ai_status CHECK (ai_status IN ({values}))"
        )
    else:
        fk = sa.ForeignKey("publishers.id", name=op.f("fk_sources_publisher_id_publishers"))
        op.add_column("sources", sa.Column("publisher_id", sa.Integer(), fk, nullable=True))
        op.add_column(
            "sources",
            sa.Column("ai_status", _ai_status_type(), nullable=False, server_default="unknown"),
        )
    op.create_index(op.f("ix_sources_ai_status"), "sources", ["ai_status"], unique=False)
    op.create_index(op.f("ix_sources_publisher_id"), "sources", ["publisher_id"], unique=False)
    _backfill_status(conn)
    _backfill_publishers(conn)


# Rows that depend on ``sources`` (children first). A SQLite batch copy drops the old table:
# with foreign keys on, that would delete spans and AI evidence (CASCADE) and fail on excerpts.
_DEPENDENTS = ("evidence", "excerpts", "source_spans", "ai_evidence")


def downgrade() -> None:
    # ``ai_generated`` keeps the yes/no/unknown value; the finer status and publishers go.
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:  # set the dependent rows aside while ``sources`` is copied
        for table in _DEPENDENTS:
            op.execute(f"CREATE TEMP TABLE _keep_{table} AS SELECT * FROM {table}")
            op.execute(f"DELETE FROM {table}")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        if not sqlite:  # SQLite reflects the column's FK without its name; the copy drops it
            batch_op.drop_constraint(
                batch_op.f("fk_sources_publisher_id_publishers"), type_="foreignkey"
            )
        batch_op.drop_index(batch_op.f("ix_sources_publisher_id"))
        batch_op.drop_index(batch_op.f("ix_sources_ai_status"))
        batch_op.drop_constraint(op.f("ck_sources_ai_status"), type_="check")
        batch_op.drop_column("ai_status")
        batch_op.drop_column("publisher_id")
    if sqlite:
        for table in reversed(_DEPENDENTS):
            op.execute(f"INSERT INTO {table} SELECT * FROM _keep_{table}")
            op.execute(f"DROP TABLE _keep_{table}")

    op.drop_table("publishers")
