"""Inboxes: WhatsApp messages and Telegram updates accepted (each once, by its id, whichever
replica took it), processed in order, WhatsApp windows and delivery statuses."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Column, Table, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import IntegrityError

from portal.schema import (
    telegram_updates,
    whatsapp_inbox,
    whatsapp_statuses,
    whatsapp_windows,
)
from portal.store.database import Database, utc
from portal.store.prepared import Prepared

__all__ = ["TELEGRAM", "AlreadyHandled", "Inboxes", "mark_processed", "mark_processed_raw"]

# An inbox key naming a Telegram update ("telegram:<update_id>"); others are WhatsApp ids.
TELEGRAM = "telegram:"

# Meta's delivery statuses, in the order they can only move (unknown ones rank as "sent").
_STATUS_ORDER = ("sent", "delivered", "read", "failed")


_TELEGRAM_DUE = (
    select(telegram_updates.c.update_id, telegram_updates.c.payload)
    .where(telegram_updates.c.user_id == bindparam("user_id"),
           telegram_updates.c.processed_at.is_(None),
           telegram_updates.c.update_id <= bindparam("update_id"))
    .order_by(telegram_updates.c.update_id))


@cache
def _keep_update(backend: str) -> Prepared:
    """The update kept unless its id is (one statement: no savepoint for the duplicate);
    it changes one row when kept, none for a duplicate."""
    if backend == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    return Prepared(upsert(telegram_updates).values(
        update_id=bindparam("update_id"), user_id=bindparam("user_id"),
        payload=bindparam("payload"), received_at=bindparam("received_at"),
    ).on_conflict_do_nothing(index_elements=["update_id"]))


class AlreadyHandled(Exception):
    """The WhatsApp message was handled already (by another worker): its turn is not saved."""


def _marks(table: Table, key: Column[Any]) -> tuple[Prepared, Prepared]:
    """An inbox's UPDATE marking a message handled (if it was not) and SELECT telling whether
    it was accepted, by its `key` column. Run with the turn: prepared (portal.store.prepared)."""
    done = Prepared(update(table)
                    .where(key == bindparam("key"), table.c.processed_at.is_(None))
                    .values(processed_at=bindparam("now")))
    return done, Prepared(select(key).where(key == bindparam("key")))


_TELEGRAM_DONE, _TELEGRAM_KNOWN = _marks(telegram_updates, telegram_updates.c.update_id)
_WHATSAPP_DONE, _WHATSAPP_KNOWN = _marks(whatsapp_inbox, whatsapp_inbox.c.message_id)


def _marking(message_id: str, now: datetime) -> tuple[Prepared, Prepared, dict[str, Any]]:
    """The UPDATE marking it, the SELECT telling whether it was accepted, their parameters."""
    if message_id.startswith(TELEGRAM):
        key: int | str = int(message_id.removeprefix(TELEGRAM))
        return _TELEGRAM_DONE, _TELEGRAM_KNOWN, {"key": key, "now": now}
    return _WHATSAPP_DONE, _WHATSAPP_KNOWN, {"key": message_id, "now": now}


def mark_processed(conn: Connection, message_id: str, now: datetime) -> None:
    """Marks the accepted message (or Telegram update: `TELEGRAM` + its id) handled, in the
    caller's transaction; raises AlreadyHandled if it was handled already (a message never
    accepted is not the inbox's: nothing to mark)."""
    done, known, params = _marking(message_id, now)
    if done.run(conn, params) != 1 and known.one(conn, params) is not None:
        raise AlreadyHandled(message_id)


async def mark_processed_raw(connection: Any, dialect: Dialect, message_id: str,
                             now: datetime) -> None:
    """`mark_processed` on an asyncpg connection, in its transaction."""
    done, known, params = _marking(message_id, now)
    if (await done.run_asyncpg(connection, dialect, params) != 1
            and await known.one_asyncpg(connection, dialect, params) is not None):
        raise AlreadyHandled(message_id)


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
                        message_id=message_id, payload=payload, received_at=now,
                        wa_id=wa_id[:32]))
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

    async def whatsapp_due(self, message_id: str) -> list[tuple[str, dict[str, Any]]]:
        """The sender's accepted messages not handled yet up to `message_id` (included), in
        the order accepted, whichever replica accepted them; [] if it was handled."""
        inbox = whatsapp_inbox
        async with self._read() as conn:
            mine = (await conn.execute(select(inbox.c.id, inbox.c.wa_id, inbox.c.payload,
                                              inbox.c.processed_at)
                                       .where(inbox.c.message_id == message_id))).first()
            if mine is None or mine.processed_at is not None:
                return []
            if mine.wa_id is None:  # accepted before senders were kept
                return [(message_id, dict(mine.payload))]
            found = await conn.execute(
                select(inbox.c.message_id, inbox.c.payload)
                .where(inbox.c.wa_id == mine.wa_id, inbox.c.processed_at.is_(None),
                       inbox.c.id <= mine.id)
                .order_by(inbox.c.id))
            return [(row.message_id, dict(row.payload)) for row in found]

    async def accept_telegram(self, update_id: int, user_id: int | None,
                              payload: dict[str, Any], now: datetime | None = None) -> bool:
        """Keeps an update from the webhook; False if it was accepted before (Telegram
        delivers again what it is not sure arrived, possibly to another replica). Written
        with the turns' grouped commits (portal.store.lanes): durable when this returns."""
        keep = _keep_update(self.backend)
        values = {"update_id": update_id, "user_id": user_id, "payload": payload,
                  "received_at": utc(now)}

        async def raw(connection: Any, dialect: Dialect) -> bool:
            return await keep.run_asyncpg(connection, dialect, values) == 1

        return bool(await self._lanes.write(lambda conn: keep.run(conn, values) == 1, raw))

    async def telegram_due(self, user_id: int, update_id: int) -> list[tuple[int, dict[str, Any]]]:
        """The user's accepted updates not handled yet up to `update_id` (included), in
        Telegram's order, whichever replica accepted them. Read on the turns' own lane
        (portal.store.lanes): it comes before every webhook update's turn."""

        def read(conn: Connection) -> list[tuple[int, dict[str, Any]]]:
            found = conn.execute(_TELEGRAM_DUE, {"user_id": user_id, "update_id": update_id})
            return [(row.update_id, dict(row.payload)) for row in found]

        return await self._lanes.read(read)

    async def telegram_processed(self, update_id: int, now: datetime | None = None) -> None:
        """Marks an update handled that no turn marked (bot.conversation.handling): written
        with the turns' grouped commits."""
        params = {"key": update_id, "now": utc(now)}

        async def raw(connection: Any, dialect: Dialect) -> int:
            return await _TELEGRAM_DONE.run_asyncpg(connection, dialect, params)

        await self._lanes.write(lambda conn: _TELEGRAM_DONE.run(conn, params), raw)

    async def unprocessed_telegram(self) -> list[dict[str, Any]]:
        """Updates accepted and not handled (a stop, a crash), oldest first."""
        async with self._read() as conn:
            found = await conn.execute(
                select(telegram_updates.c.payload)
                .where(telegram_updates.c.processed_at.is_(None))
                .order_by(telegram_updates.c.update_id))
            return [dict(row.payload) for row in found]

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
