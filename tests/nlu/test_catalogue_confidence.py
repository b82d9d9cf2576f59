"""The catalogue's confidence: what names a service is offered, what does not is never searched
or falls below the line with its closest family; several services in one message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.catalogue import CONFIDENT, closest_family, load_catalogue, not_a_service

HERE = Path(__file__).parent
DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "catalogue.dev.jsonl"
FAMILY = ("Mario", "Anna", "Luca", "Marco")


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_services_of_the_held_out_set_are_confident() -> None:
    catalogue = load_catalogue()
    rows = _rows(HERE / "catalogue_holdout.jsonl")
    if DEV.exists():
        rows += _rows(DEV)
    low = [r["text"] for r in rows
           if not catalogue.assess(str(r["text"]), kind=r.get("kind")).confident]  # type: ignore[arg-type]
    assert len(low) / len(rows) <= 0.02, low


def test_texts_that_are_not_services_fall_below_the_line() -> None:
    catalogue = load_catalogue()
    rows = _rows(HERE / "catalogue_not_services.jsonl")
    high = [r["text"] for r in rows if catalogue.assess(str(r["text"]), people=FAMILY).confident]
    assert len(high) / len(rows) <= 0.02, high


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("lassa sta", "refusal"),
        ("boh", "refusal"),
        ("boh non saprei", "refusal"),
        ("lascia perdere dai", "refusal"),
        ("luca", "person"),
        ("Anna Rossi", "person"),
        ("per mio figlio", "person"),
        ("posso parlare con qualcuno?", "question"),
        ("quanto costa?", "question"),
        ("ma è coperta dalla polizza?", "question"),
        ("anzi no, la visita era per luca", "correction"),
        ("no aspetta, ho sbagliato", "correction"),
        ("scusa volevo dire per Anna", "correction"),
        ("annulla", "command"),
        ("operatore", "command"),
        ("torna indietro", "command"),
    ],
)
def test_never_searched(text: str, reason: str) -> None:
    assert not_a_service(text, FAMILY) == reason
    found = load_catalogue().assess(text, people=FAMILY)
    assert found.matches == [] and found.not_service == reason and not found.confident


@pytest.mark.parametrize(
    "text",
    ["visita cardiologica", "ecg", "eco addome", "rmn ginocchio sx", "visita cardiolgica",
     "ecografia adome completo", "89.7A.3", "esami del sangue", "holter"],
)
def test_services_are_searched(text: str) -> None:
    assert not_a_service(text, FAMILY) is None
    assert load_catalogue().assess(text, people=FAMILY).confident


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("quella cosa del cuore", "la cardiologia"),
        ("un controllo agli occhi", "l'oculistica"),
        ("quella roba dei nei", "la dermatologia"),
        ("mi fa male il ginocchio", "l'ortopedia"),
        ("pulizia dei denti dal mio dentista di fiducia", "l'odontoiatria"),
    ],
)
def test_closest_family(text: str, family: str) -> None:
    found = closest_family(text)
    assert found is not None and found.name == family


def test_no_family_for_unrelated_words() -> None:
    assert closest_family("che tempo fa oggi") is None
    assert closest_family("") is None


def test_below_the_line_names_the_family() -> None:
    found = load_catalogue().assess("quella cosa del cuore")
    assert not found.confident and found.confidence < CONFIDENT
    assert found.family is not None and found.family.name == "la cardiologia"


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ("visita cardiologica, ecg e esami del sangue",
         ["visita cardiologica", "ecg", "esami del sangue"]),
        ("tac torace + rx bacino", ["tac torace", "rx bacino"]),
        ("visita oculistica e visita dermatologica", ["visita oculistica", "visita dermatologica"]),
        ("rm ginocchio e spalla", ["rm ginocchio", "rm spalla"]),
        ("visita cardiologica ed emocromo", ["visita cardiologica", "emocromo"]),
    ],
)
def test_several_services(text: str, services: list[str]) -> None:
    found = load_catalogue().assess_several(text)
    assert [a.text for a in found] == services
    assert all(a.confident for a in found)
    assert len({a.matches[0].code for a in found}) == len(services)


@pytest.mark.parametrize(
    "text", ["ecografia reni e vescica", "rx mano e polso", "ecografia addome completo",
             "visita ortopedica di controllo"],
)
def test_one_service_with_an_and_stays_one(text: str) -> None:
    found = load_catalogue().assess_several(text)
    assert len(found) == 1 and found[0].confident


def test_a_long_list_is_not_split_without_end() -> None:
    text = ", ".join(["visita cardiologica", "ecg"] * 20)
    assert len(load_catalogue().assess_several(text)) == 1
