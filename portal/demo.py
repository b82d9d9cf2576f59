"""Loads the demo household (data/demo/household.json) into a store, once."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from portal import rows
from portal.models import StatusDetails
from portal.schema import (
    documents,
    facilities,
    guarantees,
    persons,
    policies,
    policy_insured,
    request_counters,
    requests,
    status_details,
    status_history,
)
from portal.store import Store, new_id

if TYPE_CHECKING:  # the async layer is imported only by what uses it
    from sqlalchemy.ext.asyncio import AsyncConnection


__all__ = ["DEMO_DIR", "load_demo"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


async def load_demo(store: Store, root: Path = DEMO_DIR) -> bool:
    """Load the demo household, its facilities and its archive of requests.

    Returns False, writing nothing, if the demo customer is already in the store.
    """
    data = json.loads((root / "household.json").read_text(encoding="utf-8"))
    customer = next(p for p in data["persons"] if p["key"] == data["customer"])
    if await store.person_by_fiscal_code(customer["fiscal_code"]) is not None:
        return False
    # Files first: content-addressed and idempotent, harmless if the transaction fails.
    stored = {
        d["file"]: store.documents.put(
            (root / "files" / d["file"]).read_bytes(), d["mime_type"], d["file"]
        )
        for r in data["requests"]
        for d in r["documents"]
    }
    async with store.engine.begin() as conn:
        people = await _persons(conn, data["persons"], data["customer"])
        pols, gars = await _policies(conn, data["policies"], people)
        places = await _facilities(conn, data["facilities"])
        for r in data["requests"]:
            await _request(conn, r, people[data["customer"]], people, pols, gars, places, stored)
        await _counters(conn, data["counters"], [r["number"] for r in data["requests"]])
    store.forget_households()  # people and policies changed under the store's feet
    return True


async def _insert(conn: AsyncConnection, table: Any, values: dict[str, Any]) -> int:
    return new_id(await conn.execute(insert(table).values(**values)))


async def _persons(
    conn: AsyncConnection, people: list[dict[str, Any]], customer_key: str
) -> dict[str, int]:
    ids: dict[str, int] = {}
    # The holder first: everyone's customer_id points at them (themselves included).
    ordered = sorted(people, key=lambda p: p["key"] != customer_key)
    for p in ordered:
        values = {k: v for k, v in p.items() if k != "key"}
        values["birth_date"] = date.fromisoformat(p["birth_date"])
        values["customer_id"] = ids.get(customer_key)
        ids[p["key"]] = await _insert(conn, persons, values)
    holder = ids[customer_key]
    await conn.execute(update(persons).where(persons.c.id == holder).values(customer_id=holder))
    return ids


async def _policies(
    conn: AsyncConnection, items: list[dict[str, Any]], people: dict[str, int]
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    pols: dict[str, int] = {}
    gars: dict[tuple[str, str], int] = {}
    for p in items:
        policy_id = await _insert(
            conn,
            policies,
            {
                "number": p["number"],
                "name": p["name"],
                "holder_id": people[p["holder"]],
                "start_date": date.fromisoformat(p["start"]),
                "end_date": date.fromisoformat(p["end"]),
            },
        )
        pols[p["number"]] = policy_id
        await conn.execute(
            insert(policy_insured),
            [{"policy_id": policy_id, "person_id": people[k]} for k in p["insured"]],
        )
        for g in p["guarantees"]:
            gars[(p["number"], g["code"])] = await _insert(
                conn, guarantees, {"policy_id": policy_id, **g}
            )
    return pols, gars


async def _facilities(conn: AsyncConnection, items: list[dict[str, Any]]) -> dict[str, int]:
    return {
        f["key"]: await _insert(
            conn, facilities, {k: v for k, v in f.items() if k not in ("key", "source")}
        )
        for f in items
    }


async def _request(
    conn: AsyncConnection,
    r: dict[str, Any],
    customer_id: int,
    people: dict[str, int],
    pols: dict[str, int],
    gars: dict[tuple[str, str], int],
    places: dict[str, int],
    stored: dict[str, Any],
) -> None:
    history = [{**h, "at": datetime.fromisoformat(h["at"])} for h in r["history"]]
    appointment = r.get("appointment")
    request_id = await _insert(
        conn,
        requests,
        {
            "number": r["number"],
            "submission_key": f"demo-{r['number']}",
            "type": r["type"],
            "customer_id": customer_id,
            "beneficiary_id": people[r["beneficiary"]],
            "year": r["year"],
            "service_code": r["service_code"],
            "service_name": r["service_name"],
            "catalogue_kind": r["catalogue_kind"],
            "policy_id": pols[r["policy"]],
            "guarantee_id": gars[(r["policy"], r["guarantee"])],
            "payee_id": people[r["payee"]] if r.get("payee") else None,
            "payee_authorised": r["payee_authorised"],
            "iban": r.get("iban"),
            "email": r["email"],
            "mobile": r.get("mobile"),
            "notes": r.get("notes", ""),
            "facility_id": places[r["facility"]] if r.get("facility") else None,
            "facility_text": r.get("facility_text"),
            "appointment": datetime.fromisoformat(appointment) if appointment else None,
            "status": history[-1]["status"],
            "created_at": history[0]["at"],
            "updated_at": history[-1]["at"],
        },
    )
    for d in r["documents"]:
        file = stored[d["file"]]
        await _insert(
            conn,
            documents,
            {
                "request_id": request_id,
                "kind": d["kind"],
                "expense_date": date.fromisoformat(d["expense_date"])
                if d.get("expense_date")
                else None,
                "amount": Decimal(d["amount"]) if d.get("amount") else None,
                "number": d.get("number"),
                "issuer": d.get("issuer"),
                "sha256": file.sha256,
                "mime_type": file.mime_type,
                "size": file.size,
                "filename": file.filename,
            },
        )
    for h in history:
        history_id = await _insert(
            conn,
            status_history,
            {
                "request_id": request_id,
                "status": h["status"],
                "changed_at": h["at"],
                "changed_by": h["by"],
                "note": h["note"],
            },
        )
        if h.get("details"):
            await conn.execute(
                insert(status_details).values(
                    rows.status_details_values(history_id, _status_details(h["details"]))
                )
            )


def _status_details(d: dict[str, Any]) -> StatusDetails:
    """A history entry's "details" in household.json: money as strings, ISO dates."""

    def day(key: str) -> date | None:
        return date.fromisoformat(d[key]) if d.get(key) else None

    def money(key: str) -> Decimal | None:
        return Decimal(d[key]) if d.get(key) else None

    return StatusDetails(
        missing_documents=tuple(d.get("missing_documents", ())),
        deadline=day("deadline"),
        amount_paid=money("amount_paid"),
        paid_on=day("paid_on"),
        franchigia=money("franchigia"),
        scoperto=money("scoperto"),
        amount_claimed=money("amount_claimed"),
        over_limit=money("over_limit"),
        not_covered=money("not_covered"),
        reason=d.get("reason", ""),
        authorisation_code=d.get("authorisation_code"),
        valid_until=day("valid_until"),
    )


async def _counters(conn: AsyncConnection, counters: dict[str, int], numbers: list[str]) -> None:
    """Start each year's sequence after the demo's numbers, so new requests never collide."""
    last: dict[int, int] = {int(y): n for y, n in counters.items()}
    for number in numbers:
        year = 2000 + int(number[:2])
        last[year] = max(last.get(year, 0), int(number[2:]))
    for year, value in sorted(last.items()):
        current = await conn.scalar(
            select(request_counters.c.last).where(request_counters.c.year == year)
        )
        if current is None:
            await conn.execute(insert(request_counters).values(year=year, last=value))
        elif current < value:
            await conn.execute(
                update(request_counters).where(request_counters.c.year == year).values(last=value)
            )
