"""Reminders and status-change messages: schedule them from the records, send the due ones."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.outbound import ChannelSender, DeliveryError, Outbound
from dialogs.events import Reply
from dialogs.texts import Messages
from portal.models import Request, RequestStatus, RequestType
from portal.notifications import Notice, Notification
from portal.store import Store

__all__ = ["SCHEDULED_KINDS", "QuietHours", "Reminders", "render", "schedule"]

log = logging.getLogger(__name__)
ROME = ZoneInfo("Europe/Rome")
t = Messages(Path(__file__).with_name("reminders_it.toml"))
# The kinds computed from the records; "status_changed" is queued by the status change itself.
SCHEDULED_KINDS = ("documents_missing", "appointment", "booking")
REMIND_AT = time(10, 0)  # day-based reminders go out mid-morning, Italian time
APPOINTMENT_EVE = time(18, 0)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """No non-urgent message between `start` and `end`, Italian time (across midnight)."""

    start: time = time(20, 30)
    end: time = time(8, 30)
    zone: ZoneInfo = ROME

    def postpone(self, now: datetime) -> datetime | None:
        """When a non-urgent message due `now` may go out, or None if it may now."""
        local = now.astimezone(self.zone)
        clock = local.time()
        if self.start <= clock or clock < self.end:
            day = local.date() + timedelta(days=1 if clock >= self.start else 0)
            return datetime.combine(day, self.end, self.zone)
        return None


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, ROME)


def _documents_missing(r: Request, now: datetime) -> list[Notice]:
    """After 2 days, then weekly, and 3 days before the deadline; of those already due only
    the latest (a loop that was down does not catch up with a burst)."""
    d = r.status_details
    if r.status != RequestStatus.SUSPENDED or d is None or d.deadline is None or not r.history:
        return []
    since = r.history[-1].at
    start = since.astimezone(ROME).date()
    payload = {"number": r.number, "service": r.service_name,
               "missing": list(d.missing_documents), "deadline": d.deadline.isoformat()}
    stamp = f"{since:%Y%m%dT%H%M%S}"
    last_call = d.deadline - timedelta(days=3)
    notices = []
    day, n = start + timedelta(days=2), 0
    while day < last_call:
        notices.append(Notice(r.customer_id, "documents_missing", r.number, f"{stamp}:{n}",
                              _at(day, REMIND_AT), payload))
        day, n = day + timedelta(days=7), n + 1
    if last_call > start:
        notices.append(Notice(r.customer_id, "documents_missing", r.number,
                              f"{stamp}:deadline", _at(last_call, REMIND_AT),
                              {**payload, "last_call": True}))
    if d.deadline < now.astimezone(ROME).date():
        return []
    past = [n for n in notices if n.due_at <= now]
    return past[-1:] + [n for n in notices if n.due_at > now]


def _appointment(r: Request, facility: Any, now: datetime) -> list[Notice]:
    """The day before at 18:00, for an authorised direct service with its appointment."""
    if (r.type != RequestType.DIRECT or r.status != RequestStatus.AUTHORISED
            or r.appointment is None or r.appointment <= now):
        return []
    local = r.appointment.astimezone(ROME)
    known_time = local.time() != time(0, 0)
    d = r.status_details
    payload = {
        "number": r.number, "service": r.service_name,
        "facility": facility.name if facility else (r.facility_text or ""),
        "address": f"{facility.address}, {facility.town}" if facility else "",
        "time": f"{local:%H:%M}" if known_time else None,
        "code": (d.authorisation_code if d else None) or "",
    }
    due = _at(local.date() - timedelta(days=1), APPOINTMENT_EVE)
    return [Notice(r.customer_id, "appointment", r.number, local.isoformat(), due, payload,
                   urgent=True)]


async def schedule(store: Store, now: datetime) -> tuple[int, int]:
    """Queues the reminders the records call for and cancels those whose reason went away;
    returns (added, cancelled). Customers who turned reminders off get none."""
    notices: list[Notice] = []
    for customer in await store.customers():
        if not (await store.preferences(customer.id)).reminders:
            continue
        for r in await store.list_requests(customer.id):
            notices += _documents_missing(r, now)
            facility = await store.facility(r.facility_id) if r.facility_id else None
            notices += _appointment(r, facility, now)
        for followup, done_at in await store.followups(customer.id):
            if followup.kind == "booking" and done_at is None:
                notices.append(Notice(customer.id, "booking", followup.subject, "1",
                                      followup.due_at))
    return await store.sync_notifications(SCHEDULED_KINDS, notices)


def _day(iso: str | None) -> str:
    return format_date(date.fromisoformat(iso), "d MMMM y", locale="it_IT") if iso else ""


def _missing(items: Iterable[str]) -> str:
    names = [i.replace("_", " ") for i in items]
    return " e ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def render(n: Notification) -> Outbound:
    """The message in Italian, from the values stored with the notice."""
    p = n.payload
    if n.kind == "status_changed":
        status = p["status"]
        amount = p.get("amount_paid")
        valid = t("status_changed.valid_until", day=_day(p.get("valid_until"))) \
            if p.get("valid_until") else ""
        what = t(f"status_changed.{status}", missing=_missing(p.get("missing", [])),
                 deadline=_day(p.get("deadline")), reason=p.get("reason", ""),
                 amount=f"€ {format_decimal(Decimal(amount), '#,##0.00', locale='it_IT')}"
                 if amount else "", paid_on=_day(p.get("paid_on")),
                 code=p.get("authorisation_code") or "", valid=valid)
        text = f"{t('status_changed.intro', **p)} {what}\n\n{t('status_changed.off')}"
    elif n.kind == "documents_missing":
        key = "documents_missing.deadline" if p.get("last_call") else "documents_missing.text"
        text = t(key, number=p["number"], service=p["service"],
                 missing=_missing(p["missing"]), deadline=_day(p["deadline"]))
        text += "\n\n" + t("footer.reminders_off")
    elif n.kind == "appointment":
        when = t("appointment.when_time", time=p["time"]) if p.get("time") \
            else t("appointment.when")
        text = t("appointment.text", when=when, service=p["service"], facility=p["facility"],
                 address=p["address"], code=p["code"])
    else:
        text = t(f"{n.kind}.text", **p) + "\n\n" + t("footer.reminders_off")
    return Outbound(n.kind, Reply(text))


class Reminders:
    """The loop: schedule, then claim due notices and deliver them on the customer's channel."""

    def __init__(self, store: Store, senders: Mapping[str, ChannelSender],
                 now: Callable[[], datetime], quiet: QuietHours | None = None) -> None:
        self.store = store
        self.senders = dict(senders)
        self.now = now
        self.quiet = quiet or QuietHours()

    async def run_once(self) -> int:
        """One round; returns how many messages were delivered."""
        await schedule(self.store, self.now())
        delivered = 0
        while batch := await self.store.claim_notifications(self.now()):
            for n in batch:
                delivered += await self._deliver(n)
        return delivered

    async def run(self, stop: asyncio.Event, every: float = 60.0) -> None:
        """Rounds until `stop` is set; a failing round is logged and the next one tried."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception:
                log.exception("reminder round failed")
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                pass

    async def _deliver(self, n: Notification) -> bool:
        store, now = self.store, self.now()
        prefs = await store.preferences(n.customer_id)
        wanted = prefs.status_changes if n.kind == "status_changed" else prefs.reminders
        if not wanted:
            await store.cancel_notification(n.id, now)
            return False
        later = None if n.urgent else self.quiet.postpone(now)
        if later is not None:
            await store.postpone_notification(n.id, later, now)
            return False
        channel = next(((c, k) for c, k in await store.links_of(n.customer_id)
                        if c in self.senders), None)
        if channel is None:
            log.info("notification %s: no linked channel to send it on", n.id)
            await store.cancel_notification(n.id, now)
            return False
        message = render(n)
        if not await store.start_delivery(n.id, now):
            return False  # the claim ran out: another sender has it
        try:
            await self.senders[channel[0]].deliver(channel[1], message)
        except DeliveryError as exc:
            again = await store.mark_failed(n.id, retry=exc.retry, now=self.now())
            log.warning("notification %s (%s) not delivered on %s%s", n.id, n.kind, channel[0],
                        ", will retry" if again else ", given up")
            return False
        await store.mark_sent(n.id, self.now())
        return True
