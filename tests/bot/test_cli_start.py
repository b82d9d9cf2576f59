"""The command line imports only what the command run needs: `medbot chat --jsonl` answers
its first message without loading the benchmarks, the Telegram channel, SQLAlchemy's async
layer or the libraries only some messages need (issue 14, the start)."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from bot.cli import AREAS, COMMANDS, main, run
from tests.auxil.runtime import demo_home, settings_env

# Each is imported with the first message that needs it (a PDF, an IBAN, a date shown...);
# pydantic only by the web API and Rasa, prometheus_client when the metrics are read.
NOT_AT_START = ("bot.cli.bench_turns", "bot.cli.bench_start", "telegram", "alembic",
                "sqlalchemy.ext.asyncio", "sqlalchemy.orm", "pypdf", "PIL", "schwifty",
                "phonenumbers", "email_validator", "babel", "httpx", "cryptography",
                "pydantic", "pydantic_settings", "prometheus_client")


def test_every_command_is_found_by_its_name() -> None:
    context = click.Context(main)
    for name in COMMANDS:
        command = main.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name
    assert main.get_command(context, "nessuno") is None
    assert set(main.list_commands(context)) == set(COMMANDS)


def test_shared_groups_hold_every_area_s_subcommands() -> None:
    context = click.Context(main)
    bench = main.get_command(context, "bench")
    assert isinstance(bench, click.Group)
    assert {"start", "turns", "archive", "telegram", "catalogue"} <= set(bench.commands)
    assert all(area in sys.modules for area in AREAS)


async def test_chat_answers_first_without_what_it_does_not_need(tmp_path: Path) -> None:
    shutil.copytree(await demo_home(), tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "chat", "--jsonl"],
        input=json.dumps({"text": "ciao"}) + "\n", capture_output=True, text=True,
        env={**os.environ, **settings_env(tmp_path / "home")}, timeout=120, check=True)
    (answer,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert answer["replies"] and answer["replies"][0]["text"].startswith("Ciao")
    imported = set(re.findall(r"^import time:.*\|\s*(\S+)$", done.stderr, re.M))
    assert "bot.channels.console" in imported and "sqlalchemy" in imported
    loaded = sorted(m for m in imported if m.split(".")[0] in NOT_AT_START
                    or any(m == n or m.startswith(n + ".") for n in NOT_AT_START))
    assert loaded == []


def test_the_program_collects_garbage_again_once_its_command_is_loaded(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["medbot", "catalogue", "--help"])
    try:
        with pytest.raises(SystemExit) as done:
            run()
        assert done.value.code == 0 and "catalogue" in capsys.readouterr().out
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
