"""The terms of each guarantee (massimale, scoperto with its minimum, franchigia, session limits,
carenza, the quota of a direct service) and the rest of a payment's breakdown (amount asked,
what a limit cut, what was not covered), issue 17.

Revision ID: 0007_terms
Revises: 0006_language
Create Date: 2026-12-02

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_terms"
down_revision: str | Sequence[str] | None = "0006_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out, as in 0002: a migration must not change when the metadata does.
MONEY = sa.Numeric(12, 2)


def upgrade() -> None:
    with op.batch_alter_table("guarantees") as batch:
        batch.add_column(sa.Column("terms", sa.JSON, nullable=True))
    with op.batch_alter_table("status_details") as batch:
        batch.add_column(sa.Column("amount_claimed", MONEY, nullable=True))
        batch.add_column(sa.Column("over_limit", MONEY, nullable=True))
        batch.add_column(sa.Column("not_covered", MONEY, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("status_details") as batch:
        batch.drop_column("not_covered")
        batch.drop_column("over_limit")
        batch.drop_column("amount_claimed")
    with op.batch_alter_table("guarantees") as batch:
        batch.drop_column("terms")
