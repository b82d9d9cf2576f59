"""nlu.catalogue.codes: catalogue codes typed in a query."""

from __future__ import annotations

import pytest

from nlu.catalogue.codes import find_codes, strip_codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("89.52", ["89.52"]),
        ("89.7a.3", ["89.7A.3"]),
        ("88.76.1 ecografia addome", ["88.76.1"]),
        ("codice 89,52", ["89.52"]),
        ("G1.01.D", ["G1.01.D"]),
        ("96.6A", ["96.6A"]),
        ("holter 24h", []),
        ("85", []),
    ],
)
def test_codes_are_found_and_normalised(text: str, codes: list[str]) -> None:
    assert find_codes(text) == codes


def test_strip_codes_keeps_the_words() -> None:
    assert strip_codes("88.76.1 ecografia addome").split() == ["ecografia", "addome"]
