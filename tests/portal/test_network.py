"""portal.network and data/facilities/generate.py: loading once, completing the demo, reproducible."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from sqlalchemy import func, select

from portal.models import CatalogueKind
from portal.network import NETWORK_FILE, load_network
from portal.schema import doctors, facilities, facility_services
from portal.store import Store
from tests.auxil.portal import open_store

GENERATOR = NETWORK_FILE.parent / "generate.py"
NETWORK = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))


@cache
def _generator() -> ModuleType:
    """data/facilities/generate.py, a script rather than a package module."""
    spec = importlib.util.spec_from_file_location("facilities_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def _count(store: Store, table: object) -> int:
    async with store.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


async def test_loading_twice_adds_nothing_and_completes_the_demo(store: Store) -> None:
    before = {f.name: f.id for f in await store.facilities()}
    assert await load_network(store) == len(NETWORK["facilities"]) + len(NETWORK["attached"])
    assert await load_network(store) == 0
    assert await _count(store, facilities) == len(before) + len(NETWORK["facilities"])
    loaded = {f.name: f for f in await store.facilities(town="Roma")}
    # The demo's facilities keep their ids (its requests point at them) and gain the rest.
    prati = loaded["Centro Medico Salus Prati"]
    assert prati.id == before["Centro Medico Salus Prati"] and prati.code == "D-salus_prati"
    assert prati.phone and prati.hours and prati.istat == "058091"
    services = await store.facility_services(prati.id)
    assert "89.7*" in services[CatalogueKind.OUTPATIENT]
    assert await store.facility_doctors(prati.id)
    aurelia = await store.facility_services(loaded["Aurelia Hospital"].id)
    assert "28*" in aurelia[CatalogueKind.HOSPITAL]


async def test_loading_without_the_demo(tmp_path: Path) -> None:
    store = await open_store(tmp_path)
    try:
        assert await load_network(store) == len(NETWORK["facilities"])  # nothing to attach to
        assert await _count(store, facilities) == len(NETWORK["facilities"])
        assert await _count(store, doctors) == sum(len(f["doctors"]) for f in NETWORK["facilities"])
        services = sum(len(p) for f in NETWORK["facilities"] for p in f["services"].values())
        assert await _count(store, facility_services) == services
        assert await load_network(store) == 0
    finally:
        await store.close()


def test_the_generator_is_reproducible_and_its_output_committed() -> None:
    generator = _generator()
    first = generator.render(generator.build())
    assert first == generator.render(generator.build())
    # Regenerate with `.venv/bin/python data/facilities/generate.py` after changing it.
    assert first == NETWORK_FILE.read_text(encoding="utf-8")


def test_the_network_is_what_its_readme_says() -> None:
    items = NETWORK["facilities"]
    kinds = [f["kind"] for f in items]
    assert 300 <= len(items) <= 600
    assert kinds.count("smart_clinic") == 15
    assert all(f["smart_clinic"] == (f["kind"] == "smart_clinic") for f in items)
    assert len({f["code"] for f in items}) == len(items)
    assert all(1 <= len(f["doctors"]) <= 4 for f in items)
    assert all(f["phone"].startswith("+39 0") and f["address"] and f["cap"] for f in items)
    hospitals = [f for f in items if f["kind"] in ("ospedale", "casa_di_cura")]
    assert hospitals and all(f["services"].get("ricovero") for f in hospitals)
    assert not any("ricovero" in f["services"] for f in items if f not in hospitals)
    # The hospitals are the registry's: each code is a row of the copied source.
    with (NETWORK_FILE.parent / "sources" / "strutture_ricovero.csv").open(encoding="utf-8") as f:
        registry = {r["codice_struttura"] for r in csv.DictReader(f)}
    assert {f["code"][1:] for f in hospitals} <= registry
    by_town = {
        town: [f for f in items if f["town"] == town] for town in ("Roma", "Milano", "Torino")
    }
    assert all(len(found) >= 15 for found in by_town.values())


def test_hospital_names_from_the_registry() -> None:
    name = _generator().hospital_name
    assert name("CASA DI CURA S.RITA DA CASCIA", "Roma", "RM") == "Casa di Cura S. Rita da Cascia"
    assert (
        name("OSPEDALE PEDIATRICO BAMBINO GESU`", "Roma", "RM")
        == "Ospedale Pediatrico Bambino Gesù"
    )
    assert (
        name("ISTITUTO CLINICO CITTA' STUDI - MILANO", "Milano", "MI")
        == "Istituto Clinico Città Studi"
    )
    assert name("C. DI C. 'ISTITUTO CLINICO CARDIOLOGICO'", "Roma", "RM") == (
        "Casa di Cura Istituto Clinico Cardiologico"
    )
    assert name("CLINICA FENICE PARIOLI srl", "Roma", "RM") == "Clinica Fenice Parioli"
    assert name("FOND.IST.NEUROL.C. MONDINO", "Pavia", "PV") is None  # abbreviations: left out


async def test_a_regenerated_file_updates_what_changed(store: Store, tmp_path: Path) -> None:
    await load_network(store)
    changed = json.loads(json.dumps(NETWORK))
    first, second, demo = changed["facilities"][0], changed["facilities"][1], changed["attached"][0]
    first["phone"] = "+39 06 1111 2222"
    second["doctors"] = second["doctors"][:1]
    second["services"]["ambulatoriale"] = ["89.52"]
    demo["hours"] = "Lun–ven 9:00–12:00"
    path = tmp_path / "network.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    assert await load_network(store, path) == 3
    assert await load_network(store, path) == 0
    by_code = {f.code: f for f in await store.facilities()}
    assert by_code[first["code"]].phone == "+39 06 1111 2222"
    updated = by_code[second["code"]].id
    assert len(await store.facility_doctors(updated)) == 1
    services = await store.facility_services(updated)
    assert services[CatalogueKind.OUTPATIENT] == ["89.52"]  # a hospital: "ricovero" is kept
    assert by_code[demo["code"]].hours == "Lun–ven 9:00–12:00"
    assert await _count(store, facilities) == 8 + len(NETWORK["facilities"])
