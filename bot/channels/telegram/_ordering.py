"""Updates of different users run side by side; each user's run one at a time, in order (and,
with an inbox, in Telegram's order across replicas)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.channels.telegram._inbox import UpdateInbox, replaying

__all__ = ["PerUserOrder", "UserLocks"]

MAX_CONCURRENT = 256


class UserLocks:
    """One lock per user, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.get(user_id, (asyncio.Lock(), 0))
        self._locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[user_id]
            if users == 1:
                del self._locks[user_id]
            else:
                self._locks[user_id] = (lock, users - 1)


class PerUserOrder(BaseUpdateProcessor):
    """A user's album, taps and messages are handled in the order they were sent (a turn
    reads and writes that user's conversation), while other users don't wait for them.

    `taken` hears of each update as soon as it is taken, before it waits for its turn;
    `over` when it has been handled, whatever happened.
    """

    def __init__(self, locks: UserLocks, taken: Callable[[Update], None] | None = None,
                 over: Callable[[Update], None] | None = None,
                 max_concurrent_updates: int = MAX_CONCURRENT,
                 inbox: UpdateInbox | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._user_locks = locks
        self._taken = taken
        self._over = over
        self._inbox = inbox

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if not isinstance(update, Update) or update.effective_user is None:
            await coroutine
            return
        user_id = update.effective_user.id
        if self._taken is not None:
            self._taken(update)
        try:
            if replaying.get() == user_id:  # an earlier update, run inside the held locks
                await coroutine
                return
            async with self._user_locks.hold(user_id):
                if self._inbox is None:
                    await coroutine
                else:
                    await self._inbox.run(update, user_id, coroutine)
        finally:
            if self._over is not None:
                self._over(update)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
