"""Courtesy calls (typing, old buttons, tap answers, the menu): never in the way of a turn.

Telegram (or whatever answers in its place) may fail them, answer late or answer something
else than documented: the customer's turn goes on all the same. Each is tried once, bounded in
time, in the background of the update that asked for it; the update waits for them at its end
(so a chat's calls stay in order), never longer than COURTESY_TIMEOUT.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from telegram import Bot
from telegram.constants import ChatAction

__all__ = ["COURTESY_TIMEOUT", "Courtesies", "courtesy", "typing_while_slow"]

log = logging.getLogger(__name__)

# Seconds a courtesy call may take before it is given up.
COURTESY_TIMEOUT = 3.0
# A turn that takes longer than this shows "typing…" (a quick one just answers).
TYPING_AFTER = 1.0
# Telegram shows "typing…" for five seconds: renewed a little before.
TYPING_EVERY = 4.5


async def courtesy(action: Callable[[], Awaitable[object]], what: str) -> bool:
    """Runs `action` once, within COURTESY_TIMEOUT; any failure or odd answer is only logged
    (its kind, never its text: it may quote the customer). True if it went through."""
    try:
        async with asyncio.timeout(COURTESY_TIMEOUT):
            await action()
        return True
    except Exception as exc:  # noqa: BLE001 - nothing a courtesy does may fail a turn
        log.info("%s skipped: %s", what, type(exc).__name__)
        return False


class Courtesies:
    """Courtesy calls in flight, by chat."""

    def __init__(self) -> None:
        self._running: dict[int, set[asyncio.Task[bool]]] = {}

    def start(self, chat_id: int, action: Callable[[], Awaitable[object]], what: str) -> None:
        """`action` runs in the background; `settle(chat_id)` waits for it."""
        task = asyncio.get_running_loop().create_task(courtesy(action, what))
        tasks = self._running.setdefault(chat_id, set())
        tasks.add(task)
        task.add_done_callback(lambda done: self._done(chat_id, done))

    async def settle(self, chat_id: int) -> None:
        """Waits for the chat's courtesy calls (each bounded by COURTESY_TIMEOUT)."""
        tasks = self._running.get(chat_id)
        if tasks:
            await asyncio.wait(list(tasks))

    async def close(self) -> None:
        tasks = [task for chat in self._running.values() for task in chat]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    def _done(self, chat_id: int, task: asyncio.Task[bool]) -> None:
        tasks = self._running.get(chat_id)
        if tasks is not None:
            tasks.discard(task)
            if not tasks:
                del self._running[chat_id]


@asynccontextmanager
async def typing_while_slow(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """'typing…' in the chat if the block takes longer than TYPING_AFTER, renewed until it
    ends; nothing at all for a quick one."""

    async def keep_typing() -> None:
        await asyncio.sleep(TYPING_AFTER)
        while True:
            await courtesy(lambda: bot.send_chat_action(chat_id, ChatAction.TYPING),
                           "sendChatAction")
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.get_running_loop().create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
