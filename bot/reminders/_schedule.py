"""When a reminder is due: the kinds computed from the records, queued by `schedule`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from portal.models import Household, Request, RequestStatus, RequestType
from portal.notifications import Notice
from portal.store import ConversationRecord, Store

__all__ = ["REMIND_AT", "ROME", "SCHEDULED_KINDS", "schedule"]

ROME = ZoneInfo("Europe/Rome")
# The kinds computed from the records; "status_changed" is queued by the status change itself.
SCHEDULED_KINDS = ("documents_missing", "appointment", "booking", "unfinished", "checkup")
REMIND_AT = time(10, 0)  # day-based reminders go out mid-morning, Italian time
APPOINTMENT_EVE = time(18, 0)
# A request left half-written: nudged after these pauses, then the draft expires.
NUDGES = (("24h", timedelta(hours=24)), ("3d", timedelta(days=3)))
DRAFT_EXPIRES = timedelta(days=30)
AUTUMN = (10, 1)  # the unused check-up is recalled from 1 October (month, day)


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


def _unfinished(record: ConversationRecord, touched: datetime, now: datetime) -> list[Notice]:
    """A nudge 24 hours and 3 days after the conversation was last touched, and after 30 days
    the notice that the draft expired (the loop then resets the conversation). Of those
    already due only the latest: a loop that was down does not send a burst."""
    state = record.state
    assert record.customer_id is not None
    stamp = f"{touched:%Y%m%dT%H%M%S}"  # a turn in between makes new ones, the old cancelled
    payload = {"flow": state["flow"], "channel": record.channel, "user_key": record.user_key}
    notices = [Notice(record.customer_id, "unfinished", state["draft_id"], f"{stamp}:{name}",
                      touched + pause, payload) for name, pause in NUDGES]
    notices.append(Notice(record.customer_id, "unfinished", state["draft_id"],
                          f"{stamp}:expired", touched + DRAFT_EXPIRES,
                          {**payload, "expired": True}))
    past = [n for n in notices if n.due_at <= now]
    return past[-1:] + [n for n in notices if n.due_at > now]


def _anniversary(start: date, year: int) -> date:
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def _policy_year(start: date, today: date) -> tuple[date, date]:
    """The policy year holding `today`: from an anniversary of `start` to the next."""
    begin = _anniversary(start, today.year)
    if begin > today:
        begin = _anniversary(start, today.year - 1)
    return begin, _anniversary(start, begin.year + 1)


def _checkup(household: Household, requests: list[Request], now: datetime) -> list[Notice]:
    """Once a policy year, from the first 1 October in it at 10:00: each check-up guarantee
    not yet used by an insured person (no request with it in the policy year)."""
    today = now.astimezone(ROME).date()
    notices = []
    for policy in household.policies:
        if not policy.start <= today <= policy.end:
            continue
        begin, end = _policy_year(policy.start, today)
        autumn = date(begin.year, *AUTUMN)
        if autumn < begin:
            autumn = date(begin.year + 1, *AUTUMN)
        until = min(end - timedelta(days=1), policy.end)
        if autumn > until:
            continue
        for g in policy.guarantees:
            if not g.checkup:
                continue
            for person_id in policy.insured_ids:
                used = any(r.guarantee_id == g.id and r.beneficiary_id == person_id
                           and begin <= r.created_at.astimezone(ROME).date() < end
                           for r in requests)
                if used:
                    continue
                person = household.member(person_id)
                payload = {"guarantee": g.name, "person": person.first_name,
                           "holder": person.id == household.customer.id,
                           "until": until.isoformat()}
                notices.append(Notice(household.customer.id, "checkup",
                                      f"{policy.number}/{g.code}/{person.id}",
                                      begin.isoformat(), _at(autumn, REMIND_AT), payload))
    return notices


async def schedule(store: Store, now: datetime) -> tuple[int, int]:
    """Queues the reminders the records call for and cancels those whose reason went away;
    returns (added, cancelled). Customers who turned reminders off get none."""
    notices: list[Notice] = []
    drafts = await store.open_drafts()
    for customer in await store.customers():
        if not (await store.preferences(customer.id)).reminders:
            continue
        requests = await store.list_requests(customer.id)
        notices += _checkup(await store.household(customer.id), requests, now)
        for r in requests:
            notices += _documents_missing(r, now)
            facility = await store.facility(r.facility_id) if r.facility_id else None
            notices += _appointment(r, facility, now)
        for followup, done_at in await store.followups(customer.id):
            if followup.kind == "booking" and done_at is None:
                notices.append(Notice(customer.id, "booking", followup.subject, "1",
                                      followup.due_at))
        for record, touched in drafts:
            if record.customer_id == customer.id:
                notices += _unfinished(record, touched, now)
    return await store.sync_notifications(SCHEDULED_KINDS, notices)


