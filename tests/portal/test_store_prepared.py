"""portal.store.prepared: the turn's statements run on the driver's connection are the ones
SQLAlchemy runs, with the same parameters, and read the same rows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, insert
from sqlalchemy.engine import Engine

from portal.schema import conversations, metadata, telegram_updates, whatsapp_inbox
from portal.store import Store
from portal.store.conversations import _ADVANCE, _ONE
from portal.store.inboxes import (
    _TELEGRAM_DONE,
    _TELEGRAM_KNOWN,
    _WHATSAPP_DONE,
    _WHATSAPP_KNOWN,
)
from portal.store.prepared import Prepared
from tests.auxil.portal import POSTGRES_SKIP, POSTGRES_URL, open_store, postgres_available

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
CASES: list[tuple[Prepared, dict[str, Any]]] = [
    (_ONE, {"channel": "console", "user_key": "u1"}),
    (_ADVANCE, {"w_channel": "console", "w_user_key": "u1", "w_version": 1,
                "customer_id": None, "state": '{"a":1}', "version": 2, "updated_at": NOW}),
    (_TELEGRAM_DONE, {"key": 7, "now": NOW}),
    (_TELEGRAM_KNOWN, {"key": 7, "now": NOW}),
    (_WHATSAPP_DONE, {"key": "wamid.1", "now": NOW}),
    (_WHATSAPP_KNOWN, {"key": "wamid.1", "now": NOW}),
]


def _seed() -> list[tuple[Any, dict[str, Any]]]:
    return [
        (conversations, {"channel": "console", "user_key": "u1", "customer_id": None,
                         "state": '{"a":0}', "version": 1, "updated_at": NOW}),
        (telegram_updates, {"update_id": 7, "user_id": 1, "payload": {},
                            "received_at": NOW}),
        (whatsapp_inbox, {"message_id": "wamid.1", "payload": {}, "received_at": NOW,
                          "wa_id": "39347"}),
    ]


def _capture(engine: Engine) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, tuple(parameters)))

    return seen


@pytest.mark.parametrize(("prepared", "params"), CASES)
def test_sqlite_runs_sqlalchemy_s_statement_with_its_parameters(
        prepared: Prepared, params: dict[str, Any]) -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as conn:
        for table, row in _seed():
            conn.execute(insert(table).values(**row))
    seen = _capture(engine)
    with engine.begin() as conn:
        expected = conn.execute(prepared.statement, params)
        rows = [tuple(r) for r in expected] if expected.returns_rows else expected.rowcount
        conn.rollback()
    compiled = prepared.compiled(engine.dialect)
    assert seen == [(compiled.sql, compiled.arguments(params))]
    with engine.begin() as conn:
        if isinstance(rows, list):
            assert prepared.one(conn, params) == (rows[0] if rows else None)
        else:
            assert prepared.run(conn, params) == rows == 1
        conn.rollback()


@pytest.fixture
async def pg_store(tmp_path: Path) -> AsyncIterator[Store]:
    if not postgres_available():
        pytest.skip(POSTGRES_SKIP)
    store = await open_store(tmp_path, POSTGRES_URL)
    try:
        yield store
    finally:
        await store.close()


@pytest.mark.parametrize(("prepared", "params"), CASES)
async def test_asyncpg_runs_sqlalchemy_s_statement_with_its_parameters(
        pg_store: Store, prepared: Prepared, params: dict[str, Any]) -> None:
    import asyncpg

    engine = pg_store.engine
    async with engine.begin() as conn:
        for table, row in _seed():
            await conn.execute(insert(table).values(**row))
    seen = _capture(engine.sync_engine)
    async with engine.connect() as conn:
        result = await conn.execute(prepared.statement, params)
        expected = [tuple(r) for r in result] if result.returns_rows else result.rowcount
        await conn.rollback()
    compiled = prepared.compiled(engine.dialect)
    assert seen == [(compiled.sql, compiled.arguments(params))]

    connection = await asyncpg.connect(
        engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        async with connection.transaction():
            if isinstance(expected, list):
                found = await prepared.one_asyncpg(connection, engine.dialect, params)
                assert found == (expected[0] if expected else None)
            else:
                assert await prepared.run_asyncpg(connection, engine.dialect, params) \
                    == expected == 1
            raise _Undo
    except _Undo:
        pass
    finally:
        await connection.close()


class _Undo(Exception):
    """Rolls the test's transaction back."""
