"""Channel links: which customer each chat user speaks for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from portal.schema import (
    channel_links,
)
from portal.store.database import Database, utc

__all__ = ["Links"]


class Links(Database):
    """Chat users (channel, user key) linked to customers."""

    async def link_user(
        self, channel: str, user_key: str, customer_id: int, now: datetime | None = None
    ) -> None:
        """`user_key` on `channel` speaks for `customer_id` from now on (replacing any link)."""
        now = utc(now)
        async with self._write() as conn:
            done = await conn.execute(
                update(channel_links)
                .where(channel_links.c.channel == channel, channel_links.c.user_key == user_key)
                .values(customer_id=customer_id, linked_at=now)
            )
            if done.rowcount == 0:
                await conn.execute(insert(channel_links).values(
                    channel=channel, user_key=user_key, customer_id=customer_id, linked_at=now))

    async def linked_customer(self, channel: str, user_key: str) -> int | None:
        """The id of the customer this chat user speaks for, or None if not linked."""
        found = await self._lanes.read(lambda conn: conn.scalar(
            select(channel_links.c.customer_id).where(
                channel_links.c.channel == channel, channel_links.c.user_key == user_key)))
        return None if found is None else int(found)

    async def unlink_user(self, channel: str, user_key: str) -> bool:
        """Removes the link; True if there was one."""
        async with self._write() as conn:
            done = await conn.execute(
                delete(channel_links).where(
                    channel_links.c.channel == channel, channel_links.c.user_key == user_key)
            )
        return bool(done.rowcount)

    async def set_link_language(self, channel: str, user_key: str, language: str) -> None:
        """The chat user's conversation is now in `language` (nothing if not linked)."""
        async with self._write() as conn:
            await conn.execute(
                update(channel_links)
                .where(channel_links.c.channel == channel, channel_links.c.user_key == user_key)
                .values(language=language))

    async def link_language(self, channel: str, user_key: str) -> str:
        """The language of the chat user's conversation ("it" when not linked)."""
        found = await self._lanes.read(lambda conn: conn.scalar(
            select(channel_links.c.language).where(
                channel_links.c.channel == channel, channel_links.c.user_key == user_key)))
        return str(found) if found else "it"

    async def links_of(self, customer_id: int) -> list[tuple[str, str]]:
        """The chat users (channel, user_key) speaking for the customer, latest linked first."""
        async with self._read() as conn:
            found = await conn.execute(
                select(channel_links.c.channel, channel_links.c.user_key)
                .where(channel_links.c.customer_id == customer_id)
                .order_by(channel_links.c.linked_at.desc()))
            return [(r.channel, r.user_key) for r in found]
