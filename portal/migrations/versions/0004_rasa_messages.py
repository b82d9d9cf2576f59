"""Rasa: the messages the action server has handed to the conversation, per sender.

Revision ID: 0004_rasa_messages
Revises: 0003_merge
Create Date: 2026-12-02

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_rasa_messages"
down_revision: str | Sequence[str] | None = "0003_merge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, as in 0001: a migration must not change when the metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "rasa_messages",
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("claimed_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("sender_id", "message_id", name="pk_rasa_messages"),
    )
    op.create_index("ix_rasa_messages_claimed_at", "rasa_messages", ["claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_rasa_messages_claimed_at", table_name="rasa_messages")
    op.drop_table("rasa_messages")
