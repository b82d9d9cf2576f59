"""portal.store.lanes (and the PostgreSQL locks on raw connections): batches without
savepoints lose no turn for a failing one, one-statement reads see what is committed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import Connection

from portal.schema import conversations, metadata
from portal.store import AlreadyHandled, StaleConversation, Store
from portal.store.lanes import run_together
from tests.auxil.portal import (
    BACKENDS,
    POSTGRES_SKIP,
    POSTGRES_URL,
    backend_url,
    open_demo_store,
    postgres_available,
)

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
MARIO_CF = "RSSMRA75D12H501J"


@pytest.fixture(params=BACKENDS)
async def url(request: pytest.FixtureRequest) -> str | None:
    return backend_url(request.param)


@pytest.fixture
async def db(url: str | None, tmp_path: Path) -> AsyncIterator[Store]:
    store = await open_demo_store(tmp_path, url)
    try:
        yield store
    finally:
        await store.close()


async def _mario(store: Store) -> int:
    mario = await store.customer_by_fiscal_code(MARIO_CF)
    assert mario is not None
    return mario.id


async def test_a_failing_turn_in_a_batch_does_not_lose_the_others(db: Store) -> None:
    customer = await _mario(db)
    for i in range(6):
        await db.save_turn("console", f"u{i}", customer, {"n": 0}, 0, now=NOW)
    # Later turns (the plain kind: raw on PostgreSQL) at once; the third one is stale.
    turns = [db.save_turn("console", f"u{i}", customer, {"n": 1}, 0 if i == 2 else 1, now=NOW)
             for i in range(6)]
    outcomes = await asyncio.gather(*turns, return_exceptions=True)
    assert isinstance(outcomes[2], StaleConversation)
    assert [getattr(o, "version", o) for i, o in enumerate(outcomes) if i != 2] == [2] * 5
    for i in range(6):
        record = await db.load_conversation("console", f"u{i}")
        assert record is not None
        assert (record.version, record.state) == ((1, {"n": 0}) if i == 2 else (2, {"n": 1}))


async def test_a_one_statement_read_sees_what_another_process_committed(
        url: str | None, tmp_path: Path) -> None:
    first = await open_demo_store(tmp_path, url)
    second = await Store.open(url or f"sqlite+aiosqlite:///{tmp_path}/medbot.sqlite3", tmp_path)
    try:
        customer = await _mario(first)
        assert await first.load_conversation("console", "seen") is None
        await second.save_turn("console", "seen", customer, {"n": 1}, 0, now=NOW)
        record = await first.load_conversation("console", "seen")
        assert record is not None and record.version == 1
        await second.save_turn("console", "seen", customer, {"n": 2}, 1, now=NOW)
        record, _household = await first.load_turn("console", "seen", customer)
        assert record is not None and (record.version, record.state) == (2, {"n": 2})
    finally:
        await second.close()
        await first.close()


def test_run_together_sets_a_failing_job_aside_and_commits_the_rest() -> None:
    engine = create_engine("sqlite://")
    metadata.create_all(engine)

    def add(key: str) -> Callable[[Connection], str]:
        def job(conn: Connection) -> str:
            conn.execute(insert(conversations).values(
                channel="c", user_key=key, state="{}", version=1, updated_at=NOW))
            if key == "bad":
                raise StaleConversation()
            return key
        return job

    with engine.connect() as conn:
        outcomes = run_together(conn, [add("a"), add("bad"), add("b")])
        assert [o.value for o in outcomes] == ["a", None, "b"]
        assert isinstance(outcomes[1].error, StaleConversation)
        keys = conn.scalars(select(conversations.c.user_key).order_by("user_key")).all()
    assert keys == ["a", "b"]  # the failing job's row was undone with its transaction


async def test_a_cancelled_wait_for_a_conversation_lock_leaves_it_free(
        tmp_path: Path) -> None:
    if not postgres_available():
        pytest.skip(POSTGRES_SKIP)
    first = await open_demo_store(tmp_path, POSTGRES_URL)
    second = await Store.open(POSTGRES_URL, tmp_path)
    try:
        held = asyncio.Event()
        release = asyncio.Event()

        async def holder() -> None:
            async with first.conversation_lock("console", "locked"):
                held.set()
                await release.wait()

        holding = asyncio.create_task(holder())
        await held.wait()

        async def waiter() -> None:
            async with second.conversation_lock("console", "locked"):
                pass

        waiting = asyncio.create_task(waiter())
        await asyncio.sleep(0.2)  # it waits on the server
        assert not waiting.done()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        release.set()
        await holding
        # Neither the holder's nor the cancelled waiter's connection keeps it.
        async with second.conversation_lock("console", "locked"):
            pass
        async with first.conversation_lock("console", "locked"):
            pass
    finally:
        await second.close()
        await first.close()


async def test_a_turn_marks_its_update_handled_and_is_not_applied_twice(db: Store) -> None:
    customer = await _mario(db)
    await db.save_turn("console", "inbox", customer, {"n": 0}, 0, now=NOW)
    for update_id in (41, 42):
        assert await db.accept_telegram(update_id, 7, {"update_id": update_id}, now=NOW)
    # A later turn (the plain kind: raw on PostgreSQL) marks its update in its commit.
    saved = await db.save_turn("console", "inbox", customer, {"n": 1}, 1, now=NOW,
                               inbox_message="telegram:41")
    assert saved.version == 2
    assert [u["update_id"] for u in await db.unprocessed_telegram()] == [42]
    # The same update again (another replica, a redelivery): nothing of the turn is written.
    with pytest.raises(AlreadyHandled):
        await db.save_turn("console", "inbox", customer, {"n": 9}, 2, now=NOW,
                           inbox_message="telegram:41")
    record = await db.load_conversation("console", "inbox")
    assert record is not None and (record.version, record.state) == (2, {"n": 1})
