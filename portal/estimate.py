"""How much a guarantee would pay for a request, from its terms and what was already used in the
policy year: pure arithmetic on Decimal, no I/O. Never a promise: the insurer decides the amount
when it evaluates the request."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from portal.models import (
    Guarantee,
    Household,
    Policy,
    RequestStatus,
    Terms,
)

__all__ = [
    "COUNTED",
    "Claim",
    "Cut",
    "Estimate",
    "Reimbursement",
    "claims_from",
    "cents",
    "estimate",
    "left_in_year",
    "policy_year",
]

CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
# Requests whose amount counts against the massimale: paid, or still to be decided.
_PENDING = frozenset({RequestStatus.SENT, RequestStatus.IN_PROGRESS, RequestStatus.SUSPENDED,
                      RequestStatus.ASSESSED})
# Every status whose requests count (the others are refused, cancelled or closed).
COUNTED = _PENDING | {RequestStatus.PAID}


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Claim:
    """A reimbursement as the yearly limits count it: what it took (paid, or estimated while
    pending) and how many sessions (expense documents)."""

    policy_id: int
    guarantee_id: int
    beneficiary_id: int
    day: date  # the service's day (the first expense document's date)
    service_code: str
    amount: Decimal
    sessions: int


@dataclass(frozen=True, slots=True)
class Reimbursement:
    """A reimbursement request with only what the yearly limits need of it: the store reads
    these alone (`Store.reimbursements`), without the rest of the household's archive."""

    created_at: datetime
    guarantee_id: int
    beneficiary_id: int
    service_code: str
    status: str
    amount_paid: Decimal | None  # from the current status's details
    # Each expense document's date and amount, in the order they were given.
    expenses: tuple[tuple[date | None, Decimal | None], ...]


@dataclass(frozen=True, slots=True)
class Cut:
    """One thing taken off the amount asked. kind: carenza | fuori_periodo | sedute | per_seduta
    | franchigia | scoperto | massimale."""

    kind: str
    amount: Decimal
    percent: Decimal | None = None  # scoperto
    minimum: Decimal | None = None  # scoperto: the minimo non indennizzabile
    limit: Decimal | None = None  # massimale: what was left; per_seduta: the most per session
    sessions: int | None = None  # sedute: sessions left before this request
    per_year: int | None = None  # sedute: the yearly number
    name: str = ""  # sedute: what the limit is about ("fisioterapia")
    until: date | None = None  # carenza: the last day of the waiting period


@dataclass(frozen=True, slots=True)
class Estimate:
    claimed: Decimal
    amount: Decimal
    cuts: tuple[Cut, ...]
    # The massimale left before this request (None: no massimale), and the sessions left
    # before it (None: no session limit for the service).
    massimale_left: Decimal | None = None
    sessions_left: int | None = None

    @property
    def covered(self) -> bool:
        return not any(c.kind in ("carenza", "fuori_periodo") for c in self.cuts)


def policy_year(start: date, day: date) -> tuple[date, date]:
    """The policy year holding `day`: from an anniversary of the policy's start to the day
    before the next one (a start on 29 February runs from 28 February in other years)."""
    year = day.year
    begin = _anniversary(start, year)
    if begin > day:
        begin = _anniversary(start, year - 1)
    end = _anniversary(start, begin.year + 1) - timedelta(days=1)
    return begin, end


def _anniversary(start: date, year: int) -> date:
    try:
        return start.replace(year=year)
    except ValueError:
        return start.replace(year=year, day=28)


def _in_year(claims: Iterable[Claim], policy: Policy, guarantee: Guarantee, day: date,
             beneficiary_id: int | None) -> list[Claim]:
    begin, end = policy_year(policy.start, day)
    return [c for c in claims if c.policy_id == policy.id and c.guarantee_id == guarantee.id
            and begin <= c.day <= end
            and (beneficiary_id is None or c.beneficiary_id == beneficiary_id)]


def left_in_year(terms: Terms, policy: Policy, guarantee: Guarantee, day: date,
                 beneficiary_id: int, claims: Iterable[Claim]) -> Decimal | None:
    """The massimale still available in the policy year of `day` (None: no massimale): the
    beneficiary's, or the household's when the massimale is shared."""
    if terms.massimale is None:
        return None
    whose = None if terms.per_household else beneficiary_id
    used = sum((c.amount for c in _in_year(claims, policy, guarantee, day, whose)), Decimal(0))
    return max(Decimal(0), cents(terms.massimale - used))


def sessions_left(terms: Terms, policy: Policy, guarantee: Guarantee, code: str, day: date,
                  beneficiary_id: int, claims: Iterable[Claim]) -> int | None:
    """Sessions of the service's limit left to the beneficiary in the policy year."""
    limit = terms.limit_for(code)
    if limit is None:
        return None
    used = sum(c.sessions for c in _in_year(claims, policy, guarantee, day, beneficiary_id)
               if limit.applies_to(c.service_code))
    return max(0, limit.per_year - used)


def estimate(terms: Terms, policy: Policy, guarantee: Guarantee, amounts: Sequence[Decimal], *,
             service_code: str, day: date, beneficiary_id: int,
             claims: Iterable[Claim] = ()) -> Estimate:
    """What the guarantee would pay for expense documents of `amounts` (one session each where
    a session limit applies) for a service on `day`. Order: cover in force and waiting period,
    session limits, franchigia, scoperto (with its minimum), then the yearly massimale."""
    claims = list(claims)
    return _estimate(
        terms, policy, amounts, service_code, day,
        sessions_left(terms, policy, guarantee, service_code, day, beneficiary_id, claims),
        left_in_year(terms, policy, guarantee, day, beneficiary_id, claims))


def _estimate(terms: Terms, policy: Policy, amounts: Sequence[Decimal], service_code: str,
              day: date, left_sessions: int | None, left: Decimal | None) -> Estimate:
    """`estimate` with what is left of the yearly limits already known."""
    amounts = [cents(Decimal(a)) for a in amounts if Decimal(a) > 0]
    claimed = cents(sum(amounts, Decimal(0)))
    cuts: list[Cut] = []
    if not policy.start <= day <= policy.end:
        return Estimate(claimed, Decimal("0.00"), (Cut("fuori_periodo", claimed),))
    if terms.carenza_days and day < policy.start + timedelta(days=terms.carenza_days):
        until = policy.start + timedelta(days=terms.carenza_days - 1)
        return Estimate(claimed, Decimal("0.00"), (Cut("carenza", claimed, until=until),))

    admitted = list(amounts)
    limit = terms.limit_for(service_code)
    if limit is not None and left_sessions is not None:
        beyond = admitted[left_sessions:]
        admitted = admitted[:left_sessions]
        if beyond:
            cuts.append(Cut("sedute", cents(sum(beyond, Decimal(0))), sessions=left_sessions,
                            per_year=limit.per_year, name=limit.name))
        if limit.each is not None:
            over = sum((a - limit.each for a in admitted if a > limit.each), Decimal(0))
            if over:
                cuts.append(Cut("per_seduta", cents(over), limit=limit.each, name=limit.name))
                admitted = [min(a, limit.each) for a in admitted]
    total = sum(admitted, Decimal(0))

    if terms.franchigia and total > 0:
        taken = min(terms.franchigia, total)
        cuts.append(Cut("franchigia", cents(taken)))
        total -= taken
    if (terms.scoperto or terms.minimo) and total > 0:
        share = cents(total * terms.scoperto / _HUNDRED)
        taken = min(total, max(share, terms.minimo))
        cuts.append(Cut("scoperto", cents(taken), percent=terms.scoperto,
                        minimum=terms.minimo or None))
        total -= taken

    if left is not None and total > left:
        cuts.append(Cut("massimale", cents(total - left), limit=left))
        total = left
    return Estimate(claimed, cents(total), tuple(cuts), left, left_sessions)


def claims_from(reimbursements: Iterable[Reimbursement], household: Household) -> list[Claim]:
    """The household's reimbursements as the yearly limits count them: a paid one for what was
    paid, one still to be decided for its own estimate (in the order they were made); refused
    and cancelled ones not at all. Each estimate reads running totals of what the earlier
    ones used: linear in the number of requests, not quadratic."""
    guarantees = {g.id: (p, g) for p in household.policies for g in p.guarantees}
    claims: list[Claim] = []
    used = _Usage()
    for request in sorted(reimbursements, key=lambda r: r.created_at):
        if request.guarantee_id not in guarantees:
            continue
        days = [day for day, _amount in request.expenses if day is not None]
        day = min(days) if days else request.created_at.date()
        policy, guarantee = guarantees[request.guarantee_id]
        if request.status == RequestStatus.PAID:
            if request.amount_paid is None:
                continue
            amount = request.amount_paid
        elif request.status in _PENDING:
            asked = [amount for _day, amount in request.expenses if amount is not None]
            terms = guarantee.terms or Terms()
            amount = _estimate(
                terms, policy, asked, request.service_code, day,
                used.sessions_left(terms, policy, guarantee, request.service_code, day,
                                   request.beneficiary_id),
                used.left_in_year(terms, policy, guarantee, day, request.beneficiary_id)).amount
        else:
            continue
        claim = Claim(policy.id, guarantee.id, request.beneficiary_id, day,
                      request.service_code, cents(amount), len(request.expenses))
        claims.append(claim)
        used.add(claim, policy)
    return claims


class _Usage:
    """What the claims so far used, by policy, guarantee, policy year (its first day) and
    person: `left_in_year` and `sessions_left` without walking every claim again. Sums are
    added in the claims' order, as those functions add them."""

    def __init__(self) -> None:
        self._person: dict[tuple[int, int, date, int], Decimal] = defaultdict(Decimal)
        self._household: dict[tuple[int, int, date], Decimal] = defaultdict(Decimal)
        self._sessions: dict[tuple[int, int, date, int], dict[str, int]] = defaultdict(
            lambda: defaultdict(int))

    def add(self, claim: Claim, policy: Policy) -> None:
        begin = policy_year(policy.start, claim.day)[0]
        self._person[claim.policy_id, claim.guarantee_id, begin, claim.beneficiary_id] += (
            claim.amount)
        self._household[claim.policy_id, claim.guarantee_id, begin] += claim.amount
        self._sessions[claim.policy_id, claim.guarantee_id, begin, claim.beneficiary_id][
            claim.service_code] += claim.sessions

    def left_in_year(self, terms: Terms, policy: Policy, guarantee: Guarantee, day: date,
                     beneficiary_id: int) -> Decimal | None:
        if terms.massimale is None:
            return None
        begin = policy_year(policy.start, day)[0]
        used = (self._household.get((policy.id, guarantee.id, begin), Decimal(0))
                if terms.per_household else
                self._person.get((policy.id, guarantee.id, begin, beneficiary_id), Decimal(0)))
        return max(Decimal(0), cents(terms.massimale - used))

    def sessions_left(self, terms: Terms, policy: Policy, guarantee: Guarantee, code: str,
                      day: date, beneficiary_id: int) -> int | None:
        limit = terms.limit_for(code)
        if limit is None:
            return None
        begin = policy_year(policy.start, day)[0]
        done = self._sessions.get((policy.id, guarantee.id, begin, beneficiary_id), {})
        used = sum(n for service, n in done.items() if limit.applies_to(service))
        return max(0, limit.per_year - used)
