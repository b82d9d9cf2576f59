"""Webhook updates kept in the inbox are marked handled once: by the turn's own commit when a
turn saves, by the inbox otherwise; a delivery handled already runs nothing."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Update

from bot.channels.telegram import TelegramConfig, build_application
from bot.channels.telegram._inbox import UpdateInbox
from bot.channels.telegram._inmemory import InMemoryBotApi
from bot.runtime import Runtime
from portal.schema import telegram_updates
from tests.auxil.runtime import MARIO
from tests.bot.telegram.conftest import RecordingSms

LINKED, STRANGER = 4001, 4002


class _Webhook:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.inbox = UpdateInbox(runtime.store, runtime.clock.now)
        self.api = InMemoryBotApi()
        config = TelegramConfig(token="1:inbox", api_url="http://inbox.invalid/bot",
                                file_url="http://inbox.invalid/file/bot")
        self.application = build_application(runtime, RecordingSms(), config, updater=False,
                                              request=self.api, inbox=self.inbox)
        self.marked_by_inbox: list[int] = []
        store = runtime.store
        processed = store.telegram_processed

        async def counted(update_id: int, now: Any = None) -> None:
            self.marked_by_inbox.append(update_id)
            await processed(update_id, now)

        store.telegram_processed = counted  # type: ignore[method-assign]

    async def post(self, update_id: int, user_id: int, text: str) -> bool:
        """As the webhook does: kept, then run; False for a delivery seen before."""
        payload = {"update_id": update_id, "message": {
            "message_id": update_id, "date": int(time.time()), "text": text,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Utente"}}}
        update = Update.de_json(payload, self.application.bot)
        accepted = await self.inbox.accept(update, payload)
        await self.application.update_processor.process_update(
            update, self.application.process_update(update))
        return accepted

    async def processed(self) -> dict[int, bool]:
        async with self.runtime.store._read() as conn:
            rows = await conn.execute(select(telegram_updates.c.update_id,
                                             telegram_updates.c.processed_at))
            return {row.update_id: row.processed_at is not None for row in rows}


@pytest.fixture
async def webhook(runtime: Runtime) -> AsyncIterator[_Webhook]:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    await runtime.store.link_user("telegram", str(LINKED), mario.id)
    hook = _Webhook(runtime)
    async with hook.application:
        yield hook


async def test_a_turn_marks_its_update_in_its_own_commit(webhook: _Webhook) -> None:
    assert await webhook.post(1, LINKED, "ciao")
    assert await webhook.post(2, LINKED, "aiuto")
    assert await webhook.processed() == {1: True, 2: True}
    assert webhook.marked_by_inbox == []  # no second write for what the turn marked
    record = await webhook.runtime.store.load_conversation("telegram", str(LINKED))
    assert record is not None and record.version == 2


async def test_an_update_without_a_turn_is_marked_by_the_inbox(webhook: _Webhook) -> None:
    assert await webhook.post(3, STRANGER, "ciao")  # not linked: greeted, no turn saved
    assert await webhook.processed() == {3: True}
    assert webhook.marked_by_inbox == [3]
    assert webhook.api.chat(STRANGER)


async def test_a_delivery_handled_already_is_not_applied_again(webhook: _Webhook) -> None:
    assert await webhook.post(5, LINKED, "ciao")
    assert not await webhook.post(5, LINKED, "ciao")
    record = await webhook.runtime.store.load_conversation("telegram", str(LINKED))
    assert record is not None and record.version == 1
    assert webhook.marked_by_inbox == []
