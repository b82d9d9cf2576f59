"""Calling the Bot API safely: network errors retried, harmless edit refusals ignored."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError

__all__ = ["TEXT_LIMIT", "call", "quietly", "split_text"]

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


async def quietly(action: Callable[[], Awaitable[object]], what: str) -> bool:
    """A call whose failure changes nothing for the customer (removing old buttons):
    'message is not modified', 'message to edit not found' and the like are ignored."""
    try:
        await call(action, what)
        return True
    except (BadRequest, Forbidden) as exc:
        log.debug("%s refused: %s", what, type(exc).__name__)
        return False


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
