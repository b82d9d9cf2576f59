"""Reminders with several replicas on one database: each due notice is claimed by one sender
(FOR UPDATE SKIP LOCKED on PostgreSQL) and delivered once; a sender whose claim ran out and
was taken by another can no longer send it. On SQLite and, when it answers, PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.reminders import QuietHours, Reminders
from portal.notifications import CLAIM_FOR, Notice
from portal.store import Store
from tests.auxil.portal import (
    POSTGRES_SKIP,
    POSTGRES_URL,
    open_demo_store,
    postgres_available,
    sqlite_url,
)
from tests.auxil.runtime import MARIO
from tests.bot.test_reminders import Phone

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def _payload(number: str) -> dict[str, object]:
    """A status change's message values, as the store queues them."""
    return {"number": number, "status": "in_lavorazione", "service": "VISITA CARDIOLOGICA",
            "note": "", "missing": [], "deadline": None, "amount_paid": None,
            "paid_on": None, "reason": "", "authorisation_code": None, "valid_until": None}
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not postgres_available(), reason=POSTGRES_SKIP))]


async def _replicas(tmp_path: Path, backend: str) -> tuple[Store, Store, int]:
    url = POSTGRES_URL if backend == "postgresql" else sqlite_url(tmp_path / "db")
    first = await open_demo_store(tmp_path / "db", url)
    second = await Store.open(url, tmp_path / "db")
    mario = await first.customer_by_fiscal_code(MARIO)
    assert mario is not None
    await first.link_user("telegram", "4242", mario.id, NOW)
    return first, second, mario.id


@pytest.mark.parametrize("backend", BACKENDS)
async def test_two_senders_deliver_each_notice_once(tmp_path: Path, backend: str) -> None:
    one, two, mario = await _replicas(tmp_path, backend)
    try:
        await one.enqueue_notifications([
            Notice(mario, "status_changed", f"2600{n:04d}", "1", NOW - timedelta(minutes=1),
                   _payload(f"2600{n:04d}"), urgent=True)
            for n in range(40)])
        phones = [Phone(), Phone()]
        senders = [Reminders(store, {"telegram": phone}, lambda: NOW, QuietHours())
                   for store, phone in zip((one, two), phones, strict=True)]
        await asyncio.gather(*(sender.run_once() for sender in senders))
        delivered = [m.reply.text for phone in phones for _, m in phone.sent
                     if m.kind == "status_changed"]
        subjects = sorted(s for s in (f"2600{n:04d}" for n in range(40))
                          if any(s in text for text in delivered))
        assert len(delivered) == 40 and len(subjects) == 40  # all of them, none twice
        assert {n.status for n in await one.notifications(customer_id=mario)
                if n.kind == "status_changed"} == {"sent"}
    finally:
        await one.close()
        await two.close()


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_lapsed_claim_taken_by_another_sender_sends_nothing(tmp_path: Path,
                                                                   backend: str) -> None:
    one, two, mario = await _replicas(tmp_path, backend)
    try:
        await one.enqueue_notifications([Notice(mario, "status_changed", "26009999", "1", NOW,
                                                _payload("26009999"), urgent=True)])
        (mine,) = [n for n in await one.claim_notifications(NOW) if n.subject == "26009999"]
        later = NOW + CLAIM_FOR + timedelta(seconds=1)  # the first sender stalled
        (theirs,) = [n for n in await two.claim_notifications(later)
                     if n.subject == "26009999"]
        assert not await one.start_delivery(mine.id, later, mine.claimed_until)
        assert not await one.cancel_notification(mine.id, later, mine.claimed_until)
        assert await two.start_delivery(theirs.id, later, theirs.claimed_until)
    finally:
        await one.close()
        await two.close()
