"""People and policies: customers, their households, looking them up."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select

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

__all__ = ["People"]


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
        async with self._read() as conn:
            member_rows = (
                await conn.execute(
                    select(persons)
                    .where(persons.c.customer_id == customer_id)
                    .order_by(persons.c.birth_date, persons.c.id)
                )
            ).all()
            members = [rows.person(r) for r in member_rows]
            customer = next((m for m in members if m.id == customer_id), None)
            if customer is None:
                raise NotFound(f"customer {customer_id}")
            family = [m for m in members if m.id != customer_id]

            policy_rows = (
                await conn.execute(
                    select(policies)
                    .where(policies.c.holder_id == customer_id)
                    .order_by(policies.c.id)
                )
            ).all()
            ids = [p.id for p in policy_rows]
            insured: dict[int, list[int]] = defaultdict(list)
            by_policy: dict[int, list[Any]] = defaultdict(list)
            if ids:
                for r in await conn.execute(
                    select(policy_insured).where(policy_insured.c.policy_id.in_(ids))
                ):
                    insured[r.policy_id].append(r.person_id)
                for r in await conn.execute(
                    select(guarantees)
                    .where(guarantees.c.policy_id.in_(ids))
                    .order_by(guarantees.c.id)
                ):
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

    async def person(self, person_id: int) -> Person | None:
        async with self._read() as conn:
            row = (await conn.execute(select(persons).where(persons.c.id == person_id))).first()
        return rows.person(row) if row else None

    async def person_by_fiscal_code(self, cf: str) -> Person | None:
        """Any household member with this codice fiscale."""
        async with self._read() as conn:
            row = (
                await conn.execute(
                    select(persons).where(persons.c.fiscal_code == cf.strip().upper())
                )
            ).first()
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
