"""A status question from Rasa: the entities Rasa extracted, else medbot's own parser."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from nlu.intents import STATUSES, Parsed, parse

__all__ = ["ENTITIES", "status_question"]

# The entities an assistant may extract for medbot (names as in rasa/domain.yml).
ENTITIES = ("request_id", "person", "relation", "service", "status", "period")


def status_question(text: str, rasa_entities: Sequence[dict[str, Any]], today: date,
                    people: Sequence[str]) -> Parsed:
    """The question as medbot's archive reads it, always with the intent "status"."""
    found: dict[str, Any] = {}
    for entity in rasa_entities:
        name, value = entity.get("entity"), entity.get("value")
        if name in ENTITIES and isinstance(value, str) and value.strip() and name not in found:
            found[name] = value.strip()
    if not found:
        return Parsed("status", parse(text, today, people).entities)
    if "request_id" in found:
        found["request_id"] = "".join(ch for ch in found["request_id"] if ch.isdigit())
    # Words like "pagata" or "il mese scorso" become medbot's own values.
    for name in ("status", "period"):
        if name in found and not (name == "status" and found[name] in STATUSES):
            value = parse(found[name], today, people).entities.get(name)
            if value is None:
                del found[name]
            else:
                found[name] = value
    return Parsed("status", found, 1.0)
