"""Pacing what the bot sends: messages per chat, as Telegram limits them; courtesy calls free.

PTB's AIORateLimiter counts every call with a chat id against one bot-wide budget (30 a
second), typing and keyboard edits included, so one busy minute slows every customer down.
Telegram's limits are on messages: about one a second in a private chat (short bursts are
fine), twenty a minute in a group, thirty a second for broadcasts. Here each chat has its own
bucket for messages; messages the bot starts on its own (reminders, pass
`rate_limit_args=BROADCAST`) also share the bot-wide one; everything else is not paced.
A 429 (RetryAfter) is waited out and the message tried again, in that chat only; a courtesy
call that meets one just fails (its caller ignores it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

__all__ = ["BROADCAST", "MESSAGE_METHODS", "ChatRateLimiter"]

log = logging.getLogger(__name__)
JSONResult = bool | dict[str, Any] | list[dict[str, Any]]

# Methods that put a new message in a chat. Edits are not among them: medbot edits only as a
# courtesy (a tapped question shows its answer, old buttons go), which must never wait behind
# the chat's messages nor spend their budget; one Telegram refuses just fails.
MESSAGE_METHODS = frozenset({
    "sendMessage", "sendDocument", "sendPhoto", "sendVenue", "sendLocation", "sendMediaGroup",
    "sendContact", "copyMessage", "forwardMessage",
})
# rate_limit_args of a message the bot sends on its own initiative.
BROADCAST = "broadcast"
# A private chat's bucket: bursts of PRIVATE_BURST messages (a list of facilities is about
# twenty: names and places), then one a second.
PRIVATE_BURST = 30
# A group's: twenty a minute.
GROUP_RATE = (20, 60)
# Broadcasts, bot-wide: thirty a second.
BROADCAST_RATE = (30, 1)
# Chats whose buckets are remembered; the least recently used are forgotten first.
KEEP_CHATS = 10_000


class ChatRateLimiter(BaseRateLimiter[str]):
    def __init__(self, max_retries: int = 3) -> None:
        self._max_retries = max_retries
        self._chats: OrderedDict[int | str, AsyncLimiter] = OrderedDict()
        self._broadcast = AsyncLimiter(*BROADCAST_RATE)
        # A RetryAfter in a chat holds that chat's messages until it has passed.
        self._held: dict[int | str, asyncio.Event] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> JSONResult:
        chat = data.get("chat_id")
        if endpoint not in MESSAGE_METHODS or chat is None:
            return await callback(*args, **kwargs)
        with contextlib.suppress(ValueError, TypeError):
            chat = int(chat)
        for attempt in range(self._max_retries + 1):
            held = self._held.get(chat)
            if held is not None:
                await held.wait()
            try:
                async with self._bucket(chat):
                    if rate_limit_args == BROADCAST:
                        async with self._broadcast:
                            return await callback(*args, **kwargs)
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._max_retries:
                    raise
                await self._hold(chat, exc)
        raise AssertionError("unreachable")

    def _bucket(self, chat: int | str) -> AsyncLimiter:
        bucket = self._chats.get(chat)
        if bucket is None:
            group = isinstance(chat, str) or chat < 0
            bucket = AsyncLimiter(*GROUP_RATE) if group else AsyncLimiter(PRIVATE_BURST,
                                                                          PRIVATE_BURST)
            self._chats[chat] = bucket
            while len(self._chats) > KEEP_CHATS:
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat)
        return bucket

    async def _hold(self, chat: int | str, exc: RetryAfter) -> None:
        with warnings.catch_warnings():  # PTB moves retry_after from seconds to timedelta
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            after = exc.retry_after
        seconds = (after.total_seconds() if isinstance(after, timedelta) else float(after)) + 0.1
        log.info("telegram asked to slow down in a chat: waiting %.1f s", seconds)
        event = self._held.setdefault(chat, asyncio.Event())
        try:
            await asyncio.sleep(seconds)
        finally:
            event.set()
            if self._held.get(chat) is event:
                del self._held[chat]
