"""Inboxes: WhatsApp messages accepted, processed, windows and delivery statuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from portal.schema import (
    whatsapp_inbox,
    whatsapp_statuses,
    whatsapp_windows,
)
from portal.store.database import Database, utc

__all__ = ["AlreadyHandled", "Inboxes", "mark_processed"]

# Meta's delivery statuses, in the order they can only move (unknown ones rank as "sent").
_STATUS_ORDER = ("sent", "delivered", "read", "failed")


class AlreadyHandled(Exception):
    """The WhatsApp message was handled already (by another worker): its turn is not saved."""


def mark_processed(conn: Connection, message_id: str, now: datetime) -> None:
    """Marks the accepted message handled, in the caller's transaction; raises
    AlreadyHandled if it was handled already."""
    done = conn.execute(
        update(whatsapp_inbox)
        .where(whatsapp_inbox.c.message_id == message_id,
               whatsapp_inbox.c.processed_at.is_(None))
        .values(processed_at=now))
    if done.rowcount != 1 and conn.scalar(
            select(whatsapp_inbox.c.id).where(whatsapp_inbox.c.message_id == message_id)):
        raise AlreadyHandled(message_id)  # (a message never accepted is not the inbox's)


class Inboxes(Database):
    """What the WhatsApp webhook accepted and what Meta reported."""

    async def accept_whatsapp(
        self, message_id: str, payload: dict[str, Any], wa_id: str, now: datetime | None = None
    ) -> bool:
        """Keeps a message from the webhook and opens its sender's window; False if it was
        accepted before (Meta delivers again what it is not sure arrived)."""
        now = utc(now)
        async with self._write() as conn:
            try:
                async with conn.begin_nested():
                    await conn.execute(insert(whatsapp_inbox).values(
                        message_id=message_id, payload=payload, received_at=now))
            except IntegrityError:
                return False
            done = await conn.execute(
                update(whatsapp_windows).where(whatsapp_windows.c.wa_id == wa_id)
                .values(last_inbound_at=now))
            if done.rowcount == 0:
                await conn.execute(insert(whatsapp_windows).values(wa_id=wa_id,
                                                                   last_inbound_at=now))
        return True

    async def unprocessed_whatsapp(self) -> list[tuple[str, dict[str, Any]]]:
        """(message id, payload) of accepted messages not handled yet, oldest first."""
        async with self._read() as conn:
            found = await conn.execute(
                select(whatsapp_inbox.c.message_id, whatsapp_inbox.c.payload)
                .where(whatsapp_inbox.c.processed_at.is_(None))
                .order_by(whatsapp_inbox.c.id))
            return [(row.message_id, row.payload) for row in found]

    async def whatsapp_waiting(self) -> int:
        """How many accepted messages wait to be handled (by any process)."""
        async with self._read() as conn:
            found = await conn.scalar(select(func.count()).select_from(whatsapp_inbox)
                                      .where(whatsapp_inbox.c.processed_at.is_(None)))
        return int(found or 0)

    async def whatsapp_payload(self, message_id: str) -> dict[str, Any] | None:
        """The accepted message, if it still waits to be handled."""
        async with self._read() as conn:
            found = await conn.scalar(
                select(whatsapp_inbox.c.payload).where(
                    whatsapp_inbox.c.message_id == message_id,
                    whatsapp_inbox.c.processed_at.is_(None)))
        return None if found is None else dict(found)

    async def whatsapp_processed(self, message_id: str, now: datetime | None = None) -> None:
        async with self._write() as conn:
            await conn.execute(update(whatsapp_inbox)
                               .where(whatsapp_inbox.c.message_id == message_id,
                                      whatsapp_inbox.c.processed_at.is_(None))
                               .values(processed_at=utc(now)))

    async def whatsapp_last_inbound(self, wa_id: str) -> datetime | None:
        """When `wa_id` last wrote to the bot (the 24-hour window starts there)."""
        async with self._read() as conn:
            found: datetime | None = await conn.scalar(
                select(whatsapp_windows.c.last_inbound_at)
                .where(whatsapp_windows.c.wa_id == wa_id))
        return found

    async def record_whatsapp_status(
        self, message_id: str, status: str, error_code: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """The furthest delivery status Meta reported for a message the bot sent: a status
        delivered again (a replay, a late retry) never takes it back, "read" stays "read"."""
        values = {"status": status[:16], "error_code": error_code, "updated_at": utc(now)}
        rank = _STATUS_ORDER.index(status) if status in _STATUS_ORDER else 0
        async with self._write() as conn:
            done = await conn.execute(
                update(whatsapp_statuses)
                .where(whatsapp_statuses.c.message_id == message_id,
                       whatsapp_statuses.c.status.not_in(_STATUS_ORDER[rank + 1:]))
                .values(**values))
            if done.rowcount == 0:
                known = await conn.scalar(select(whatsapp_statuses.c.message_id).where(
                    whatsapp_statuses.c.message_id == message_id))
                if known is None:
                    await conn.execute(insert(whatsapp_statuses).values(
                        message_id=message_id, **values))

    async def whatsapp_status(self, message_id: str) -> str | None:
        async with self._read() as conn:
            found = await conn.scalar(select(whatsapp_statuses.c.status)
                                      .where(whatsapp_statuses.c.message_id == message_id))
        return None if found is None else str(found)
