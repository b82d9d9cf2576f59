"""Albums: several files sent together arrive one update each; gather them, then ask once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.channels.telegram._memory import AlbumItem

__all__ = ["Albums"]

log = logging.getLogger(__name__)

# Called with (chat id, user id, items in the order they were sent) once an album is complete.
Complete = Callable[[int, int, list[AlbumItem]], Awaitable[None]]


@dataclass(slots=True)
class _Gathering:
    chat_id: int
    user_id: int
    items: dict[int, AlbumItem] = field(default_factory=dict)  # by message id: the send order
    expected: set[int] = field(default_factory=set)  # announced, not handled yet
    timer: asyncio.Task[None] | None = None


class Albums:
    """An album is complete when every file announced has been handled and `wait` seconds
    pass with no new one (Telegram says nothing about how many files an album has).

    Files are announced as soon as their update is taken (`announce`), before waiting for the
    user's earlier updates, so a slow download never splits an album in two.
    """

    def __init__(self, wait: float, complete: Complete) -> None:
        self._wait = wait
        self._complete = complete
        self._open: dict[str, _Gathering] = {}
        self._running: set[asyncio.Task[None]] = set()  # strong references until done

    def announce(self, group_id: str, chat_id: int, user_id: int, message_id: int) -> None:
        """A file of the album arrived and will be handled."""
        gathering = self._open.setdefault(group_id, _Gathering(chat_id, user_id))
        gathering.expected.add(message_id)
        if gathering.timer is not None:
            gathering.timer.cancel()
            gathering.timer = None

    def add(self, group_id: str, message_id: int, item: AlbumItem) -> None:
        """The file is downloaded (or refused)."""
        gathering = self._open.get(group_id)
        if gathering is not None:
            gathering.items[message_id] = item
            self._handled(group_id, gathering, message_id)

    def settle(self, group_id: str, message_id: int) -> None:
        """The file's update is over: if nothing was added for it, it does not count."""
        gathering = self._open.get(group_id)
        if gathering is not None and message_id in gathering.expected:
            self._handled(group_id, gathering, message_id)

    async def close(self) -> None:
        """Stops the timers (shutting down): albums not complete yet are dropped."""
        for task in list(self._running):
            task.cancel()
        self._open.clear()
        if self._running:
            await asyncio.wait(list(self._running))

    def _handled(self, group_id: str, gathering: _Gathering, message_id: int) -> None:
        gathering.expected.discard(message_id)
        if gathering.expected:
            return
        if not gathering.items:
            del self._open[group_id]
            return
        if gathering.timer is not None:
            gathering.timer.cancel()
        gathering.timer = asyncio.get_running_loop().create_task(self._later(group_id))
        self._running.add(gathering.timer)
        gathering.timer.add_done_callback(self._running.discard)

    async def _later(self, group_id: str) -> None:
        await asyncio.sleep(self._wait)
        gathering = self._open.pop(group_id, None)
        if gathering is None:
            return
        items = [gathering.items[key] for key in sorted(gathering.items)]
        try:
            await self._complete(gathering.chat_id, gathering.user_id, items)
        except Exception:  # the callback apologises itself; never let a timer die loudly
            log.exception("album handling failed")
