"""parse(text, today): the intent of a chat message and the entities it names."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from nlu.catalogue.english import english_names_in
from nlu.dates import parse_period
from nlu.intents._asks import (
    asks_about,
    fact_asked,
    paid_by_customer,
    without_customer_payment,
)
from nlu.intents._classify import classify, scores
from nlu.intents._cover import cover_asked
from nlu.intents._entities import (
    find_cap,
    find_person,
    find_place,
    find_relation,
    find_request_id,
    find_services,
    find_status,
)
from nlu.intents._language import language
from nlu.intents._names import FIRST_NAMES
from nlu.intents._text import fold, tokenise
from nlu.intents._towns import TOWN_ALIASES
from nlu.lazy_patterns import lazy_compile
from nlu.money import find_amount

__all__ = ["INTENTS", "STATUSES", "Parsed", "parse"]

INTENTS = (
    "status", "reimbursement", "direct_service", "find_facility", "add_documents", "help",
    "cancel", "back", "human", "complaint", "contact", "reminders_off", "greeting", "thanks",
    "coverage", "unknown",
)
# "aperta" is any status that is not final.
STATUSES = ("aperta", "sospesa", "liquidata", "respinta", "autorizzata", "annullata")
# A confident catalogue match: this score, and this far ahead of the next.
_SERVICE_SCORE = 90.0
_SERVICE_MARGIN = 8.0
# The confidence of a message recognised by its form (see parse), and the contact score of a
# question asking how to reach us.
_SURE_BY_FORM = 0.85
_CONTACT_QUESTION = 3.5
# An amount of money ("130 euro", "€ 90"): with "ho pagato", an expense to claim.
_MONEY = lazy_compile(r"\d+(?:[.,]\d+)?\s*(?:€|euro\b|eur\b)|€\s*\d", re.IGNORECASE)
# "cosa vi serve ancora", "che documenti mancano": what a request already sent is missing.
_STILL_MISSING = lazy_compile(r"\b(ancora|manca|mancano|mancante|mancanti|pratica|sospes\w*)\b")
_YEAR = lazy_compile(r"\b(19|20)\d{2}\b|\b(scors[oa]|passat[oa]|fa)\b")
# Messages longer than this are not chat questions: read only their start.
_MAX_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a message asks for. `entities` keys: request_id, person, relation, service,
    service_code, services (when more than one is named), status, period (start, end), date
    (one day), place; asks (the one fact of a
    request a question wants: where_when, code, reason, missing, amount, deductions); about
    ("complaint" or "handoff" already open, followed up); language ("en" when written in
    English); cover (what a "coverage" question asks: estimate, covered, documents, left,
    times, compare) and amount (a Decimal, the expense it names: "da 300 euro")."""

    intent: str
    entities: dict[str, Any] = field(default_factory=dict)
    confidence: float = 0.0


def parse(text: str, today: date, people: Sequence[str] = ()) -> Parsed:
    """The intent and entities of `text`; `people` are the household's first names."""
    text = text[:_MAX_CHARS]
    found = _parse_cached(text, today, tuple(people))
    # A copy: callers may change what they got, the cached reading stays as parsed.
    return Parsed(found.intent, copy.deepcopy(found.entities), found.confidence)


# One turn reads the same message several times (acts layer, routing, steps): parse it once.
@lru_cache(maxsize=256)
def _parse_cached(text: str, today: date, people: tuple[str, ...]) -> Parsed:
    return _parse(text, today, people)


def _parse(text: str, today: date, people: Sequence[str]) -> Parsed:
    protected = frozenset(fold(p) for p in people) | FIRST_NAMES | frozenset(TOWN_ALIASES)
    tokens = tokenise(text, protected)
    norm = " ".join(t.norm for t in tokens)

    found = scores(norm)
    # A question about what exists (a request's fact, an open complaint) is not a new one.
    about = asks_about(norm)
    fact = fact_asked(norm)
    if about:
        found["status"] += 6.0
    elif fact:
        found["status"] += 4.0
    elif paid_by_customer(norm):
        # "ho pagato": the customer's expense, not the insurer's payment, so the status rules
        # read the message without it.
        found["status"] = scores(without_customer_payment(norm))["status"]
        if _MONEY.search(text):
            found["reimbursement"] += 1.0
    cover = None if about else cover_asked(norm, "?" in text)
    if cover == "documents" and fact == "missing" and _STILL_MISSING.search(norm):
        cover = None  # "cosa vi serve ancora per la pratica?": a suspended request's documents
    elif cover is not None and fact not in (None, "missing"):
        cover = None  # "perché non mi avete rimborsato?": about a request that exists
    if cover is not None:
        fact = None
    request_id = find_request_id(text)
    status = None if paid_by_customer(norm) and not fact else find_status(norm)
    cap = find_cap(text.replace(request_id, " ") if request_id else text)
    # A request number alone ("26000021") is a question about that request.
    if request_id:
        found["status"] += 1.5
    if status:
        found["status"] += 1.0
    # A past period is a filter of the archive ("a marzo"), unless something else is asked.
    period = _period(text, today)
    if period and period[0] <= today:
        found["status"] += 1.0
    facility_words = found["find_facility"] > 0
    place = find_place(tokens, facility=facility_words) or (cap if facility_words else None)
    if place is None and cap and any(t.norm in {"cap", "zona", "vicino"} for t in tokens):
        place = cap
    if place:
        found["find_facility"] += 2.5
    intent, confidence = classify(found)
    if cover is not None and not request_id:
        # A question about the cover is recognised by its form: "quanto mi rimborsate la
        # visita?" is neither a new reimbursement nor an old one's status.
        intent, confidence = "coverage", max(_SURE_BY_FORM, confidence)
    # A follow-up, a question about one fact or how to reach us is recognised by its form,
    # whatever else the words touch ("reclamo", "operatore", "servizio clienti"): sure.
    if intent == "status" and (about or fact):
        confidence = max(confidence, _SURE_BY_FORM)
    elif intent == "contact" and found["contact"] >= _CONTACT_QUESTION:
        confidence = max(confidence, _SURE_BY_FORM)

    entities: dict[str, Any] = {}
    if about:
        entities["about"] = about
    if fact and intent == "status":
        entities["asks"] = fact
    if language(text) == "en":
        entities["language"] = "en"
    if intent == "coverage":
        entities["cover"] = cover
        amount = find_amount(text)
        if amount is not None:
            entities["amount"] = amount
    if request_id:
        entities["request_id"] = request_id
    person = find_person(tokens, people)
    if person:
        entities["person"] = person
    relation = find_relation(tokens)
    if relation:
        entities["relation"] = relation
    if status:
        entities["status"] = status
    if place:
        entities["place"] = place
    if period and fact == "where_when" and period[1] < today and not _YEAR.search(text):
        # "il 3 dicembre ho il check-up": an appointment is ahead, not a year ago.
        period = (_next_year(period[0]), _next_year(period[1]))
    if period:
        entities["period"] = period
        # A single day is the date of the service of a new request.
        if period[0] == period[1] and intent in ("reimbursement", "direct_service"):
            entities["date"] = period[0]
    _add_service(entities, tokens, text, people)
    return Parsed(intent, entities, confidence)


_ENGLISH_PERIODS = (
    (r"\blast month\b", "il mese scorso"), (r"\bthis month\b", "questo mese"),
    (r"\blast week\b", "la settimana scorsa"), (r"\bthis week\b", "questa settimana"),
    (r"\blast year\b", "l'anno scorso"), (r"\bthis year\b", "quest'anno"),
    (r"\byesterday\b", "ieri"), (r"\bsince\b", "da"), (r"\b(from|in|of|during)\b", "a"),
)
_ENGLISH_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_ITALIAN_MONTHS = (
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
).split()


def _period(text: str, today: date) -> tuple[date, date] | None:
    """The period the message names; the commonest English ones ("from march", "last month")
    are read as their Italian words."""
    lowered = text.casefold()
    months = "|".join(_ENGLISH_MONTHS)
    if not re.search(rf"\b(last|this|yesterday|since|{months})\b", lowered):
        return parse_period(text, today)
    # "may" is a month only where a month can stand ("in may", "may 2025").
    lowered = re.sub(r"\bmay\b(?!\s+\d)", "", re.sub(r"\b(in|from|of|since) may\b", r"\1 maggio", lowered))
    for english, italian in zip(_ENGLISH_MONTHS, _ITALIAN_MONTHS, strict=True):
        lowered = re.sub(rf"\b{english}\b", italian, lowered)
    for pattern, italian in _ENGLISH_PERIODS:
        lowered = re.sub(pattern, italian, lowered)
    return parse_period(lowered, today)


def _add_service(
    entities: dict[str, Any], tokens: Sequence[Any], text: str, people: Sequence[str]
) -> None:
    services = find_services(tokens, text, people)
    if not services and language(text) == "en":
        # "reimbursement for my son's eye exam": the English names the table knows.
        services = english_names_in(text)
    if not services:
        return
    service = services[0]
    entities["service"] = service
    if len(services) > 1:
        entities["services"] = services
    code = _service_code(service)
    if code:
        entities["service_code"] = code


def _service_code(service: str) -> str | None:
    """The catalogue code when the catalogue is sure of it."""
    from nlu.catalogue import search

    matches = search(service, limit=2)
    if not matches or matches[0].score < _SERVICE_SCORE:
        return None
    if len(matches) > 1 and matches[0].score - matches[1].score < _SERVICE_MARGIN:
        return None
    return matches[0].code


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
