"""nlu.catalogue.english: English lay names of the commonest visits and tests, mapped to the
catalogue's codes (data/catalogue/aliases_en.csv), and the English glosses."""

from __future__ import annotations

import csv

import pytest

from nlu.catalogue import assess, load_catalogue, search
from nlu.catalogue.english import TABLE, english_name, english_names_in, gloss


def test_every_row_names_an_entry_of_the_catalogue() -> None:
    catalogue = load_catalogue()
    with TABLE.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) >= 60
    missing = [r["code"] for r in rows if catalogue.get(r["code"], r["kind"]) is None]
    assert not missing


@pytest.mark.parametrize(
    ("text", "code"),
    [("eye exam", "95.02"), ("my son's eye exam", "95.02"), ("an eye test please", "95.02"),
     ("cardiology visit", "89.7A.3"), ("blood test", "90.62.2"), ("Chest X-ray", "87.44.1"),
     ("MRI of the knee", "88.94.D"), ("dental cleaning", "96.54.1"), ("physio", "93.11.1"),
     ("abdominal ultrasound", "88.76.1"), ("pap smear", "91.38.5"), ("mammogram", "87.37.1")],
)
def test_english_names_are_searched_to_the_same_codes(text: str, code: str) -> None:
    found = assess(text)
    assert found.confident and found.matches[0].code == code
    assert search(text)[0].code == code


@pytest.mark.parametrize("text", ["visita cardiologica e holter", "eye exam and blood test",
                                  "the eye of the storm", "visita oculistica"])
def test_only_a_whole_english_name_is_taken(text: str) -> None:
    assert english_name(text) is None


def test_names_found_in_a_sentence() -> None:
    assert english_names_in("reimbursement for my son's eye exam on March 12") == ["eye exam"]
    assert english_names_in("I need a chest x-ray and a blood test") == ["chest x ray",
                                                                         "blood test"]


def test_gloss() -> None:
    assert gloss("95.02", "ambulatoriale") == "eye examination"
    assert gloss("00.00", "ambulatoriale") is None
