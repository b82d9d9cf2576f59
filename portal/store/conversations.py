"""Conversations: each chat user's saved state, and the turn transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import IntegrityError

from portal.models import (
    DocumentsDraft,
    FollowUp,
    Handoff,
    Household,
    RequestDraft,
)
from portal.schema import (
    conversations,
    followups,
)
from portal.store.database import StaleConversation, utc
from portal.store.handoffs import insert_handoff
from portal.store.inboxes import mark_processed, mark_processed_raw
from portal.store.people import People, read_household
from portal.store.prepared import Prepared
from portal.store.requests import SUBMITTED_BY, attach, follow_up
from portal.store.requests import submit as submit_request

__all__ = ["ConversationRecord", "Conversations", "TurnResult"]


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    channel: str
    user_key: str
    customer_id: int | None
    state: dict[str, Any]
    version: int


@dataclass(frozen=True, slots=True)
class TurnResult:
    version: int
    request_number: str | None = None
    handoff_id: int | None = None


# Every turn reads its conversation and advances it: on the driver's connection (prepared).
_ONE = Prepared(
    select(conversations.c.channel, conversations.c.user_key, conversations.c.customer_id,
           conversations.c.state, conversations.c.version)
    .where(conversations.c.channel == bindparam("channel"),
           conversations.c.user_key == bindparam("user_key")))
_ADVANCE = Prepared(
    update(conversations)
    .where(conversations.c.channel == bindparam("w_channel"),
           conversations.c.user_key == bindparam("w_user_key"),
           conversations.c.version == bindparam("w_version"))
    .values(customer_id=bindparam("customer_id"), state=bindparam("state"),
            version=bindparam("version"), updated_at=bindparam("updated_at")))


def _record(row: tuple[Any, ...] | None) -> ConversationRecord | None:
    if row is None:
        return None
    channel, user_key, customer_id, state, version = row
    return ConversationRecord(channel=channel, user_key=user_key, customer_id=customer_id,
                              state=json.loads(state), version=version)


def read_conversation(conn: Connection, channel: str, user_key: str) -> ConversationRecord | None:
    """In `conn`'s transaction (with the household's reads, or in a turn's write)."""
    found = conn.execute(_ONE.statement, {"channel": channel, "user_key": user_key}).first()
    return _record(None if found is None else tuple(found))


class Conversations(People):
    """Each chat user's conversation; `save_turn` writes a turn and what it submits atomically."""

    async def load_conversation(self, channel: str, user_key: str) -> ConversationRecord | None:
        return _record(await self._lanes.read_one(_ONE, {"channel": channel,
                                                         "user_key": user_key}))

    async def load_turn(
        self, channel: str, user_key: str, customer_id: int
    ) -> tuple[ConversationRecord | None, Household]:
        """What a turn reads before the engine, in one round trip: the conversation and the
        customer's household. Raises NotFound for an unknown customer."""

        known = self._known_household(customer_id)
        if known is not None:  # the household changes seldom: kept per customer (People)
            return await self.load_conversation(channel, user_key), known

        def read(conn: Connection) -> tuple[ConversationRecord | None, Household]:
            return (read_conversation(conn, channel, user_key),
                    read_household(conn, customer_id))

        record, household = await self._lanes.read(read)
        self._remember_household(household)
        return record, household

    async def save_turn(
        self,
        channel: str,
        user_key: str,
        customer_id: int | None,
        state: dict[str, Any],
        expected_version: int,
        submit: RequestDraft | DocumentsDraft | None = None,
        now: datetime | None = None,
        followup: FollowUp | None = None,
        *,
        handoff: Handoff | None = None,
        inbox_message: str | None = None,
    ) -> TurnResult:
        """Save the conversation state and, if given, submit the request: all or nothing.

        A `followup` is recorded with the turn (once per kind and subject); submitting the
        draft it follows marks it done. A `handoff` (its id ignored) is recorded with the
        turn, its id in the result. `inbox_message`: the accepted WhatsApp message this
        turn handles, marked processed in the same transaction (`AlreadyHandled` if it was
        already, and then nothing is written).

        `expected_version` is the version loaded (0: no conversation yet). Raises
        `StaleConversation` if the stored version moved on; then nothing is written.
        Submitting a draft whose `submission_key` is already stored creates nothing and
        returns the existing request's number.

        Concurrent turns share one transaction and one commit (portal.store.lanes); each
        turn is undone alone if it fails. Returns once the turn is committed.
        """
        now = utc(now)
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        version = expected_version + 1
        values = {"customer_id": customer_id, "state": text, "version": version, "updated_at": now}

        def write(conn: Connection) -> tuple[str | None, int | None]:
            # The conversation first: it checks the version before anything else is written.
            if expected_version == 0:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(conversations).values(
                            channel=channel, user_key=user_key, **values))
                except IntegrityError:
                    if read_conversation(conn, channel, user_key) is not None:
                        raise StaleConversation() from None  # a concurrent first turn
                    raise  # anything else (an unknown customer) is not a race
            else:
                advanced = _ADVANCE.run(conn, {
                    "w_channel": channel, "w_user_key": user_key,
                    "w_version": expected_version, **values})
                if advanced != 1:
                    raise StaleConversation()
            if inbox_message is not None:
                mark_processed(conn, inbox_message, now)
            handoff_id = None if handoff is None else insert_handoff(conn, handoff)
            if followup is not None and customer_id is not None:
                follow_up(conn, channel, user_key, customer_id, followup, now)
            if isinstance(submit, DocumentsDraft):
                attach(conn, submit.number, submit.documents, SUBMITTED_BY, now)
                return submit.number, handoff_id
            if submit is not None:
                number = submit_request(conn, submit, now)
                conn.execute(
                    update(followups)
                    .where(followups.c.customer_id == submit.customer_id,
                           followups.c.subject == submit.submission_key,
                           followups.c.done_at.is_(None))
                    .values(done_at=now)
                )
                return number, handoff_id
            return None, handoff_id

        async def advance_raw(connection: Any, dialect: Dialect) -> tuple[None, None]:
            # The common turn (the conversation, and its inbox message) on asyncpg.
            if await _ADVANCE.run_asyncpg(connection, dialect, {
                    "w_channel": channel, "w_user_key": user_key,
                    "w_version": expected_version, **values}) != 1:
                raise StaleConversation()
            if inbox_message is not None:
                await mark_processed_raw(connection, dialect, inbox_message, now)
            return None, None

        plain = (expected_version != 0 and handoff is None and submit is None
                 and (followup is None or customer_id is None))
        number, handoff_id = await self._lanes.write(write, advance_raw if plain else None)
        return TurnResult(version=version, request_number=number, handoff_id=handoff_id)

    async def open_drafts(self) -> list[tuple[ConversationRecord, datetime]]:
        """Conversations of a customer with a request being written (a flow and its draft),
        and when each was last touched; for the reminder loop."""
        async with self._read() as conn:
            found = await conn.execute(
                select(conversations).where(conversations.c.customer_id.is_not(None)))
            rows = list(found)
        drafts = []
        for row in rows:
            state = json.loads(row.state)
            if state.get("flow") and state.get("draft_id"):
                drafts.append((ConversationRecord(row.channel, row.user_key, row.customer_id,
                                                  state, row.version), row.updated_at))
        return drafts

    async def reset_conversation(self, channel: str, user_key: str) -> None:
        """Start the conversation over: empty state, new version, the customer link kept."""
        async with self._write() as conn:
            await conn.execute(
                update(conversations)
                .where(conversations.c.channel == channel, conversations.c.user_key == user_key)
                .values(
                    state="{}", version=conversations.c.version + 1, updated_at=datetime.now(UTC)
                )
            )

    async def forget_conversation(self, channel: str, user_key: str) -> None:
        """Delete the conversation, customer link included (the next turn is version 0)."""
        async with self._write() as conn:
            await conn.execute(
                delete(conversations).where(
                    conversations.c.channel == channel, conversations.c.user_key == user_key
                )
            )
