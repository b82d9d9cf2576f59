"""`medbot db init|migrate`: creates, upgrades, loads the demo once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from click.testing import CliRunner

from bot.cli.db import db_group
from portal.store import MIGRATIONS


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("MEDBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("MEDBOT_HOME", str(tmp_path / "var"))
    return tmp_path / "var"


def _run(*args: str) -> str:
    result = CliRunner().invoke(db_group, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _count(home: Path, table: str) -> int:
    with sqlite3.connect(home / "medbot.sqlite3") as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_init_with_demo_then_if_missing_does_nothing(home: Path) -> None:
    output = _run("init", "--demo", "--if-missing")
    assert "schema vuoto ->" in output and "demo caricata" in output
    assert _count(home, "persons") == 4 and _count(home, "requests") == 8
    assert len(list((home / "documents").rglob("*"))) > 10

    output = _run("init", "--demo", "--if-missing")
    assert "nessuna modifica" in output
    assert _count(home, "persons") == 4


def test_init_demo_twice_does_not_duplicate(home: Path) -> None:
    _run("init", "--demo")
    assert "già presente" in _run("init", "--demo")
    assert _count(home, "requests") == 8


def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())


def test_init_without_demo_and_migrate(home: Path) -> None:
    assert f"vuoto -> {_head()}" in _run("init")
    assert _count(home, "persons") == 0
    assert f"revisione {_head()}" in _run("migrate")
    assert "nessuna modifica" in _run("init")


def test_database_url_setting_wins(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "other" / "db.sqlite3"
    monkeypatch.setenv("MEDBOT_DATABASE_URL", f"sqlite+aiosqlite:///{elsewhere}")
    assert str(elsewhere) in _run("init")
    assert elsewhere.exists() and not (home / "medbot.sqlite3").exists()
