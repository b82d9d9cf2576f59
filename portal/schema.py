"""The tables, as SQLAlchemy Core metadata; portable types only (SQLite and PostgreSQL).

The migrations under portal/migrations create these tables explicitly; a test checks that
the migrated database and this metadata agree.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from portal.types import Money, UTCDateTime

__all__ = [
    "channel_links",
    "conversations",
    "doctors",
    "document_blobs",
    "documents",
    "facilities",
    "facility_services",
    "followups",
    "guarantees",
    "handoffs",
    "metadata",
    "notification_preferences",
    "notifications",
    "operators",
    "persons",
    "policies",
    "policy_insured",
    "rasa_messages",
    "request_counters",
    "requests",
    "status_details",
    "status_history",
    "telegram_updates",
    "verification_codes",
    "verification_sends",
    "whatsapp_inbox",
    "whatsapp_statuses",
    "whatsapp_windows",
]

# Named constraints, so later migrations (and SQLite batch mode) can refer to them.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Household members. The customer (policyholder) is the member with relation 'titolare';
# `customer_id` is the id of that holder (for the holder, its own id), so a household is
# "all persons with the same customer_id". Nullable only because the holder's row must exist
# before it can point at itself; the store always sets it.
persons = Table(
    "persons",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("persons.id"), nullable=True, index=True),
    Column("relation", String(16), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("fiscal_code", String(16), nullable=False, unique=True),
    Column("email", String(254)),
    Column("mobile", String(16), index=True),  # E.164
    Column("iban", String(34)),
)

policies = Table(
    "policies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("holder_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
)

policy_insured = Table(
    "policy_insured",
    metadata,
    Column("policy_id", Integer, ForeignKey("policies.id"), nullable=False),
    Column("person_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    PrimaryKeyConstraint("policy_id", "person_id"),
)

guarantees = Table(
    "guarantees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("policy_id", Integer, ForeignKey("policies.id"), nullable=False, index=True),
    Column("code", String(32), nullable=False),
    Column("name", String(200), nullable=False),
    Column("catalogue_kind", String(16), nullable=False),
    Column("covers", JSON, nullable=False),  # list of codes / "prefix*" patterns
    Column("reimbursement", Boolean, nullable=False),
    Column("direct", Boolean, nullable=False),
    Column("required_documents", JSON, nullable=False),  # list of DocumentKind values
    Column("checkup", Boolean, nullable=False, server_default=false()),
    Column("notice_days", Integer, nullable=False, server_default="0"),
    # How much it pays (portal.models.Terms as JSON, see portal.rows.terms_json); NULL: not
    # recorded. From revision 0007_terms.
    Column("terms", JSON),
    UniqueConstraint("policy_id", "code"),
)

facilities = Table(
    "facilities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("town", String(100), nullable=False, index=True),
    Column("province", String(2), nullable=False),
    Column("cap", String(5), nullable=False),
    Column("address", String(200), nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("kind", String(32), nullable=False),
    # From revision 0002_facilities: the affiliated network (data/facilities/network.json).
    Column("phone", String(20)),
    Column("hours", String(200)),
    Column("smart_clinic", Boolean, nullable=False, server_default=false()),
    Column("istat", String(6), index=True),
    Column("code", String(16), index=True, unique=True),  # the network's key; NULL outside it
)

# What a facility provides: codes or "prefix*" patterns of one catalogue, as in guarantees.
facility_services = Table(
    "facility_services",
    metadata,
    Column("facility_id", Integer, ForeignKey("facilities.id"), nullable=False),
    Column("catalogue_kind", String(16), nullable=False),
    Column("code_pattern", String(32), nullable=False),
    PrimaryKeyConstraint("facility_id", "catalogue_kind", "code_pattern"),
)

doctors = Table(
    "doctors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("facility_id", Integer, ForeignKey("facilities.id"), nullable=False, index=True),
    Column("title", String(16), nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("specialty", String(200), nullable=False),
)

requests = Table(
    "requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(8), nullable=False, unique=True),
    Column("submission_key", String(100), nullable=False, unique=True),
    Column("type", String(16), nullable=False),
    Column("customer_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("beneficiary_id", Integer, ForeignKey("persons.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("service_code", String(32), nullable=False),
    Column("service_name", String(300), nullable=False),
    Column("catalogue_kind", String(16), nullable=False),
    Column("policy_id", Integer, ForeignKey("policies.id"), nullable=False),
    Column("guarantee_id", Integer, ForeignKey("guarantees.id"), nullable=False),
    Column("payee_id", Integer, ForeignKey("persons.id")),
    Column("payee_authorised", Boolean, nullable=False),
    Column("iban", String(34)),
    Column("email", String(254), nullable=False),
    Column("mobile", String(16)),
    Column("notes", Text, nullable=False),
    Column("facility_id", Integer, ForeignKey("facilities.id")),
    Column("facility_text", String(300)),
    Column("appointment", UTCDateTime),
    Column("doctor", String(200)),
    Column("preferred_dates", JSON),  # ISO days, check-ups only
    Column("status", String(32), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_requests_customer_created", requests.c.customer_id, requests.c.created_at)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("requests.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("expense_date", Date),
    Column("amount", Money),
    Column("number", String(64)),
    Column("issuer", String(200)),
    # The issuer's partita IVA as read from the receipt: with number and date, what tells a
    # receipt already sent in another request.
    Column("issuer_vat", String(11)),
    Column("sha256", String(64), nullable=False, index=True),
    Column("mime_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
)

# `changed_at` / `changed_by`: "at" and "by" are SQL keywords.
status_history = Table(
    "status_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", Integer, ForeignKey("requests.id"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("changed_at", UTCDateTime, nullable=False),
    Column("changed_by", String(64), nullable=False),
    Column("note", Text, nullable=False),
)

request_counters = Table(
    "request_counters",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("last", Integer, nullable=False),
)

conversations = Table(
    "conversations",
    metadata,
    Column("channel", String(32), nullable=False),
    Column("user_key", String(128), nullable=False),
    Column("customer_id", Integer, ForeignKey("persons.id")),
    Column("state", Text, nullable=False),  # JSON text, owned by the dialogs
    Column("version", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("channel", "user_key"),
)

# What the bot owes a conversation later (e.g. "did you book?" two days after a facility was
# chosen), for the reminder loop; one per (customer, kind, subject).
followups = Table(
    "followups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("user_key", String(128), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("subject", String(100), nullable=False),  # e.g. the draft it continues
    Column("due_at", UTCDateTime, nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    UniqueConstraint("customer_id", "kind", "subject"),
)

# One-time codes sent by SMS (or email): linking a chat user to a customer ('link'), checking
# a new contact ('contact'). Only a salted HMAC of the code is kept. One row per purpose and
# target: issuing again replaces the code and keeps the counters that limit resending.
verification_codes = Table(
    "verification_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("purpose", String(16), nullable=False),
    Column("target", String(254), nullable=False),  # E.164 mobile or email
    # None for a decoy: a codice fiscale of no customer gets a row all the same, so that
    # the answers reveal nothing (no SMS is sent for it).
    Column("customer_id", Integer, ForeignKey("persons.id")),
    Column("subject", String(160), nullable=False),  # who asked, e.g. "telegram:12345"; or ""
    Column("code_hash", String(64), nullable=False),  # "" once used or locked
    Column("salt", String(32), nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),  # wrong tries since the last success or lock
    Column("locked_until", UTCDateTime),
    Column("last_sent_at", UTCDateTime, nullable=False),
    Column("sends", Integer, nullable=False),  # codes sent since `window_start`
    Column("window_start", UTCDateTime, nullable=False),
    # One row per asker and target: an asker's wrong tries lock that asker only.
    UniqueConstraint("purpose", "target", "subject"),
)
Index("ix_verification_codes_subject", verification_codes.c.purpose, verification_codes.c.subject)

# Every code sent (or pretended, for a decoy), for the limits per asker and per target.
verification_sends = Table(
    "verification_sends",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("purpose", String(16), nullable=False),
    Column("subject", String(160), nullable=False),
    Column("target", String(254), nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
    Index("ix_verification_sends_subject", "purpose", "subject", "sent_at"),
    Index("ix_verification_sends_target", "purpose", "target", "sent_at"),
)

# Back-office operators: one bearer token each (only its SHA-256 is kept), revocable.
operators = Table(
    "operators",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

# Which customer a chat user (a Telegram user id, a WhatsApp number) speaks for.
channel_links = Table(
    "channel_links",
    metadata,
    Column("channel", String(32), nullable=False),
    Column("user_key", String(128), nullable=False),
    Column("customer_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("linked_at", UTCDateTime, nullable=False),
    # The language the chat user's conversation is in ("it", "en"): the messages the bot
    # starts on this link are written in it.
    Column("language", String(8), nullable=False, server_default="it"),
    PrimaryKeyConstraint("channel", "user_key"),
)

# What a status entry tells besides its name (portal.statuses says what each status needs);
# one row per history entry that has any, so history stays one narrow table.
status_details = Table(
    "status_details",
    metadata,
    Column(
        "history_id", Integer, ForeignKey("status_history.id"), primary_key=True,
        autoincrement=False,
    ),
    Column("missing_documents", JSON, nullable=False),  # DocumentKind values or descriptions
    Column("deadline", Date),
    Column("amount_paid", Money),
    Column("paid_on", Date),
    Column("franchigia", Money),
    Column("scoperto", Money),
    # From revision 0007_terms: the rest of a payment's breakdown.
    Column("amount_claimed", Money),
    Column("over_limit", Money),
    Column("not_covered", Money),
    Column("reason", Text, nullable=False),
    Column("authorisation_code", String(32)),
    Column("valid_until", Date),
)

# Conversations handed to a person: asked for ("human") or a formal complaint ("complaint").
# `channel` + `user_key` are the conversation, so the person can answer there.
handoffs = Table(
    "handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("persons.id"), index=True),
    Column("channel", String(32), nullable=False),
    Column("user_key", String(128), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("request_number", String(8)),
    Column("created_at", UTCDateTime, nullable=False),
)

# Messages the bot owes customers (status changes, reminders), claimed and sent by the reminder
# loop. The unique key makes scheduling idempotent: one row per (customer, kind, subject,
# occurrence). status: pending -> sending -> sent; or cancelled (its reason went away, opt-out)
# or failed (gave up, or a sender died mid-delivery: never sent twice).
notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("persons.id"), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("subject", String(100), nullable=False),  # e.g. the request number
    Column("occurrence", String(64), nullable=False),  # which one of the kind for the subject
    Column("due_at", UTCDateTime, nullable=False),
    Column("urgent", Boolean, nullable=False),  # urgent ones ignore quiet hours
    Column("payload", JSON, nullable=False),  # the values the message shows
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_try_at", UTCDateTime, nullable=False),
    Column("claimed_until", UTCDateTime),
    Column("sent_at", UTCDateTime),
    UniqueConstraint("customer_id", "kind", "subject", "occurrence"),
)
Index("ix_notifications_status_next_try_at", notifications.c.status, notifications.c.next_try_at)

# What a customer wants to be told: reminders, status changes; no row means both on.
notification_preferences = Table(
    "notification_preferences",
    metadata,
    Column("customer_id", Integer, ForeignKey("persons.id"), primary_key=True,
           autoincrement=False),
    Column("reminders", Boolean, nullable=False),
    Column("status_changes", Boolean, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# WhatsApp messages as accepted from the webhook, before they are handled: Meta gets its 200
# only once the message is here, and a restart handles whatever was left unprocessed.
# The message id is unique, so Meta's retries of the same message are recognised.
whatsapp_inbox = Table(
    "whatsapp_inbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("message_id", String(128), nullable=False, unique=True),
    Column("payload", JSON, nullable=False),  # the message object as Meta sent it
    Column("received_at", UTCDateTime, nullable=False),
    Column("processed_at", UTCDateTime),
    # The sender: a replica handles the sender's earlier messages first, whoever took them.
    Column("wa_id", String(32)),
    Index("ix_whatsapp_inbox_waiting", "wa_id", "processed_at", "id"),
)

# Telegram updates taken by the webhook, kept before Telegram gets its 200: the update id is
# the key, so a delivery seen again (by this replica or another) is recognised, and whichever
# replica holds a user's conversation handles that user's waiting updates in id order.
telegram_updates = Table(
    "telegram_updates",
    metadata,
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger),
    Column("payload", JSON, nullable=False),  # the update as Telegram sent it
    Column("received_at", UTCDateTime, nullable=False),
    Column("processed_at", UTCDateTime),
    Index("ix_telegram_updates_waiting", "user_id", "processed_at", "update_id"),
)

# Documents kept in the database (MEDBOT_DOCUMENT_STORAGE=database), sealed as on disk: every
# replica reads them without a shared folder.
document_blobs = Table(
    "document_blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("sealed", LargeBinary, nullable=False),
)

# The last message each WhatsApp user sent: free-form messages only within 24 hours of it.
whatsapp_windows = Table(
    "whatsapp_windows",
    metadata,
    Column("wa_id", String(32), primary_key=True),
    Column("last_inbound_at", UTCDateTime, nullable=False),
)

# What Meta says of the messages the bot sent (sent, delivered, read, failed): the latest one.
whatsapp_statuses = Table(
    "whatsapp_statuses",
    metadata,
    Column("message_id", String(128), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("error_code", Integer),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Rasa messages the action server has handed to the conversation: one row per (sender,
# message id), so a message Rasa sends twice is applied once.
rasa_messages = Table(
    "rasa_messages",
    metadata,
    Column("sender_id", String(255), nullable=False),
    Column("message_id", String(128), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False, index=True),
    PrimaryKeyConstraint("sender_id", "message_id"),
)
