"""What an archive question asks for (ArchiveQuery), read from parse(), and who may see what."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.matching import normalise as fold
from nlu.catalogue import search
from nlu.intents import Parsed
from portal.models import Household, Person, Relation, Request
from portal.statuses import OPEN

__all__ = ["ArchiveQuery", "can_see", "filters_from", "same_service", "select", "sql_filters"]

ROME = ZoneInfo("Europe/Rome")

# The statuses each status word of a question stands for. A request that went on to a final
# status (chiusa, erogata) still counts for the status it passed through: a paid request
# that was then closed is "pagata".
_STATUSES: dict[str, frozenset[str]] = {
    "aperta": frozenset(s.value for s in OPEN),
    "sospesa": frozenset({"sospesa"}),
    "liquidata": frozenset({"liquidata"}),
    "respinta": frozenset({"respinta", "non_autorizzata"}),
    "autorizzata": frozenset({"autorizzata"}),
    "annullata": frozenset({"annullata"}),
}
_AFTERWARDS = frozenset({"chiusa", "erogata"})


@dataclass(frozen=True, slots=True)
class ArchiveQuery:
    """Filters of an archive question; None (or empty) means "any".

    `beneficiary_ids` empty (not None) means a person was named who is not in the household:
    nothing matches, and `person` says whom to name in "Non trovo richieste di …".
    """

    number: str | None = None
    beneficiary_ids: frozenset[int] | None = None
    person: str | None = None  # the name to show ("Luca", "tuo figlio")
    status: str | None = None  # the status word asked: aperta, sospesa, liquidata, ...
    period: tuple[date, date] | None = None
    service: str | None = None  # the words typed
    service_codes: frozenset[str] = frozenset()  # catalogue codes those words may mean

    @property
    def statuses(self) -> frozenset[str] | None:
        return _STATUSES.get(self.status) if self.status else None

    @property
    def is_everything(self) -> bool:
        return (self.number, self.beneficiary_ids, self.status, self.period, self.service) == (
            None, None, None, None, None
        )


def filters_from(parsed: Parsed, household: Household) -> ArchiveQuery:
    """The filters a parsed question names, resolved against the household."""
    entities = parsed.entities
    ids, person = _beneficiaries(entities.get("person"), entities.get("relation"), household)
    service = entities.get("service")
    codes: set[str] = set()
    if entities.get("service_code"):
        codes.add(entities["service_code"])
    elif service:
        codes.update(_catalogue_codes(service))
    status = entities.get("status")
    return ArchiveQuery(
        number=entities.get("request_id"),
        beneficiary_ids=ids,
        person=person,
        status=status if status in _STATUSES else None,
        period=entities.get("period"),
        service=service,
        service_codes=frozenset(codes),
    )


def can_see(request: Request, household: Household) -> bool:
    """Only the customer's own requests, for a member of the household, ever."""
    return request.customer_id == household.customer.id and any(
        m.id == request.beneficiary_id for m in household.members
    )


def select(
    requests: Iterable[Request], query: ArchiveQuery, household: Household
) -> list[Request]:
    """The requests the household may see that match every filter, newest first."""
    found = [r for r in requests if can_see(r, household) and _matches(r, query)]
    return sorted(found, key=lambda r: (r.created_at, r.id), reverse=True)


def _matches(request: Request, query: ArchiveQuery) -> bool:
    if query.number is not None and request.number != query.number:
        return False
    if query.beneficiary_ids is not None and request.beneficiary_id not in query.beneficiary_ids:
        return False
    statuses = query.statuses
    if statuses is not None and not _has_status(request, statuses, query.status == "aperta"):
        return False
    if query.period is not None and not _in_period(request, query.period):
        return False
    return query.service is None or _same_service(request, query)


def _has_status(request: Request, statuses: frozenset[str], now_only: bool) -> bool:
    """In one of `statuses`, or (unless only the current status counts, as for "aperta")
    closed after passing through one."""
    if request.status in statuses:
        return True
    if now_only or request.status not in _AFTERWARDS:
        return False
    return any(h.status in statuses for h in request.history)


def _in_period(request: Request, period: tuple[date, date]) -> bool:
    """Sent in the period, or the service was done (or is booked) in it."""
    start, end = period
    days = [request.created_at.astimezone(ROME).date()]
    days += [d.expense_date for d in request.documents if d.expense_date]
    if request.appointment is not None:
        days.append(request.appointment.astimezone(ROME).date())
    return any(start <= day <= end for day in days)


def _same_service(request: Request, query: ArchiveQuery) -> bool:
    return same_service(request.service_code, request.service_name, query)


def same_service(code: str, name: str, query: ArchiveQuery) -> bool:
    """The service asked about: one of its catalogue codes, or every word of it in the name."""
    if code in query.service_codes:
        return True
    words = [w for w in fold(query.service or "").split() if len(w) > 3]
    folded = fold(name)
    return bool(words) and all(w[:-1] in folded for w in words)  # "visite" finds "visita"


def sql_filters(query: ArchiveQuery) -> dict[str, Any]:
    """The filters the store applies itself (Services.request_rows): people, status (with
    the statuses passed through), period; the service and the number are checked here."""
    return {
        "beneficiary_ids": query.beneficiary_ids,
        "statuses": query.statuses,
        "passed_through": () if query.status == "aperta" else _AFTERWARDS,
        "period": query.period,
    }


def _catalogue_codes(words: str) -> set[str]:
    return {m.code for m in search(words, limit=8)}


# -- people ------------------------------------------------------------------------------------


def _beneficiaries(
    name: str | None, relation: str | None, household: Household
) -> tuple[frozenset[int] | None, str | None]:
    if name:
        wanted = fold(name)
        found = frozenset(m.id for m in household.members if fold(m.first_name) == wanted)
        return found, (household.member(next(iter(found))).first_name if found else name)
    if relation:
        members = _related(relation, household)
        if members:
            shown = members[0].first_name if len(members) == 1 else None
            return frozenset(m.id for m in members), shown
    return None, None


def _related(relation: str, household: Household) -> Sequence[Person]:
    if relation == "io":
        return [household.customer]
    if relation in ("moglie", "marito"):
        return [m for m in household.members if m.relation == Relation.SPOUSE]
    if relation in ("figlio", "figlia"):
        children = [m for m in household.members if m.relation == Relation.CHILD]
        # The codice fiscale tells sons from daughters (day of birth + 40 for women).
        wanted = [m for m in children if _is_female(m) == (relation == "figlia")]
        return wanted or children
    return []


def _is_female(person: Person) -> bool:
    day = person.fiscal_code[9:11]
    return day.isdigit() and int(day) > 40
