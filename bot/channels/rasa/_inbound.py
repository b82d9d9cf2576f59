"""The user's latest Rasa message as an Inbound: typed text, a tapped button, or a file."""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels.rasa._fetch import AttachmentPolicy, download
from bot.channels.rasa._status import is_status_payload
from dialogs.events import Inbound

__all__ = ["inbound_from", "offered_payloads"]


def offered_payloads(events: list[dict[str, Any]]) -> set[str]:
    """The payloads of the buttons the bot showed since the user's previous message."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if not users:
        return set()
    # The latest user event is the message being answered; look at the bot turns before it.
    end = users[-1]
    start = users[-2] + 1 if len(users) > 1 else 0
    payloads: set[str] = set()
    for event in events[start:end]:
        if event.get("event") != "bot":
            continue
        for button in (event.get("data") or {}).get("buttons") or []:
            if isinstance(button, dict) and isinstance(button.get("payload"), str):
                payloads.add(button["payload"])
    return payloads


async def inbound_from(latest: dict[str, Any], events: list[dict[str, Any]],
                       client: httpx.AsyncClient, policy: AttachmentPolicy) -> Inbound:
    """A text that is one of the offered payloads is a tap (the archive's payloads are words,
    read as typed); metadata may carry a file."""
    metadata = latest.get("metadata") or {}
    attachment = metadata.get("attachment")
    if isinstance(attachment, dict) and isinstance(attachment.get("url"), str):
        return Inbound(file=await download(client, attachment["url"],
                                           str(attachment.get("filename") or ""), policy))
    text = latest.get("text")
    if not isinstance(text, str):
        return Inbound()
    if text in offered_payloads(events) and not is_status_payload(text):
        return Inbound(choice=text)
    return Inbound(text=text)
