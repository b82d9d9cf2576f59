"""Accepted messages handled in the background, in order, each marked once handled; those
left unhandled by a stop are handled at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from portal.store import Store

__all__ = ["Inbox"]

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class Inbox:
    """One worker, so a user's messages are handled in the order they were accepted."""

    def __init__(self, store: Store, handle: Handler, now: Callable[[], datetime]) -> None:
        self._store = store
        self._handle = handle
        self._now = now
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        left = await self._store.unprocessed_whatsapp()
        if left:
            log.info("handling %d whatsapp messages accepted before a restart", len(left))
        for message_id, _payload in left:
            self._queue.put_nowait(message_id)
        self._task = asyncio.create_task(self._run(), name="whatsapp-inbox")

    async def stop(self) -> None:
        """What is not handled yet stays in the store for the next start."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def put(self, message_id: str) -> None:
        self._queue.put_nowait(message_id)

    async def drained(self) -> None:
        """Returns once every message put so far has been handled (for tests, shutdown)."""
        await self._queue.join()

    async def _run(self) -> None:
        while True:
            message_id = await self._queue.get()
            try:
                payload = await self._store.whatsapp_payload(message_id)
                if payload is not None:  # else handled already
                    await self._handle(payload)
                    await self._store.whatsapp_processed(message_id, self._now())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the store failed: the message stays for a restart
                log.error("whatsapp message left for later: %s", type(exc).__name__)
            finally:
                self._queue.task_done()
