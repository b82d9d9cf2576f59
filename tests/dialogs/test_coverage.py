"""dialogs.coverage: what covers a service, the same answer when asked again (kept per
household object) and a new household's own answer."""

from __future__ import annotations

import dataclasses

import pytest

from dialogs.coverage import covering
from portal.models import CatalogueKind, Guarantee
from tests.dialogs.test_engine import GUARANTEES, HOUSEHOLD


def test_the_guarantees_covering_a_code_in_policy_order() -> None:
    pairs = covering(HOUSEHOLD, 1, "88.76.1", "ambulatoriale", reimbursement=True)
    assert [g.id for _, g in pairs] == [10, 11]
    assert [g.id for _, g in covering(HOUSEHOLD, 1, "88.41", "ambulatoriale",
                                      reimbursement=True)] == [11]
    assert covering(HOUSEHOLD, 1, "88.76.1", "ambulatoriale", reimbursement=False) == []
    assert covering(HOUSEHOLD, 2, "88.76.1", "ambulatoriale", reimbursement=True) == []
    assert covering(HOUSEHOLD, 1, "88.76.1", "ricovero", reimbursement=True) == []


def test_asked_again_the_same_answer_in_a_list_of_its_own() -> None:
    first = covering(HOUSEHOLD, 1, "88.76.1", "ambulatoriale", reimbursement=True)
    first.clear()  # a caller's list: changing it changes nothing kept
    assert len(covering(HOUSEHOLD, 1, "88.76.1", "ambulatoriale", reimbursement=True)) == 2


def test_another_household_object_is_answered_for_itself() -> None:
    covers_all = Guarantee(12, 5, "C", "Tutto", CatalogueKind.OUTPATIENT, ("*",), True, True)
    policy = dataclasses.replace(HOUSEHOLD.policies[0], guarantees=(*GUARANTEES, covers_all))
    richer = dataclasses.replace(HOUSEHOLD, policies=(policy,))
    assert covering(HOUSEHOLD, 1, "89.52", "ambulatoriale", reimbursement=True) == []
    assert [g.id for _, g in covering(richer, 1, "89.52", "ambulatoriale",
                                      reimbursement=True)] == [12]
    assert [g.id for _, g in covering(richer, 1, "89.52", "ambulatoriale",
                                      reimbursement=False)] == [12]


def test_an_unknown_kind_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError):
            covering(HOUSEHOLD, 1, "89.52", "altro", reimbursement=True)
