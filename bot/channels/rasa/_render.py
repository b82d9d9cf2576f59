"""The engine's replies as Rasa bot messages: text, buttons (payload = choice id), extras."""

from __future__ import annotations

import base64
from typing import Any

from bot.channels.rasa._texts import t
from dialogs.events import Reply

__all__ = ["messages"]


def messages(replies: list[Reply]) -> list[dict[str, Any]]:
    """Keyword arguments for dispatcher.utter_message, one per reply."""
    return [_message(reply) for reply in replies]


def _message(reply: Reply) -> dict[str, Any]:
    out: dict[str, Any] = {"text": reply.text}
    if reply.choices:
        out["buttons"] = [{"title": c.label, "payload": c.id} for c in reply.choices]
    custom: dict[str, Any] = {}
    if reply.venue is not None:
        v = reply.venue
        custom["venue"] = {"name": v.name, "address": v.address, "lat": v.lat, "lon": v.lon,
                           "phone": v.phone}
        out["text"] = f"{reply.text}\n📍 {v.name}, {v.address}"
    if reply.file is not None:
        f = reply.file
        custom["file"] = {"filename": f.filename, "mime_type": f.mime_type,
                          "data_base64": base64.b64encode(f.data).decode("ascii")}
        out["text"] = f"{out['text']}\n{t('reply.file', filename=f.filename)}"
    if custom:
        out["json_message"] = {"medbot": custom}
    return out
