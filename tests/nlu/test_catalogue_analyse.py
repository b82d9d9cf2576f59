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
def test_customer_words_meet_the_official_ones(
    analyser: Analyser, typed: str, official: str
) -> None:
    assert set(analyser.analyse(typed).terms) == set(analyser.analyse(official).terms)


def test_contrast_medium_in_every_wording(analyser: Analyser) -> None:
    official = analyser.analyse("TC DEL TORACE SENZA E CON MDC").terms
    for typed in (
        "tc torace con mdc",
        "tac torace con contrasto",
        "tc torace con mezzo di contrasto",
        "tc torace con e senza mdc",
    ):
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


def test_prescription_shorthand(analyser: Analyser) -> None:
    assert set(analyser.analyse("ECODOPPLER AA.II.").terms) == set(
        analyser.analyse("ecodoppler arti inferiori").terms
    )
    said = analyser.analyse("TC TORACE S/MDC")
    assert "mdc" in said.negated and "mdc" not in said.terms
    assert "mdc" in analyser.analyse("TC TORACE C/MDC").terms
    assert analyser.analyse("RX TORACE 2P").terms == analyser.analyse("rx torace").terms


def test_non_negates_like_senza(analyser: Analyser) -> None:
    said = analyser.analyse("stent non medicato")
    assert "stent" in said.terms and said.negated == {"medicat"}


def test_abbreviations_match_only_as_typed(analyser: Analyser) -> None:
    assert analyser.analyse("vit d").terms == analyser.analyse("vitamina d").terms
    assert "vitamin" not in analyser.analyse("colorazioni vitali").terms  # "vitali" stems to "vit"
    assert analyser.analyse("alt").terms == analyser.analyse("gpt").terms
    assert "gpt" not in analyser.analyse("alto flusso").terms


def test_nei_is_moles_only_at_the_end(analyser: Analyser) -> None:
    assert "nev" in analyser.analyse("controllo dei nei").terms
    assert "nev" not in analyser.analyse("dolore nei reni").terms


def test_anche_is_hips_after_an_exam_or_an_article(analyser: Analyser) -> None:
    assert "anc" in analyser.analyse("ecografia anche neonato").terms
    assert "anc" in analyser.analyse("ECOGRAFIA DELLE ANCHE NEL NEONATO").terms
    assert "anc" not in analyser.analyse("vorrei anche la visita").terms
