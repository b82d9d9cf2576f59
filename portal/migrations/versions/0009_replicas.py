"""Replicas (issue 19): Telegram updates kept by their id before the webhook answers (a
delivery seen by two replicas is applied once, in order); WhatsApp messages know their sender,
so a replica handles a sender's earlier messages first whoever accepted them; documents may
live in the database, readable from every replica.

Revision ID: 0009_replicas
Revises: 0008_receipts
Create Date: 2026-12-02

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_replicas"
down_revision: str | Sequence[str] | None = "0008_receipts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, as in 0001: a migration must not change when the metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "telegram_updates",
        sa.Column("update_id", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=True),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("received_at", UTC_DATETIME, nullable=False),
        sa.Column("processed_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("update_id", name="pk_telegram_updates"),
    )
    op.create_index("ix_telegram_updates_waiting", "telegram_updates",
                    ["user_id", "processed_at", "update_id"])
    with op.batch_alter_table("whatsapp_inbox") as batch:
        batch.add_column(sa.Column("wa_id", sa.String(32), nullable=True))
    op.create_index("ix_whatsapp_inbox_waiting", "whatsapp_inbox",
                    ["wa_id", "processed_at", "id"])
    op.create_table(
        "document_blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_document_blobs"),
    )


def downgrade() -> None:
    op.drop_table("document_blobs")
    op.drop_index("ix_whatsapp_inbox_waiting", "whatsapp_inbox")
    with op.batch_alter_table("whatsapp_inbox") as batch:
        batch.drop_column("wa_id")
    op.drop_index("ix_telegram_updates_waiting", "telegram_updates")
    op.drop_table("telegram_updates")
