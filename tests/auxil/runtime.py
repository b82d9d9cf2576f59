"""A medbot Runtime on a fresh embedded database with the demo household, for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.runtime import Runtime
from portal.demo import load_demo

# The day the evaluation sets and the scenarios assume: a Tuesday.
TODAY = date(2026, 11, 24)
MARIO = "RSSMRA75D12H501J"


def settings_env(home: Path, today: date = TODAY) -> dict[str, str]:
    """The environment that points a `medbot` process at `home`."""
    return {"MEDBOT_HOME": str(home), "MEDBOT_TODAY": today.isoformat(),
            "MEDBOT_DATABASE_URL": ""}


@asynccontextmanager
async def demo_runtime(home: Path, today: date = TODAY) -> AsyncIterator[Runtime]:
    runtime = await Runtime.open(Settings(home=home, today=today, database_url=None))
    try:
        await load_demo(runtime.store)
        yield runtime
    finally:
        await runtime.close()
