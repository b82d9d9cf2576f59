"""The archive in a conversation: status questions answered, requests and documents shown."""

from __future__ import annotations

import dataclasses
from datetime import date

from dialogs.archive._facts import pick, render_fact, render_follow_up
from dialogs.archive._query import ArchiveQuery, can_see, filters_from, same_service, sql_filters
from dialogs.archive._render import (
    MAX_SHOWN,
    applies_to,
    asks_yes_no,
    render_candidates,
    render_detail,
    render_document,
    render_found,
    render_not_found,
)
from dialogs.events import Reply
from dialogs.services import Services
from nlu.intents import Parsed
from portal.models import Household, RequestRow, RequestType


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
    if asks_yes_no(query):
        count, subject = await _matching(dataclasses.replace(query, status=None), household,
                                         services, types=applies_to(query), limit=4,
                                         counted=False)
        if 1 <= count <= 3:
            whole = await services.requests_by_ids([r.id for r in subject])
            answer = render_candidates(whole, household, query, tappable=tappable)
            if answer is not None:
                return answer
    return await _list(query, household, today, services, tappable=tappable)


async def show_all(household: Household, today: date, services: Services) -> list[Reply]:
    return await _list(ArchiveQuery(), household, today, services)


async def _list(query: ArchiveQuery, household: Household, today: date, services: Services,
                *, tappable: bool = True) -> list[Reply]:
    """The store finds and counts; the lines show what it found in brief (one read)."""
    count, found = await _matching(query, household, services, limit=MAX_SHOWN)
    any_visible = bool(count) or (
        not query.is_everything
        and bool((await _matching(ArchiveQuery(), household, services, limit=1,
                                  counted=False))[0]))
    return render_found(found, count, any_visible, household, query, today,
                        tappable=tappable)


async def _matching(query: ArchiveQuery, household: Household, services: Services, *,
                    limit: int | None, types: frozenset[RequestType] | None = None,
                    counted: bool = True) -> tuple[int, list[RequestRow]]:
    """How many of the household's requests match `query`, and the first `limit` in brief,
    newest first: what `select` finds among whole requests, found by the store."""
    members = frozenset(m.id for m in household.members)  # only theirs, ever (can_see)
    filters = sql_filters(query)
    wanted = filters.pop("beneficiary_ids")
    service = None
    if query.service is not None:
        def service(code: str, name: str) -> bool:
            return same_service(code, name, query)
    return await services.find_requests(
        household.customer.id, beneficiary_ids=members if wanted is None else members & wanted,
        types=types, service=service, limit=limit, counted=counted, **filters)


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
