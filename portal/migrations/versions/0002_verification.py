"""Verification codes (SMS/email one-time codes) and chat user links to customers.

Revision ID: 0002_verification
Revises: 0001
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_verification"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, as in 0001: a migration must not change when the metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "verification_codes",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("target", sa.String(254), nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(160), nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", UTC_DATETIME, nullable=True),
        sa.Column("last_sent_at", UTC_DATETIME, nullable=False),
        sa.Column("sends", sa.Integer, nullable=False),
        sa.Column("window_start", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verification_codes"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["persons.id"], name="fk_verification_codes_customer_id_persons"
        ),
        sa.UniqueConstraint("purpose", "target", name="uq_verification_codes_purpose"),
    )
    op.create_index(
        "ix_verification_codes_subject", "verification_codes", ["purpose", "subject"]
    )

    op.create_table(
        "channel_links",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("linked_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("channel", "user_key", name="pk_channel_links"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["persons.id"], name="fk_channel_links_customer_id_persons"
        ),
    )
    op.create_index("ix_channel_links_customer_id", "channel_links", ["customer_id"])


def downgrade() -> None:
    op.drop_table("channel_links")
    op.drop_index("ix_verification_codes_subject", table_name="verification_codes")
    op.drop_table("verification_codes")
