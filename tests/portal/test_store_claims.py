"""portal.store.claims: the claims counted from `Store.reimbursements` (only what the yearly
limits need) are those counted from the whole archive, and the linear count gives the numbers
of the one that estimated each request against every earlier claim."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from portal.estimate import Claim, cents, claims_from, estimate
from portal.models import (
    DocumentKind,
    Household,
    Request,
    RequestStatus,
    RequestType,
    Terms,
)
from portal.schema import documents, requests, status_details, status_history
from portal.store import Store
from tests.auxil.claims import claims_of
from tests.auxil.portal import BACKENDS, demo_store_on

MARIO_CF = "RSSMRA75D12H501J"
_COUNTED = {RequestStatus.SENT, RequestStatus.IN_PROGRESS, RequestStatus.SUSPENDED,
            RequestStatus.ASSESSED}


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    async with demo_store_on(request.param, tmp_path) as store:
        yield store


def estimated_one_by_one(found: Iterable[Request], household: Household) -> list[Claim]:
    """The count as it was first written: each pending request estimated against the list
    of every claim before it (quadratic), kept here as the reference."""
    guarantees = {g.id: (p, g) for p in household.policies for g in p.guarantees}
    claims: list[Claim] = []
    for request in sorted(found, key=lambda r: r.created_at):
        if request.type != RequestType.REIMBURSEMENT or request.guarantee_id not in guarantees:
            continue
        expenses = [d for d in request.documents if d.kind == DocumentKind.EXPENSE]
        days = [d.expense_date for d in expenses if d.expense_date is not None]
        day = min(days) if days else request.created_at.date()
        policy, guarantee = guarantees[request.guarantee_id]
        details = request.status_details
        if request.status == RequestStatus.PAID:
            if details is None or details.amount_paid is None:
                continue
            amount = details.amount_paid
        elif request.status in _COUNTED:
            asked = [d.amount for d in expenses if d.amount is not None]
            amount = estimate(guarantee.terms or Terms(), policy, guarantee, asked,
                              service_code=request.service_code, day=day,
                              beneficiary_id=request.beneficiary_id, claims=claims).amount
        else:
            continue
        claims.append(Claim(policy.id, guarantee.id, request.beneficiary_id, day,
                            request.service_code, cents(amount),
                            len(expenses)))
    return claims


async def _counted_both_ways(store: Store) -> tuple[list[Claim], list[Claim], list[Claim]]:
    mario = await store.customer_by_fiscal_code(MARIO_CF)
    assert mario is not None
    household = await store.household(mario.id)
    archive = await store.list_requests(mario.id)
    return (claims_from(await store.reimbursements(mario.id), household),
            claims_of(archive, household), estimated_one_by_one(archive, household))


async def test_demo_household_claims_read_alone_are_the_archives(db: Store) -> None:
    alone, from_archive, reference = await _counted_both_ways(db)
    assert alone == from_archive == reference
    assert alone  # the demo has paid and pending reimbursements


async def _fill(store: Store, count: int, seed: int) -> None:
    """`count` more requests of every kind for the demo household: each guarantee, person
    and status, paid ones with and without an amount (and a later entry of the same status
    without details), expense documents with and without a date or an amount, other
    documents, session-limited services, times shared by several requests."""
    rng = random.Random(seed)
    mario = await store.customer_by_fiscal_code(MARIO_CF)
    assert mario is not None
    household = await store.household(mario.id)
    people = [m.id for m in household.members]
    pairs = [(p, g) for p in household.policies for g in p.guarantees]
    statuses = [s.value for s in RequestStatus]
    start = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
    async with store.engine.begin() as conn:
        template = (await conn.execute(select(requests).limit(1))).first()
        receipt = (await conn.execute(select(documents).limit(1))).first()
        assert template is not None and receipt is not None
        base = {k: v for k, v in template._mapping.items() if k != "id"}
        doc = {k: v for k, v in receipt._mapping.items() if k not in ("id", "request_id")}
        for i in range(count):
            policy, guarantee = rng.choice(pairs)
            code = rng.choice(guarantee.covers).rstrip("*") or "93.11"
            # Some requests share their time with the one before (ties keep an order).
            at = start + timedelta(hours=rng.choice((0, 0, 7, 30, 200)) + 13 * i)
            if rng.random() < 0.15:
                at = start + timedelta(hours=13 * (i - 1))
            status = rng.choice(statuses + ["inviata", "liquidata", "in_lavorazione"] * 3)
            kind = RequestType.DIRECT if rng.random() < 0.1 else RequestType.REIMBURSEMENT
            request_id = (await conn.execute(insert(requests).values({
                **base, "number": f"7{i:07d}", "submission_key": f"claims-{seed}-{i}",
                "type": kind.value, "beneficiary_id": rng.choice(people),
                "policy_id": policy.id, "guarantee_id": guarantee.id, "service_code": code,
                "status": status, "created_at": at, "updated_at": at, "year": at.year,
            }))).inserted_primary_key[0]
            papers = []
            for _ in range(rng.choice((0, 1, 1, 2, 3, 5))):
                day = (at - timedelta(days=rng.randint(0, 20))).date()
                papers.append({
                    **doc, "request_id": request_id, "kind": DocumentKind.EXPENSE.value,
                    "expense_date": day if rng.random() < 0.9 else None,
                    "amount": (Decimal(rng.randint(500, 90000)) / 100
                               if rng.random() < 0.9 else None)})
            if rng.random() < 0.3:
                papers.append({**doc, "request_id": request_id,
                               "kind": DocumentKind.PRESCRIPTION.value,
                               "expense_date": date(2025, 1, 1), "amount": Decimal("9.99")})
            if papers:
                await conn.execute(insert(documents), papers)
            entries = ["inviata", "sospesa", status] + ([status] if rng.random() < 0.2 else [])
            for n, name in enumerate(entries):
                history_id = (await conn.execute(insert(status_history).values(
                    request_id=request_id, status=name, changed_at=at + timedelta(days=n),
                    changed_by="test", note=""))).inserted_primary_key[0]
                if n == len(entries) - 1 and len(entries) == 4:
                    continue  # the same status again, this time without details
                if name in ("liquidata", "sospesa") and rng.random() < 0.8:
                    await conn.execute(insert(status_details).values(
                        history_id=history_id, missing_documents=[], reason="",
                        amount_paid=(Decimal(rng.randint(100, 50000)) / 100
                                     if rng.random() < 0.85 else None)))


@pytest.mark.parametrize("seed", [1, 2])
async def test_big_household_claims_read_alone_are_the_archives(db: Store, seed: int) -> None:
    await _fill(db, 400, seed)
    alone, from_archive, reference = await _counted_both_ways(db)
    assert len(alone) > 150
    assert alone == from_archive == reference
