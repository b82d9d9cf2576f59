"""nlu.catalogue.spelling: typos corrected against the catalogue's words."""

from __future__ import annotations

import pytest

from nlu.catalogue import assess
from nlu.catalogue.spelling import Speller

_SPELLER = Speller(
    {
        "cardiologica": 5,
        "ecografia": 40,
        "addome": 12,
        "colonscopia": 6,
        "ginocchio": 9,
        "elettrocardiogramma": 3,
    }
)


def test_known_words_are_kept() -> None:
    assert _SPELLER.correct("addome") == "addome"


def test_one_and_two_slips_are_corrected() -> None:
    assert _SPELLER.correct("cardiolgica") == "cardiologica"  # deletion
    assert _SPELLER.correct("adddome") == "addome"  # insertion
    assert _SPELLER.correct("colonscopai") == "colonscopia"  # swap
    assert _SPELLER.correct("ecogarfai") == "ecografia"  # two swaps in a long word
    assert _SPELLER.correct("elettrocardigrama") == "elettrocardiogramma"  # two letters missing
    assert _SPELLER.correct("ginochio") == "ginocchio"


def test_nothing_close_is_none_and_short_words_are_not_guessed() -> None:
    assert _SPELLER.correct("pizza") is None
    assert _SPELLER.correct("eko") is None


@pytest.mark.parametrize(("said", "code"), [
    ("eco grafia dell'addome", "88.76.1"),
    ("elettro cardiogramma", "89.52"),
    ("visita cardio logica", "89.7A.3"),
    ("visita gineco logica", "89.26.1"),
    ("colon scopia", "45.23"),
    ("densito metria ossea", "88.98"),
    ("t a c del torace", "87.41"),
    ("r m n del ginocchio", "88.94.D"),
    ("ehm praticamente una visita dermatologica", "89.7A.7"),
])
def test_words_said_in_pieces_and_hesitations(said: str, code: str) -> None:
    found = assess(said)
    assert found.confident and found.matches[0].code == code
