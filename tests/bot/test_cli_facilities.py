"""`medbot facilities search`: readable and JSON listings, nearest first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli.db import db_group
from bot.cli.facilities import facilities_group


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One database, initialised once (with the network), for every search below."""
    root = tmp_path_factory.mktemp("cli")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # no stray .env
        patch.delenv("MEDBOT_DATABASE_URL", raising=False)
        patch.setenv("MEDBOT_HOME", str(root / "var"))
        result = CliRunner().invoke(db_group, ["init"], catch_exceptions=False)
        assert "rete convenzionata: 412 strutture aggiunte o aggiornate" in result.output
        yield root / "var"


def _run(*args: str) -> Result:
    return CliRunner().invoke(facilities_group, ["search", *args], catch_exceptions=False)


def test_near_a_cap_as_json(home: Path) -> None:
    result = _run("--near", "20121", "--service", "88.76.1", "--json")
    assert result.exit_code == 0
    found = json.loads(result.output)
    assert len(found) == 8
    distances = [f["distance_km"] for f in found]
    assert distances == sorted(distances) and distances[0] < 2
    assert all(f["town"] == "Milano" and f["phone"].startswith("+39 02 ") for f in found)
    assert {"name", "kind", "smart_clinic", "address", "cap", "doctors"} <= set(found[0])


def test_readable_listing_marks_smart_clinics(home: Path) -> None:
    result = _run("--town", "Milano", "--service", "89.7A.3", "--limit", "4")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].endswith("★ Smart Clinic") and " km  Smart Clinic Milano " in lines[0]
    assert "20" in lines[1] and "Milano (MI) · tel. +39 02 " in lines[1]
    assert "Dott" in lines[2]


def test_near_a_town_or_a_point_and_the_catalogue_kind(home: Path) -> None:
    by_town = json.loads(
        _run("--near", "Roma", "--service", "51.23", "--kind", "ricovero", "--json").output
    )
    assert by_town and {f["kind"] for f in by_town} <= {"ospedale", "casa_di_cura"}
    by_point = json.loads(_run("--near", "41.8902, 12.4922", "--limit", "3", "--json").output)
    assert len(by_point) == 3 and by_point[0]["distance_km"] < 3


def test_doctor(home: Path) -> None:
    found = json.loads(_run("--town", "Torino", "--limit", "100", "--json").output)
    surname = found[0]["doctors"][0]["last_name"]
    result = _run("--town", "Torino", "--doctor", f"dott. {surname}", "--json")
    assert all(d["last_name"] == surname for f in json.loads(result.output) for d in f["doctors"])


def test_nothing_found_and_bad_places(home: Path) -> None:
    result = _run("--town", "Paperopoli")
    assert result.exit_code == 1 and result.output == "Nessuna struttura trovata.\n"
    result = _run("--town", "Paperopoli", "--json")
    assert result.exit_code == 1 and json.loads(result.output) == []
    result = CliRunner().invoke(facilities_group, ["search", "--near", "Paperopoli"])
    assert result.exit_code == 2 and "luogo sconosciuto" in result.output
