"""Handoffs: conversations a person must take over (asked for, complaints)."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from portal import rows
from portal.models import (
    Handoff,
    HandoffReason,
)
from portal.schema import (
    handoffs,
)
from portal.store.database import Database, new_id, utc

__all__ = ["Handoffs", "insert_handoff"]


def insert_handoff(conn: Connection, handoff: Handoff) -> int:
    """Stores the handoff (its `id` is ignored) in the caller's transaction; its new id."""
    values = {k: getattr(handoff, k) for k in Handoff.__slots__ if k != "id"}
    values["reason"] = HandoffReason(handoff.reason).value
    return new_id(conn.execute(insert(handoffs).values(**values)))


class Handoffs(Database):
    """What customers asked a person for."""

    async def record_handoff(
        self,
        *,
        channel: str,
        user_key: str,
        reason: HandoffReason | str,
        text: str,
        customer_id: int | None = None,
        request_number: str | None = None,
        now: datetime | None = None,
    ) -> Handoff:
        """Record that a person must take the conversation over: asked for ("human") or a
        complaint ("complaint"), with what the customer wrote."""
        handoff = Handoff(
            id=0,
            customer_id=customer_id,
            channel=channel,
            user_key=user_key,
            reason=HandoffReason(reason),
            text=text,
            created_at=utc(now),
            request_number=request_number,
        )
        async with self._write() as conn:
            handoff_id = await conn.run_sync(insert_handoff, handoff)
        return dataclasses.replace(handoff, id=handoff_id)

    async def handoffs(
        self, *, customer_id: int | None = None, reason: HandoffReason | str | None = None
    ) -> list[Handoff]:
        """Handoffs, oldest first; only a customer's, or only of one reason, if asked."""
        query = select(handoffs).order_by(handoffs.c.created_at, handoffs.c.id)
        if customer_id is not None:
            query = query.where(handoffs.c.customer_id == customer_id)
        if reason is not None:
            query = query.where(handoffs.c.reason == HandoffReason(reason).value)
        async with self._read() as conn:
            return [rows.handoff(r) for r in await conn.execute(query)]
