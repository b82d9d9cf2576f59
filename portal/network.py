"""Loads the affiliated facility network (data/facilities/network.json) into a store."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from portal.schema import doctors, facilities, facility_services
from portal.store import Store, new_id

__all__ = ["NETWORK_FILE", "load_network"]

NETWORK_FILE = Path(__file__).resolve().parent.parent / "data" / "facilities" / "network.json"
# What the network says about a facility; `attached` entries only complete these three.
_COLUMNS = (
    "code", "name", "kind", "smart_clinic", "town", "province", "istat", "cap", "address",
    "lat", "lon", "phone", "hours",
)  # fmt: skip

if TYPE_CHECKING:  # the async layer is imported only by what uses it
    from sqlalchemy.ext.asyncio import AsyncConnection

_ATTACHED_COLUMNS = ("istat", "phone", "hours")
_DOCTOR_COLUMNS = ("title", "first_name", "last_name", "specialty")


async def load_network(store: Store, path: Path = NETWORK_FILE) -> int:
    """Bring the store's network up to the file; returns how many facilities were added or
    changed (0 when it already matches: loading again changes nothing).

    Facilities are keyed by their network code. A facility the file no longer lists stays
    (requests may point at it). The file's `attached` entries complete facilities already in
    the store (the demo household's: same name and town, no code yet) with a code, contacts,
    services and doctors; they are never inserted on their own.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    async with store.engine.begin() as conn:
        current = _Current(conn)
        await current.read()
        touched = 0
        for item in data["facilities"]:
            touched += await current.put(item, _COLUMNS, insert_missing=True)
        for item in data.get("attached", []):
            touched += await current.put(item, _ATTACHED_COLUMNS, insert_missing=False)
        await current.flush()
    return touched


class _Current:
    """The network as the store has it, and the writes that bring one facility up to date."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn
        self.rows: dict[str, Any] = {}
        self.services: dict[int, set[tuple[str, str]]] = defaultdict(set)
        self.staff: dict[int, list[tuple[str, ...]]] = defaultdict(list)
        # Inserted together at the end: one statement each, not one per facility.
        self.new_services: list[dict[str, Any]] = []
        self.new_staff: list[dict[str, Any]] = []

    async def read(self) -> None:
        found = await self.conn.execute(select(facilities).where(facilities.c.code.is_not(None)))
        self.rows = {r.code: r for r in found}
        for r in await self.conn.execute(select(facility_services)):
            self.services[r.facility_id].add((r.catalogue_kind, r.code_pattern))
        for r in await self.conn.execute(select(doctors).order_by(doctors.c.id)):
            self.staff[r.facility_id].append(tuple(getattr(r, c) for c in _DOCTOR_COLUMNS))

    async def put(
        self, item: dict[str, Any], columns: tuple[str, ...], insert_missing: bool
    ) -> int:
        """1 if the facility was added or changed, else 0."""
        values = {c: item[c] for c in columns}
        row = self.rows.get(item["code"])
        if row is not None:
            facility_id = int(row.id)
            changed = any(getattr(row, c) != v for c, v in values.items())
        elif insert_missing:
            facility_id = new_id(await self.conn.execute(insert(facilities).values(**values)))
            changed = False
        else:
            found = await self._unattached(item["name"], item["town"])
            if found is None:
                return 0
            facility_id, changed = found, True
            values["code"] = item["code"]
        if changed:
            await self.conn.execute(
                update(facilities).where(facilities.c.id == facility_id).values(**values)
            )
        contents = await self._contents(facility_id, item)
        return int(row is None or changed or contents)

    async def _unattached(self, name: str, town: str) -> int | None:
        found = await self.conn.scalar(
            select(facilities.c.id)
            .where(
                facilities.c.code.is_(None), facilities.c.name == name, facilities.c.town == town
            )
            .order_by(facilities.c.id)
            .limit(1)
        )
        return None if found is None else int(found)

    async def _contents(self, facility_id: int, item: dict[str, Any]) -> bool:
        """Replace services and doctors that differ from the file's; whether any did."""
        changed = False
        services = {(kind, p) for kind, patterns in item["services"].items() for p in patterns}
        before = self.services.get(facility_id, set())
        if services != before:
            if before:
                await self.conn.execute(
                    delete(facility_services).where(facility_services.c.facility_id == facility_id)
                )
            self.new_services += [
                {"facility_id": facility_id, "catalogue_kind": kind, "code_pattern": pattern}
                for kind, pattern in sorted(services)
            ]
            changed = True
        staff = [tuple(d[c] for c in _DOCTOR_COLUMNS) for d in item["doctors"]]
        people = self.staff.get(facility_id, [])
        if staff != people:
            # Nothing refers to a doctor's id: requests keep the doctor's name as text.
            if people:
                await self.conn.execute(delete(doctors).where(doctors.c.facility_id == facility_id))
            self.new_staff += [
                {"facility_id": facility_id, **dict(zip(_DOCTOR_COLUMNS, d, strict=True))}
                for d in staff
            ]
            changed = True
        return changed

    async def flush(self) -> None:
        if self.new_services:
            await self.conn.execute(insert(facility_services), self.new_services)
        if self.new_staff:
            await self.conn.execute(insert(doctors), self.new_staff)
