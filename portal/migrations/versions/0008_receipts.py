"""Receipts (issue 18): the issuer's partita IVA read from an expense document, and its content
hash indexed, so a receipt already sent in another request of the household is recognised.

Revision ID: 0008_receipts
Revises: 0007_terms
Create Date: 2026-12-02

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_receipts"
down_revision: str | Sequence[str] | None = "0007_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("issuer_vat", sa.String(11), nullable=True))
    op.create_index("ix_documents_sha256", "documents", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_documents_sha256", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("issuer_vat")
