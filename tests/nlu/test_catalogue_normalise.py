"""nlu.catalogue.normalise: folding, tokens and the light stemmer."""

from __future__ import annotations

import pytest

from nlu.catalogue.normalise import BOUNDARY, fold, stem, tokens


def test_fold_lowers_and_strips_accents_and_apostrophes() -> None:
    assert fold("Ecografia DELL'ADDOME più") == "ecografia dell addome piu"
    assert fold("dell’anca") == "dell anca"


def test_fold_keeps_clause_breaks() -> None:
    assert tokens("TC DEL TORACE. Incluso: ECG") == (
        "tc",
        "del",
        "torace",
        BOUNDARY,
        "incluso",
        BOUNDARY,
        "ecg",
    )


def test_brackets_inside_a_word_belong_to_it() -> None:
    assert tokens("ECO(COLOR)DOPPLERGRAFIA CARDIACA") == ("ecocolordopplergrafia", "cardiaca")


@pytest.mark.parametrize("text", ["holter 24h", "holter h24", "holter 24 ore", "holter 24ore"])
def test_hours_are_spelt_out(text: str) -> None:
    assert tokens(text) == ("holter", "24", "ore")


def test_letters_glued_to_digits_are_split() -> None:
    assert tokens("ca125 b12") == ("ca", "125", "b", "12")


@pytest.mark.parametrize(
    ("words", "common"),
    [
        (("cardiologia", "cardiologica", "cardiologo"), "cardiolog"),
        (("ecografia", "ecografica", "ecografie"), "ecograf"),
        (("oculista", "oculistica"), "oculist"),
        (("psichiatra", "psichiatrica"), "psichiatr"),
        (("rene", "renale", "reni"), "ren"),
        (("vena", "venoso", "vene"), "ven"),
        (("polmone", "polmonare"), "polmon"),
        (("ginocchio", "ginocchia"), "ginocc"),
        (("anca", "anche"), "anc"),
        (("ombelico", "ombelicale"), "ombelic"),
        (("laparoscopica", "laparoscopicamente"), "laparoscop"),
    ],
)
def test_stem_folds_noun_adjective_and_plural(words: tuple[str, ...], common: str) -> None:
    assert {stem(word) for word in words} == {common}


def test_stem_leaves_short_words_and_numbers() -> None:
    assert [stem(word) for word in ("eco", "rx", "tc", "24", "ft4")] == [
        "eco",
        "rx",
        "tc",
        "24",
        "ft4",
    ]
