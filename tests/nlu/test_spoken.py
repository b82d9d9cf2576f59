"""nlu.spoken: numbers, amounts, IBANs and fillers as said aloud, written as typed."""

from __future__ import annotations

import pytest

from nlu.spoken import spoken_iban, without_fillers, written_form

IBAN = "IT60X0542811101000000123456"


@pytest.mark.parametrize(("said", "written"), [
    ("ventuno undici duemilaventisei", "21 11 2026"),  # a date, not a code
    ("il 3 12 26", "il 3 12 26"),
    ("pratica 26 000 112", "pratica 26000112"),
    ("trentadue virgola otto", "32,8"),
    ("centocinquanta virgola zero zero", "150,00"),
    ("dieci euro e mezzo", "10,50 euro"),
    ("mille e duecento euro", "1200 euro"),
    ("duemila e cinquecento", "2500"),
    ("alle nove e un quarto", "alle 9:15"),
])
def test_written_form(said: str, written: str) -> None:
    assert written_form(said) == written


@pytest.mark.parametrize("said", [
    "I T sei zero ics zero cinque quattro due otto uno uno uno zero uno zero zero zero zero "
    "zero zero uno due tre quattro cinque sei",
    "it sessanta X zero cinquecentoquarantadue ottomilacentoundici zero cento zero zero zero "
    "zero centoventitre quattrocentocinquantasei",
    "l'iban è I T 60 X 0542 8111 0100 0000 1234 56, grazie",
])
def test_an_iban_said_in_groups_and_words(said: str) -> None:
    assert spoken_iban(said) == IBAN


def test_no_iban_when_the_groups_are_too_few() -> None:
    assert spoken_iban("I T sei zero ics zero cinque quattro due") is None
    assert spoken_iban("vorrei un rimborso") is None


@pytest.mark.parametrize(("said", "kept"), [
    ("ehm, allora, annulla", "annulla"),
    ("praticamente una visita ehm oculistica", "una visita oculistica"),
    ("Eeehm dunque il 12 marzo", "il 12 marzo"),
    ("allora", "allora"),  # nothing else said: the text stays
    ("e basta", "e basta"),
    ("l'ecografia", "l'ecografia"),
])
def test_without_fillers(said: str, kept: str) -> None:
    assert without_fillers(said) == kept
