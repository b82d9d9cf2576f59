"""Courtesy calls (menu, typing, old buttons, tap answers) that fail or answer oddly never stop
the bot or fail a turn; a message answered oddly is taken as sent."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram import build_application, polling
from bot.runtime import Runtime
from tests.auxil.fake_telegram import FOREVER, WAIT, FakeBotApi, FakeUser, Processed
from tests.auxil.runtime import demo_runtime, settings_env
from tests.bot.telegram.conftest import RecordingSms, Telegram, config_for

# Longer than any wait of the tests and than PTB's read timeout: an answer that never comes.
NEVER = 30.0
APOLOGY = "non ha funzionato"

Misbehave = Callable[[FakeBotApi, str], None]


def http_500(api: FakeBotApi, method: str) -> None:
    api.fail(method, 500, "Internal Server Error", times=FOREVER)


def bad_request(api: FakeBotApi, method: str) -> None:
    api.fail(method, 400, "Bad Request: BOT_COMMANDS_TOO_MUCH", times=FOREVER)


def unexpected_json(api: FakeBotApi, method: str) -> None:
    api.answer_oddly(method, {"unexpected": [1, 2, 3]})


def true_for_a_message(api: FakeBotApi, method: str) -> None:
    api.answer_oddly(method, True)


def no_answer(api: FakeBotApi, method: str) -> None:
    api.slow(method, NEVER)


@pytest.fixture(autouse=True)
def short_courtesies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Courtesy calls give up after 0.3 s here (3 s in production)."""
    monkeypatch.setattr("bot.channels.telegram._courtesy.COURTESY_TIMEOUT", 0.3)


@asynccontextmanager
async def started(api: FakeBotApi, runtime: Runtime, **config: Any) -> AsyncIterator[Telegram]:
    """The Application polling `api`; failing if it has not started within WAIT seconds."""
    settings = dataclasses.replace(config_for(api), **config)
    sms = RecordingSms()
    application = build_application(runtime, sms, settings)
    processed = Processed()
    processed.install(application)
    running = polling(application, settings)
    async with asyncio.timeout(WAIT):
        await running.__aenter__()
    try:
        yield Telegram(api, application, runtime, sms, processed)
    finally:
        await running.__aexit__(None, None, None)


# -- start-up -------------------------------------------------------------------------------


@pytest.mark.parametrize("misbehave", [http_500, bad_request, no_answer])
async def test_the_bot_starts_without_its_commands_menu(api: FakeBotApi, runtime: Runtime,
                                                        misbehave: Misbehave) -> None:
    misbehave(api, "setMyCommands")
    async with started(api, runtime) as telegram:
        mario = await telegram.linked_mario()
        turn = await mario.says("/start")
        assert "Ciao Mario" in turn.text
        await api.wait_for(lambda: api.calls_of("setMyCommands") or None)  # it was tried


async def test_the_menu_is_tried_again_until_telegram_takes_it(api: FakeBotApi,
                                                               runtime: Runtime) -> None:
    api.fail("setMyCommands", 500, times=4)
    async with started(api, runtime, menu_retry=0.05) as telegram:
        mario = await telegram.linked_mario()
        assert "Ciao Mario" in (await mario.says("/start")).text
        await api.wait_for(lambda: len(api.calls_of("setMyCommands")) >= 5 or None)
    assert len(api.calls_of("setMyCommands")) == 5  # the fifth was taken: no more tries


async def test_medbot_telegram_starts_and_answers_with_courtesies_failing(tmp_path: Path) -> None:
    """The real process, against a Bot API that refuses the menu and answers edits oddly."""
    async with demo_runtime(tmp_path / "home"):
        pass
    async with FakeBotApi() as api:
        http_500(api, "setMyCommands")
        unexpected_json(api, "editMessageReplyMarkup")
        env = {**os.environ, **settings_env(tmp_path / "home"),
               "MEDBOT_TELEGRAM_TOKEN": api.token, "MEDBOT_TELEGRAM_API_URL": api.api_url,
               "MEDBOT_TELEGRAM_FILE_URL": api.file_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            FakeUser(api, 5001).text("/start")
            reply = await api.wait_for(lambda: next(iter(api.calls_of("sendMessage", 5001)),
                                                    None), timeout=60)
            assert "assistente automatico" in reply.params["text"]
            FakeUser(api, 5001).text("ciao")
            await api.wait_for(lambda: len(api.calls_of("sendMessage", 5001)) >= 2 or None)
            assert process.returncode is None  # still running
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert api.token not in err.decode()


# -- turns ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "misbehave"), [
    ("answerCallbackQuery", http_500),
    ("answerCallbackQuery", no_answer),
    ("editMessageText", http_500),
    ("editMessageText", unexpected_json),
    ("editMessageText", no_answer),
    ("editMessageReplyMarkup", http_500),
    ("editMessageReplyMarkup", unexpected_json),
    ("editMessageReplyMarkup", no_answer),
])
async def test_a_turn_survives_a_courtesy_call_gone_wrong(telegram: Telegram, mario: FakeUser,
                                                          method: str,
                                                          misbehave: Misbehave) -> None:
    misbehave(telegram.api, method)
    await mario.says("/start")
    turn = await mario.taps("Rimborso")  # the tap is answered, the question shows the answer
    assert "In che anno" in turn.text and APOLOGY not in turn.text
    turn = await mario.says("2026")  # typed: the year buttons above go
    assert "Per chi era la prestazione?" in turn.text and APOLOGY not in turn.text
    assert telegram.api.calls_of(method)
    turn = await mario.taps("Anna")
    assert "Anna" in turn.text and APOLOGY not in turn.text


@pytest.mark.parametrize("misbehave", [true_for_a_message, unexpected_json])
async def test_a_message_answered_oddly_is_taken_as_sent(telegram: Telegram, mario: FakeUser,
                                                         misbehave: Misbehave) -> None:
    misbehave(telegram.api, "sendMessage")
    turn = await mario.says("/start")
    assert "Ciao Mario" in turn.text and APOLOGY not in turn.text
    turn = await mario.taps("Rimborso")
    assert "In che anno" in turn.text and APOLOGY not in turn.text
    turn = await mario.taps("2026")
    assert "Per chi era la prestazione?" in turn.text and APOLOGY not in turn.text


# -- typing ---------------------------------------------------------------------------------


async def test_typing_only_while_a_slow_turn_works(telegram: Telegram, mario: FakeUser,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    turn = await mario.says("/start")
    assert not turn.of("sendChatAction")  # a quick turn just answers
    monkeypatch.setattr("bot.channels.telegram._courtesy.TYPING_AFTER", 0.05)
    monkeypatch.setattr("bot.channels.telegram._courtesy.TYPING_EVERY", 0.1)
    conversations = telegram.runtime.conversations
    handle = conversations.handle

    async def slow(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(0.5)
        return await handle(*args, **kwargs)

    monkeypatch.setattr(conversations, "handle", slow)
    turn = await mario.says("ciao")
    methods = [c.method for c in turn.calls]
    assert methods.count("sendChatAction") >= 2  # shown, and renewed while it lasts
    assert all(c.params["action"] == "typing" for c in turn.of("sendChatAction"))
    assert "sendChatAction" not in methods[methods.index("sendMessage"):]  # stopped by the answer


async def test_a_slow_turn_answers_though_typing_gets_no_answer(
    telegram: Telegram, mario: FakeUser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_answer(telegram.api, "sendChatAction")
    monkeypatch.setattr("bot.channels.telegram._courtesy.TYPING_AFTER", 0.0)
    conversations = telegram.runtime.conversations
    handle = conversations.handle

    async def slow(*args: Any, **kwargs: Any) -> Any:  # a turn is quick: make this one slow
        await asyncio.sleep(0.3)
        return await handle(*args, **kwargs)

    monkeypatch.setattr(conversations, "handle", slow)
    turn = await mario.says("/rimborso")
    assert turn.of("sendChatAction")
    assert "In che anno" in turn.text and APOLOGY not in turn.text
