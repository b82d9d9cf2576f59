"""`medbot facilities search`: the affiliated network, nearest first, readable or as JSON."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from typing import Any

import click

from bot.cli.db import open_store
from portal.models import CatalogueKind, FacilityMatch
from portal.places import resolve_place
from portal.store import Store

__all__ = ["facilities_group"]

KINDS = {
    "ospedale": "Ospedale",
    "casa_di_cura": "Casa di cura",
    "centro_medico": "Centro medico",
    "laboratorio": "Laboratorio",
    "smart_clinic": "Smart Clinic",
}
_POINT = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*")


def _where(near: str) -> dict[str, Any]:
    """--near as search arguments: "lat,lon", a CAP, or a town (its point)."""
    point = _POINT.fullmatch(near)
    if point:
        return {"near": (float(point.group(1)), float(point.group(2)))}
    if re.fullmatch(r"\s*\d{5}\s*", near):
        return {"cap": near.strip()}
    place = resolve_place(near)
    if place is None or place.lat is None or place.lon is None:
        raise click.BadParameter(f"luogo sconosciuto: {near}", param_hint="--near")
    return {"near": (place.lat, place.lon)}


def _km(distance: float | None) -> str:
    return "" if distance is None else f"{distance:.1f} km".replace(".", ",")


def _text(matches: list[FacilityMatch]) -> list[str]:
    lines = []
    width = max(len(_km(m.distance_km)) for m in matches)
    for m in matches:
        f = m.facility
        mark = "  ★ Smart Clinic" if f.smart_clinic else f"  [{KINDS.get(f.kind, f.kind)}]"
        pad = " " * width
        lines.append(f"{_km(m.distance_km):>{width}}  {f.name}{mark}")
        where = ", ".join(p for p in (f.address, f"{f.cap} {f.town} ({f.province})".strip()) if p)
        lines.append(f"{pad}  {where}" + (f" · tel. {f.phone}" if f.phone else ""))
        if m.doctors:
            people = ", ".join(f"{d.title} {d.full_name} ({d.specialty})" for d in m.doctors)
            lines.append(f"{pad}  {people}")
    return lines


def _json(matches: list[FacilityMatch]) -> str:
    items = [
        {
            **dataclasses.asdict(m.facility),
            "distance_km": m.distance_km,
            "doctors": [dataclasses.asdict(d) for d in m.doctors],
        }
        for m in matches
    ]
    return json.dumps(items, ensure_ascii=False, indent=2)


async def _ready_store() -> Store:
    store = await open_store()
    if await store.schema_revision() is None:
        await store.close()
        raise click.ClickException("database vuoto: esegui prima `medbot db init`")
    return store


@click.group("facilities")
def facilities_group() -> None:
    """La rete di strutture convenzionate."""


@facilities_group.command("search")
@click.option("--near", help='Vicino a un comune, un CAP o un punto "lat,lon".')
@click.option("--town", help="Nel comune (se non ce ne sono: le più vicine).")
@click.option("--doctor", help='Con un medico: "Rossi", "dott.ssa Bianchi".')
@click.option("--service", help="Che eroga la prestazione (codice: 88.76.1, 51.23).")
@click.option("--kind", type=click.Choice([k.value for k in CatalogueKind]), help="Catalogo.")
@click.option("--limit", type=click.IntRange(1, 100), default=8, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Stampa JSON.")
def search_command(
    near: str | None,
    town: str | None,
    doctor: str | None,
    service: str | None,
    kind: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Cerca le strutture, le più vicine per prime, con la distanza."""
    where = _where(near) if near else {}

    async def run() -> list[FacilityMatch]:
        store = await _ready_store()
        try:
            return await store.search_facilities(
                service_code=service,
                catalogue_kind=kind,
                town=town,
                doctor=doctor,
                limit=limit,
                **where,
            )
        finally:
            await store.close()

    matches = asyncio.run(run())
    if as_json:
        click.echo(_json(matches))
    elif matches:
        click.echo("\n".join(_text(matches)))
    else:
        click.echo("Nessuna struttura trovata.")
    if not matches:
        raise SystemExit(1)
