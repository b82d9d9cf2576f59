"""The loop: schedule, then claim the due notices and deliver them, quiet hours waited out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.metrics import Metrics
from bot.outbound import ChannelSender, DeliveryError
from bot.reminders._render import render
from bot.reminders._schedule import ROME, schedule
from nlu.language import speaking
from portal.notifications import Notification
from portal.store import Store

__all__ = ["QuietHours", "Reminders", "Round", "running"]

log = logging.getLogger(__name__)
# What became of a due notice in a round.
SENT, POSTPONED, RETRYING, FAILED, CANCELLED, LOST = (
    "sent", "postponed", "retrying", "failed", "cancelled", "lost")
STOP_WAIT = 20.0  # seconds a stopping loop may take to finish the message under way


@dataclass(slots=True)
class Round:
    """What one round did: each due notice and its outcome."""

    outcomes: list[tuple[Notification, str]] = field(default_factory=list)

    def of(self, outcome: str) -> list[Notification]:
        return [n for n, o in self.outcomes if o == outcome]

    @property
    def delivered(self) -> int:
        return len(self.of(SENT))


@dataclass(frozen=True, slots=True)
class QuietHours:
    """No non-urgent message between `start` and `end`, Italian time (across midnight)."""

    start: time = time(20, 30)
    end: time = time(8, 30)
    zone: ZoneInfo = ROME

    def postpone(self, now: datetime) -> datetime | None:
        """When a non-urgent message due `now` may go out, or None if it may now (always,
        when `start` and `end` are equal: no quiet hours)."""
        if self.start == self.end:
            return None
        local = now.astimezone(self.zone)
        clock = local.time()
        if self.start <= clock or clock < self.end:
            day = local.date() + timedelta(days=1 if clock >= self.start else 0)
            return datetime.combine(day, self.end, self.zone)
        return None


class Reminders:
    """The loop: schedule, then claim due notices and deliver them on the customer's channel."""

    def __init__(self, store: Store, senders: Mapping[str, ChannelSender],
                 now: Callable[[], datetime], quiet: QuietHours | None = None,
                 metrics: Metrics | None = None) -> None:
        self.store = store
        self.senders = dict(senders)
        self.now = now
        self.quiet = quiet or QuietHours()
        self.metrics = metrics or Metrics()

    async def run_once(self, stop: asyncio.Event | None = None) -> Round:
        """One round: what was done with each due notice. When `stop` is set it ends early;
        the notices it had claimed but not started go to the next round (the claim expires)."""
        await schedule(self.store, self.now())
        done = Round()
        while batch := await self.store.claim_notifications(self.now()):
            for n in batch:
                if stop is not None and stop.is_set():
                    return done
                outcome = await self._deliver(n)
                self.metrics.reminder(outcome)
                done.outcomes.append((n, outcome))
        return done

    async def run(self, stop: asyncio.Event, every: float = 60.0) -> None:
        """Rounds until `stop` is set; a failing round is logged and the next one tried."""
        while not stop.is_set():
            try:
                await self.run_once(stop)
            except Exception as error:
                self.metrics.error("reminder_round", error)
                log.exception("reminder round failed")
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                pass

    async def _deliver(self, n: Notification) -> str:
        store, now = self.store, self.now()
        prefs = await store.preferences(n.customer_id)
        wanted = prefs.status_changes if n.kind == "status_changed" else prefs.reminders
        # Each move names this round's claim: once it ran out and another replica claimed
        # the notice, this one can no longer move (nor send) it.
        claim = n.claimed_until
        if not wanted:
            return CANCELLED if await store.cancel_notification(n.id, now, claim) else LOST
        later = None if n.urgent else self.quiet.postpone(now)
        if later is not None:
            moved = await store.postpone_notification(n.id, later, now, claim)
            return POSTPONED if moved else LOST
        links = [(c, k) for c, k in await store.links_of(n.customer_id) if c in self.senders]
        own = (n.payload.get("channel"), n.payload.get("user_key"))
        if own in links:  # about a conversation: said where it happens
            links.insert(0, own)
        channel = links[0] if links else None
        if channel is None:
            log.info("notification %s: no linked channel to send it on", n.id)
            return CANCELLED if await store.cancel_notification(n.id, now, claim) else LOST
        with speaking(await store.link_language(*channel)):  # the conversation's language
            message = render(n)
        if not await store.start_delivery(n.id, now, claim):
            return LOST  # the claim ran out: another sender has it
        try:
            await self.senders[channel[0]].deliver(channel[1], message)
        except DeliveryError as exc:
            again = await store.mark_failed(n.id, retry=exc.retry, now=self.now())
            log.warning("notification %s (%s) not delivered on %s%s", n.id, n.kind, channel[0],
                        ", will retry" if again else ", given up")
            if not again:
                await self._after(n)
            return RETRYING if again else FAILED
        await store.mark_sent(n.id, self.now())
        await self._after(n)
        return SENT

    async def _after(self, n: Notification) -> None:
        """An expired draft goes once its notice is out (or will never be)."""
        if n.kind == "unfinished" and n.payload.get("expired"):
            await self.store.reset_conversation(n.payload["channel"], n.payload["user_key"])


@asynccontextmanager
async def running(reminders: Reminders, every: float) -> AsyncIterator[asyncio.Task[None] | None]:
    """The loop in a background task for the duration of the block, stopped at its end
    (the round under way finishes its current message first); `every` <= 0: no loop."""
    if every <= 0:
        log.info("reminders off (MEDBOT_REMINDERS_EVERY=0)")
        yield None
        return
    stop = asyncio.Event()
    task = asyncio.create_task(reminders.run(stop, every), name="medbot-reminders")
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait({task}, timeout=STOP_WAIT)
        if not task.done():  # a sender stuck on the network: don't hold the shutdown
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
