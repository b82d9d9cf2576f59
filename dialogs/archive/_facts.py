"""One fact of one request, answered in one sentence: where and when, the authorisation code,
why it is stopped, what is missing, how much was paid; and the follow-up of a complaint or a
hand-off already open."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from dialogs.archive._format import (
    ROME,
    day,
    deductions_taken,
    format_date,
    iban_end,
    missing_list,
    missing_verb,
    money,
    person_name,
    reason_text,
    status_word,
)
from dialogs.archive._query import ArchiveQuery, select
from dialogs.archive._texts import t
from dialogs.events import Choice, Reply
from dialogs.services import FacilityOption
from nlu.language import babel_locale
from portal.models import Handoff, Household, Request, RequestStatus, RequestType

__all__ = ["COMPLAINT_DAYS", "follow_up", "pick", "render_fact", "render_follow_up"]

# A complaint is answered in writing within 45 days (IVASS rules).
COMPLAINT_DAYS = 45
_CLOSED = frozenset({RequestStatus.CANCELLED, RequestStatus.REJECTED,
                     RequestStatus.NOT_AUTHORISED})
_STOPPED = frozenset({RequestStatus.SUSPENDED, RequestStatus.REJECTED,
                      RequestStatus.NOT_AUTHORISED})


def pick(requests: Sequence[Request], household: Household, query: ArchiveQuery, asks: str,
         today: date) -> tuple[Request | None, int]:
    """The request the question is about, and how many others would fit it too. A request
    named by number is the one even if the fact does not apply to it."""
    found = select(requests, dataclasses.replace(query, status=None), household)
    if query.number is not None:
        return (found[0] if found else None), 0
    relevant = [r for r in found if _relevant(r, asks)]
    if not relevant:
        return None, 0
    if asks == "where_when":
        upcoming = sorted((r for r in relevant if _day_of(r) >= today), key=_day_of)
        chosen = upcoming[0] if upcoming else relevant[0]
    elif asks == "code":
        valid = [r for r in relevant if r.status == RequestStatus.AUTHORISED and not _expired(r, today)]
        chosen = (valid or relevant)[0]
    else:
        chosen = relevant[0]  # the newest
    return chosen, len(relevant) - 1


def _relevant(request: Request, asks: str) -> bool:
    status = request.status
    if asks == "where_when":
        return request.type == RequestType.DIRECT and status not in _CLOSED and bool(
            request.appointment or request.preferred_dates)
    if asks == "code":
        return request.type == RequestType.DIRECT and status != RequestStatus.CANCELLED
    if asks == "reason":
        return status in _STOPPED
    if asks == "missing":
        return status == RequestStatus.SUSPENDED
    if asks in ("amount", "deductions"):
        return _paid_details(request) is not None
    return False


def render_fact(request: Request | None, others: int, household: Household,
                query: ArchiveQuery, asks: str, today: date,
                facility: FacilityOption | None = None, *, tappable: bool = True) -> Reply:
    """The one-sentence answer, with a button to the request's details when it can be shown."""
    if request is None:
        who = t("fact.who", name=query.person) if query.person else ""
        key = {"where_when": "fact.no_appointment", "code": "fact.no_code",
               "reason": "fact.no_reason", "missing": "fact.no_missing",
               "amount": "fact.no_paid", "deductions": "fact.no_paid"}[asks]
        # "di Anna " before a word or before the full stop: one space, none before punctuation.
        return Reply(re.sub(r" ([.,;:])", r"\1", " ".join(t(key, who=who).split())))
    values = {"number": request.number, "name": person_name(request.beneficiary_id, household),
              "service": request.service_name, "status": status_word(request.status)}
    what = t("fact.what", **values)
    values["what"] = what
    values["What"] = what[:1].upper() + what[1:]
    text = _SENTENCES[asks](request, values, today, facility)
    if others:
        text += " " + (t("fact.others", count=others) if others > 1 else t("fact.other"))
    choices = (Choice(f"r{request.number}", t("fact.details", number=request.number)),)
    return Reply(text, choices if tappable else ())


def _where_when(request: Request, values: dict[str, str], today: date,
                facility: FacilityOption | None) -> str:
    if request.appointment is None:
        dates = [d for d in request.preferred_dates]
        shown = _listing([format_date(d, "d MMMM", locale=babel_locale()) for d in dates])
        return t("fact.preferred", dates=shown, **values)
    local = request.appointment.astimezone(ROME)
    when = _when(local.date(), today)
    at = t("fact.at", time=f"{local.hour}:{local.minute:02d}") if local.time() != datetime.min.time() \
        else t("fact.no_time")
    place = ""
    if facility is not None:
        place = t("fact.place_address", facility=facility.name, address=facility.address,
                  town=facility.town)
    elif request.facility_text:
        place = t("fact.place", facility=request.facility_text)
    key = "fact.when_future" if local.date() >= today else "fact.when_past"
    return t(key, when=when, at=at, place=place, **values)


def _when(when: date, today: date) -> str:
    shown = format_date(when, "EEEE d MMMM" if when.year == today.year else "EEEE d MMMM y",
                        locale=babel_locale())
    if when == today:
        return t("fact.today", day=shown)
    if when == today + timedelta(days=1):
        return t("fact.tomorrow", day=shown)
    return shown


def _code(request: Request, values: dict[str, str], today: date,
          facility: FacilityOption | None) -> str:
    details = request.status_details
    if request.status == RequestStatus.NOT_AUTHORISED:
        return t("fact.code_refused", reason=reason_text(details.reason if details else ""),
                 **values)
    code = details.authorisation_code if details else None
    if not code:
        return t("fact.code_waiting", **values)
    if details and details.valid_until and details.valid_until < today:
        return t("fact.code_expired", code=code, day=day(details.valid_until), **values)
    until = t("fact.code_until", day=day(details.valid_until)) if details and details.valid_until \
        else ""
    return t("fact.code", code=code, until=until, **values)


def _suspension(request: Request, today: date) -> dict[str, str]:
    details = request.status_details
    items = details.missing_documents if details else ()
    deadline = ""
    if details and details.deadline:
        key = "fact.deadline_late" if details.deadline < today else "fact.deadline"
        deadline = t(key, day=day(details.deadline))
    return {"verb": missing_verb(items), "missing": missing_list(items) or t("missing.altro"),
            "deadline": deadline}


def _reason(request: Request, values: dict[str, str], today: date,
            facility: FacilityOption | None) -> str:
    details = request.status_details
    reason = reason_text(details.reason if details else "")
    if request.status == RequestStatus.SUSPENDED:
        return t("fact.suspended", **_suspension(request, today), **values)
    if request.status == RequestStatus.REJECTED:
        return t("fact.rejected", reason=reason, **values)
    if request.status == RequestStatus.NOT_AUTHORISED:
        return t("fact.not_authorised", reason=reason, **values)
    return t("fact.not_stopped", **values)


def _missing(request: Request, values: dict[str, str], today: date,
             facility: FacilityOption | None) -> str:
    if request.status != RequestStatus.SUSPENDED:
        return t("fact.nothing_missing", **values)
    return t("fact.missing", **_suspension(request, today), **values)


def _paid_details(request: Request) -> Request | None:
    details = request.status_details
    if details is not None and details.amount_paid is not None:
        return request
    return None


def _amount(request: Request, values: dict[str, str], today: date,
            facility: FacilityOption | None) -> str:
    details = request.status_details
    if details is None or details.amount_paid is None:
        return t("fact.not_paid", **values)
    last = iban_end(request.iban)
    iban = t("meaning.iban", last=last) if last else ""
    paid_on = day(details.paid_on) if details.paid_on else day(request.updated_at)
    spent = [d.amount for d in request.documents if d.amount is not None and d.kind == "spesa"]
    spent_text = t("fact.spent", amount=money(sum(spent, Decimal(0)))) if spent else ""
    text = t("fact.paid", amount=money(details.amount_paid), day=paid_on, iban=iban,
             spent=spent_text, **values)
    taken = deductions_taken(details)
    if taken:
        text += t("fact.deductions", what=taken)
    return text


def _deductions(request: Request, values: dict[str, str], today: date,
                facility: FacilityOption | None) -> str:
    """"perché mi avete dato meno?": the amount paid against the amount asked, with what the
    back office recorded taking off."""
    details = request.status_details
    if details is None or details.amount_paid is None:
        return t("fact.not_paid", **values)
    spent = [d.amount for d in request.documents if d.amount is not None and d.kind == "spesa"]
    claimed = details.amount_claimed or (sum(spent, Decimal(0)) if spent else None)
    paid = money(details.amount_paid)
    if claimed is None:
        return _amount(request, values, today, facility)
    if details.amount_paid >= claimed:
        return t("fact.paid_all", claimed=money(claimed), amount=paid, **values)
    taken = deductions_taken(details)
    if taken:
        return t("fact.paid_less", claimed=money(claimed), amount=paid, what_taken=taken,
                 **values)
    return t("fact.paid_less_unexplained", claimed=money(claimed), amount=paid,
             difference=money(claimed - details.amount_paid), **values)


_SENTENCES: dict[str, Callable[[Request, dict[str, str], date, FacilityOption | None], str]] = {
    "where_when": _where_when, "code": _code, "reason": _reason, "missing": _missing,
    "amount": _amount, "deductions": _deductions,
}


def _day_of(request: Request) -> date:
    if request.appointment is not None:
        return request.appointment.astimezone(ROME).date()
    return min(request.preferred_dates) if request.preferred_dates else date.min


def _expired(request: Request, today: date) -> bool:
    details = request.status_details
    return bool(details and details.valid_until and details.valid_until < today)


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return t("meaning.missing_many", what=", ".join(items[:-1]), last=items[-1])


def render_follow_up(handoffs: Sequence[Handoff], reason: str, today: date) -> Reply:
    """The state of the latest complaint or hand-off: never a new one."""
    if not handoffs:
        return Reply(t(f"followup.no_{reason}"))
    latest = handoffs[-1]
    local = latest.created_at.astimezone(ROME)
    values = {"day": day(local.date()), "reference": str(latest.id),
              "time": f"{local.hour}:{local.minute:02d}"}
    if reason == "complaint":
        deadline = local.date() + timedelta(days=COMPLAINT_DAYS)
        key = "followup.complaint_late" if deadline < today else "followup.complaint"
        return Reply(t(key, deadline=day(deadline), **values))
    return Reply(t("followup.human", **values))


def follow_up(handoff: Handoff, today: date) -> Reply:
    """The reply to a request for a person, or a bare complaint, already open."""
    reason = "complaint" if handoff.reason == "complaint" else "human"
    return render_follow_up([handoff], reason, today)
