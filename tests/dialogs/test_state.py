"""State.to_json: a deep copy, whatever the answers hold (copied in C when plain)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dialogs.state import State


@dataclass
class _Picked:
    code: str
    days: list[int]


class _Kind(StrEnum):
    EXPENSE = "spesa"


def test_to_json_is_a_deep_copy_sharing_nothing() -> None:
    shared = {"amount": "85.00"}
    state = State(flow="rimborso", answers={"expenses": [shared, shared], "year": 2026,
                                            "flags": (True, None, 1.5), 7: "int key"},
                  trail=["year"])
    copied = State.to_json(state)
    assert copied["answers"] == state.answers and copied["trail"] == ["year"]
    first, second = copied["answers"]["expenses"]
    assert first is not shared and first is not second  # no aliasing in the copy
    first["amount"] = "1.00"
    copied["trail"].append("beneficiary")
    assert shared == {"amount": "85.00"} and state.trail == ["year"]
    assert copied["answers"]["flags"] == (True, None, 1.5)  # a tuple stays a tuple
    assert copied["answers"][7] == "int key"


def test_to_json_turns_nested_dataclasses_into_dicts_and_keeps_other_values() -> None:
    day = date(2026, 3, 12)
    state = State(answers={"picked": _Picked("89.7A.3", [1, 2]), "day": day,
                           "kind": _Kind.EXPENSE, "plain": {"a": [1]}})
    copied = state.to_json()
    assert copied["answers"]["picked"] == {"code": "89.7A.3", "days": [1, 2]}
    assert copied["answers"]["day"] == day and copied["answers"]["kind"] is _Kind.EXPENSE
    assert copied["answers"]["plain"] == {"a": [1]}
    assert copied["answers"]["plain"] is not state.answers["plain"]
