"""The archive in a conversation: status questions answered, requests and documents shown."""

from __future__ import annotations

from datetime import date

from dialogs.archive._facts import pick, render_fact, render_follow_up
from dialogs.archive._query import ArchiveQuery, can_see, filters_from
from dialogs.archive._render import (
    render_answer,
    render_detail,
    render_document,
    render_list,
    render_not_found,
)
from dialogs.events import Reply
from dialogs.services import Services
from nlu.intents import Parsed
from portal.models import Household


async def answer_question(parsed: Parsed, household: Household, today: date,
                          services: Services, *, tappable: bool = True) -> list[Reply]:
    """A status question ("è stato pagato il rimborso di Luca?", "pratica 26000112").
    Not `tappable`: text only, for when another question keeps the buttons."""
    about = parsed.entities.get("about")
    if about in ("complaint", "handoff"):
        reason = "complaint" if about == "complaint" else "human"
        handoffs = await services.list_handoffs(household.customer.id, reason)
        return [render_follow_up(handoffs, reason, today)]
    query = filters_from(parsed, household)
    asks = parsed.entities.get("asks")
    if asks is not None:
        return [await _answer_fact(query, str(asks), household, today, services, tappable)]
    if query.number:
        return await show_request(query.number, household, today, services,
                                  tappable=tappable)
    requests = await services.list_requests(household.customer.id)
    return (render_answer(requests, household, query, today, tappable=tappable)
            or render_list(requests, household, query, today, tappable=tappable))


async def show_all(household: Household, today: date, services: Services) -> list[Reply]:
    requests = await services.list_requests(household.customer.id)
    return render_list(requests, household, ArchiveQuery(), today)


async def show_request(number: str, household: Household, today: date,
                       services: Services, *, tappable: bool = True) -> list[Reply]:
    request = await services.get_request(number)
    # Another household's request is answered exactly like one that does not exist.
    if request is None or not can_see(request, household):
        return [render_not_found(number)]
    return render_detail(request, household, today, tappable=tappable)


async def answer_choice(key: str, household: Household, today: date,
                        services: Services, shown: str | None) -> list[Reply] | None:
    """The archive's buttons: r<number> a request, d<id> a document of the request `shown`,
    all/list every request. None for a key that isn't the archive's."""
    if key.startswith("r") and key[1:].isdigit():
        return await show_request(key[1:], household, today, services)
    if key in ("all", "list"):
        return await show_all(household, today, services)
    if key.startswith("d") and key[1:].isdigit() and shown:
        request = await services.get_request(shown)
        if request is None or not can_see(request, household):
            return [render_not_found(shown)]
        document = next((d for d in request.documents if d.id == int(key[1:])), None)
        if document is None:
            return None
        return [render_document(request, document, services.read_document(document.sha256))]
    return None


async def _answer_fact(query: ArchiveQuery, asks: str, household: Household, today: date,
                       services: Services, tappable: bool) -> Reply:
    """One fact of the request the question is about, in one sentence."""
    if query.number:
        request = await services.get_request(query.number)
        requests = [request] if request is not None else []
    else:
        requests = await services.list_requests(household.customer.id)
    chosen, others = pick(requests, household, query, asks, today)
    if chosen is None and query.number:
        return render_not_found(query.number)
    facility = None
    if chosen is not None and asks == "where_when" and chosen.facility_id is not None:
        facility = await services.get_facility(chosen.facility_id)
    return render_fact(chosen, others, household, query, asks, today, facility,
                       tappable=tappable)
