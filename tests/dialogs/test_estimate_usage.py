"""The claims kept with a draft: written as strings, read back whole, older drafts' objects
read too."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dialogs.estimate import claims_from_json, claims_json
from portal.estimate import Claim

CLAIMS = [Claim(1, 7, 2, date(2025, 5, 14), "88.94.D", Decimal("224.00"), 1),
          Claim(3, 4, 1, date(2026, 3, 27), "89.7A.3", Decimal("0.50"), 12),
          Claim(1, 2, 1, date(2026, 1, 19), "", Decimal("35"), 0)]


def test_claims_survive_the_state() -> None:
    kept = claims_json(CLAIMS)
    assert all(isinstance(c, str) for c in kept)
    assert claims_from_json(kept) == CLAIMS


def test_claims_kept_as_objects_by_an_older_draft_are_read() -> None:
    older = [{"p": 1, "g": 7, "b": 2, "d": "2025-05-14", "c": "88.94.D", "a": "224.00", "s": 1}]
    assert claims_from_json(older) == CLAIMS[:1]
    assert claims_from_json(None) == [] and claims_from_json("x") == []


def test_claims_read_again_come_in_a_list_of_their_own() -> None:
    kept = claims_json(CLAIMS)
    first = claims_from_json(kept)
    first.clear()
    assert claims_from_json(list(kept)) == CLAIMS
