"""What an opening sentence already answers: "rimborso visita oculistica del 12 marzo 130 euro
per Luca" gives the year, the person, the service, the receipt's date and amount; "ho prenotato
una visita cardiologica al Centro X di Milano per il 3 dicembre alle 10" the booking, the
facility and the appointment. Typed into the flow's questions when they come up, and said back
once, at the start, in a compact recap."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dialogs.matching import normalise
from dialogs.texts import t
from nlu.dates import describe_date, parse_date_detail
from nlu.intents import Parsed
from nlu.lazy_patterns import lazy_compile
from nlu.money import find_amount, format_amount
from portal.models import Household, Relation

__all__ = ["Opening", "prefill_answers", "read_opening", "said_date"]

# Relation words as the person questions understand them.
_RELATIONS = {"io": "io", "moglie": "mia moglie", "marito": "mio marito",
              "figlio": "mio figlio", "figlia": "mia figlia"}

_FAMILY = {"moglie": Relation.SPOUSE, "marito": Relation.SPOUSE, "figlio": Relation.CHILD,
           "figlia": Relation.CHILD}

# "ho prenotato", "ho già l'appuntamento": booked. "devo prenotare", "vorrei prenotare": not yet.
_BOOKED = lazy_compile(
    r"\b(?:ho|abbiamo|ha|hanno|gia|avevo)\s+(?:gia\s+)?(?:prenotat[oaie]|fissat[oaie])\b"
    r"|\bprenotat[oa]\s+(?:per|il|al|alla|presso|dal|dalla|con)\b"
    r"|\b(?:ho|abbiamo|ha)\s+(?:gia\s+)?(?:un|l)\s+appuntamento\b"
    r"|\bappuntamento\s+(?:fissato|preso|confermato)\b")
_NOT_BOOKED = lazy_compile(
    r"\b(?:devo|dovrei|vorrei|voglio|posso|devo ancora|vorremmo|dobbiamo|bisogna)\s+"
    r"(?:ancora\s+)?prenotare\b|\bnon\s+(?:ho|abbiamo|ha)\s+(?:ancora\s+)?prenotato\b"
    r"|\bda\s+prenotare\b|\bcerco\s+(?:una\s+)?struttura\b")
# A facility named after a preposition: "al Centro Medico X", "presso la Clinica Y".
_FACILITY_WORDS = (r"(?:smart\s+clinic|centro|clinica|ospedale|studio|poliambulatorio|istituto"
                   r"|casa\s+di\s+cura|policlinico|laboratorio|ambulatorio|struttura|ospedaliero)")
_FACILITY = lazy_compile(
    r"\b(?:al|allo|alla|all'|presso(?:\s+(?:il|la|lo|l'))?|dal|dalla|dallo|nel|nella|nello)\s*"
    r"(?P<name>" + _FACILITY_WORDS + r"\b[^,;!?\n]*|(?<=presso\s)[A-ZÀ-Ü][^,;!?\n]*)",
    re.IGNORECASE)
# Where a facility's name ends: a person, a date, a time, another clause.
_NAME_END = lazy_compile(
    r"\s+(?:per|il|lo|la|le|alle|all'|ore|del|dello|della|dal|dalla|in\s+data|giorno|che|e|ed"
    r"|a|ad|in|di|vicino|zona)\s+(?=\S)|\s+\d|\s+(?:lunedi|martedi|mercoledi|giovedi|venerdi"
    r"|sabato|domenica|lunedì|martedì|mercoledì|giovedì|venerdì|oggi|domani|dopodomani)\b",
    re.IGNORECASE)
# Words that make a direct service a stay or a surgery rather than a visit or a test.
_HOSPITAL = {"intervento", "interventi", "operazione", "ricovero", "day", "chirurgia",
             "chirurgico", "parto", "cataratta", "protesi", "asportazione"}
_CHECKUP = lazy_compile(r"\bcheck\s*-?\s*up\b")


@dataclass(frozen=True, slots=True)
class Opening:
    """Step name -> the text that answers it, and the recap of what was understood."""

    typed: dict[str, str] = field(default_factory=dict)
    recap: str = ""


def said_date(parsed: Parsed, flow: str) -> dict[str, str]:
    """The day the sentence names, kept to be offered when the flow asks for a date."""
    day = parsed.entities.get("date")
    return {"said_date": day.isoformat()} if flow == "rimborso" and day is not None else {}


def prefill_answers(parsed: Parsed, flow: str, text: str = "",
                    today: date | None = None) -> dict[str, str]:
    """Step name -> the text to answer it with, for the flow `flow`."""
    return _read(parsed, flow, text, today)[0]


def read_opening(parsed: Parsed, flow: str, text: str, today: date,
                 household: Household) -> Opening:
    """What the opening sentence answers in `flow`, and the recap to say once."""
    typed, items = _read(parsed, flow, text, today, household)
    return Opening(typed, t("opening.recap", items=", ".join(items)) if items else "")


def _read(parsed: Parsed, flow: str, text: str, today: date | None,
          household: Household | None = None) -> tuple[dict[str, str], list[str]]:
    entities = parsed.entities
    typed: dict[str, str] = {}
    items: list[str] = []
    relation = entities.get("relation", "")
    person = entities.get("person") or _RELATIONS.get(relation)
    if person:
        typed["beneficiary"] = str(person)
        name = _person_name(household, str(person), relation)
        if relation in _RELATIONS and name == _RELATIONS[relation]:
            name = t(f"opening.relation_{relation}")  # not clear who: the word, as said
        items.append(t("opening.person", name=name))
    facility = _facility(text)
    service = entities.get("service")
    if service:
        service = _before(str(service), facility)
        # Several services named: all of them, so the service question files the first and
        # says which others need a request of their own.
        services = [_before(str(s), facility) for s in entities.get("services") or []]
        typed["service_query"] = ", ".join(services or [service])
        items.append(typed["service_query"])
    if flow == "rimborso":
        _reimbursement(entities, text, typed, items)
    elif flow == "diretta" and today is not None:
        _direct(entities, text, today, facility, typed, items)
    return typed, items


def _reimbursement(entities: dict, text: str, typed: dict[str, str], items: list[str]) -> None:
    day = entities.get("date")
    if day is not None:
        typed["year"] = str(day.year)
        # The receipt's date: the service's day, written in full so it needs no confirmation.
        typed["exp_date"] = f"{day:%d/%m/%Y}"
        items.append(describe_date(day))
    amount = find_amount(text) if text else None
    if amount is not None:
        typed["exp_amount"] = str(amount).replace(".", ",")
        items.append(format_amount(amount))


def _direct(entities: dict, text: str, today: date, facility: str | None,
            typed: dict[str, str], items: list[str]) -> None:
    words = normalise(text)
    service = typed.get("service_query", "")
    place = entities.get("place")
    if _CHECKUP.search(words):
        typed["category"] = "check-up"
        if place:  # the insurer books a check-up: the facility is searched near the town
            typed["search"] = str(place)
            items.append(t("opening.search", town=place))
        return
    if service:
        hospital = set(normalise(service).split()) & _HOSPITAL
        typed["category"] = "ricovero" if hospital else "visite"
    booked = bool(_BOOKED.search(words))
    if booked == bool(_NOT_BOOKED.search(words)):
        return  # neither said, or both: asked
    typed["booked"] = "sì" if booked else "no"
    items.append(t("opening.booked" if booked else "opening.not_booked"))
    if booked:
        if place:
            typed["booked_town"] = str(place)
        if facility and place:
            typed["booked_name"] = facility
            items.append(t("opening.facility", name=facility, town=place))
        elif place:
            items.append(t("opening.town", town=place))
        reading = parse_date_detail(_without(text, facility), today, prefer="future")
        if reading is not None and reading.day >= today:
            when = f"{reading.day:%d/%m/%Y}"
            if reading.time is not None:
                when += f" ore {reading.time:%H:%M}"
            typed["appointment"] = when
            said = describe_date(reading.day)
            items.append(t("opening.when_time", day=said, time=f"{reading.time:%H:%M}")
                         if reading.time else said)
    elif place:
        typed["search"] = str(place)
        items.append(t("opening.search", town=place))


def _facility(text: str) -> str | None:
    """The facility's name as written after "al", "presso", "dal"…, without what follows."""
    match = _FACILITY.search(text)
    if match is None:
        return None
    name = match.group("name")
    end = _NAME_END.search(name)
    name = (name[: end.start()] if end else name).strip(" .'")
    return name if 3 <= len(name) <= 100 else None


def _before(service: str, facility: str | None) -> str:
    """The service's words without the facility the entity may have run into ("visita
    cardiologica al Centro…"); "visita dal dentista" names no facility and stays whole."""
    if not facility:
        return service
    head = facility.split()[0]
    cut = re.split(r"\s+(?:al|allo|alla|all'|presso|dal|dalla|nel|nella)?\s*"
                   + re.escape(head) + r"\b", service, maxsplit=1, flags=re.IGNORECASE)[0]
    return cut.strip() or service


def _without(text: str, facility: str | None) -> str:
    return text.replace(facility, " ") if facility else text


def _person_name(household: Household | None, person: str, relation: str) -> str:
    """The household member the sentence names, in full when it is clear who."""
    if household is None:
        return person
    if person == "io":
        return household.customer.full_name
    wanted = normalise(person)
    found = [m for m in household.members if normalise(m.first_name) == wanted]
    if not found and relation in _FAMILY:
        found = [m for m in household.members if m.relation == _FAMILY[relation]]
    return found[0].full_name if len(found) == 1 else person
