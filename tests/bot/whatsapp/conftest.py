"""The WhatsApp feature in the real ASGI app (in-process), sending to a fake Graph API on
127.0.0.1, over the demo household."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.channels.whatsapp import WhatsAppConfig
from bot.runtime import Runtime
from bot.web import create_app
from bot.web.whatsapp import WhatsAppWebhook
from tests.auxil.fake_graph import APP_SECRET, PHONE_ID, TOKEN, VERIFY_TOKEN, FakeGraphApi, WaUser
from tests.auxil.runtime import MARIO, demo_runtime
from tests.auxil.sms import RecordingSms

MARIO_WA = "393471234567"  # Mario's mobile on file, as WhatsApp writes it


@dataclass
class WhatsApp:
    api: FakeGraphApi
    runtime: Runtime
    feature: WhatsAppWebhook
    client: httpx.AsyncClient
    sms: RecordingSms

    def user(self, wa_id: str = MARIO_WA, name: str = "Mario") -> WaUser:
        return WaUser(self.client, self.api, self.feature.inbox, wa_id, name)

    async def mario_id(self) -> int:
        mario = await self.runtime.store.customer_by_fiscal_code(MARIO)
        assert mario is not None
        return mario.id

    async def linked_mario(self, wa_id: str = MARIO_WA) -> WaUser:
        await self.runtime.store.link_user("whatsapp", wa_id, await self.mario_id())
        return self.user(wa_id)


def config_for(api: FakeGraphApi) -> WhatsAppConfig:
    return WhatsAppConfig(token=TOKEN, phone_number_id=PHONE_ID, app_secret=APP_SECRET,
                          verify_token=VERIFY_TOKEN, api_url=api.url,
                          templates={"status_changed": "aggiornamento_pratica"})


@pytest.fixture
async def api() -> AsyncIterator[FakeGraphApi]:
    async with FakeGraphApi() as api:
        yield api


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home") as runtime:
        yield runtime


@pytest.fixture
async def whatsapp(api: FakeGraphApi, runtime: Runtime) -> AsyncIterator[WhatsApp]:
    sms = RecordingSms()
    feature = WhatsAppWebhook(runtime, sms, config_for(api))
    app = create_app(runtime, [feature])
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://medbot.test") as client:
        yield WhatsApp(api, runtime, feature, client, sms)


@pytest.fixture
async def mario(whatsapp: WhatsApp) -> WaUser:
    """Mario Rossi's WhatsApp number, already linked."""
    return await whatsapp.linked_mario()
