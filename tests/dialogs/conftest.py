"""Fixtures for conversation tests: a demo runtime and a chat as Mario Rossi."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil.chat import EngineChat
from tests.auxil.runtime import MARIO, demo_runtime
from tests.auxil.sms import RecordingSms


@pytest.fixture
def sms() -> RecordingSms:
    return RecordingSms()


@pytest.fixture
async def runtime(tmp_path: Path, sms: RecordingSms) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path, sms=sms) as runtime:
        yield runtime


@pytest.fixture
async def chat(runtime: Runtime, sms: RecordingSms) -> EngineChat:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    return EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO, sms=sms)
