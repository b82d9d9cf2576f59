"""Accepted messages handled in the background, each sender's in the order accepted, senders
side by side; each message marked once handled; a stop lets the messages under way finish and
leaves the others, handled at the next start.

With several replicas, each takes the messages Meta posts to it; a sender's conversation is
locked across processes while one is handled, and the replica holding it first handles that
sender's earlier messages (whoever accepted them), so a sender's messages are applied in the
order accepted and each once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from bot.channels.whatsapp._linking import CHANNEL
from bot.metrics import Metrics
from portal.store import Store

__all__ = ["LANES", "STOP_WAIT", "Inbox"]

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]
# Senders handled at the same time: a slow document (a download, a big PDF to check) holds
# one lane, never everyone's.
LANES = 8
# Seconds a stop waits for the messages under way (a turn, its replies) before cutting them.
STOP_WAIT = 20.0


class Inbox:
    """One lane per sender with messages waiting, at most `lanes` running at once: a sender's
    messages keep their order, and no sender waits behind another's."""

    def __init__(self, store: Store, handle: Handler, now: Callable[[], datetime],
                 lanes: int = LANES, metrics: Metrics | None = None) -> None:
        self._store = store
        self._metrics = metrics or Metrics()
        self._handle = handle
        self._now = now
        self._slots = asyncio.Semaphore(lanes)
        self._waiting: dict[str, deque[str]] = {}
        self._lanes: dict[str, asyncio.Task[None]] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._started = False

    async def start(self) -> None:
        left = await self._store.unprocessed_whatsapp()
        if left:
            log.info("handling %d whatsapp messages accepted before a restart", len(left))
        self._started = True
        for message_id, payload in left:
            self.put(message_id, str(payload.get("from", "")))
        for sender in list(self._waiting):
            self._open_lane(sender)

    async def stop(self, wait: float = STOP_WAIT) -> None:
        """No message is started any more; those under way finish (up to `wait` seconds, then
        they are cut and, their turn not committed, handled again at the next start). What is
        not handled stays in the store for the next start."""
        self._started = False
        for queue in self._waiting.values():
            queue.clear()  # each lane ends after the message it is on
        lanes = list(self._lanes.values())
        if lanes:
            await asyncio.wait(lanes, timeout=wait)
        for task in lanes:
            task.cancel()
        for task in lanes:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._lanes.clear()
        self._waiting.clear()
        self._idle.set()

    def put(self, message_id: str, sender: str = "") -> None:
        """Queues an accepted message behind its sender's earlier ones."""
        self._waiting.setdefault(sender, deque()).append(message_id)
        self._idle.clear()
        if self._started:
            self._open_lane(sender)

    async def drained(self) -> None:
        """Returns once every message put so far has been handled (for tests, shutdown)."""
        await self._idle.wait()

    def _open_lane(self, sender: str) -> None:
        if sender not in self._lanes:
            self._lanes[sender] = asyncio.create_task(self._lane(sender),
                                                      name="whatsapp-inbox-lane")

    async def _lane(self, sender: str) -> None:
        try:
            async with self._slots:
                while queue := self._waiting.get(sender):
                    await self._one(queue.popleft(), sender)
        finally:
            # No await between the last look at the queue and here: nothing is missed.
            if not self._waiting.get(sender):
                self._waiting.pop(sender, None)
            self._lanes.pop(sender, None)
            if not self._lanes and not self._waiting:
                self._idle.set()

    async def _one(self, message_id: str, sender: str) -> None:
        try:
            async with self._store.conversation_lock(CHANNEL, sender):
                # [] when handled already (here, or by another replica holding the lock first)
                for due_id, payload in await self._store.whatsapp_due(message_id):
                    await self._handle(payload)
                    await self._store.whatsapp_processed(due_id, self._now())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the store failed: the message stays for a restart
            self._metrics.error("whatsapp_inbox", exc)
            log.error("whatsapp message left for later: %s", type(exc).__name__)
