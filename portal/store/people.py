"""People and policies: customers, their households, looking them up."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from portal import rows
from portal.models import (
    Household,
    Person,
    Relation,
)
from portal.schema import (
    guarantees,
    persons,
    policies,
    policy_insured,
)
from portal.store.database import Database, NotFound

__all__ = ["HOUSEHOLD_FOR", "People", "read_household"]

# A household read for a turn is used again for this long (seconds), then read afresh.
HOUSEHOLD_FOR = 60.0
HOUSEHOLDS_KEPT = 10_000


# The household's statements, built once (building a statement costs more than running it).
_CUSTOMER = bindparam("customer_id")
_MEMBERS = (select(persons).where(persons.c.customer_id == _CUSTOMER)
            .order_by(persons.c.birth_date, persons.c.id))
_POLICIES = select(policies).where(policies.c.holder_id == _CUSTOMER).order_by(policies.c.id)
# Joins rather than IN (...): fixed statements, compiled once and cached.
_INSURED = (select(policy_insured.c.policy_id, policy_insured.c.person_id)
            .join(policies, policies.c.id == policy_insured.c.policy_id)
            .where(policies.c.holder_id == _CUSTOMER))
_GUARANTEES = (select(guarantees).join(policies, policies.c.id == guarantees.c.policy_id)
               .where(policies.c.holder_id == _CUSTOMER).order_by(guarantees.c.id))
# A chat's start: who the customer is (on the lanes, as a turn's reads).
_BY_FISCAL_CODE = select(persons).where(persons.c.fiscal_code == bindparam("fiscal_code"))


def read_household(conn: Connection, customer_id: int) -> Household:
    """The customer first, then the family by birth date; the customer's policies.
    Raises NotFound."""
    key = {"customer_id": customer_id}
    members = [rows.person(r) for r in conn.execute(_MEMBERS, key)]
    customer = next((m for m in members if m.id == customer_id), None)
    if customer is None:
        raise NotFound(f"customer {customer_id}")
    family = [m for m in members if m.id != customer_id]
    policy_rows = conn.execute(_POLICIES, key).all()
    insured: dict[int, list[int]] = defaultdict(list)
    by_policy: dict[int, list[Any]] = defaultdict(list)
    if policy_rows:
        for r in conn.execute(_INSURED, key):
            insured[r.policy_id].append(r.person_id)
        for r in conn.execute(_GUARANTEES, key):
            by_policy[r.policy_id].append(rows.guarantee(r))
    order = {m.id: i for i, m in enumerate([customer, *family])}
    return Household(
        customer=customer,
        members=(customer, *family),
        policies=tuple(
            rows.policy(
                p,
                sorted(insured[p.id], key=lambda i: order.get(i, len(order))),
                by_policy[p.id],
            )
            for p in policy_rows
        ),
    )


class People(Database):
    """Customers (policyholders), their families and policies."""

    async def has_customers(self) -> bool:
        async with self._read() as conn:
            return (await conn.scalar(select(func.count()).select_from(persons))) != 0

    async def customers(self) -> list[Person]:
        """Every customer (policyholder), by surname and name."""
        async with self._read() as conn:
            found = await conn.execute(
                select(persons)
                .where(persons.c.relation == Relation.HOLDER.value)
                .order_by(persons.c.last_name, persons.c.first_name, persons.c.id)
            )
            return [rows.person(r) for r in found]

    async def household(self, customer_id: int) -> Household:
        """The customer first, then the family by birth date; the customer's policies."""
        household = await self._lanes.read(lambda conn: read_household(conn, customer_id))
        self._remember_household(household)
        return household

    def forget_households(self, customer_id: int | None = None) -> None:
        """Households changed (people, policies, guarantees): turns read them afresh. Every
        change made through this store calls it; a change made elsewhere (the insurer's own
        systems) is seen within HOUSEHOLD_FOR."""
        if customer_id is None:
            self._households.clear()
        else:
            self._households.pop(customer_id, None)

    def _known_household(self, customer_id: int) -> Household | None:
        known = self._households.get(customer_id)
        if known is None or time.monotonic() - known[0] > HOUSEHOLD_FOR:
            return None
        household: Household = known[1]
        return household

    def _remember_household(self, household: Household) -> None:
        if len(self._households) >= HOUSEHOLDS_KEPT:
            self._households.pop(next(iter(self._households)))  # the oldest read
        self._households[household.customer.id] = (time.monotonic(), household)

    async def person(self, person_id: int) -> Person | None:
        async with self._read() as conn:
            row = (await conn.execute(select(persons).where(persons.c.id == person_id))).first()
        return rows.person(row) if row else None

    async def person_by_fiscal_code(self, cf: str) -> Person | None:
        """Any household member with this codice fiscale."""
        key = {"fiscal_code": cf.strip().upper()}
        row = await self._lanes.read(lambda conn: conn.execute(_BY_FISCAL_CODE, key).first())
        return rows.person(row) if row else None

    async def customer_by_fiscal_code(self, cf: str) -> Person | None:
        """The customer (policyholder) with this codice fiscale; family members are not."""
        found = await self.person_by_fiscal_code(cf)
        return found if found is not None and found.relation == Relation.HOLDER else None

    async def customer_by_mobile(self, e164: str) -> Person | None:
        """The customer (policyholder) with this mobile number, in E.164 (+393471234567)."""
        async with self._read() as conn:
            row = (
                await conn.execute(
                    select(persons)
                    .where(persons.c.mobile == e164, persons.c.relation == Relation.HOLDER.value)
                    .order_by(persons.c.id)
                )
            ).first()
        return rows.person(row) if row else None
