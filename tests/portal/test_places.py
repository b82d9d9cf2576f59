"""portal.places: town names and CAPs to comuni, distances."""

from __future__ import annotations

import pytest

from portal.places import distance_km, normalise, place_by_istat, resolve_place


@pytest.mark.parametrize(
    ("text", "name", "province"),
    [
        ("Roma", "Roma", "RM"),
        ("  MILANO ", "Milano", "MI"),
        ("milano centro", "Milano", "MI"),
        ("comune di Torino", "Torino", "TO"),
        ("Rome", "Roma", "RM"),
        ("forli", "Forlì", "FC"),
        ("S. Giovanni Rotondo", "San Giovanni Rotondo", "FG"),
        ("Sant Agata di Militello", "Sant'Agata di Militello", "ME"),
        ("L'Aquila", "L'Aquila", "AQ"),
        ("Reggio Emilia", "Reggio nell'Emilia", "RE"),
        ("Bozen", "Bolzano", "BZ"),
        ("Milanno", "Milano", "MI"),
        ("Samone", "Samone", "TO"),  # two comuni: the bigger one
        ("Samone (TN)", "Samone", "TN"),
    ],
)
def test_towns(text: str, name: str, province: str) -> None:
    place = resolve_place(text)
    assert place is not None, text
    assert (place.name, place.province) == (name, province)
    assert place.cap is None


def test_caps() -> None:
    milan = resolve_place("20121")
    assert milan is not None
    assert (milan.name, milan.istat, milan.cap, milan.region) == (
        "Milano",
        "015146",
        "20121",
        "Lombardia",
    )
    rome = resolve_place("00186")
    assert rome is not None and rome.name == "Roma"
    shared = resolve_place("00010")  # several small comuni near Rome share it
    assert shared is not None and shared.province == "RM" and shared.cap == "00010"
    assert resolve_place("99999") is None


@pytest.mark.parametrize(
    "text", ["", "  ", "Paperopoli", "xy", "1234", "Torion del Sangro e Molise"]
)
def test_unknown(text: str) -> None:
    assert resolve_place(text) is None


def test_points_and_distances() -> None:
    rome, milan = resolve_place("Roma"), resolve_place("Milano")
    assert rome is not None and rome.lat is not None and rome.lon is not None
    assert milan is not None and milan.lat is not None and milan.lon is not None
    assert distance_km((rome.lat, rome.lon), (milan.lat, milan.lon)) == pytest.approx(477, abs=10)
    assert distance_km((41.9, 12.5), (41.9, 12.5)) == 0
    # One degree of latitude is about 111 km everywhere.
    assert distance_km((41.0, 12.5), (42.0, 12.5)) == pytest.approx(111.2, abs=0.1)
    assert place_by_istat("058091") == rome and place_by_istat("000000") is None


def test_normalise() -> None:
    assert normalise("  Forlì-Cesena, L'Aquila ") == "forli cesena l aquila"
