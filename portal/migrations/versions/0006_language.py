"""English (issue 20): the language of each chat user's conversation, on the channel link, so
the messages the bot starts (reminders, status changes) are written in it.

Revision ID: 0006_language
Revises: 0005_security
Create Date: 2026-12-02

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_language"
down_revision: str | Sequence[str] | None = "0005_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel_links") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False,
                                   server_default="it"))


def downgrade() -> None:
    with op.batch_alter_table("channel_links") as batch:
        batch.drop_column("language")
