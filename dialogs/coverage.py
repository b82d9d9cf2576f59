"""Which policies and guarantees of a household cover a service for a person."""

from __future__ import annotations

from portal.models import CatalogueKind, Guarantee, Household, Policy


def covering(
    household: Household, person_id: int, code: str, kind: str, *, reimbursement: bool
) -> list[tuple[Policy, Guarantee]]:
    """(policy, guarantee) pairs that cover `code` for the person, in policy order.

    `reimbursement` selects guarantees that reimburse (True) or pay the facility directly.
    """
    catalogue_kind = CatalogueKind(kind)
    pairs = []
    for policy in household.policies:
        if person_id not in policy.insured_ids:
            continue
        for guarantee in policy.guarantees:
            allowed = guarantee.reimbursement if reimbursement else guarantee.direct
            if allowed and guarantee.covers_code(code, catalogue_kind):
                pairs.append((policy, guarantee))
    return pairs
