"""The inbox: each sender's messages in order, senders side by side, so one slow message (a
big document to download and check) never stalls the other customers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from bot.channels.whatsapp import Inbox

WAIT = 10


class Accepted:
    """The store calls the inbox makes, over a dict of accepted messages (one process: the
    conversation lock is PostgreSQL's, tested with two real processes in test_replicas)."""

    def __init__(self) -> None:
        self.payloads: dict[str, dict[str, Any]] = {}
        self.processed: list[str] = []

    def accept(self, message_id: str, sender: str) -> None:
        self.payloads[message_id] = {"id": message_id, "from": sender}

    async def unprocessed_whatsapp(self) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v) for k, v in self.payloads.items() if k not in self.processed]

    async def whatsapp_due(self, message_id: str) -> list[tuple[str, dict[str, Any]]]:
        if message_id in self.processed or message_id not in self.payloads:
            return []
        sender, due = self.payloads[message_id]["from"], []
        for key, payload in self.payloads.items():
            if payload["from"] == sender and key not in self.processed:
                due.append((key, payload))
            if key == message_id:
                return due
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def conversation_lock(self, _channel: str, _user_key: str) -> AsyncIterator[None]:
        yield

    async def whatsapp_processed(self, message_id: str, _now: datetime) -> None:
        self.processed.append(message_id)


async def test_a_slow_message_does_not_stall_other_senders() -> None:
    store = Accepted()
    others_done = asyncio.Event()
    handled: list[str] = []

    async def handle(payload: dict[str, Any]) -> None:
        if payload["id"] == "slow":
            # Finishes only once the other customer has had an answer: a single worker
            # would wait here forever.
            await asyncio.wait_for(others_done.wait(), WAIT)
        handled.append(payload["id"])
        if payload["from"] == "luca":
            others_done.set()

    inbox = Inbox(store, handle, lambda: datetime.now(UTC))  # type: ignore[arg-type]
    await inbox.start()
    try:
        for message_id, sender in (("slow", "mario"), ("m2", "mario"), ("l1", "luca")):
            store.accept(message_id, sender)
            inbox.put(message_id, sender)
        await asyncio.wait_for(inbox.drained(), WAIT)
    finally:
        await inbox.stop()
    assert handled == ["l1", "slow", "m2"]  # Mario's two in order, Luca not kept waiting
    assert sorted(store.processed) == ["l1", "m2", "slow"]


async def test_each_sender_keeps_its_order_and_restarts_resume() -> None:
    store = Accepted()
    handled: list[str] = []

    async def handle(payload: dict[str, Any]) -> None:
        await asyncio.sleep(0.001 * (hash(payload["id"]) % 5))
        handled.append(payload["id"])

    for n in range(30):
        store.accept(f"{n % 3}-{n:02d}", f"user{n % 3}")
    inbox = Inbox(store, handle, lambda: datetime.now(UTC), lanes=2)  # type: ignore[arg-type]
    await inbox.start()  # everything accepted before the start is picked up
    try:
        await asyncio.wait_for(inbox.drained(), WAIT)
    finally:
        await inbox.stop()
    for user in "012":
        mine = [m for m in handled if m.startswith(user)]
        assert mine == sorted(mine) and len(mine) == 10


async def test_a_stop_finishes_the_message_under_way_and_starts_no_other() -> None:
    store = Accepted()
    started, release = asyncio.Event(), asyncio.Event()
    handled: list[str] = []

    async def handle(payload: dict[str, Any]) -> None:
        started.set()
        await release.wait()
        handled.append(payload["id"])

    inbox = Inbox(store, handle, lambda: datetime.now(UTC))  # type: ignore[arg-type]
    await inbox.start()
    for message_id in ("m1", "m2"):
        store.accept(message_id, "mario")
        inbox.put(message_id, "mario")
    await asyncio.wait_for(started.wait(), WAIT)
    stopping = asyncio.create_task(inbox.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done()  # waiting for m1's turn, not cutting it
    release.set()
    await asyncio.wait_for(stopping, WAIT)
    assert handled == ["m1"] and store.processed == ["m1"]
    assert await store.unprocessed_whatsapp() == [("m2", {"id": "m2", "from": "mario"})]
