"""One turn end to end: load the state, run the engine, save state and records together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from dialogs.engine import Engine
from dialogs.events import Inbound, Reply
from dialogs.services import Services
from dialogs.state import State
from portal.store import StaleConversation, Store

log = logging.getLogger(__name__)

# A concurrent turn for the same conversation makes ours stale: retry from the fresh state.
ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class TurnResult:
    replies: list[Reply]
    flow: str | None
    step: str | None
    request_number: str | None = None


class Conversations:
    """Runs turns for any channel; the channel only translates updates and renders replies."""

    def __init__(
        self,
        store: Store,
        engine: Engine,
        services: Services,
        now: Callable[[], datetime],
        today: Callable[[], date],
    ) -> None:
        self._store = store
        self._engine = engine
        self._services = services
        self._now = now
        self._today = today

    async def handle(
        self, channel: str, user_key: str, customer_id: int, inbound: Inbound
    ) -> TurnResult:
        for _ in range(ATTEMPTS):
            record = await self._store.load_conversation(channel, user_key)
            state = State.from_json(record.state if record else None)
            version = record.version if record else 0
            household = await self._store.household(customer_id)
            outcome = await self._engine.handle(state, inbound, household, self._today(),
                                          self._services)
            try:
                saved = await self._store.save_turn(
                    channel, user_key, customer_id, outcome.state.to_json(), version,
                    submit=outcome.submit, now=self._now(),
                )
            except StaleConversation:
                log.info("conversation %s advanced meanwhile, retrying the turn", channel)
                continue
            replies = list(outcome.replies)
            if outcome.after_submit is not None and saved.request_number is not None:
                replies.append(outcome.after_submit(saved.request_number))
            return TurnResult(replies, outcome.state.flow, _step(outcome.state),
                              saved.request_number)
        raise RuntimeError("conversation kept changing under this turn")


def _step(state: State) -> str | None:
    if state.pending:
        return f"confirm_{state.pending}"
    return state.asked if state.flow else None
