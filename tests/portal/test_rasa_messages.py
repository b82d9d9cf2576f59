"""Rasa messages claimed once per (sender, message id), forgotten after a week."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from portal.schema import rasa_messages
from portal.store import Store

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


async def test_a_message_is_claimed_once_per_sender(store: Store) -> None:
    assert await store.claim_rasa_message("utente-1", "m1", T0)
    assert not await store.claim_rasa_message("utente-1", "m1", T0 + timedelta(seconds=1))
    assert await store.claim_rasa_message("utente-2", "m1", T0)
    assert await store.claim_rasa_message("utente-1", "m2", T0)


async def test_concurrent_claims_let_one_through(store: Store) -> None:
    claims = await asyncio.gather(*(store.claim_rasa_message("utente-1", "m9", T0)
                                    for _ in range(5)))
    assert sorted(claims) == [False, False, False, False, True]


async def test_old_claims_are_forgotten(store: Store) -> None:
    await store.claim_rasa_message("utente-1", "vecchio", T0)
    await store.claim_rasa_message("utente-1", "nuovo", T0 + timedelta(days=8))
    async with store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(rasa_messages)) == 1
