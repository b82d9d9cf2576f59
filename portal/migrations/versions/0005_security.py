"""Security (issue 15): verification codes per asker and target, with decoys; a log of codes
sent for the limits per asker and per target; back-office operators with their own tokens.

Revision ID: 0005_security
Revises: 0004_rasa_messages
Create Date: 2026-12-02

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_security"
down_revision: str | Sequence[str] | None = "0004_rasa_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, as in 0001: a migration must not change when the metadata does.
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.execute("UPDATE verification_codes SET subject = '' WHERE subject IS NULL")
    with op.batch_alter_table("verification_codes") as batch:
        batch.drop_constraint("uq_verification_codes_purpose", type_="unique")
        batch.alter_column("customer_id", existing_type=sa.Integer, nullable=True)
        batch.alter_column("subject", existing_type=sa.String(160), nullable=False)
        batch.create_unique_constraint("uq_verification_codes_purpose",
                                       ["purpose", "target", "subject"])

    op.create_table(
        "verification_sends",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("target", sa.String(254), nullable=False),
        sa.Column("sent_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verification_sends"),
    )
    op.create_index("ix_verification_sends_subject", "verification_sends",
                    ["purpose", "subject", "sent_at"])
    op.create_index("ix_verification_sends_target", "verification_sends",
                    ["purpose", "target", "sent_at"])

    op.create_table(
        "operators",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_operators"),
        sa.UniqueConstraint("name", name="uq_operators_name"),
        sa.UniqueConstraint("token_hash", name="uq_operators_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("operators")
    op.drop_index("ix_verification_sends_target", table_name="verification_sends")
    op.drop_index("ix_verification_sends_subject", table_name="verification_sends")
    op.drop_table("verification_sends")
    # Back to one row per target: the most recent one of each is kept.
    op.execute("DELETE FROM verification_codes WHERE id NOT IN "
               "(SELECT MAX(id) FROM verification_codes GROUP BY purpose, target)")
    op.execute("DELETE FROM verification_codes WHERE customer_id IS NULL")
    with op.batch_alter_table("verification_codes") as batch:
        batch.drop_constraint("uq_verification_codes_purpose", type_="unique")
        batch.alter_column("subject", existing_type=sa.String(160), nullable=True)
        batch.alter_column("customer_id", existing_type=sa.Integer, nullable=False)
        batch.create_unique_constraint("uq_verification_codes_purpose", ["purpose", "target"])
