"""What the household already used of its yearly limits: read from its requests when asked, or
kept with a draft (as JSON) so that the summary and the policy choice can show estimates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dialogs.services import Services
from portal.estimate import Claim, claims_from
from portal.models import Household

__all__ = ["claims_from_json", "claims_json", "load_claims"]


async def load_claims(services: Services, household: Household) -> list[Claim]:
    """The household's reimbursements as the yearly limits count them (paid, or pending),
    read with only what the limits need."""
    return claims_from(await services.reimbursements(household.customer.id), household)


def claims_json(claims: list[Claim]) -> list[str]:
    """The claims as kept with a draft: one string each, service code last. The draft's
    state is copied, written and read at every turn of the flow, and a household with many
    requests carries many claims: strings are the cheapest JSON to copy and parse (60 claims
    as seven-key objects made the state's handling ~130 us a turn dearer)."""
    return [f"{c.policy_id} {c.guarantee_id} {c.beneficiary_id} {c.day.isoformat()} "
            f"{c.amount} {c.sessions} {c.service_code}" for c in claims]


def claims_from_json(value: Any) -> list[Claim]:
    if not isinstance(value, list):
        return []
    if all(isinstance(c, str) for c in value):
        return list(_read(tuple(value)))
    return [_claim(c) for c in value]


# The same draft's claims are read at each estimate it shows (the policy choice, the summary,
# a question on the way), every turn: read once.
@lru_cache(maxsize=64)
def _read(kept: tuple[str, ...]) -> tuple[Claim, ...]:
    return tuple(_claim(c) for c in kept)


def _claim(value: Any) -> Claim:
    if isinstance(value, str):
        policy, guarantee, person, day, amount, sessions, code = value.split(" ", 6)
        return Claim(int(policy), int(guarantee), int(person), date.fromisoformat(day), code,
                     Decimal(amount), int(sessions))
    # Kept by a draft opened before claims were strings.
    return Claim(int(value["p"]), int(value["g"]), int(value["b"]),
                 date.fromisoformat(value["d"]), str(value["c"]), Decimal(value["a"]),
                 int(value["s"]))
