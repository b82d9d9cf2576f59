"""The archive's questions answered by the store (filters in SQL, lists shown from the rows
found, only the requests a yes/no answer weighs read whole) say exactly what filtering every
whole request in Python says."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.services import PortalServices
from dialogs.archive import answer_question, filters_from, render_answer, render_list, select
from nlu.catalogue import load_catalogue
from nlu.intents import parse
from portal.models import Household, Request
from portal.store import Store
from tests.auxil.portal import (
    BACKENDS,
    backend_url,
    open_demo_store,
)

TODAY = date(2026, 11, 24)
QUESTIONS = [
    "le mie richieste", "richieste sospese", "richieste aperte", "rimborsi pagati nel 2025",
    "le pratiche di luca", "richieste di mia moglie", "rimborsi di mio figlio",
    "le richieste di Giulia", "richieste di marzo", "pratiche chiuse", "richieste respinte",
    "richieste del 2025", "visite di luca", "è stato pagato il rimborso di Anna?",
    "il rimborso di marco è stato pagato?", "hanno pagato la visita di luca?",
    "richieste autorizzate", "pratiche aperte del mese scorso per la visita oculistica",
    "esami del sangue", "richieste annullate di marco", "prestazioni dirette autorizzate",
    "ecografie del 2026", "richieste liquidate a gennaio",
]


class _NoSms:
    async def send(self, to: str, text: str) -> None:
        raise AssertionError("no SMS in the archive")


def _never() -> datetime:
    raise AssertionError("the archive does not need the clock")


@pytest.fixture(params=BACKENDS)
async def opened(request: pytest.FixtureRequest,
                 tmp_path: Path) -> AsyncIterator[tuple[Store, Household, list[Request]]]:
    """The demo store on each backend (lists are bound differently: portal.store.lists)."""
    url = backend_url(request.param)
    store = await open_demo_store(tmp_path, url)
    try:
        mario = await store.customer_by_fiscal_code("RSSMRA75D12H501J")
        assert mario is not None
        yield store, await store.household(mario.id), await store.list_requests(mario.id)
    finally:
        await store.close()


@pytest.mark.parametrize("text", QUESTIONS)
async def test_the_store_finds_what_select_finds(
    opened: tuple[Store, Household, list[Request]], text: str,
) -> None:
    store, household, everything = opened
    query = filters_from(parse(text, TODAY, [m.first_name for m in household.members]),
                         household)
    services = PortalServices(load_catalogue(), store, _NoSms(), _never)
    expected = (render_answer(everything, household, query, TODAY)
                or render_list(everything, household, query, TODAY))
    parsed = parse(text, TODAY, [m.first_name for m in household.members])
    assert await answer_question(parsed, household, TODAY, services) == expected
    # Without the status, as the yes/no answers look for their subject; counted, limited.
    plain = dataclasses.replace(query, status=None, service=None)
    members = [m.id for m in household.members]
    wanted = [r.id for r in select(everything, plain, household)]
    ids = plain.beneficiary_ids if plain.beneficiary_ids is not None else members
    count, rows = await store.find_requests(household.customer.id, beneficiary_ids=ids,
                                            period=plain.period, limit=3)
    assert (count, [r.id for r in rows]) == (len(wanted), wanted[:3])
    # Counted with no rows wanted; not counted: just how many came back.
    assert await store.find_requests(household.customer.id, beneficiary_ids=ids,
                                     period=plain.period, limit=0) == (len(wanted), [])
    count, rows = await store.find_requests(household.customer.id, beneficiary_ids=ids,
                                            period=plain.period, limit=3, counted=False)
    assert (count, [r.id for r in rows]) == (min(3, len(wanted)), wanted[:3])
