"""WhatsApp: messages accepted from the webhook, the 24-hour windows, delivery statuses.

Revision ID: 0002_whatsapp
Revises: 0001
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_whatsapp"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, as in 0001: a migration must not change when the metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "whatsapp_inbox",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("processed_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_whatsapp_inbox"),
        sa.UniqueConstraint("message_id", name="uq_whatsapp_inbox_message_id"),
    )
    op.create_table(
        "whatsapp_windows",
        sa.Column("wa_id", sa.String(32), nullable=False),
        sa.Column("last_inbound_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("wa_id", name="pk_whatsapp_windows"),
    )
    op.create_table(
        "whatsapp_statuses",
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_code", sa.Integer, nullable=True),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("message_id", name="pk_whatsapp_statuses"),
    )


def downgrade() -> None:
    op.drop_table("whatsapp_statuses")
    op.drop_table("whatsapp_windows")
    op.drop_table("whatsapp_inbox")
