"""Status questions from Rasa: medbot's own reading of the text, completed by the entities Rasa
extracted; and the archive's buttons as payloads that ask the same again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from dialogs.events import Choice, Reply
from nlu.intents import STATUSES, Parsed, parse
from portal.models import Request

__all__ = ["ENTITIES", "document_tap", "is_status_payload", "status_buttons",
           "status_question"]

# The entities an assistant may extract for medbot (names as in rasa/domain.yml).
ENTITIES = ("request_id", "person", "relation", "service", "status", "period")
# Payloads of the archive's buttons, as words medbot reads again wherever they arrive.
_REQUEST = re.compile(r"^pratica (\d{8})$")
_DOCUMENT = re.compile(r"^documento (\d+) della pratica (\d{8})$")
ALL_REQUESTS = "le mie richieste"


def status_question(text: str, rasa_entities: Sequence[dict[str, Any]], today: date,
                    people: Sequence[str]) -> Parsed:
    """The question as medbot's archive reads it, always with the intent "status": what
    medbot's parser understood, plus what only Rasa's entities say."""
    own = parse(text, today, people).entities
    found: dict[str, Any] = {}
    for entity in rasa_entities:
        name, value = entity.get("entity"), entity.get("value")
        if name in ENTITIES and isinstance(value, str) and value.strip() and name not in found:
            found[name] = value.strip()
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
    return Parsed("status", {**found, **own}, 1.0)


def is_status_payload(text: str) -> bool:
    """A payload of the archive's buttons (words, not one of the conversation's choice ids)."""
    return bool(text == ALL_REQUESTS or _REQUEST.match(text) or _DOCUMENT.match(text))


def document_tap(text: str) -> tuple[str, str] | None:
    """A tapped document button: the archive's choice id and the request it belongs to."""
    match = _DOCUMENT.match(text.strip())
    return (f"d{match[1]}", match[2]) if match else None


def status_buttons(reply: Reply, requests: Sequence[Request]) -> Reply:
    """The archive's buttons as payloads that ask again in words: a request ("pratica N"),
    a document ("documento ID della pratica N"), the list ("le mie richieste"). The one that
    starts a new conversation (documents for a suspended request) is left out: that is
    action_medbot's, asked in words ("devo mandare un documento")."""
    choices: list[Choice] = []
    for choice in reply.choices:
        payload = _payload(choice.id, requests)
        if payload is not None:
            choices.append(Choice(payload, choice.label))
    return Reply(reply.text, tuple(choices), reply.file, reply.venue)


def _payload(choice_id: str, requests: Sequence[Request]) -> str | None:
    if choice_id.startswith("r") and choice_id[1:].isdigit():
        return f"pratica {choice_id[1:]}"
    if choice_id in ("all", "list"):
        return ALL_REQUESTS
    if choice_id.startswith("d") and choice_id[1:].isdigit():
        document_id = int(choice_id[1:])
        for request in requests:
            if any(d.id == document_id for d in request.documents):
                return f"documento {document_id} della pratica {request.number}"
    return None
