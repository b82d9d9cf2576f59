"""Affiliated facility network: contact details, services provided, doctors.

Revision ID: 0002_facilities
Revises: 0001
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_facilities"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: SQLite does them in place, no table copy needed.
    op.add_column("facilities", sa.Column("phone", sa.String(20), nullable=True))
    op.add_column("facilities", sa.Column("hours", sa.String(200), nullable=True))
    op.add_column(
        "facilities",
        sa.Column("smart_clinic", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("facilities", sa.Column("istat", sa.String(6), nullable=True))
    op.add_column("facilities", sa.Column("code", sa.String(16), nullable=True))
    op.create_index("ix_facilities_istat", "facilities", ["istat"])
    op.create_index("ix_facilities_code", "facilities", ["code"], unique=True)

    op.create_table(
        "facility_services",
        sa.Column("facility_id", sa.Integer, nullable=False),
        sa.Column("catalogue_kind", sa.String(16), nullable=False),
        sa.Column("code_pattern", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint(
            "facility_id", "catalogue_kind", "code_pattern", name="pk_facility_services"
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name="fk_facility_services_facility_id_facilities"
        ),
    )

    op.create_table(
        "doctors",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("facility_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(16), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("specialty", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_doctors"),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name="fk_doctors_facility_id_facilities"
        ),
    )
    op.create_index("ix_doctors_facility_id", "doctors", ["facility_id"])


def downgrade() -> None:
    op.drop_index("ix_doctors_facility_id", table_name="doctors")
    op.drop_table("doctors")
    op.drop_table("facility_services")
    op.drop_index("ix_facilities_code", table_name="facilities")
    op.drop_index("ix_facilities_istat", table_name="facilities")
    with op.batch_alter_table("facilities") as batch:
        for name in ("code", "istat", "smart_clinic", "hours", "phone"):
            batch.drop_column(name)
