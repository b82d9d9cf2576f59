"""Initial schema: household, policies, facilities, requests, documents, conversations.

Revision ID: 0001
Revises:
Create Date: 2026-11-24

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from portal.schema: a migration must not change when the
# metadata does. Datetimes are timezone-aware (timestamptz on PostgreSQL, UTC text on SQLite).
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=True),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("fiscal_code", sa.String(16), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("mobile", sa.String(16), nullable=True),
        sa.Column("iban", sa.String(34), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["persons.id"], name="fk_persons_customer_id_persons"
        ),
        sa.UniqueConstraint("fiscal_code", name="uq_persons_fiscal_code"),
    )
    op.create_index("ix_persons_customer_id", "persons", ["customer_id"])
    op.create_index("ix_persons_mobile", "persons", ["mobile"])

    op.create_table(
        "policies",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("holder_id", sa.Integer, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_policies"),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["persons.id"], name="fk_policies_holder_id_persons"
        ),
        sa.UniqueConstraint("number", name="uq_policies_number"),
    )
    op.create_index("ix_policies_holder_id", "policies", ["holder_id"])

    op.create_table(
        "policy_insured",
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("person_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("policy_id", "person_id", name="pk_policy_insured"),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name="fk_policy_insured_policy_id_policies"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_policy_insured_person_id_persons"
        ),
    )
    op.create_index("ix_policy_insured_person_id", "policy_insured", ["person_id"])

    op.create_table(
        "guarantees",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("catalogue_kind", sa.String(16), nullable=False),
        sa.Column("covers", sa.JSON, nullable=False),
        sa.Column("reimbursement", sa.Boolean, nullable=False),
        sa.Column("direct", sa.Boolean, nullable=False),
        sa.Column("required_documents", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_guarantees"),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name="fk_guarantees_policy_id_policies"
        ),
        sa.UniqueConstraint("policy_id", "code", name="uq_guarantees_policy_id"),
    )
    op.create_index("ix_guarantees_policy_id", "guarantees", ["policy_id"])

    op.create_table(
        "facilities",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("town", sa.String(100), nullable=False),
        sa.Column("province", sa.String(2), nullable=False),
        sa.Column("cap", sa.String(5), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_facilities"),
    )
    op.create_index("ix_facilities_town", "facilities", ["town"])

    op.create_table(
        "requests",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("number", sa.String(8), nullable=False),
        sa.Column("submission_key", sa.String(100), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("beneficiary_id", sa.Integer, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("service_code", sa.String(32), nullable=False),
        sa.Column("service_name", sa.String(300), nullable=False),
        sa.Column("catalogue_kind", sa.String(16), nullable=False),
        sa.Column("policy_id", sa.Integer, nullable=False),
        sa.Column("guarantee_id", sa.Integer, nullable=False),
        sa.Column("payee_id", sa.Integer, nullable=True),
        sa.Column("payee_authorised", sa.Boolean, nullable=False),
        sa.Column("iban", sa.String(34), nullable=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("mobile", sa.String(16), nullable=True),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("facility_id", sa.Integer, nullable=True),
        sa.Column("facility_text", sa.String(300), nullable=True),
        sa.Column("appointment", UTC_DATETIME, nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
        sa.UniqueConstraint("number", name="uq_requests_number"),
        sa.UniqueConstraint("submission_key", name="uq_requests_submission_key"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["persons.id"], name="fk_requests_customer_id_persons"
        ),
        sa.ForeignKeyConstraint(
            ["beneficiary_id"], ["persons.id"], name="fk_requests_beneficiary_id_persons"
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name="fk_requests_policy_id_policies"
        ),
        sa.ForeignKeyConstraint(
            ["guarantee_id"], ["guarantees.id"], name="fk_requests_guarantee_id_guarantees"
        ),
        sa.ForeignKeyConstraint(["payee_id"], ["persons.id"], name="fk_requests_payee_id_persons"),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name="fk_requests_facility_id_facilities"
        ),
    )
    op.create_index("ix_requests_customer_created", "requests", ["customer_id", "created_at"])

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("request_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("expense_date", sa.Date, nullable=True),
        sa.Column("amount", sa.Numeric(12, 2), nullable=True),
        sa.Column("number", sa.String(64), nullable=True),
        sa.Column("issuer", sa.String(200), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("mime_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_documents_request_id_requests"
        ),
    )
    op.create_index("ix_documents_request_id", "documents", ["request_id"])

    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("request_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_history"),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name="fk_status_history_request_id_requests"
        ),
    )
    op.create_index("ix_status_history_request_id", "status_history", ["request_id"])

    op.create_table(
        "request_counters",
        sa.Column("year", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_request_counters"),
    )

    op.create_table(
        "conversations",
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("user_key", sa.String(128), nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("channel", "user_key", name="pk_conversations"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["persons.id"], name="fk_conversations_customer_id_persons"
        ),
    )


def downgrade() -> None:
    for table in (
        "conversations",
        "request_counters",
        "status_history",
        "documents",
        "requests",
        "facilities",
        "guarantees",
        "policy_insured",
        "policies",
        "persons",
    ):
        op.drop_table(table)
