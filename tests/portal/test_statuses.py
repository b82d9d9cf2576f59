"""portal.statuses and Store.change_status: allowed transitions, details, history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.models import RequestStatus as S
from portal.models import RequestType, StatusDetails
from portal.statuses import (
    FINAL,
    OPEN,
    TRANSITIONS,
    TransitionError,
    check_details,
    check_transition,
    is_open,
)
from portal.store import NotFound, Store
from tests.auxil.portal import make_draft

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
R, D = RequestType.REIMBURSEMENT, RequestType.DIRECT

# Details that satisfy every status's requirements.
FULL = StatusDetails(
    missing_documents=("prescrizione",),
    deadline=date(2026, 12, 31),
    amount_paid=Decimal("80.00"),
    paid_on=date(2026, 11, 24),
    reason="Prestazione non coperta",
    authorisation_code="AUT-1",
    valid_until=date(2026, 12, 31),
)

ALLOWED = [
    (type_, old, new) for type_, table in TRANSITIONS.items() for old, nexts in table.items()
    for new in sorted(nexts)
]


@pytest.mark.parametrize(("type_", "old", "new"), ALLOWED)
def test_every_allowed_transition(type_: RequestType, old: S, new: S) -> None:
    check_transition(type_, old, new)


@pytest.mark.parametrize(
    ("type_", "old", "new"),
    [
        (R, S.SENT, S.PAID),  # paid before anyone looked at it
        (R, S.PAID, S.IN_PROGRESS),  # a paid request does not go back
        (R, S.CANCELLED, S.IN_PROGRESS),
        (R, S.CLOSED, S.IN_PROGRESS),
        (R, S.IN_PROGRESS, S.AUTHORISED),  # direct-only status
        (R, S.SENT, S.SENT),
        (D, S.AWAITING_AUTHORISATION, S.PAID),  # reimbursement-only status
        (D, S.PROVIDED, S.AUTHORISED),
        (D, S.AUTHORISED, S.NOT_AUTHORISED),
        (R, S.IN_PROGRESS, "boh"),
    ],
)
def test_refused_transitions(type_: RequestType, old: str, new: str) -> None:
    with pytest.raises(TransitionError):
        check_transition(type_, old, new)


def test_every_status_is_reachable_and_final_ones_lead_nowhere_new() -> None:
    for table in TRANSITIONS.values():
        reachable = {new for nexts in table.values() for new in nexts} | {S.SENT}
        assert reachable == set(table)
    assert not TRANSITIONS[R][S.CLOSED] and not TRANSITIONS[D][S.CANCELLED]
    assert OPEN | FINAL == set(S) and not OPEN & FINAL
    assert is_open("sospesa") and is_open("autorizzata") and not is_open("liquidata")


@pytest.mark.parametrize(
    ("status", "details", "needs"),
    [
        (S.SUSPENDED, StatusDetails(deadline=date(2026, 12, 1)), "missing_documents"),
        (S.SUSPENDED, StatusDetails(missing_documents=("prescrizione",)), "deadline"),
        (S.PAID, StatusDetails(paid_on=date(2026, 1, 1)), "amount_paid"),
        (S.PAID, None, "amount_paid, paid_on"),
        (S.REJECTED, StatusDetails(reason="  "), "reason"),
        (S.NOT_AUTHORISED, None, "reason"),
        (S.AUTHORISED, StatusDetails(valid_until=date(2026, 12, 1)), "authorisation_code"),
    ],
)
def test_details_required(status: S, details: StatusDetails | None, needs: str) -> None:
    with pytest.raises(TransitionError, match=needs):
        check_details(status, details)
    check_details(status, FULL)


def test_statuses_without_details_need_none() -> None:
    for status in (S.SENT, S.IN_PROGRESS, S.ASSESSED, S.CANCELLED, S.CLOSED, S.PROVIDED):
        check_details(status, None)


# -- the store -------------------------------------------------------------------------------


async def _new_request(store: Store, key: str = "k-1", **changes: object) -> str:
    mario = await store.customer_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None
    draft = make_draft(store, await store.household(mario.id), key, **changes)  # type: ignore[arg-type]
    result = await store.save_turn("console", key, mario.id, {}, 0, submit=draft, now=NOW)
    assert result.request_number is not None
    return result.request_number


async def test_a_reimbursement_from_sent_to_closed(store: Store) -> None:
    number = await _new_request(store)
    steps = [
        (S.IN_PROGRESS, None),
        (S.SUSPENDED, StatusDetails(missing_documents=("prescrizione",), deadline=date(2027, 1, 31))),
        (S.IN_PROGRESS, None),
        (S.ASSESSED, None),
        (S.PAID, StatusDetails(amount_paid=Decimal("987.65"), paid_on=date(2026, 12, 2),
                               franchigia=Decimal("50.00"), scoperto=Decimal("196.91"))),
        (S.CLOSED, None),
    ]
    for minute, (status, details) in enumerate(steps, start=1):
        request = await store.change_status(
            number, status, by="operatore", note=f"passo {minute}", details=details,
            now=NOW.replace(minute=minute),
        )
        assert request.status == status
        assert request.history[-1].status == status and request.history[-1].by == "operatore"
        assert request.history[-1].note == f"passo {minute}"
        assert request.updated_at == NOW.replace(minute=minute)
        assert request.status_details == details
    assert [h.status for h in request.history] == ["inviata", *[s for s, _ in steps]]


async def test_paid_details_are_kept(store: Store) -> None:
    number = await _new_request(store)
    await store.change_status(number, S.IN_PROGRESS, by="operatore", now=NOW)
    paid = StatusDetails(amount_paid=Decimal("80.00"), paid_on=date(2026, 11, 30),
                         scoperto=Decimal("20.00"))
    await store.change_status(number, S.PAID, by="operatore", details=paid, now=NOW)
    request = await store.get_request(number)
    assert request is not None and request.status_details == paid
    [listed] = [r for r in await store.list_requests(request.customer_id) if r.number == number]
    assert listed.status_details == paid


async def test_refused_transition_changes_nothing(store: Store) -> None:
    number = await _new_request(store)
    with pytest.raises(TransitionError):
        await store.change_status(
            number, S.PAID, by="operatore",
            details=StatusDetails(amount_paid=Decimal("1"), paid_on=date(2026, 1, 1)),
        )
    with pytest.raises(TransitionError, match="reason"):
        await store.change_status(number, S.REJECTED, by="operatore", now=NOW)
    request = await store.get_request(number)
    assert request is not None and [h.status for h in request.history] == ["inviata"]
    with pytest.raises(NotFound):
        await store.change_status("00000000", S.IN_PROGRESS, by="operatore")


async def test_direct_request_authorised_then_provided(store: Store) -> None:
    number = await _new_request(store, type=RequestType.DIRECT)
    request = await store.get_request(number)
    assert request is not None
    if request.status == S.SENT:  # direct requests may start as sent or awaiting
        await store.change_status(number, S.AWAITING_AUTHORISATION, by="operatore", now=NOW)
    code = StatusDetails(authorisation_code="AUT-26-0001", valid_until=date(2026, 12, 31))
    request = await store.change_status(number, S.AUTHORISED, by="operatore", details=code, now=NOW)
    assert request.status_details == code
    request = await store.change_status(number, S.PROVIDED, by="struttura", now=NOW)
    assert request.status == "erogata" and request.status_details is None
    with pytest.raises(TransitionError):
        await store.change_status(number, S.AUTHORISED, by="operatore", details=code)


async def test_demo_details(store: Store) -> None:
    details = {
        number: (await store.get_request(number)).status_details  # type: ignore[union-attr]
        for number in ("25000012", "25000047", "25000103", "25000158", "26000021", "26000087",
                       "26000058", "26000112")
    }
    assert details["25000047"] == StatusDetails(
        amount_paid=Decimal("224.00"), paid_on=date(2025, 6, 3), scoperto=Decimal("56.00"),
        amount_claimed=Decimal("280.00"),
    )
    assert details["26000021"] == StatusDetails(
        missing_documents=("prescrizione",), deadline=date(2026, 12, 31)
    )
    assert details["25000103"] and "massimale" in details["25000103"].reason
    assert details["26000087"] and details["26000087"].authorisation_code == "AUT-26-0087-CK"
    assert details["25000158"] and details["25000158"].valid_until == date(2025, 10, 31)
    assert details["25000012"] and details["25000012"].amount_paid == Decimal("150.00")
    assert details["26000058"] is None and details["26000112"] is None
    # Every demo status with required details has them.
    for number, found in details.items():
        request = await store.get_request(number)
        assert request is not None
        check_details(request.status, found)
