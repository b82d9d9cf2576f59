"""portal.facilities and Store.search_facilities / find_facility_by_name over the loaded network."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from portal.facilities import Candidate, matching_doctors, provides, rank
from portal.models import CatalogueKind, Doctor, Facility, FacilityMatch
from portal.network import load_network
from portal.places import distance_km, resolve_place
from portal.store import Store
from tests.auxil.portal import open_demo_store

# One store with the demo and the network for the whole module: the searches only read.
on_network = pytest.mark.asyncio(loop_scope="module")

COLOSSEUM = (41.8902, 12.4922)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def network(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Store]:
    store = await open_demo_store(tmp_path_factory.mktemp("network"))
    await load_network(store)
    try:
        yield store
    finally:
        await store.close()


async def _all_provide(
    store: Store, matches: list[FacilityMatch], code: str, kind: CatalogueKind
) -> bool:
    for m in matches:
        services = await store.facility_services(m.facility.id)
        if not provides(services.get(kind, []), code):
            return False
    return True


def _distances(matches: list[FacilityMatch]) -> list[float]:
    assert all(m.distance_km is not None for m in matches)
    return [m.distance_km for m in matches if m.distance_km is not None]


@on_network
async def test_town_search_finds_that_towns_providers_smart_clinics_first(network: Store) -> None:
    for town, code in (("Roma", "89.7A.3"), ("milano", "88.76.1"), ("Torino", "88.94.D")):
        found = await network.search_facilities(
            service_code=code, catalogue_kind=CatalogueKind.OUTPATIENT, town=town, limit=50
        )
        assert len(found) >= 5
        assert {m.facility.town for m in found} == {town.capitalize()}
        assert await _all_provide(network, found, code, CatalogueKind.OUTPATIENT)
        smart = [m.facility.smart_clinic for m in found]
        assert smart[0] and smart == sorted(smart, reverse=True)  # Smart Clinics, then the rest
        assert all(m.facility.kind == "smart_clinic" for m in found if m.facility.smart_clinic)
        rest = [m for m in found if not m.facility.smart_clinic]
        assert _distances(rest) == sorted(_distances(rest))


@on_network
async def test_surgery_in_the_demo_towns(network: Store) -> None:
    for town in ("Roma", "Milano", "Torino"):
        found = await network.search_facilities(
            service_code="51.23", catalogue_kind=CatalogueKind.HOSPITAL, town=town
        )
        assert len(found) >= 3
        assert {m.facility.kind for m in found} <= {"ospedale", "casa_di_cura"}
        assert await _all_provide(network, found, "51.23", CatalogueKind.HOSPITAL)
    # The demo's tonsillectomy was done at Aurelia Hospital: it is in the network for it.
    found = await network.search_facilities(
        service_code="28.3", catalogue_kind="ricovero", town="Roma"
    )
    assert "Aurelia Hospital" in [m.facility.name for m in found]


@on_network
async def test_the_catalogue_kind_matters(network: Store) -> None:
    # No outpatient pattern covers an ICD-9-CM intervention code.
    assert (
        await network.search_facilities(service_code="51.23", catalogue_kind="ambulatoriale") == []
    )
    labs = await network.search_facilities(service_code="90.62.2", town="Roma", limit=50)
    assert any(m.facility.kind == "laboratorio" for m in labs)
    mri = await network.search_facilities(service_code="88.94.D", town="Roma", limit=50)
    assert all(m.facility.kind != "laboratorio" for m in mri)


@on_network
async def test_cap_search_is_nearest_first_with_distances(network: Store) -> None:
    found = await network.search_facilities(service_code="88.76.1", cap="20121")
    assert len(found) == 8
    assert _distances(found) == sorted(_distances(found))
    assert found[0].facility.town == "Milano" and found[0].distance_km is not None
    assert found[0].distance_km < 2
    assert await network.search_facilities(service_code="88.76.1", cap="99999") == []


@on_network
async def test_near_a_point_is_nearest_first_with_true_distances(network: Store) -> None:
    found = await network.search_facilities(near=COLOSSEUM, limit=10)
    assert _distances(found) == sorted(_distances(found))
    assert found[0].distance_km is not None and found[0].distance_km < 3
    for m in found:
        assert m.facility.lat is not None and m.facility.lon is not None
        expected = distance_km(COLOSSEUM, (m.facility.lat, m.facility.lon))
        assert m.distance_km == pytest.approx(expected, abs=0.05)


@on_network
async def test_a_town_without_facilities_gives_the_nearest(network: Store) -> None:
    found = await network.search_facilities(
        service_code="88.76.1", town="S. Giovanni Rotondo", limit=3
    )
    assert len(found) == 3
    assert all(m.facility.town != "San Giovanni Rotondo" for m in found)
    assert _distances(found) == sorted(_distances(found)) and _distances(found)[0] > 5
    place = resolve_place("San Giovanni Rotondo")
    assert place is not None and place.lat is not None and place.lon is not None
    first = found[0].facility
    assert first.lat is not None and first.lon is not None
    assert found[0].distance_km == pytest.approx(
        distance_km((place.lat, place.lon), (first.lat, first.lon)), abs=0.05
    )


@on_network
async def test_an_unknown_town_finds_nothing(network: Store) -> None:
    assert await network.search_facilities(town="Paperopoli") == []


@on_network
async def test_doctor_by_surname_title_and_typo(network: Store) -> None:
    turin = await network.search_facilities(town="Torino", limit=100)
    doctor = next(
        d for m in turin for d in m.doctors if len(d.last_name) >= 6 and " " not in d.last_name
    )
    for query in (
        doctor.last_name,
        f"dott. {doctor.last_name.lower()}",
        doctor.last_name[:-2] + doctor.last_name[-1],
    ):
        found = await network.search_facilities(doctor=query, town="Torino")
        assert doctor.facility_id in [m.facility.id for m in found], query
        for m in found:
            assert m.doctors and all(d.last_name == doctor.last_name for d in m.doctors)
    full = await network.search_facilities(
        doctor=f"{doctor.first_name} {doctor.last_name}", town="Torino"
    )
    assert all(d.first_name == doctor.first_name for m in full for d in m.doctors)
    assert await network.search_facilities(doctor="Zzyzx", town="Torino") == []


@on_network
async def test_find_facility_by_name_tolerates_case_accents_and_typos(network: Store) -> None:
    assert [f.name for f in await network.find_facility_by_name("quisisana", town="Roma")] == [
        "Casa di Cura Quisisana"
    ]
    found = await network.find_facility_by_name("Aurelia Hopsital")
    assert found[0].name == "Aurelia Hospital" and found[0].town == "Roma"
    found = await network.find_facility_by_name("istituto clinico citta studi", town="milano")
    assert found[0].name == "Istituto Clinico Città Studi"
    found = await network.find_facility_by_name("Centro medico salus prati")
    assert found[0].name == "Centro Medico Salus Prati" and found[0].code == "D-salus_prati"
    assert await network.find_facility_by_name("Aurelia Hospital", town="Milano") == []
    assert await network.find_facility_by_name("xq") == []


@on_network
async def test_search_matches_carry_contacts(network: Store) -> None:
    found = await network.search_facilities(service_code="89.7", town="Roma", limit=100)
    prati = next(m for m in found if m.facility.name == "Centro Medico Salus Prati")
    assert prati.facility.phone and prati.facility.phone.startswith("+39 06 ")
    assert prati.facility.address == "Via Cola di Rienzo 112" and prati.doctors
    assert all(m.facility.phone and m.facility.hours for m in found)


# -- pure functions ----------------------------------------------------------------------


def _facility(id_: int, lat: float, smart: bool = False, town: str = "Roma") -> Facility:
    return Facility(
        id=id_,
        name=f"F{id_}",
        town=town,
        province="RM",
        cap="00100",
        address="Via X 1",
        lat=lat,
        lon=12.5,
        kind="smart_clinic" if smart else "centro_medico",
        smart_clinic=smart,
    )


def test_rank_breaks_distance_ties_with_smart_clinics() -> None:
    plain, smart, far = _facility(1, 41.9), _facility(2, 41.9, smart=True), _facility(3, 42.0)
    candidates = [Candidate(f, ()) for f in (far, plain, smart)]
    ranked = rank(candidates, origin=(41.9, 12.5), smart_first=False, limit=8)
    assert [m.facility.id for m in ranked] == [2, 1, 3]
    assert ranked[0].distance_km == 0.0 and ranked[2].distance_km == pytest.approx(11.1, abs=0.1)
    far_smart = _facility(4, 42.0, smart=True)
    ranked = rank(
        [Candidate(plain, ()), Candidate(far_smart, ())],
        origin=(41.9, 12.5),
        smart_first=True,
        limit=1,
    )
    assert [m.facility.id for m in ranked] == [4]


def test_rank_without_origin_has_no_distances() -> None:
    ranked = rank(
        [Candidate(_facility(1, 41.9, town="Torino"), ()), Candidate(_facility(2, 41.9), ())],
        origin=None,
        smart_first=False,
        limit=8,
    )
    assert [m.facility.town for m in ranked] == ["Roma", "Torino"]
    assert all(m.distance_km is None for m in ranked)


def test_provides_prefixes_and_exact_codes() -> None:
    assert (
        provides(["88.7*"], "88.76.1")
        and provides(["51*"], "51.23")
        and provides(["89.52"], "89.52")
    )
    assert not provides(["89.52"], "89.52.1") and not provides(["88.7*"], "88.94.D")


def test_matching_doctors() -> None:
    doctors = [
        Doctor(1, 1, "Mario", "La Rosa", "Cardiologia"),
        Doctor(2, 1, "Elena", "Rossi", "Oculistica", title="Dott.ssa"),
        Doctor(3, 1, "Luca", "De Luca", "Urologia"),
    ]

    def names(text: str) -> list[str]:
        return [d.last_name for d in matching_doctors(text, doctors)]

    assert names("dott. La Rosa") == ["La Rosa"] and names("la rosa") == ["La Rosa"]
    assert names("dott.ssa rosi") == ["Rossi"] and names("Rossi Elena") == ["Rossi"]
    assert names("con il dottor De Lucca") == ["De Luca"]
    assert names("Elena") == [] and names("Giulia Rossi") == [] and names("dr") == []
