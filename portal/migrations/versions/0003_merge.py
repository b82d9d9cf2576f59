"""Joins the feature branches of 0002 (archive, direct, facilities, notifications, verification,
WhatsApp) into one head, so the schema has one revision again.

Revision ID: 0003_merge
Revises: 0002_archive, 0002_direct, 0002_facilities, 0002_notifications, 0002_verification,
    0002_whatsapp
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0003_merge"
down_revision: str | Sequence[str] | None = (
    "0002_archive",
    "0002_direct",
    "0002_facilities",
    "0002_notifications",
    "0002_verification",
    "0002_whatsapp",
)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the branches touch separate tables."""


def downgrade() -> None:
    """Nothing to undo."""
