"""What the household already used of its yearly limits: read from its requests when asked, or
kept with a draft (as JSON) so that the summary and the policy choice can show estimates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.services import Services
from portal.estimate import Claim, claims_of
from portal.models import Household

__all__ = ["claims_from_json", "claims_json", "load_claims"]


async def load_claims(services: Services, household: Household) -> list[Claim]:
    """The household's reimbursements as the yearly limits count them (paid, or pending)."""
    return claims_of(await services.list_requests(household.customer.id), household)


def claims_json(claims: list[Claim]) -> list[dict[str, Any]]:
    return [{"p": c.policy_id, "g": c.guarantee_id, "b": c.beneficiary_id,
             "d": c.day.isoformat(), "c": c.service_code, "a": str(c.amount), "s": c.sessions}
            for c in claims]


def claims_from_json(value: Any) -> list[Claim]:
    if not isinstance(value, list):
        return []
    return [Claim(int(c["p"]), int(c["g"]), int(c["b"]), date.fromisoformat(c["d"]), str(c["c"]),
                  Decimal(c["a"]), int(c["s"])) for c in value]
