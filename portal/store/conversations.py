"""Conversations: each chat user's saved state, and the turn transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.models import (
    DocumentsDraft,
    FollowUp,
    RequestDraft,
)
from portal.schema import (
    conversations,
    followups,
)
from portal.store.database import Database, StaleConversation, utc
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


class Conversations(Database):
    """Each chat user's conversation; `save_turn` writes a turn and what it submits atomically."""

    async def load_conversation(self, channel: str, user_key: str) -> ConversationRecord | None:
        async with self._read() as conn:
            row = (
                await conn.execute(
                    select(conversations).where(
                        conversations.c.channel == channel, conversations.c.user_key == user_key
                    )
                )
            ).first()
        if row is None:
            return None
        return ConversationRecord(
            channel=row.channel,
            user_key=row.user_key,
            customer_id=row.customer_id,
            state=json.loads(row.state),
            version=row.version,
        )

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
    ) -> TurnResult:
        """Save the conversation state and, if given, submit the request: all or nothing.

        A `followup` is recorded with the turn (once per kind and subject); submitting the
        draft it follows marks it done.

        `expected_version` is the version loaded (0: no conversation yet). Raises
        `StaleConversation` if the stored version moved on; then nothing is written.
        Submitting a draft whose `submission_key` is already stored creates nothing and
        returns the existing request's number.
        """
        now = utc(now)
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        version = expected_version + 1
        values = {"customer_id": customer_id, "state": text, "version": version, "updated_at": now}
        number: str | None = None
        try:
            async with self._write() as conn:
                # The conversation first: it takes the write lock and checks the version
                # before anything else is written.
                if expected_version == 0:
                    await conn.execute(
                        insert(conversations).values(channel=channel, user_key=user_key, **values)
                    )
                else:
                    result = await conn.execute(
                        update(conversations)
                        .where(
                            conversations.c.channel == channel,
                            conversations.c.user_key == user_key,
                            conversations.c.version == expected_version,
                        )
                        .values(**values)
                    )
                    if result.rowcount != 1:
                        raise StaleConversation()
                if followup is not None and customer_id is not None:
                    await follow_up(conn, channel, user_key, customer_id, followup, now)
                if isinstance(submit, DocumentsDraft):
                    await attach(conn, submit.number, submit.documents, SUBMITTED_BY, now)
                    number = submit.number
                elif submit is not None:
                    number = await submit_request(conn, submit, now)
                    await conn.execute(
                        update(followups)
                        .where(followups.c.customer_id == submit.customer_id,
                               followups.c.subject == submit.submission_key,
                               followups.c.done_at.is_(None))
                        .values(done_at=now)
                    )
        except IntegrityError:
            # A concurrent first turn inserted the same conversation.
            if expected_version == 0 and await self.load_conversation(channel, user_key):
                raise StaleConversation() from None
            raise
        return TurnResult(version=version, request_number=number)

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
