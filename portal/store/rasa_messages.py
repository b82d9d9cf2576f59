"""Rasa messages already handed to the conversation, per (sender, message id): a message is
never applied twice, whatever Rasa predicts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from portal.schema import rasa_messages
from portal.store.database import Database, utc

__all__ = ["RasaMessages"]

# Rasa calls an action again for the same message within the same turn, seconds apart: a
# week of memory is ample, and keeps the table small.
KEEP = timedelta(days=7)


class RasaMessages(Database):
    """Claims of Rasa messages by the action server."""

    async def claim_rasa_message(self, sender_id: str, message_id: str,
                                 now: datetime | None = None) -> bool:
        """True the first time (sender, message id) is claimed, False ever after."""
        now = utc(now)
        async with self._write() as conn:
            try:
                async with conn.begin_nested():
                    await conn.execute(insert(rasa_messages).values(
                        sender_id=sender_id, message_id=message_id, claimed_at=now))
            except IntegrityError:
                return False
            await conn.execute(delete(rasa_messages).where(
                rasa_messages.c.claimed_at < now - KEEP))
        return True
