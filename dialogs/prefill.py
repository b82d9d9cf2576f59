"""What an opening sentence already answers: "rimborso visita oculistica del 12 marzo per Luca"
gives the year, the person and the service, typed into the flow's first questions."""

from __future__ import annotations

from nlu.intents import Parsed

# Relation words as the person questions understand them.
_RELATIONS = {"io": "io", "moglie": "mia moglie", "marito": "mio marito",
              "figlio": "mio figlio", "figlia": "mia figlia"}


def said_date(parsed: Parsed, flow: str) -> dict[str, str]:
    """The day the sentence names, kept to be offered when the flow asks for a date."""
    day = parsed.entities.get("date")
    return {"said_date": day.isoformat()} if flow == "rimborso" and day is not None else {}


def prefill_answers(parsed: Parsed, flow: str) -> dict[str, str]:
    """Step name -> the text to answer it with, for the flow `flow`."""
    entities = parsed.entities
    typed: dict[str, str] = {}
    person = entities.get("person") or _RELATIONS.get(entities.get("relation", ""))
    if person:
        typed["beneficiary"] = str(person)
    day = entities.get("date")
    if flow == "rimborso" and day is not None:
        typed["year"] = str(day.year)
    service = entities.get("service")
    if service:
        # Several services named: all of them, so the service question files the first and
        # says which others need a request of their own.
        typed["service_query"] = ", ".join(entities.get("services") or [str(service)])
    return typed
