"""What the store leaves on disk and in errors: files for their owner only, documents sealed,
failed statements without their parameters."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from portal.store import Store
from tests.auxil.portal import sqlite_url

IBAN = "IT60X0542811101000000123456"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _used_store(home: Path) -> Store:
    store = await Store.open(sqlite_url(home), home)
    await store.migrate()
    await store.save_turn("console", "u", None, {"iban": IBAN}, 0)
    store.documents.put(b"%PDF-1.4 referto", "application/pdf", "referto.pdf")
    return store


async def test_database_wal_shm_and_documents_are_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    store = await _used_store(home)
    try:  # open: the WAL and shared-memory files exist now
        database = home / "medbot.sqlite3"
        files = [database, Path(f"{database}-wal"), Path(f"{database}-shm"),
                 home / "document.key",
                 *[p for p in (home / "documents").rglob("*") if p.is_file()]]
        folders = [home, home / "documents",
                   *[p for p in (home / "documents").rglob("*") if p.is_dir()]]
        assert all(p.exists() for p in files)
        assert {str(p.relative_to(home)): _mode(p) for p in files} == {
            str(p.relative_to(home)): 0o600 for p in files}
        assert {_mode(p) for p in folders} == {0o700}
    finally:
        await store.close()


async def test_files_made_before_are_narrowed_at_the_next_open(tmp_path: Path) -> None:
    home = tmp_path / "home"
    await (await _used_store(home)).close()
    database = home / "medbot.sqlite3"
    database.chmod(0o644)
    home.chmod(0o755)
    store = await Store.open(sqlite_url(home), home)
    try:
        assert _mode(database) == 0o600 and _mode(home) == 0o700
    finally:
        await store.close()


async def test_a_failed_statement_does_not_carry_its_parameters(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = await _used_store(tmp_path / "home")
    try:
        with pytest.raises(Exception) as failed:  # no such customer: a foreign key fails
            await store.save_turn("console", "v", 999_999, {"iban": IBAN}, 0)
        assert IBAN not in str(failed.value) and "hidden" in str(failed.value)
    finally:
        await store.close()
