"""Notifications: messages the bot owes customers, and what each customer wants to be told.

Revision ID: 0002_notifications
Revises: 0001
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_notifications"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from portal.schema: a migration must not change when the
# metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("occurrence", sa.String(64), nullable=False),
        sa.Column("due_at", UTC_DATETIME, nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_try_at", UTC_DATETIME, nullable=False),
        sa.Column("claimed_until", UTC_DATETIME, nullable=True),
        sa.Column("sent_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(["customer_id"], ["persons.id"],
                                name="fk_notifications_customer_id_persons"),
        sa.UniqueConstraint("customer_id", "kind", "subject", "occurrence",
                            name="uq_notifications_customer_id"),
    )
    op.create_index("ix_notifications_customer_id", "notifications", ["customer_id"])
    op.create_index("ix_notifications_status_next_try_at", "notifications",
                    ["status", "next_try_at"])
    op.create_table(
        "notification_preferences",
        sa.Column("customer_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("reminders", sa.Boolean, nullable=False),
        sa.Column("status_changes", sa.Boolean, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_notification_preferences"),
        sa.ForeignKeyConstraint(["customer_id"], ["persons.id"],
                                name="fk_notification_preferences_customer_id_persons"),
    )


def downgrade() -> None:
    op.drop_table("notification_preferences")
    op.drop_index("ix_notifications_status_next_try_at", "notifications")
    op.drop_index("ix_notifications_customer_id", "notifications")
    op.drop_table("notifications")
