"""A medbot Runtime on a fresh embedded database with the demo household, for tests."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.receipts import ReceiptReader
from bot.runtime import Runtime
from bot.sms import SmsSender
from portal.demo import load_demo
from portal.network import load_network

# The day the evaluation sets and the scenarios assume: a Tuesday.
TODAY = date(2026, 11, 24)
MARIO = "RSSMRA75D12H501J"

# Migrating and loading the demo and the network take a second; done once, then copied.
_template: Path | None = None


def settings_env(home: Path, today: date = TODAY) -> dict[str, str]:
    """The environment that points a `medbot` process at `home`."""
    return {"MEDBOT_HOME": str(home), "MEDBOT_TODAY": today.isoformat(),
            "MEDBOT_DATABASE_URL": ""}


async def demo_home() -> Path:
    """A home with the demo household and the facility network, made once per test run."""
    global _template
    if _template is None:
        home = Path(tempfile.mkdtemp(prefix="medbot-template-"))
        atexit.register(shutil.rmtree, home, ignore_errors=True)
        runtime = await Runtime.open(Settings(home=home, database_url=None))
        try:
            await load_demo(runtime.store)
            await load_network(runtime.store)
        finally:
            await runtime.close()
        _template = home
    return _template


@asynccontextmanager
async def demo_runtime(home: Path, today: date = TODAY, sms: SmsSender | None = None,
                       reader: ReceiptReader | None = None,
                       database_url: str | None = None,
                       **settings: object) -> AsyncIterator[Runtime]:
    """The demo household and the facility network, as `medbot db init --demo` loads them;
    `reader` replaces the receipt reader, `settings` any other setting. With `database_url`
    (PostgreSQL: the run's database, emptied first) the demo household only, the network
    being needed by few tests."""
    if database_url is None:
        shutil.copytree(await demo_home(), home, dirs_exist_ok=True)
    else:
        from tests.auxil.portal import open_demo_store

        await (await open_demo_store(home, database_url)).close()
    runtime = await Runtime.open(
        Settings(home=home, today=today, database_url=database_url,
                 **settings),  # type: ignore[arg-type]
        sms=sms, reader=reader)
    try:
        yield runtime
    finally:
        await runtime.close()
