"""Facilities: the affiliated network, its doctors and services, searches."""

from __future__ import annotations

from sqlalchemy import func, literal, select

from portal import facilities as finder
from portal import rows
from portal.models import (
    CatalogueKind,
    Doctor,
    Facility,
    FacilityMatch,
)
from portal.schema import (
    doctors,
    facilities,
    facility_services,
)
from portal.store.database import Database

__all__ = ["Facilities"]


class Facilities(Database):
    """The affiliated facilities and who works there."""

    async def facilities(self, *, town: str | None = None) -> list[Facility]:
        query = select(facilities).order_by(facilities.c.town, facilities.c.name)
        if town is not None:
            query = query.where(func.lower(facilities.c.town) == town.strip().lower())
        async with self._read() as conn:
            return [rows.facility(r) for r in await conn.execute(query)]

    async def facility(self, facility_id: int) -> Facility | None:
        async with self._read() as conn:
            row = (
                await conn.execute(select(facilities).where(facilities.c.id == facility_id))
            ).first()
        return rows.facility(row) if row else None

    async def facility_doctors(self, facility_id: int) -> list[Doctor]:
        async with self._read() as conn:
            found = await conn.execute(
                select(doctors).where(doctors.c.facility_id == facility_id).order_by(doctors.c.id)
            )
            return [rows.doctor(r) for r in found]

    async def facility_services(self, facility_id: int) -> dict[CatalogueKind, list[str]]:
        """What the facility provides: code patterns ("88.7*", "51*") by catalogue."""
        provided: dict[CatalogueKind, list[str]] = {}
        async with self._read() as conn:
            for r in await conn.execute(
                select(facility_services)
                .where(facility_services.c.facility_id == facility_id)
                .order_by(facility_services.c.catalogue_kind, facility_services.c.code_pattern)
            ):
                provided.setdefault(CatalogueKind(r.catalogue_kind), []).append(r.code_pattern)
        return provided

    async def search_facilities(
        self,
        *,
        service_code: str | None = None,
        catalogue_kind: CatalogueKind | str | None = None,
        town: str | None = None,
        cap: str | None = None,
        doctor: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 8,
    ) -> list[FacilityMatch]:
        """Facilities providing the service (a catalogue code; with `catalogue_kind` alone,
        anything of that catalogue), in a town, near a CAP or a point, with a doctor.

        Nearest first with the distance in km; see `portal.facilities.search` for the rules.
        """
        provided = None
        if service_code is not None or catalogue_kind is not None:
            provided = select(facility_services.c.facility_id)
            if catalogue_kind is not None:
                provided = provided.where(
                    facility_services.c.catalogue_kind == CatalogueKind(catalogue_kind).value
                )
            if service_code is not None:
                # "88.7*" -> LIKE '88.7%'; an exact code is a LIKE without wildcards.
                provided = provided.where(
                    literal(service_code.strip().upper()).like(
                        func.replace(facility_services.c.code_pattern, "*", "%")
                    )
                )
        places = select(facilities)
        staff = select(doctors).order_by(doctors.c.id)
        if provided is not None:
            places = places.where(facilities.c.id.in_(provided))
            staff = staff.where(doctors.c.facility_id.in_(provided))
        async with self._read() as conn:
            found = [rows.facility(r) for r in await conn.execute(places)]
            people = [rows.doctor(r) for r in await conn.execute(staff)]
            # Where a CAP is does not depend on the service asked for.
            area = None
            if cap is not None:
                same_cap = select(facilities).where(facilities.c.cap == cap.strip())
                area = [rows.facility(r) for r in await conn.execute(same_cap)]
        return finder.search(
            found, people, town=town, cap=cap, doctor=doctor, near=near, limit=limit, cap_area=area
        )

    async def find_facility_by_name(
        self, text: str, town: str | None = None, limit: int = 5
    ) -> list[Facility]:
        """Facilities named like `text` ("quisisana", "aurelia hopsital"), best first; with
        `town`, only those in that town."""
        found = await self.facilities()
        if town is not None:
            found = finder.town_filter(found, town)[1]
        return finder.name_matches(text, found, limit)
