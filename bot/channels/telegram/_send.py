"""Calling the Bot API safely: network errors retried, a sent message's odd answer tolerated."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import Bot, Message
from telegram.error import BadRequest, Forbidden, NetworkError

__all__ = ["TEXT_LIMIT", "call", "post", "sent_id", "sent_message", "split_text"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# Telegram's limits, in characters.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ATTEMPTS = 3
BACKOFF = 0.5  # seconds, doubled at each retry


async def call(action: Callable[[], Awaitable[T]], what: str) -> T:
    """Runs a Bot API call, again after a network failure (Telegram's 429s are the rate
    limiter's job); a refusal (BadRequest, Forbidden) is not retried."""
    for attempt in range(ATTEMPTS):
        try:
            return await action()
        except (BadRequest, Forbidden):
            raise
        except NetworkError as exc:
            if attempt == ATTEMPTS - 1:
                raise
            log.warning("%s failed (%s), retrying", what, type(exc).__name__)
            await asyncio.sleep(BACKOFF * 2**attempt)
    raise AssertionError("unreachable")


async def sent_message(action: Callable[[], Awaitable[object]], what: str) -> Message | None:
    """Sends a message (see `call`): the Message Telegram answered, or None when the answer
    was "ok" but not a Message (`true`, or fields missing): the message went, so the turn
    goes on, only without knowing the message's id."""
    try:
        result = await call(action, what)
    except (TypeError, KeyError, AttributeError) as exc:  # PTB could not read the answer
        log.warning("%s answered something else than a Message (%s)", what, type(exc).__name__)
        return None
    return result if isinstance(result, Message) else None


async def post(bot: Bot, endpoint: str, **params: object) -> object:
    """A Bot API call whose answer is left as Telegram's JSON, not made into PTB objects:
    building a Message costs ~0.15 ms of CPU, most of what the Telegram layer spent on an
    update when every sent message and every courtesy edit was parsed and only a message id
    (or nothing) was read. Bot._post is the path PTB's own methods take (defaults, the rate
    limiter, None values dropped, errors raised as TelegramError), less the parsing; the
    public do_api_request warns for methods PTB knows (pinned: python-telegram-bot < 23)."""
    return await bot._post(endpoint, params)  # noqa: SLF001 - see above


async def sent_id(action: Callable[[], Awaitable[object]], what: str) -> int | None:
    """Sends a message through `post` (see `call`): the id of the message Telegram answered,
    or None when the answer was "ok" but not a message (`true`, or no id): the message went,
    so the turn goes on, only without knowing the message's id."""
    result = await call(action, what)
    message_id = result.get("message_id") if isinstance(result, dict) else None
    if isinstance(message_id, int) and not isinstance(message_id, bool):
        return message_id
    log.warning("%s answered something else than a Message", what)
    return None


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Chunks of at most `limit` characters, cut between paragraphs, lines or words."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut >= limit // 2:
                break
        else:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
