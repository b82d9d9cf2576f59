"""`medbot reminders list|run-once`: the queue without message texts, and one round now."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.auxil.fake_telegram import FakeBotApi
from tests.auxil.runtime import MARIO, demo_runtime, settings_env

USER = 4242
NO_QUIET = {"MEDBOT_QUIET_START": "00:00", "MEDBOT_QUIET_END": "00:00"}


@pytest.fixture
async def home(tmp_path: Path) -> AsyncIterator[Path]:
    """The demo, Mario linked on Telegram, one of his requests just moved."""
    async with demo_runtime(tmp_path / "home") as runtime:
        mario = await runtime.store.customer_by_fiscal_code(MARIO)
        assert mario is not None
        await runtime.store.link_user("telegram", str(USER), mario.id)
        await runtime.store.change_status("26000112", "in_lavorazione", by="op")
    yield tmp_path / "home"


async def cli(home: Path, *args: str, **env: str) -> Result:
    """In a thread: the command runs its own event loop, the fake Bot API runs on ours."""
    return await asyncio.to_thread(CliRunner().invoke, main, ["reminders", *args],
                                   env={**settings_env(home), **env})


async def test_list_shows_kind_and_subject_never_the_text(home: Path) -> None:
    done = await cli(home, "list", "--customer", MARIO)
    assert done.exit_code == 0, done.output
    line = next(x for x in done.output.splitlines() if "26000112" in x)
    assert "status_changed" in line and MARIO in line and "in coda" in line
    assert "lavorazione" not in done.output  # the message itself is not shown
    rows = json.loads((await cli(home, "list", "--json")).output)
    (row,) = [r for r in rows if r["subject"] == "26000112"]
    assert row["kind"] == "status_changed" and row["status"] == "pending"
    assert row["customer"] == MARIO and "payload" not in row


async def test_list_of_an_unknown_customer(home: Path) -> None:
    done = await cli(home, "list", "--customer", "BNCLRA80A41F205G")
    assert done.exit_code != 0 and "Nessun cliente" in done.output


async def test_run_once_sends_what_is_due_and_says_so(home: Path) -> None:
    async with FakeBotApi() as api:
        env = {"MEDBOT_TELEGRAM_TOKEN": api.token, "MEDBOT_TELEGRAM_API_URL": api.api_url,
               "MEDBOT_TELEGRAM_FILE_URL": api.file_url, **NO_QUIET}
        done = await cli(home, "run-once", **env)
        assert done.exit_code == 0, done.output
        line = next(x for x in done.output.splitlines() if "26000112" in x)
        assert line.startswith("inviato") and "status_changed" in line
        assert any("26000112" in c.params["text"] for c in api.calls_of("sendMessage", USER))
        assert "Inviati" in done.output.splitlines()[-1]
        again = await cli(home, "run-once", **env)
        assert "26000112" not in again.output  # never twice
    listed = await cli(home, "list", "--status", "sent")
    assert "26000112" in listed.output and "inviato il" in listed.output


async def test_run_once_failures_are_reported(home: Path) -> None:
    async with FakeBotApi() as api:
        api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", times=100)
        done = await cli(home, "run-once", MEDBOT_TELEGRAM_TOKEN=api.token,
                         MEDBOT_TELEGRAM_API_URL=api.api_url, **NO_QUIET)
    assert done.exit_code == 0, done.output
    line = next(x for x in done.output.splitlines() if "26000112" in x)
    assert line.startswith("non inviato")


async def test_run_once_without_a_channel_sends_and_cancels_nothing(home: Path) -> None:
    done = await cli(home, "run-once", MEDBOT_TELEGRAM_TOKEN="")
    assert done.exit_code != 0 and "Nessun canale" in done.output
    listed = await cli(home, "list", "--status", "cancelled", "--json")
    assert json.loads(listed.output) == []
