"""The turn runner: a failing turn is apologised for and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from dialogs.services import ServiceMatch
from tests.auxil.chat import EngineChat
from tests.auxil.runtime import MARIO, demo_runtime


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path) as runtime:
        yield runtime


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
