"""The reminder loop runs with the process and stops with it: in `medbot serve` (a web feature
sending through the Telegram webhook's bot) and in `medbot telegram` (next to polling)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import time
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramConfig
from bot.config import SecretStr
from bot.reminders import QuietHours, Reminders, running
from bot.runtime import Runtime
from bot.web import TelegramWebhook, create_app
from bot.web.reminders import ReminderLoop
from tests.auxil.fake_telegram import FakeBotApi, wait_until
from tests.auxil.runtime import MARIO, demo_runtime, settings_env
from tests.auxil.sms import RecordingSms
from tests.bot.test_reminders import Phone

USER = 4242


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home") as runtime:
        # No quiet hours: these tests run on the real clock, at any hour.
        runtime.settings.quiet_start = runtime.settings.quiet_end = time(0, 0)
        yield runtime


async def _status_change_for_linked_mario(runtime: Runtime) -> None:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    await runtime.store.link_user("telegram", str(USER), mario.id)
    await runtime.store.change_status("26000112", "in_lavorazione", by="op")


def _status_message(api: FakeBotApi) -> str | None:
    """The status change's message, once sent (the demo has due reminders of its own)."""
    return next((c.params["text"] for c in api.calls_of("sendMessage", USER)
                 if "26000112" in c.params["text"]), None)


def _loop_tasks() -> list[asyncio.Task[object]]:
    return [t for t in asyncio.all_tasks() if t.get_name() == "medbot-reminders"]


async def test_running_rounds_until_the_block_ends(runtime: Runtime) -> None:
    await _status_change_for_linked_mario(runtime)
    phone = Phone()
    reminders = Reminders(runtime.store, {"telegram": phone}, runtime.clock.now,
                          QuietHours(time(0, 0), time(0, 0)), runtime.metrics)
    async with running(reminders, every=3600) as task:
        assert task is not None
        await wait_until(lambda: bool(phone.kinds("26000112")))
    assert task.done() and not task.cancelled()
    assert phone.kinds("26000112") == ["status_changed"]
    # Counted for /metrics: every message the phone got is a "sent".
    sent = runtime.metrics.registry.get_sample_value("medbot_reminders_total",
                                                    {"outcome": "sent"})
    assert sent == len(phone.sent) >= 1


async def test_every_zero_runs_no_loop(runtime: Runtime) -> None:
    reminders = Reminders(runtime.store, {}, runtime.clock.now)
    async with running(reminders, every=0) as task:
        assert task is None and not _loop_tasks()
    runtime.settings.reminders_every = 0
    assert ReminderLoop.from_runtime(runtime, []) is None


async def test_serve_feature_sends_through_the_webhook_bot(runtime: Runtime) -> None:
    await _status_change_for_linked_mario(runtime)
    async with FakeBotApi() as api:
        config = TelegramConfig(token=api.token, api_url=api.api_url, file_url=api.file_url,
                                webhook_secret="s3cret")
        webhook = TelegramWebhook(runtime, RecordingSms(), config)
        loop = ReminderLoop.from_runtime(runtime, [webhook])
        assert loop is not None
        app = create_app(runtime, [webhook, loop])
        async with app.router.lifespan_context(app):
            assert loop.reminders is not None and set(loop.reminders.senders) == {"telegram"}
            await api.wait_for(lambda: _status_message(api))
            assert len(_loop_tasks()) == 1
        assert not _loop_tasks() and loop.reminders is None


async def test_serve_without_channels_runs_no_loop(runtime: Runtime) -> None:
    """It would cancel every message, having nowhere to send them."""
    runtime.settings.telegram_token = SecretStr("")
    loop = ReminderLoop(runtime, [])
    app = create_app(runtime, [loop])
    async with app.router.lifespan_context(app):
        assert loop.reminders is None and not _loop_tasks()
    assert not [n for n in await runtime.store.notifications() if n.status == "cancelled"]


async def test_medbot_telegram_sends_reminders_and_stops_on_sigint(
        runtime: Runtime, tmp_path: Path) -> None:
    await _status_change_for_linked_mario(runtime)
    async with FakeBotApi() as api:
        env = {**os.environ, **settings_env(tmp_path / "home"),
               "MEDBOT_TELEGRAM_TOKEN": api.token, "MEDBOT_TELEGRAM_API_URL": api.api_url,
               "MEDBOT_TELEGRAM_FILE_URL": api.file_url, "MEDBOT_REMINDERS_EVERY": "1",
               "MEDBOT_QUIET_START": "00:00", "MEDBOT_QUIET_END": "00:00"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            await api.wait_for(lambda: _status_message(api), timeout=60)
        finally:
            process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert api.token not in err.decode() and "26000112" not in err.decode()
