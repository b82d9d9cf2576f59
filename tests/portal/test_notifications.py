"""The notification queue: once per key, claimed when due, never delivered twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.models import StatusDetails
from portal.notifications import CLAIM_FOR, MAX_ATTEMPTS, Notice, Preferences
from portal.store import Store

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
MARIO = "RSSMRA75D12H501J"


async def _mario(store: Store) -> int:
    customer = await store.customer_by_fiscal_code(MARIO)
    assert customer is not None
    return customer.id


async def test_enqueue_is_idempotent_on_the_key(store: Store) -> None:
    mario = await _mario(store)
    notice = Notice(mario, "unfinished", "telegram:1", "24h", NOW)
    assert await store.enqueue_notifications([notice, notice]) == 1
    assert await store.enqueue_notifications([notice]) == 0
    assert len(await store.notifications()) == 1


async def test_claim_deliver_and_mark(store: Store) -> None:
    mario = await _mario(store)
    await store.enqueue_notifications([Notice(mario, "a", "s", "1", NOW),
                                       Notice(mario, "a", "s", "2", NOW + timedelta(hours=1))])
    taken = await store.claim_notifications(NOW)
    assert [n.occurrence for n in taken] == ["1"]
    assert await store.claim_notifications(NOW) == []  # claimed already
    assert await store.start_delivery(taken[0].id, NOW)
    await store.mark_sent(taken[0].id, NOW)
    sent = await store.notifications(status="sent")
    assert [n.occurrence for n in sent] == ["1"] and sent[0].sent_at == NOW


async def test_a_dead_senders_rows(store: Store) -> None:
    mario = await _mario(store)
    await store.enqueue_notifications([Notice(mario, "a", "s", "claimed", NOW),
                                       Notice(mario, "a", "s", "delivering", NOW)])
    claimed, delivering = await store.claim_notifications(NOW)
    assert await store.start_delivery(delivering.id, NOW)
    # The sender dies here. Before its claim runs out nobody takes the rows...
    assert await store.claim_notifications(NOW + CLAIM_FOR - timedelta(seconds=1)) == []
    # ...then the one it never started is retried; the one it may have delivered is not.
    again = await store.claim_notifications(NOW + CLAIM_FOR + timedelta(seconds=1))
    assert [n.id for n in again] == [claimed.id]
    assert [n.id for n in await store.notifications(status="failed")] == [delivering.id]


async def test_failures_back_off_then_give_up(store: Store) -> None:
    mario = await _mario(store)
    await store.enqueue_notifications([Notice(mario, "a", "s", "1", NOW)])
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        (row,) = await store.claim_notifications(now)
        assert await store.start_delivery(row.id, now)
        again = await store.mark_failed(row.id, retry=True, now=now)
        assert again == (attempt < MAX_ATTEMPTS)
        if again:
            (stored,) = await store.notifications()
            assert stored.next_try_at > now
            assert await store.claim_notifications(now) == []
            now = stored.next_try_at
    assert (await store.notifications())[0].status == "failed"


async def test_sync_cancels_what_is_no_longer_wanted(store: Store) -> None:
    mario = await _mario(store)
    one, two = Notice(mario, "k", "s", "1", NOW), Notice(mario, "k", "s", "2", NOW)
    assert await store.sync_notifications(["k"], [one, two]) == (2, 0)
    assert await store.sync_notifications(["k"], [one]) == (0, 1)
    assert {n.occurrence: n.status for n in await store.notifications()} == {
        "1": "pending", "2": "cancelled"}


async def test_status_change_queues_the_message_in_the_same_transaction(store: Store) -> None:
    mario = await _mario(store)
    await store.change_status("26000112", "sospesa", by="op", now=NOW, details=StatusDetails(
        missing_documents=("prescrizione",), deadline=NOW.date() + timedelta(days=20)))
    (notice,) = await store.notifications(customer_id=mario)
    assert (notice.kind, notice.subject, notice.due_at) == ("status_changed", "26000112", NOW)
    assert notice.payload["status"] == "sospesa"
    assert notice.payload["missing"] == ["prescrizione"]
    await store.change_status("26000112", "in_lavorazione", by="op", now=NOW, notify=False)
    assert len(await store.notifications()) == 1


async def test_preferences(store: Store) -> None:
    mario = await _mario(store)
    assert await store.preferences(mario) == Preferences(True, True)
    assert await store.set_preferences(mario, reminders=False) == Preferences(False, True)
    assert await store.set_preferences(mario, status_changes=False) == Preferences(False, False)
    assert await store.set_preferences(mario, reminders=True) == Preferences(True, False)
    assert await store.links_of(mario) == []
    await store.link_user("telegram", "42", mario, NOW)
    assert await store.links_of(mario) == [("telegram", "42")]
