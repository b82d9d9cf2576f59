"""Webhook updates kept before Telegram's 200 and applied once each, in Telegram's order,
whichever replica took them.

The webhook keeps each update by its id (a delivery seen again, here or by another replica,
is refused as a duplicate) and queues it. Handling takes the user's conversation lock (across
processes, portal.store.locks); the replica holding it first handles the user's earlier
waiting updates, whoever took them, then this one; a replica finding its update handled
already lets it go. A turn marks its update handled in its own transaction
(bot.conversation.handling), the rest (no turn saved: a linking step, a file refused, a
failed turn) is marked once handled, by a write of its own; what a stop or a crash left
waiting is queued again at the next start.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import Update

from bot.channels.telegram._linking import CHANNEL
from bot.conversation import handling
from portal.store import Store
from portal.store.inboxes import TELEGRAM

__all__ = ["UpdateInbox", "replaying"]

log = logging.getLogger(__name__)

# The user whose earlier update is being handled inside their held lock (not taken again).
replaying: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "medbot_telegram_replaying", default=None)

Process = Callable[[Update], Awaitable[None]]


class UpdateInbox:
    """What the webhook accepts, and how each update is run (see the module)."""

    def __init__(self, store: Store, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now
        self._process: Process | None = None
        self._decode: Callable[[dict[str, Any]], Update] | None = None

    def attach(self, process: Process, decode: Callable[[dict[str, Any]], Update]) -> None:
        """`process` runs an update through the Application (its handlers, in this task);
        `decode` makes an Update of a stored payload."""
        self._process, self._decode = process, decode

    async def accept(self, update: Update, payload: dict[str, Any]) -> bool:
        """Kept before answering Telegram; False for a delivery seen before."""
        user = update.effective_user
        return await self._store.accept_telegram(update.update_id,
                                                 user.id if user else None, payload, self._now())

    async def waiting(self) -> list[Update]:
        """Updates accepted and not handled (a stop, a crash): for the queue at start."""
        assert self._decode is not None
        return [self._decode(payload) for payload in await self._store.unprocessed_telegram()]

    async def run(self, update: Update, user_id: int, coroutine: Awaitable[Any]) -> None:
        """Runs `coroutine` (the Application handling `update`) under the user's lock, after
        the user's earlier waiting updates; not at all if it was handled already."""
        assert self._process is not None and self._decode is not None
        ran = False
        try:
            async with self._store.conversation_lock(CHANNEL, str(user_id)):
                for update_id, payload in await self._store.telegram_due(user_id,
                                                                         update.update_id):
                    with handling(f"{TELEGRAM}{update_id}") as item:
                        if update_id == update.update_id:
                            ran = True
                            await coroutine
                        else:
                            token = replaying.set(user_id)
                            try:
                                await self._process(self._decode(payload))
                            finally:
                                replaying.reset(token)
                    if not item.marked:  # no turn marked it with its own commit
                        await self._store.telegram_processed(update_id, self._now())
        finally:
            if not ran:  # handled already: by another replica, or a delivery seen twice
                close = getattr(coroutine, "close", None)
                if close is not None:
                    close()
