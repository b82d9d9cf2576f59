"""Webhook payloads as Meta documents them: the messages and the statuses they carry, and
what one message means for the conversation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Incoming", "messages_of", "read_message", "statuses_of"]

# What the engine reads as a file; voice notes are "audio"; anything else (stickers,
# reactions) gets a polite refusal.
MEDIA = ("image", "document")


@dataclass(frozen=True, slots=True)
class Incoming:
    """One WhatsApp message, reduced to what the channel acts on."""

    kind: str  # text | choice | media | audio | location | contact | unsupported
    text: str = ""
    choice: str = ""
    media_id: str = ""
    filename: str = ""
    mime_type: str = ""
    location: tuple[float, float] | None = None
    contact: str = ""


def _values(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value")
            if change.get("field") == "messages" and isinstance(value, dict):
                yield value


def messages_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages of a webhook body, each with "id" and "from" (the sender's wa_id)."""
    return [m for value in _values(body) for m in value.get("messages") or []
            if isinstance(m, dict) and m.get("id") and m.get("from")]


def statuses_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The delivery statuses of messages the bot sent (sent, delivered, read, failed)."""
    return [s for value in _values(body) for s in value.get("statuses") or []
            if isinstance(s, dict) and s.get("id") and s.get("status")]


def read_message(message: dict[str, Any]) -> Incoming:
    kind = message.get("type")
    if kind == "text":
        return Incoming("text", text=str(message.get("text", {}).get("body", "")))
    if kind == "interactive":
        interactive = message.get("interactive", {})
        reply = interactive.get(interactive.get("type", ""), {})
        if interactive.get("type") in ("button_reply", "list_reply") and reply.get("id"):
            return Incoming("choice", choice=str(reply["id"]), text=str(reply.get("title", "")))
    if kind == "button":  # a quick reply of a template message: its text, as if typed
        return Incoming("text", text=str(message.get("button", {}).get("text", "")))
    if kind == "audio":  # a voice note (audio.voice) or an audio file: listened to
        media = message.get("audio", {})
        if media.get("id"):
            return Incoming("audio", media_id=str(media["id"]), filename="vocale.ogg",
                            mime_type=str(media.get("mime_type", "")).split(";")[0].strip())
    if kind in MEDIA:
        media = message.get(kind, {})
        if media.get("id"):
            name = media.get("filename") or ("foto.jpg" if kind == "image" else "documento")
            return Incoming("media", media_id=str(media["id"]), filename=str(name),
                            mime_type=str(media.get("mime_type", "")).split(";")[0].strip())
    if kind == "location":
        place = message.get("location", {})
        try:
            return Incoming("location", location=(float(place["latitude"]),
                                                  float(place["longitude"])))
        except (KeyError, TypeError, ValueError):
            pass
    if kind == "contacts":
        for contact in message.get("contacts") or []:
            for phone in contact.get("phones") or []:
                number = phone.get("wa_id") or phone.get("phone") or ""
                digits = re.sub(r"\D", "", str(number))
                if digits:
                    return Incoming("contact", contact="+" + digits)
    return Incoming("unsupported")
