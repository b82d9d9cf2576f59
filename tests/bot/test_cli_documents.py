"""`medbot documents`: a development key for `make chat`, new keys, rotation by rekey."""

from __future__ import annotations

import asyncio
import base64
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli.db import db_group, open_store
from bot.cli.documents import documents_group


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("MEDBOT_DATABASE_URL", "MEDBOT_DOCUMENT_KEY", "MEDBOT_DOCUMENT_OLD_KEYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEDBOT_HOME", str(tmp_path / "var"))
    return tmp_path / "var"


def _run(*args: str) -> Result:
    return CliRunner().invoke(documents_group, list(args))


async def _read_all() -> int:
    store = await open_store()
    try:
        count = 0
        for path in (store.home / "documents").rglob("*"):
            if path.is_file():
                assert store.documents.read(path.name)
                count += 1
        return count
    finally:
        await store.close()


def test_dev_key_rotation_and_rekey(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run("dev-key").exit_code == 0
    key_file = home / "document.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert CliRunner().invoke(db_group, ["init", "--demo"]).exit_code == 0
    documents = asyncio.run(_read_all())
    assert documents > 0
    new = _run("new-key").output.strip()
    assert len(base64.b64decode(new)) == 32
    monkeypatch.setenv("MEDBOT_DOCUMENT_KEY", new)
    monkeypatch.setenv("MEDBOT_DOCUMENT_OLD_KEYS", key_file.read_text().strip())
    done = _run("rekey")
    assert done.exit_code == 0 and f": {documents};" in done.output, done.output
    monkeypatch.delenv("MEDBOT_DOCUMENT_OLD_KEYS")
    assert asyncio.run(_read_all()) == documents  # the development key is not needed now
    monkeypatch.setenv("MEDBOT_DOCUMENT_KEY", _run("new-key").output.strip())
    refused = _run("rekey")  # a key that opens nothing: said, not crashed
    assert refused.exit_code != 0 and "MEDBOT_DOCUMENT_OLD_KEYS" in refused.output
