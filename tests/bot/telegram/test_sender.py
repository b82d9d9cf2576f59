"""Messages the bot starts on Telegram, against the fake Bot API: text, buttons when the
conversation can answer them, and failures told apart (retry later, or give up)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.channels.telegram.sender import TelegramSender
from bot.outbound import DeliveryError, Outbound
from bot.runtime import Runtime
from dialogs.events import Choice, Reply
from tests.auxil.fake_telegram import FakeBotApi
from tests.auxil.runtime import MARIO, demo_runtime

USER = 7001
REMINDER = Outbound("booking", Reply("Hai già prenotato la prestazione?"))


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home") as runtime:
        yield runtime


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def sender(api: FakeBotApi, runtime: Runtime) -> AsyncIterator[TelegramSender]:
    async with Bot(api.token, base_url=api.api_url, base_file_url=api.file_url) as bot:
        yield TelegramSender(bot, runtime.store)


async def _conversation_at(runtime: Runtime, token: int) -> None:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    await runtime.store.save_turn("telegram", str(USER), mario.id, {"token": token}, 0)


async def test_text_to_the_users_chat(api: FakeBotApi, sender: TelegramSender) -> None:
    await sender.deliver(str(USER), REMINDER)
    (sent,) = api.calls_of("sendMessage", USER)
    assert sent.params["text"] == "Hai già prenotato la prestazione?"
    assert "reply_markup" not in sent.params


async def test_buttons_when_they_carry_the_current_token(
        api: FakeBotApi, sender: TelegramSender, runtime: Runtime) -> None:
    await _conversation_at(runtime, 4)
    choices = (Choice("4.si", "Sì"), Choice("4.no", "No"))
    await sender.deliver(str(USER), Outbound("booking", Reply("Hai prenotato?", choices)))
    (sent,) = api.calls_of("sendMessage", USER)
    buttons = [b for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
    assert [(b["text"], b["callback_data"]) for b in buttons] == [("Sì", "c4.si"),
                                                                  ("No", "c4.no")]


async def test_stale_choices_sent_as_text_alone(
        api: FakeBotApi, sender: TelegramSender, runtime: Runtime) -> None:
    await _conversation_at(runtime, 5)
    choices = (Choice("4.si", "Sì"), Choice("no", "No"))
    await sender.deliver(str(USER), Outbound("booking", Reply("Hai prenotato?", choices)))
    (sent,) = api.calls_of("sendMessage", USER)
    assert sent.params["text"] == "Hai prenotato?" and "reply_markup" not in sent.params


@pytest.mark.parametrize(("status", "description", "retry"), [
    (502, "Bad Gateway", True),
    (500, "Internal Server Error", True),
    (403, "Forbidden: bot was blocked by the user", False),
    (400, "Bad Request: chat not found", False),
])
async def test_failures(api: FakeBotApi, sender: TelegramSender, status: int,
                        description: str, retry: bool) -> None:
    api.fail("sendMessage", status, description)
    with pytest.raises(DeliveryError) as failed:
        await sender.deliver(str(USER), REMINDER)
    assert failed.value.retry is retry
    assert len(api.calls_of("sendMessage", USER)) == 1  # one try: the loop retries later


async def test_rate_limited_is_tried_later(api: FakeBotApi, sender: TelegramSender,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # PTB 22 warns about int periods otherwise
    api.fail("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    with pytest.raises(DeliveryError) as failed:
        await sender.deliver(str(USER), REMINDER)
    assert failed.value.retry is True


async def test_network_down_is_tried_later(runtime: Runtime) -> None:
    async with FakeBotApi() as api:
        url, token = api.api_url, api.token
    bot = Bot(token, base_url=url)  # nobody listens there any more
    try:
        with pytest.raises(DeliveryError) as failed:
            await TelegramSender(bot, runtime.store).deliver(str(USER), REMINDER)
    finally:
        await bot.shutdown()
    assert failed.value.retry is True
