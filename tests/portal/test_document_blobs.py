"""Documents kept in the database (MEDBOT_DOCUMENT_STORAGE=database): sealed as on disk,
written once, read by any store on the same database, rekeyed; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from portal.documents import MAGIC, DocumentKeyError, Keyring, new_key
from portal.schema import document_blobs
from portal.store import Store
from tests.auxil.portal import (
    POSTGRES_SKIP,
    POSTGRES_URL,
    open_store,
    postgres_available,
    sqlite_url,
)

KEY = new_key()


def _urls() -> list[object]:
    urls: list[object] = ["sqlite"]
    urls.append(pytest.param("postgresql", marks=pytest.mark.skipif(
        not postgres_available(), reason=POSTGRES_SKIP)))
    return urls


@pytest.mark.parametrize("backend", _urls())
async def test_documents_in_the_database_are_shared_and_sealed(tmp_path: Path,
                                                               backend: str) -> None:
    url = POSTGRES_URL if backend == "postgresql" else sqlite_url(tmp_path / "db")
    first = await open_store(tmp_path / "db", url)  # migrated, empty
    await first.close()
    one = await Store.open(url, tmp_path / "one", KEY, (), "database")
    two = await Store.open(url, tmp_path / "two", KEY, (), "database")
    try:
        stored = one.documents.put(b"%PDF-1.4 referto riservato", "application/pdf", "r.pdf")
        again = two.documents.put(b"%PDF-1.4 referto riservato", "application/pdf", "r.pdf")
        assert again.sha256 == stored.sha256
        # Another replica (another home, nothing on its disk) reads it.
        assert two.documents.exists(stored.sha256)
        assert two.documents.read(stored.sha256) == b"%PDF-1.4 referto riservato"
        assert not (tmp_path / "two" / "documents").exists() or not any(
            (tmp_path / "two" / "documents").iterdir())
        async with one.engine.connect() as conn:
            rows = list(await conn.execute(select(document_blobs)))
        assert len(rows) == 1 and bytes(rows[0].sealed).startswith(MAGIC)
        assert b"riservato" not in bytes(rows[0].sealed)
        with pytest.raises(FileNotFoundError):
            two.documents.read("0" * 64)
        # A rotation seals it anew; the old key alone no longer reads it.
        newer = new_key()
        rotated = await Store.open(url, tmp_path / "three", newer, (KEY,), "database")
        try:
            assert rotated.documents.rekey() == (1, 0)
            assert rotated.documents.key_id(stored.sha256) == Keyring.of(newer).current_id
        finally:
            await rotated.close()
        with pytest.raises(DocumentKeyError):
            one.documents.read(stored.sha256)
    finally:
        await one.close()
        await two.close()


async def test_an_unknown_storage_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="files, database"):
        await Store.open(sqlite_url(tmp_path), tmp_path, KEY, (), "bucket")
