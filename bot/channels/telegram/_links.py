"""Which customer a Telegram user speaks for, remembered so that a turn need not ask the store.

Only links are remembered, never their absence (someone not linked yet goes through linking,
which reads the store anyway). A link made here replaces the remembered one at once; one removed
elsewhere (`medbot link telegram --remove`, another replica) stops counting after LINK_TTL.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from bot.channels.telegram._linking import CHANNEL
from portal.store import Store

__all__ = ["LINK_TTL", "Links"]

# Seconds a remembered link is trusted before the store is asked again.
LINK_TTL = 60.0
# Users remembered; the least recently seen are forgotten first.
KEEP_USERS = 10_000


class Links:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._known: OrderedDict[int, tuple[int, float]] = OrderedDict()  # user -> (customer, at)

    async def customer(self, user_id: int) -> int | None:
        known = self._known.get(user_id)
        now = time.monotonic()
        if known is not None and now - known[1] < LINK_TTL:
            self._known.move_to_end(user_id)
            return known[0]
        customer = await self._store.linked_customer(CHANNEL, str(user_id))
        if customer is None:
            self._known.pop(user_id, None)
        else:
            self.remember(user_id, customer, now)
        return customer

    def remember(self, user_id: int, customer_id: int, now: float | None = None) -> None:
        """`user_id` was just linked to `customer_id` (by this process)."""
        self._known[user_id] = (customer_id, time.monotonic() if now is None else now)
        self._known.move_to_end(user_id)
        while len(self._known) > KEEP_USERS:
            self._known.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._known.pop(user_id, None)
