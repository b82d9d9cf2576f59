"""`medbot telegram` (a real process polling the fake Bot API) and `medbot link telegram`."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from portal.store import Store
from tests.auxil.fake_telegram import FakeBotApi, FakeUser
from tests.auxil.portal import sqlite_url
from tests.auxil.runtime import MARIO, demo_runtime, settings_env


@pytest.fixture
async def home(tmp_path: Path) -> AsyncIterator[Path]:
    """A home with the demo household, for `medbot` processes."""
    async with demo_runtime(tmp_path / "home"):
        pass
    yield tmp_path / "home"


async def test_medbot_telegram_polls_and_stops_on_sigint(home: Path) -> None:
    async with FakeBotApi() as api:
        env = {**os.environ, **settings_env(home), "MEDBOT_TELEGRAM_TOKEN": api.token,
               "MEDBOT_TELEGRAM_API_URL": api.api_url, "MEDBOT_TELEGRAM_FILE_URL": api.file_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            FakeUser(api, 5001).text("/start")
            reply = await api.wait_for(lambda: next(iter(api.calls_of("sendMessage", 5001)),
                                                    None), timeout=60)
            assert "assistente automatico" in reply.params["text"]
            assert api.calls_of("setMyCommands") and api.calls_of("deleteWebhook")
        finally:
            process.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert api.token not in err.decode()


def cli(home: Path, *args: str, **env: str) -> Result:
    """`medbot ...` in-process (click's runner), for commands that don't serve."""
    return CliRunner().invoke(main, list(args), env={**settings_env(home), **env})


def test_medbot_telegram_needs_a_token(home: Path) -> None:
    done = cli(home, "telegram", MEDBOT_TELEGRAM_TOKEN="")
    assert done.exit_code != 0
    assert "MEDBOT_TELEGRAM_TOKEN" in done.output


def test_link_and_unlink(home: Path) -> None:
    done = cli(home, "link", "telegram", "6001", MARIO.lower())
    assert done.exit_code == 0, done.output
    assert "collegato a Mario Rossi" in done.output
    assert asyncio.run(_linked(home, "6001"))
    anna = cli(home, "link", "telegram", "6001", "RSSNNA78M55F205Z")
    assert anna.exit_code != 0 and "Nessun cliente" in anna.output
    assert cli(home, "link", "telegram", "6001", "NONVALIDO").exit_code != 0
    assert cli(home, "link", "telegram", "6001").exit_code != 0
    assert "scollegato" in cli(home, "link", "telegram", "6001", "--remove").output
    assert "non era collegato" in cli(home, "link", "telegram", "6001", "--remove").output
    assert not asyncio.run(_linked(home, "6001"))


async def _linked(home: Path, user: str) -> bool:
    store = await Store.open(sqlite_url(home), home)
    try:
        return await store.linked_customer("telegram", user) is not None
    finally:
        await store.close()


def test_bench_telegram_prints_its_figures(home: Path) -> None:
    done = cli(home, "bench", "telegram", "--updates", "16", "--users", "2", "--json")
    assert done.exit_code == 0, done.output
    figures = json.loads(done.output)
    for key in ("floor_ms", "echo_ms", "medbot_ms", "turn_ms", "layer_ms"):
        assert figures[key]["median"] > 0
    assert figures["ratio"] > 0 and figures["telegram_layer_ratio"] > 0
    # The same in CPU time: an update of medbot's costs more than the echo's.
    assert figures["cpu_ms"]["floor"] > 0 and figures["cpu_ms"]["medbot"] > 0
    assert figures["cpu_ratio"] > 0
    # Every step of the script answered: a message per update at least, taps answered.
    assert figures["bot_api_calls_per_update"]["sendMessage"] >= 1
    assert figures["bot_api_calls_per_update"]["answerCallbackQuery"] > 0
    text = cli(home, "bench", "telegram", "--updates", "8", "--users", "2")
    assert text.exit_code == 0 and "rapporto medbot/pavimento" in text.output
    assert "in tempo di CPU" in text.output
