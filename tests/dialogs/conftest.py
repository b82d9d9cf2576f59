"""Fixtures for conversation tests: a demo runtime and a chat as Mario Rossi."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil.chat import EngineChat
from tests.auxil.runtime import MARIO, demo_runtime


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path) as runtime:
        yield runtime


@pytest.fixture
async def chat(runtime: Runtime) -> EngineChat:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    return EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO)
