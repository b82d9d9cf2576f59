"""Direct services: check-up guarantees, notice days, doctor and preferred dates, follow-ups.

Revision ID: 0002_direct
Revises: 0001
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_direct"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Batch mode: SQLite alters tables by copying them.
    with op.batch_alter_table("guarantees") as batch:
        batch.add_column(sa.Column("checkup", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("notice_days", sa.Integer, nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("doctor", sa.String(200), nullable=True))
        batch.add_column(sa.Column("preferred_dates", sa.JSON, nullable=True))
    op.create_table(
        "followups",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("done_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_followups"),
        sa.ForeignKeyConstraint(["customer_id"], ["persons.id"],
                                name="fk_followups_customer_id_persons"),
        sa.UniqueConstraint("customer_id", "kind", "subject", name="uq_followups_customer_id"),
    )
    op.create_index("ix_followups_customer_id", "followups", ["customer_id"])
    op.create_index("ix_followups_due_at", "followups", ["due_at"])


def downgrade() -> None:
    op.drop_index("ix_followups_due_at", "followups")
    op.drop_index("ix_followups_customer_id", "followups")
    op.drop_table("followups")
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("preferred_dates")
        batch.drop_column("doctor")
    with op.batch_alter_table("guarantees") as batch:
        batch.drop_column("notice_days")
        batch.drop_column("checkup")
