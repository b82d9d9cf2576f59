"""Which policies and guarantees of a household cover a service for a person."""

from __future__ import annotations

from portal.models import CatalogueKind, Guarantee, Household, Policy

# Asked several times a turn (each answered step checks it still holds, the policy and
# guarantee steps list it) about a household the store hands over again, the same object,
# every turn: kept per household object, for the last few households.
_KEPT_HOUSEHOLDS = 256
_Pairs = tuple[tuple[Policy, Guarantee], ...]
_known: dict[int, tuple[Household, dict[tuple[int, str, str, bool], _Pairs]]] = {}


def covering(
    household: Household, person_id: int, code: str, kind: str, *, reimbursement: bool
) -> list[tuple[Policy, Guarantee]]:
    """(policy, guarantee) pairs that cover `code` for the person, in policy order.

    `reimbursement` selects guarantees that reimburse (True) or pay the facility directly.
    """
    entry = _known.get(id(household))
    if entry is None or entry[0] is not household:  # held while kept: its id is its own
        if len(_known) >= _KEPT_HOUSEHOLDS:
            del _known[next(iter(_known))]
        entry = _known[id(household)] = (household, {})
    answers = entry[1]
    key = (person_id, code, kind, reimbursement)
    pairs = answers.get(key)
    if pairs is None:
        pairs = answers[key] = _covering(household, person_id, code, kind, reimbursement)
    return list(pairs)


def _covering(household: Household, person_id: int, code: str, kind: str,
              reimbursement: bool) -> _Pairs:
    catalogue_kind = CatalogueKind(kind)
    pairs = []
    for policy in household.policies:
        if person_id not in policy.insured_ids:
            continue
        for guarantee in policy.guarantees:
            allowed = guarantee.reimbursement if reimbursement else guarantee.direct
            if allowed and guarantee.covers_code(code, catalogue_kind):
                pairs.append((policy, guarantee))
    return tuple(pairs)
