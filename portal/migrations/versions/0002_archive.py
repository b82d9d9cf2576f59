"""Archive: details of statuses (missing documents, payments, reasons, authorisations), handoffs.

Revision ID: 0002_archive
Revises: 0001
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_archive"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from portal.schema: a migration must not change when the
# metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)
MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    op.create_table(
        "status_details",
        sa.Column("history_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("missing_documents", sa.JSON, nullable=False),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("amount_paid", MONEY, nullable=True),
        sa.Column("paid_on", sa.Date, nullable=True),
        sa.Column("franchigia", MONEY, nullable=True),
        sa.Column("scoperto", MONEY, nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("authorisation_code", sa.String(32), nullable=True),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.PrimaryKeyConstraint("history_id", name="pk_status_details"),
        sa.ForeignKeyConstraint(
            ["history_id"], ["status_history.id"],
            name="fk_status_details_history_id_status_history",
        ),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=True),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("request_number", sa.String(8), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["persons.id"], name="fk_handoffs_customer_id_persons"
        ),
    )
    op.create_index("ix_handoffs_customer_id", "handoffs", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_customer_id", table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("status_details")
