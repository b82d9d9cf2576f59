"""Messages are paced per chat; courtesy calls and other chats never wait behind them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.channels.telegram._ratelimit import PRIVATE_BURST, ChatRateLimiter


async def _call(limiter: ChatRateLimiter, method: str, chat_id: int | str,
                fail_first: list[Exception] | None = None) -> str:
    async def callback() -> Any:
        if fail_first:
            raise fail_first.pop()
        return method

    return await limiter.process_request(callback, (), {}, method, {"chat_id": chat_id}, None)


async def test_a_busy_chat_holds_only_its_own_messages() -> None:
    limiter = ChatRateLimiter()
    for _ in range(PRIVATE_BURST):  # a burst goes at once
        await _call(limiter, "sendMessage", 1)
    held = asyncio.create_task(_call(limiter, "sendMessage", 1))
    await asyncio.sleep(0)
    # Meanwhile: typing, answers to taps and old buttons in that chat, messages elsewhere.
    for method in ("sendChatAction", "answerCallbackQuery", "editMessageReplyMarkup",
                   "editMessageText"):
        assert await asyncio.gather(*(_call(limiter, method, 1) for _ in range(50)))
    assert await _call(limiter, "sendMessage", 2) == "sendMessage"
    assert await _call(limiter, "sendMessage", -100123) == "sendMessage"  # a group
    assert not held.done()  # still waiting for its chat's bucket
    assert await held == "sendMessage"


async def test_retry_after_holds_that_chat_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns about int periods otherwise
    limiter = ChatRateLimiter(max_retries=1)
    held = asyncio.create_task(_call(limiter, "sendMessage", 1, [RetryAfter(1)]))
    await asyncio.sleep(0.05)
    assert await _call(limiter, "sendMessage", 2) == "sendMessage"
    assert await _call(limiter, "editMessageReplyMarkup", 1) == "editMessageReplyMarkup"
    assert not held.done()
    assert await held == "sendMessage"  # tried again once Telegram's wait was over


async def test_a_courtesy_call_told_to_wait_fails_at_once(monkeypatch: pytest.MonkeyPatch,
                                                           ) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    limiter = ChatRateLimiter()
    with pytest.raises(RetryAfter):  # not retried: its caller lets it go
        await _call(limiter, "sendChatAction", 1, [RetryAfter(30)])
