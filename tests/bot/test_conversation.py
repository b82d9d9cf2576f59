"""The turn runner, on SQLite and on PostgreSQL (MEDBOT_TEST_POSTGRES_URL): a failing turn is
apologised for and changes nothing; turns of one conversation arriving together are applied
one after the other, each once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from dialogs.events import Inbound
from dialogs.services import ServiceMatch
from tests.auxil.chat import EngineChat
from tests.auxil.portal import (
    BACKENDS,
    backend_url,
)
from tests.auxil.runtime import MARIO, demo_runtime


@pytest.fixture(params=BACKENDS)
async def runtime(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Runtime]:
    url = backend_url(request.param)
    async with demo_runtime(tmp_path, database_url=url) as runtime:
        yield runtime


async def test_turns_of_one_conversation_together_are_each_applied_once(
        runtime: Runtime) -> None:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    chat = EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO)
    await chat.say("rimborso")
    before = await runtime.store.load_conversation("console", MARIO)
    assert before is not None
    # The year and the person at once (two deliveries racing): the first answers the year,
    # the second, run after it on the saved state, the person.
    first, second = await asyncio.gather(*(
        runtime.conversations.handle("console", MARIO, mario.id, Inbound(text=text))
        for text in ("2026", "luca")))
    after = await runtime.store.load_conversation("console", MARIO)
    assert after is not None and after.version == before.version + 2
    assert (first.step, second.step) == ("beneficiary", "service_query")


async def test_a_failing_turn_apologises_and_keeps_the_question(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    chat = EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO)
    await chat.say("rimborso")
    await chat.say("2026")
    await chat.say("luca")
    before = await runtime.store.load_conversation("console", MARIO)

    def broken(text: str, limit: int) -> list[ServiceMatch]:
        raise RuntimeError("the catalogue is down")

    services = runtime.conversations._services  # the one object every turn uses
    monkeypatch.setattr(services, "find_services", broken)
    turn = await chat.say("visita oculistica")
    assert "qualcosa non ha funzionato" in turn.text
    assert turn.step == "service_query"
    after = await runtime.store.load_conversation("console", MARIO)
    assert after is not None and before is not None and after.version == before.version

    monkeypatch.undo()
    turn = await chat.say("visita oculistica")
    assert turn.step == "service"
