"""The real PTB Application, polling a fake Bot API on 127.0.0.1, over the demo household."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramApp, TelegramConfig, build_application, polling
from bot.runtime import Runtime
from bot.sms import SmsError
from tests.auxil.fake_telegram import FakeBotApi, FakeUser, Processed
from tests.auxil.runtime import MARIO, demo_runtime

# Short waits keep the tests quick: an album is complete 0.2 s after its last photo.
ALBUM_WAIT = 0.2


@dataclass
class RecordingSms:
    """An SMS provider that keeps what it would send; `down` makes it fail."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    down: bool = False

    async def send(self, to: str, text: str) -> None:
        if self.down:
            raise SmsError("gateway down")
        self.sent.append((to, text))

    def last_code(self) -> str:
        found = re.search(r"\b(\d{6})\b", self.sent[-1][1])
        assert found, self.sent[-1][1]
        return found.group(1)


@dataclass
class Telegram:
    api: FakeBotApi
    application: TelegramApp
    runtime: Runtime
    sms: RecordingSms
    processed: Processed

    def user(self, user_id: int, name: str = "Mario", phone: str = "393471234567") -> FakeUser:
        return FakeUser(self.api, user_id, name, phone, self.processed)

    async def linked_mario(self, user_id: int = 1001) -> FakeUser:
        mario = await self.runtime.store.customer_by_fiscal_code(MARIO)
        assert mario is not None
        await self.runtime.store.link_user("telegram", str(user_id), mario.id)
        return self.user(user_id)


def config_for(api: FakeBotApi) -> TelegramConfig:
    return TelegramConfig(token=api.token, api_url=api.api_url, file_url=api.file_url,
                          album_wait=ALBUM_WAIT, poll_timeout=1)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home") as runtime:
        yield runtime


@pytest.fixture
async def telegram(api: FakeBotApi, runtime: Runtime) -> AsyncIterator[Telegram]:
    sms = RecordingSms()
    config = config_for(api)
    application = build_application(runtime, sms, config)
    processed = Processed()
    processed.install(application)
    async with polling(application, config):
        yield Telegram(api, application, runtime, sms, processed)


@pytest.fixture
async def mario(telegram: Telegram) -> FakeUser:
    """Mario Rossi's Telegram account, already linked."""
    return await telegram.linked_mario()
