"""Loads the affiliated facility network (data/facilities/network.json) into a store, once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from portal.schema import doctors, facilities, facility_services
from portal.store import Store, new_id

__all__ = ["NETWORK_FILE", "load_network"]

NETWORK_FILE = Path(__file__).resolve().parent.parent / "data" / "facilities" / "network.json"
_FACILITY_COLUMNS = (
    "code",
    "name",
    "kind",
    "smart_clinic",
    "town",
    "province",
    "istat",
    "cap",
    "address",
    "lat",
    "lon",
    "phone",
    "hours",
)


async def load_network(store: Store, path: Path = NETWORK_FILE) -> int:
    """Add the network's facilities missing from the store; returns how many were added.

    Facilities are keyed by their network code, so loading again adds nothing. The `attached`
    entries complete facilities already in the store (the demo household's, same name and
    town, no code yet) with contacts, services and doctors; they are never inserted alone.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    added = 0
    async with store.engine.begin() as conn:
        known = set(
            await conn.scalars(select(facilities.c.code).where(facilities.c.code.is_not(None)))
        )
        services: list[dict[str, Any]] = []
        staff: list[dict[str, Any]] = []
        for item in data["facilities"]:
            if item["code"] in known:
                continue
            values = {k: item[k] for k in _FACILITY_COLUMNS}
            facility_id = new_id(await conn.execute(insert(facilities).values(**values)))
            services += _services(facility_id, item)
            staff += _doctors(facility_id, item)
            added += 1
        for item in data.get("attached", []):
            if item["code"] in known:
                continue
            attached = await _attach(conn, item)
            if attached is not None:
                services += _services(attached, item)
                staff += _doctors(attached, item)
                added += 1
        if services:
            await conn.execute(insert(facility_services), services)
        if staff:
            await conn.execute(insert(doctors), staff)
    return added


async def _attach(conn: AsyncConnection, item: dict[str, Any]) -> int | None:
    facility_id = await conn.scalar(
        select(facilities.c.id)
        .where(
            facilities.c.code.is_(None),
            facilities.c.name == item["name"],
            facilities.c.town == item["town"],
        )
        .order_by(facilities.c.id)
        .limit(1)
    )
    if facility_id is None:
        return None
    await conn.execute(
        update(facilities)
        .where(facilities.c.id == facility_id)
        .values(code=item["code"], istat=item["istat"], phone=item["phone"], hours=item["hours"])
    )
    return int(facility_id)


def _services(facility_id: int, item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"facility_id": facility_id, "catalogue_kind": kind, "code_pattern": pattern}
        for kind, patterns in sorted(item["services"].items())
        for pattern in patterns
    ]


def _doctors(facility_id: int, item: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"facility_id": facility_id, **d} for d in item["doctors"]]
