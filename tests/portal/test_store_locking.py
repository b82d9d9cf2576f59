"""portal.store under concurrent writers on one SQLite file: no "database is locked"."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from portal.models import StatusDetails
from portal.notifications import Notice
from portal.store import Store
from tests.auxil.portal import make_draft, open_demo_store, sqlite_url

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def _mario(store: Store) -> int:
    mario = await store.customer_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None
    return mario.id


async def test_writers_that_read_first_wait_for_the_lock_instead_of_failing(
    tmp_path: Path,
) -> None:
    # Two stores on one file behave like two processes (the bot and the back office):
    # transactions that read and then write (codes, notices, status changes) run at once.
    first = await open_demo_store(tmp_path)
    second = await Store.open(sqlite_url(tmp_path), tmp_path)
    try:
        customer = await _mario(first)
        household = await first.household(customer)
        numbers = []
        for i in range(6):
            saved = await first.save_turn("console", f"u{i}", customer, {}, 0,
                                          submit=make_draft(first, household, key=f"k{i}"),
                                          now=NOW)
            assert saved.request_number is not None
            numbers.append(saved.request_number)

        async def writer(store: Store, i: int) -> None:
            await store.issue_code("mobile", f"+3934700000{i:02d}", customer, NOW)
            await store.check_code("mobile", f"+3934700000{i:02d}", "000000", NOW)
            await store.enqueue_notifications([Notice(customer, "test", f"s{i}", "1", NOW)])
            await store.set_preferences(customer, reminders=i % 2 == 0, now=NOW)

        async def back_office(store: Store, number: str) -> None:
            await store.change_status(number, "in_lavorazione", by="operatore", now=NOW)
            await store.change_status(number, "liquidata", by="operatore", now=NOW,
                                      details=_paid())

        tasks = [writer(first if i % 2 else second, i) for i in range(16)]
        tasks += [back_office(second if i % 2 else first, n) for i, n in enumerate(numbers)]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        assert [o for o in outcomes if o is not None] == []
        for number in numbers:
            request = await second.get_request(number)
            assert request is not None and request.status == "liquidata"
    finally:
        await second.close()
        await first.close()


def _paid() -> StatusDetails:
    return StatusDetails(amount_paid=Decimal("100.00"), paid_on=NOW.date())


async def test_concurrent_turns_share_commits_and_fail_alone(tmp_path: Path) -> None:
    store = await open_demo_store(tmp_path)
    try:
        customer = await _mario(store)
        await store.save_turn("console", "stale", customer, {"n": 1}, 0, now=NOW)
        # 20 first turns at once and one stale turn: the stale one fails, the others land.
        turns = [store.save_turn("console", f"c{i}", customer, {"n": i}, 0, now=NOW)
                 for i in range(20)]
        turns.append(store.save_turn("console", "stale", customer, {"n": 2}, 0, now=NOW))
        outcomes = await asyncio.gather(*turns, return_exceptions=True)
        assert [type(o).__name__ for o in outcomes[-1:]] == ["StaleConversation"]
        assert all(getattr(o, "version", None) == 1 for o in outcomes[:-1])
        for i in range(20):
            record = await store.load_conversation("console", f"c{i}")
            assert record is not None and record.state == {"n": i}
        stale = await store.load_conversation("console", "stale")
        assert stale is not None and stale.state == {"n": 1}
    finally:
        await store.close()


async def test_a_turn_waits_for_another_process_s_lock_without_blocking_the_loop(
    tmp_path: Path,
) -> None:
    store = await open_demo_store(tmp_path)
    try:
        customer = await _mario(store)
        await store.save_turn("console", "u", customer, {"n": 1}, 0, now=NOW)
        other = sqlite3.connect(str(store.engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process writing
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        running = asyncio.create_task(ticker())
        saving = asyncio.create_task(
            store.save_turn("console", "u", customer, {"n": 2}, 1, now=NOW))
        await asyncio.sleep(0.3)
        assert not saving.done()  # it waits for the lock...
        assert ticks >= 2  # ...and the loop keeps serving everyone else meanwhile
        other.execute("COMMIT")
        other.close()
        saved = await asyncio.wait_for(saving, 15)
        running.cancel()
        assert saved.version == 2
        record = await store.load_conversation("console", "u")
        assert record is not None and record.state == {"n": 2}
    finally:
        await store.close()
