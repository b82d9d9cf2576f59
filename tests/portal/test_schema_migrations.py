"""portal.schema and portal/migrations: from empty to head, and both say the same thing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from portal.schema import metadata
from portal.store import MIGRATIONS, Store
from tests.auxil.portal import POSTGRES_SKIP, POSTGRES_URL, postgres_available, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """An empty, unmigrated database on each backend."""
    if request.param == "postgresql":
        if not postgres_available():
            pytest.skip(POSTGRES_SKIP)
        store = await Store.open(POSTGRES_URL, tmp_path)
        async with store.engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
            await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    else:
        store = await Store.open(sqlite_url(tmp_path), tmp_path)
    try:
        yield store
    finally:
        await store.close()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Features add revisions side by side (each revising 0001): every head must be applied.
HEADS = set(ScriptDirectory.from_config(_config()).get_heads())


async def _applied(store: Store) -> set[str]:
    async with store.engine.connect() as conn:
        return set((await conn.scalars(text("SELECT version_num FROM alembic_version"))).all())


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_migrate_from_empty(empty: Store) -> None:
    assert await empty.schema_revision() is None
    await empty.migrate()
    assert await _applied(empty) == HEADS
    assert await empty.schema_revision() in HEADS
    async with empty.engine.connect() as conn:
        tables = await conn.run_sync(_tables)
    assert tables == set(metadata.tables) | {"alembic_version"}
    assert not await empty.has_customers()


async def test_migrations_match_the_metadata(empty: Store) -> None:
    await empty.migrate()
    async with empty.engine.connect() as conn:
        assert await conn.run_sync(_diff) == []


async def test_migrate_twice_is_a_no_op(empty: Store) -> None:
    await empty.migrate()
    await empty.save_turn("console", "u", None, {"kept": True}, 0)
    await empty.migrate()
    record = await empty.load_conversation("console", "u")
    assert record is not None and record.state == {"kept": True}


async def test_downgrade_to_empty_and_back(empty: Store) -> None:
    await empty.migrate()
    config = _config()

    def downgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")

    async with empty.engine.begin() as conn:
        await conn.run_sync(downgrade)
        assert await conn.run_sync(_tables) == {"alembic_version"}
    await empty.migrate()
    assert await _applied(empty) == HEADS


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    store = await Store.open(sqlite_url(tmp_path), tmp_path)
    try:
        async with store.engine.connect() as conn:
            assert (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await store.close()
