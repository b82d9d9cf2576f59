"""Notifications: what the bot owes customers, and what they want to be told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from portal import notifications as queue
from portal.notifications import Notice, Notification, Preferences
from portal.schema import (
    notification_preferences,
    notifications,
)
from portal.store.database import Database, utc

__all__ = ["Notifications"]


class Notifications(Database):
    """The queue of notices and each customer's preferences."""

    async def enqueue_notifications(self, notices: Sequence[Notice]) -> int:
        """Schedules each notice unless its key is already stored; how many were added."""
        async with self._write() as conn:
            return sum([await queue.enqueue(conn, n) for n in notices])

    async def sync_notifications(self, kinds: Sequence[str],
                                 notices: Sequence[Notice]) -> tuple[int, int]:
        """Makes the pending notices of `kinds` exactly `notices`: the new ones added, those no
        longer wanted cancelled. Returns (added, cancelled)."""
        async with self._write() as conn:
            added = sum([await queue.enqueue(conn, n) for n in notices])
            cancelled = await queue.cancel_missing(conn, kinds, {n.key for n in notices})
        return added, cancelled

    async def claim_notifications(self, now: datetime | None = None,
                                  limit: int = 20) -> list[Notification]:
        """Due notices, claimed for this sender for `queue.CLAIM_FOR`."""
        async with self._write() as conn:
            return await queue.claim(conn, utc(now), limit)

    async def start_delivery(self, notification_id: int, now: datetime | None = None,
                             claim: datetime | None = None) -> bool:
        """Marks a claimed notice as being delivered; False if the claim was lost (`claim`,
        the claim's `claimed_until`: lost too when another sender claimed it since)."""
        return await self._move_claimed(notification_id, utc(now), claim,
                                        status=queue.SENDING)

    async def mark_sent(self, notification_id: int, now: datetime | None = None) -> None:
        now = utc(now)
        async with self._write() as conn:
            await conn.execute(update(notifications).where(
                notifications.c.id == notification_id, notifications.c.status == queue.SENDING,
            ).values(status=queue.SENT, sent_at=now, claimed_until=None))

    async def mark_failed(self, notification_id: int, *, retry: bool,
                          now: datetime | None = None) -> bool:
        """After a failed delivery: tried again later (back-off) while tries remain and
        `retry`, else given up. True if it will be tried again."""
        now = utc(now)
        async with self._write() as conn:
            row = (await conn.execute(select(notifications.c.attempts).where(
                notifications.c.id == notification_id))).first()
            attempts = (row.attempts if row else 0) + 1
            again = retry and attempts < queue.MAX_ATTEMPTS
            await conn.execute(update(notifications).where(
                notifications.c.id == notification_id,
                notifications.c.status.in_((queue.PENDING, queue.SENDING)),
            ).values(status=queue.PENDING if again else queue.FAILED, attempts=attempts,
                     next_try_at=now + queue.backoff(attempts), claimed_until=None))
        return again

    async def postpone_notification(self, notification_id: int, until: datetime,
                                    now: datetime | None = None,
                                    claim: datetime | None = None) -> bool:
        """Puts a claimed notice back until `until` (quiet hours)."""
        return await self._move_claimed(notification_id, utc(now), claim, next_try_at=until,
                                         claimed_until=None)

    async def cancel_notification(self, notification_id: int,
                                  now: datetime | None = None,
                                  claim: datetime | None = None) -> bool:
        """Cancels a claimed notice (the customer turned these off, or nowhere to send it)."""
        return await self._move_claimed(notification_id, utc(now), claim,
                                        status=queue.CANCELLED, claimed_until=None)

    async def _move_claimed(self, notification_id: int, now: datetime,
                            claim: datetime | None, **values: Any) -> bool:
        async with self._write() as conn:
            done = await conn.execute(update(notifications).where(
                queue.still_claimed(notification_id, now, claim)).values(**values))
        return done.rowcount == 1

    async def notifications(self, *, customer_id: int | None = None,
                            status: str | None = None) -> list[Notification]:
        """Stored notices, by when they are due."""
        query = select(notifications).order_by(notifications.c.next_try_at, notifications.c.id)
        if customer_id is not None:
            query = query.where(notifications.c.customer_id == customer_id)
        if status is not None:
            query = query.where(notifications.c.status == status)
        async with self._read() as conn:
            return [queue.row_to_notification(r) for r in await conn.execute(query)]

    async def preferences(self, customer_id: int) -> Preferences:
        async with self._read() as conn:
            return await queue.preferences(conn, customer_id)

    async def set_preferences(self, customer_id: int, *, reminders: bool | None = None,
                              status_changes: bool | None = None,
                              now: datetime | None = None) -> Preferences:
        """Turns reminders and/or status-change messages on or off; None keeps the setting."""
        now = utc(now)
        prefs = notification_preferences
        async with self._write() as conn:
            old = await queue.preferences(conn, customer_id)
            new = Preferences(old.reminders if reminders is None else reminders,
                              old.status_changes if status_changes is None else status_changes)
            values = {"reminders": new.reminders, "status_changes": new.status_changes,
                      "updated_at": now}
            done = await conn.execute(
                update(prefs).where(prefs.c.customer_id == customer_id).values(**values))
            if done.rowcount == 0:
                await conn.execute(insert(prefs).values(customer_id=customer_id, **values))
        return new
