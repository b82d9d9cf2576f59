"""nlu.catalogue.analyse with the synonym tables: abbreviations, lay words, negation, sides."""

from __future__ import annotations

import pytest

from nlu.catalogue.analyse import Analyser


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser()


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("tac torace", "TC del torace"),
        ("rmn ginocchio", "RM del ginocchio"),
        ("risonanza magnetica ginocchio", "RM del ginocchio"),
        ("eco addome", "ecografia dell'addome"),
        ("radiografia del piede", "RX del piede"),
        ("ecg", "elettrocardiogramma"),
        ("egds", "esofagogastroduodenoscopia"),
        ("gastroscopia", "esofagogastroduodenoscopia"),
        ("visita dal cardiologo", "visita cardiologica"),
        ("visita oculista", "visita oculistica"),
        ("visita orl", "visita otorinolaringoiatrica"),
        ("dentista", "odontostomatologica"),
        ("ecodoppler carotidi", "ecocolordoppler tronchi sovraaortici"),
        ("azotemia", "urea"),
        ("glicemia", "glucosio"),
        ("pancia", "addome"),
        ("togliere la cistifellea", "colecistectomia"),
        ("colonna lombare", "rachide lombare"),
    ],
)
def test_customer_words_meet_the_official_ones(analyser: Analyser, typed: str, official: str) -> None:
    assert set(analyser.analyse(typed).terms) == set(analyser.analyse(official).terms)


def test_contrast_medium_in_every_wording(analyser: Analyser) -> None:
    official = analyser.analyse("TC DEL TORACE SENZA E CON MDC").terms
    for typed in ("tc torace con mdc", "tac torace con contrasto", "tc torace con mezzo di contrasto",
                  "tc torace con e senza mdc"):
        assert analyser.analyse(typed).terms == official


def test_senza_rules_out_what_follows(analyser: Analyser) -> None:
    said = analyser.analyse("tc torace senza mdc")
    assert "mdc" not in said.terms and "mdc" in said.negated
    said = analyser.analyse("Tonsillectomia senza adenoidectomia")
    assert "tonsill" in said.terms and said.negated == {"adenoid"}


@pytest.mark.parametrize("side", ["dx", "sx", "destro", "sinistra"])
def test_laterality_is_a_hint_not_a_term(analyser: Analyser, side: str) -> None:
    said = analyser.analyse(f"rx ginocchio {side}")
    assert said.one_side and set(said.terms) == set(analyser.analyse("rx ginocchio").terms)


def test_stopwords_and_fillers_vanish(analyser: Analyser) -> None:
    assert analyser.analyse("vorrei prenotare per favore").terms == ()
    assert analyser.analyse("intervento").terms == ()
