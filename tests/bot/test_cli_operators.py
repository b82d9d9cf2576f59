"""`medbot operators add|list|revoke`: one token per back-office operator, shown once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli.db import db_group, open_store
from bot.cli.operators import operators_group


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEDBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("MEDBOT_HOME", str(tmp_path / "var"))
    assert CliRunner().invoke(db_group, ["init"]).exit_code == 0
    return tmp_path / "var"


def _run(*args: str) -> Result:
    return CliRunner().invoke(operators_group, list(args))


async def _who(token: str) -> str | None:
    store = await open_store()
    try:
        return await store.operator_by_token(token)
    finally:
        await store.close()


def test_add_list_revoke(home: Path) -> None:
    added = _run("add", "giulia")
    assert added.exit_code == 0, added.output
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("mbo_") and asyncio.run(_who(token)) == "giulia"
    assert _run("add", "giulia").exit_code != 0  # one active token per name
    listed = _run("list").output
    assert "giulia" in listed and "attivo" in listed and token not in listed
    assert _run("revoke", "giulia").exit_code == 0
    assert asyncio.run(_who(token)) is None
    assert "revocato" in _run("list").output
    assert _run("revoke", "giulia").exit_code != 0
    again = _run("add", "giulia")  # a revoked name can get a new token
    assert again.exit_code == 0 and again.stdout.strip().splitlines()[-1] != token


def test_names_are_checked(home: Path) -> None:
    assert _run("add", "<script>").exit_code != 0
    assert _run("add", "x" * 65).exit_code != 0
