"""portal.estimate: each term alone and combined, the policy year, what was already used."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.estimate import Claim, estimate, left_in_year, policy_year
from portal.models import (
    CatalogueKind,
    Document,
    DocumentKind,
    Guarantee,
    Household,
    Person,
    Policy,
    Relation,
    Request,
    RequestType,
    SessionLimit,
    StatusDetails,
    Terms,
)
from portal.rows import terms_from_json, terms_json
from tests.auxil.claims import claims_of

D = Decimal
VISIT = "89.7A.3"
PHYSIO = "93.11.1"


def _guarantee(terms: Terms, gid: int = 10, policy_id: int = 1) -> Guarantee:
    return Guarantee(gid, policy_id, "G", "Visite", CatalogueKind.OUTPATIENT, ("89.7*", "93.1*"),
                     True, True, terms=terms)


def _policy(guarantee: Guarantee, start: date = date(2024, 1, 1), pid: int = 1) -> Policy:
    return Policy(pid, "400", "Salute", 1, start, date(2027, 12, 31), (1, 2), (guarantee,))


def _run(terms: Terms, amounts: list[str], *, code: str = VISIT, day: date = date(2026, 5, 4),
         claims: tuple[Claim, ...] = (), person: int = 1, start: date = date(2024, 1, 1)):
    guarantee = _guarantee(terms)
    policy = _policy(guarantee, start)
    return estimate(terms, policy, guarantee, [D(a) for a in amounts], service_code=code,
                    day=day, beneficiary_id=person, claims=claims)


def _claim(amount: str, *, person: int = 1, day: date = date(2026, 2, 1), sessions: int = 1,
           code: str = VISIT, guarantee: int = 10) -> Claim:
    return Claim(1, guarantee, person, day, code, D(amount), sessions)


def _kinds(result) -> list[str]:
    return [c.kind for c in result.cuts]


def test_no_terms_pays_everything() -> None:
    result = _run(Terms(), ["120"])
    assert result.amount == D("120.00") and result.cuts == () and result.covered


def test_scoperto_above_its_minimum() -> None:
    result = _run(Terms(scoperto=D(20), minimo=D(50)), ["300"])
    assert result.amount == D("240.00")
    (cut,) = result.cuts
    assert (cut.kind, cut.amount, cut.percent, cut.minimum) == ("scoperto", D("60.00"), D(20),
                                                                D(50))


def test_scoperto_below_its_minimum_takes_the_minimum() -> None:
    result = _run(Terms(scoperto=D(20), minimo=D(50)), ["120"])
    assert result.amount == D("70.00") and result.cuts[0].amount == D("50.00")


def test_minimum_never_takes_more_than_the_expense() -> None:
    result = _run(Terms(scoperto=D(20), minimo=D(50)), ["30"])
    assert result.amount == D("0.00") and result.cuts[0].amount == D("30.00")


def test_scoperto_rounds_to_the_cent() -> None:
    result = _run(Terms(scoperto=D(15)), ["99.99"])
    assert result.cuts[0].amount == D("15.00") and result.amount == D("84.99")


def test_franchigia_alone_and_larger_than_the_expense() -> None:
    assert _run(Terms(franchigia=D(25)), ["120"]).amount == D("95.00")
    small = _run(Terms(franchigia=D(25)), ["20"])
    assert small.amount == D("0.00") and small.cuts[0].amount == D("20.00")


def test_franchigia_then_scoperto_on_the_rest() -> None:
    result = _run(Terms(franchigia=D(20), scoperto=D(10)), ["220"])
    assert _kinds(result) == ["franchigia", "scoperto"]
    assert [c.amount for c in result.cuts] == [D("20.00"), D("20.00")]
    assert result.amount == D("180.00")


def test_several_documents_are_one_request() -> None:
    result = _run(Terms(franchigia=D(25)), ["80", "40.50"])
    assert result.claimed == D("120.50") and result.amount == D("95.50")


def test_massimale_left_cuts_the_estimate() -> None:
    terms = Terms(massimale=D(600))
    result = _run(terms, ["150"], claims=(_claim("500"),))
    assert result.massimale_left == D("100.00") and result.amount == D("100.00")
    assert result.cuts[-1].kind == "massimale" and result.cuts[-1].amount == D("50.00")


def test_massimale_reached_in_the_middle_of_a_request() -> None:
    # Two receipts of 200: the second only in part, after the scoperto.
    terms = Terms(massimale=D(1000), scoperto=D(10))
    result = _run(terms, ["200", "200"], claims=(_claim("700"),))
    assert _kinds(result) == ["scoperto", "massimale"]
    assert result.amount == D("300.00") and result.cuts[-1].amount == D("60.00")


def test_massimale_used_up_pays_nothing() -> None:
    result = _run(Terms(massimale=D(600)), ["80"], claims=(_claim("600"),))
    assert result.amount == D("0.00") and result.massimale_left == D("0.00")


def test_massimale_per_person_ignores_the_others() -> None:
    terms = Terms(massimale=D(600))
    result = _run(terms, ["150"], claims=(_claim("550", person=2),))
    assert result.amount == D("150.00") and result.massimale_left == D("600.00")


def test_massimale_per_household_counts_everyone() -> None:
    terms = Terms(massimale=D(600), per_household=True)
    result = _run(terms, ["150"], claims=(_claim("550", person=2),))
    assert result.amount == D("50.00") and result.massimale_left == D("50.00")


def test_massimale_counts_only_this_policy_year() -> None:
    terms = Terms(massimale=D(600))
    # The policy starts on 1 March: a claim of February 2026 is last year's.
    result = _run(terms, ["150"], claims=(_claim("600", day=date(2026, 2, 27)),),
                  start=date(2025, 3, 1), day=date(2026, 3, 1))
    assert result.amount == D("150.00")
    same_year = _run(terms, ["150"], claims=(_claim("600", day=date(2026, 3, 1)),),
                     start=date(2025, 3, 1), day=date(2027, 2, 28))
    assert same_year.amount == D("0.00")


def test_massimale_counts_only_this_guarantee() -> None:
    result = _run(Terms(massimale=D(600)), ["150"], claims=(_claim("600", guarantee=11),))
    assert result.amount == D("150.00")


def test_session_limit_cuts_the_sessions_beyond_it() -> None:
    limit = SessionLimit("fisioterapia", ("93.1*",), per_year=10)
    terms = Terms(limits=(limit,))
    used = (_claim("300", sessions=8, code=PHYSIO),)
    result = _run(terms, ["40", "40", "40"], code=PHYSIO, claims=used)
    assert result.sessions_left == 2 and result.amount == D("80.00")
    (cut,) = result.cuts
    assert (cut.kind, cut.amount, cut.sessions, cut.per_year) == ("sedute", D("40.00"), 2, 10)


def test_session_limit_counts_only_its_services() -> None:
    limit = SessionLimit("fisioterapia", ("93.1*",), per_year=2)
    terms = Terms(limits=(limit,))
    result = _run(terms, ["40"], code=PHYSIO, claims=(_claim("300", sessions=5, code=VISIT),))
    assert result.sessions_left == 2 and result.amount == D("40.00")
    assert _run(terms, ["40"], code=VISIT).sessions_left is None


def test_session_cap_each() -> None:
    limit = SessionLimit("fisioterapia", ("93.1*",), per_year=10, each=D(35))
    result = _run(Terms(limits=(limit,)), ["50", "30"], code=PHYSIO)
    assert _kinds(result) == ["per_seduta"] and result.cuts[0].amount == D("15.00")
    assert result.amount == D("65.00")


def test_waiting_period() -> None:
    terms = Terms(carenza_days=60, scoperto=D(20))
    result = _run(terms, ["120"], start=date(2026, 3, 1), day=date(2026, 4, 29))
    assert result.amount == D("0.00") and not result.covered
    assert result.cuts[0].kind == "carenza" and result.cuts[0].until == date(2026, 4, 29)
    after = _run(terms, ["120"], start=date(2026, 3, 1), day=date(2026, 4, 30))
    assert after.covered and after.amount == D("96.00")


def test_service_outside_the_policy_period() -> None:
    result = _run(Terms(), ["120"], day=date(2023, 12, 31))
    assert not result.covered and _kinds(result) == ["fuori_periodo"]


def test_everything_together() -> None:
    limit = SessionLimit("fisioterapia", ("93.1*",), per_year=5, each=D(40))
    terms = Terms(massimale=D(500), franchigia=D(10), scoperto=D(10), minimo=D(15),
                  limits=(limit,))
    used = (_claim("400", sessions=3, code=PHYSIO),)
    result = _run(terms, ["50", "45", "40"], code=PHYSIO, claims=used)
    # 2 sessions left: 50 and 45, each capped at 40 -> 80; franchigia 10 -> 70;
    # scoperto 10 % = 7 below the minimum 15 -> 55; massimale left 100: not reached.
    assert _kinds(result) == ["sedute", "per_seduta", "franchigia", "scoperto"]
    assert result.amount == D("55.00")


def test_two_policies_give_different_estimates() -> None:
    first = _run(Terms(massimale=D(600)), ["120"])
    second = _run(Terms(franchigia=D(25), per_household=True, massimale=D(1000)), ["120"])
    assert (first.amount, second.amount) == (D("120.00"), D("95.00"))


@pytest.mark.parametrize(
    ("start", "day", "expected"),
    [
        (date(2024, 1, 1), date(2026, 5, 4), (date(2026, 1, 1), date(2026, 12, 31))),
        (date(2025, 3, 1), date(2026, 2, 28), (date(2025, 3, 1), date(2026, 2, 28))),
        (date(2025, 3, 1), date(2026, 3, 1), (date(2026, 3, 1), date(2027, 2, 28))),
        (date(2024, 2, 29), date(2025, 3, 1), (date(2025, 2, 28), date(2026, 2, 27))),
    ],
)
def test_policy_year(start: date, day: date, expected: tuple[date, date]) -> None:
    assert policy_year(start, day) == expected


def test_left_in_year_without_massimale() -> None:
    guarantee = _guarantee(Terms())
    policy = _policy(guarantee)
    assert left_in_year(Terms(), policy, guarantee, date(2026, 1, 1), 1, ()) is None


def _request(number: str, status: str, amount: str | None, *, paid: str | None = None,
             day: date = date(2026, 3, 2), created: datetime | None = None,
             kind: RequestType = RequestType.REIMBURSEMENT) -> Request:
    at = created or datetime(2026, 3, 5, tzinfo=UTC)
    docs = (Document(1, DocumentKind.EXPENSE, "x", "application/pdf", 1, "f.pdf", day,
                     D(amount) if amount else None),)
    details = StatusDetails(amount_paid=D(paid), paid_on=day) if paid else None
    return Request(1, number, kind, 1, 1, 2026, VISIT, "visita", CatalogueKind.OUTPATIENT, 1, 10,
                   "a@b.it", status, at, at, documents=docs, status_details=details)


def test_claims_count_paid_and_pending_not_refused() -> None:
    terms = Terms(scoperto=D(20), minimo=D(50), massimale=D(1000))
    guarantee = _guarantee(terms)
    person = Person(1, 1, Relation.HOLDER, "Mario", "Rossi", date(1975, 4, 12), "X")
    household = Household(person, (person,), (_policy(guarantee),))
    requests = [
        _request("1", "liquidata", "280", paid="224"),
        _request("2", "inviata", "120", created=datetime(2026, 4, 1, tzinfo=UTC)),
        _request("3", "respinta", "500"),
        _request("4", "annullata", "500"),
        _request("5", "in_attesa_autorizzazione", None, kind=RequestType.DIRECT),
    ]
    claims = claims_of(requests, household)
    assert [c.amount for c in claims] == [D("224.00"), D("70.00")]
    assert left_in_year(terms, household.policies[0], guarantee, date(2026, 6, 1), 1,
                        claims) == D("706.00")


def test_terms_json_round_trip() -> None:
    terms = Terms(massimale=D("1500.00"), per_household=True, scoperto=D(20), minimo=D(50),
                  franchigia=D(0), carenza_days=30, direct_quota=D("15.00"),
                  limits=(SessionLimit("fisioterapia", ("93.1*",), 10, D("40.00")),))
    assert terms_from_json(terms_json(terms)) == terms
    assert terms_from_json(None) is None and terms_from_json({}) is None
