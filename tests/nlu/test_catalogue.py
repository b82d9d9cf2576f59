"""nlu.catalogue: loading the catalogues and searching them as customers type."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from nlu.catalogue import Catalogue, Entry, Match, load_catalogue, search
from nlu.catalogue.catalogue import DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


def _first(catalogue: Catalogue, text: str, kind: str | None = None) -> str:
    matches = catalogue.search(text, kind=kind)
    assert matches, f"nothing found for {text!r}"
    return matches[0].code


def test_default_catalogue_is_built_once(catalogue: Catalogue) -> None:
    assert load_catalogue() is catalogue
    assert load_catalogue(DEFAULT_DATA_DIR) is catalogue


def test_both_catalogues_are_loaded(catalogue: Catalogue) -> None:
    assert sum(1 for _ in catalogue.entries("ambulatoriale")) == 2108
    assert sum(1 for _ in catalogue.entries("ricovero")) == 3733  # leaf ICD-9-CM codes only
    assert catalogue.get("85", kind="ricovero") is None  # a group, not a codeable intervention


def test_get_returns_the_entry_with_its_official_text(catalogue: Catalogue) -> None:
    entry = catalogue.get("89.7a.3")
    assert isinstance(entry, Entry)
    assert (entry.code, entry.kind, entry.name) == (
        "89.7A.3",
        "ambulatoriale",
        "Prima visita cardiologica",
    )
    assert entry.description.startswith("PRMA VISITA CARDIOLOGICA")
    intervention, outpatient = catalogue.get("45.23", kind="ricovero"), catalogue.get("45.23")
    assert intervention is not None and intervention.name == "Colonscopia con endoscopio flessibile"
    assert outpatient is not None and outpatient.kind == "ambulatoriale"
    assert catalogue.get("99.99.99") is None


def test_customer_names_are_clean(catalogue: Catalogue) -> None:
    for entry in catalogue.entries():
        letters = [char for char in entry.name if char.isalpha()]
        capitals = sum(char.isupper() for char in letters) / len(letters)
        assert entry.name[0].isupper() or entry.name[0].isdigit(), entry
        assert "Non associabile" not in entry.name and "Incluso:" not in entry.name, entry
        assert capitals < 0.5 or len(letters) <= 8, entry


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("eco addome", "ambulatoriale", "88.76.1"),
        ("rmn ginocchio sx", "ambulatoriale", "88.94.D"),
        ("tac torace con contrasto", "ambulatoriale", "87.41.1"),
        ("visita cardiolgica", "ambulatoriale", "89.7A.3"),
        ("ecg", "ambulatoriale", "89.52"),
        ("emocromo con formula", "ambulatoriale", "90.62.2"),
        ("89.52", "ambulatoriale", "89.52"),
        ("togliere la cistifellea", "ricovero", "51.22"),
    ],
)
def test_the_issue_examples_come_first(
    catalogue: Catalogue, text: str, kind: str, code: str
) -> None:
    assert _first(catalogue, text, kind) in {code, "51.23"}


def test_a_bare_visit_is_a_first_visit(catalogue: Catalogue) -> None:
    assert _first(catalogue, "visita cardiologica") == "89.7A.3"
    assert _first(catalogue, "visita cardiologica di controllo") == "89.01.3"
    assert _first(catalogue, "controllo cardiologico") == "89.01.3"
    assert _first(catalogue, "visita oculista") == "95.02"


def test_contrast_medium_with_or_without(catalogue: Catalogue) -> None:
    assert _first(catalogue, "tc torace con mdc") == "87.41.1"
    assert _first(catalogue, "tc torace senza mdc") == "87.41"
    assert _first(catalogue, "rm spalla") == "88.94.4"


def test_modality_and_side_matter(catalogue: Catalogue) -> None:
    assert _first(catalogue, "tac ginocchio") == "88.39.4"
    assert _first(catalogue, "rx ginocchio dx") == "88.27.2"
    assert _first(catalogue, "ecografia mammella sx") == "88.73.2"
    assert _first(catalogue, "ecografia mammaria") == "88.73.1"


def test_lay_words_for_interventions(catalogue: Catalogue) -> None:
    assert _first(catalogue, "appendicite", "ricovero") in {"47.01", "47.09"}
    assert _first(catalogue, "operazione al menisco", "ricovero") == "80.6"
    assert _first(catalogue, "cataratta", "ricovero") == "13.41"
    assert _first(catalogue, "tunnel carpale", "ricovero") == "04.43"
    assert _first(catalogue, "protesi anca", "ricovero") == "81.51"
    assert _first(catalogue, "tonsille", "ricovero") in {"28.2", "28.3"}


def test_typos_are_tolerated(catalogue: Catalogue) -> None:
    assert _first(catalogue, "ecografia adome completo") == "88.76.1"
    assert _first(catalogue, "colonscopai") == "45.23"
    assert _first(catalogue, "elettrocardigramma") == "89.52"


def test_codes_alone_or_with_words(catalogue: Catalogue) -> None:
    exact = catalogue.search("89.7A.3")
    assert (exact[0].code, exact[0].score) == ("89.7A.3", 100.0)
    assert [match.code for match in catalogue.search("89.7A", limit=3)] == [
        "89.7A.1",
        "89.7A.2",
        "89.7A.3",
    ]
    assert _first(catalogue, "88.76.1 ecografia addome") == "88.76.1"
    assert _first(catalogue, "ca 19.9") == "90.55.3"  # a lab test, not ICD-9-CM code 19.9


def test_kind_filters_the_catalogue(catalogue: Catalogue) -> None:
    for kind in ("ambulatoriale", "ricovero"):
        matches = catalogue.search("colonscopia", kind=kind, limit=10)
        assert matches and {match.kind for match in matches} == {kind}
    assert {match.kind for match in catalogue.search("colonscopia", limit=10)} == {
        "ambulatoriale",
        "ricovero",
    }
    with pytest.raises(ValueError, match="unknown kind"):
        catalogue.search("colonscopia", kind="ospedale")


@pytest.mark.parametrize(
    "text", ["", "   ", "ciao", "boh", "asdfgh", "pizza margherita", "grazie mille"]
)
def test_nothing_close_finds_nothing(catalogue: Catalogue, text: str) -> None:
    assert catalogue.search(text) == []


def test_matches_are_scored_sorted_and_limited(catalogue: Catalogue) -> None:
    matches = catalogue.search("rx", limit=7)
    assert 0 < len(matches) <= 7
    assert all(0.0 <= match.score <= 100.0 for match in matches)
    assert [match.score for match in matches] == sorted(
        (match.score for match in matches), reverse=True
    )
    assert catalogue.search("rx", limit=0) == []


def test_match_is_a_frozen_value() -> None:
    match = search("ecg")[0]
    assert isinstance(match, Match)
    assert dataclasses.asdict(match) == {
        "code": "89.52",
        "name": "Elettrocardiogramma",
        "kind": "ambulatoriale",
        "score": 100.0,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.score = 0.0  # type: ignore[misc]


def test_prescription_shorthand_finds_the_service(catalogue: Catalogue) -> None:
    assert _first(catalogue, "RX GINOCCHIO DX 2P") == "88.27.2"
    assert _first(catalogue, "TC TORACE S/MDC") == "87.41"
    assert _first(catalogue, "ECOCOLORDOPPLER ARTERIOSO AA.II.") == "88.77.4"
    assert _first(catalogue, "stent non medicato", "ricovero") in {"36.06", "39.90"}
    assert _first(catalogue, "stent coronarico non medicato", "ricovero") == "36.06"
    assert _first(catalogue, "stent coronarico medicato", "ricovero") == "36.07"


def test_a_list_of_tests_finds_each_of_them(catalogue: Catalogue) -> None:
    codes = {match.code for match in catalogue.search("sideremia ferritina transferrina", limit=5)}
    assert {"90.22.5", "90.22.3"} <= codes


def test_a_word_still_being_typed_is_completed(catalogue: Catalogue) -> None:
    assert _first(catalogue, "ecografia add") == "88.76.1"
    assert _first(catalogue, "rmn spal") == "88.94.4"


def test_an_intervention_without_an_action_means_taking_out(catalogue: Catalogue) -> None:
    assert _first(catalogue, "operazione alla tiroide", "ricovero") == "06.4"
    assert _first(catalogue, "operazione all'appendice", "ricovero") in {"47.01", "47.09"}


def test_a_panel_alone_stands_for_its_tests(catalogue: Catalogue) -> None:
    assert {"90.14.3", "90.14.1", "90.43.2"} <= {
        match.code for match in catalogue.search("profilo lipidico")
    }
    assert {"90.40.4", "90.37.4"} <= {match.code for match in catalogue.search("elettroliti")}
    # inside a longer name the same words keep their own meaning
    assert _first(catalogue, "breath test funzionalità epatica") == "45.29.6"


def test_held_out_queries_stay_answered(catalogue: Catalogue) -> None:
    """A guard against regressions on tests/nlu/catalogue_holdout.jsonl (the figures are printed
    by `medbot eval catalogue`)."""
    path = Path(__file__).with_name("catalogue_holdout.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    first = top = 0
    for row in rows:
        codes = [match.code for match in catalogue.search(row["text"], kind=row["kind"])]
        first += bool(codes) and codes[0] in row["accept"]
        top += any(code in row["accept"] for code in codes)
    assert first / len(rows) >= 0.95
    assert top / len(rows) >= 0.98


def test_a_typo_is_read_in_the_context_of_the_other_words(catalogue: Catalogue) -> None:
    # "salla" is one slip from both "spalla" and "sella": the arthroscopy decides
    assert _first(catalogue, "artroscopia salla", "ricovero") == "80.21"
    assert _first(catalogue, "coleistetomia", "ricovero") in {"51.22", "51.23"}
    assert _first(catalogue, "visita oclisda") == "95.02"
