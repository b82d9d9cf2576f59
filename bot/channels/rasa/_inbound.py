"""The user's latest Rasa message as an Inbound: typed text, a tapped button, or a file."""

from __future__ import annotations

from typing import Any

import httpx

from bot.channels.rasa._texts import t
from dialogs.events import Inbound, IncomingFile

__all__ = ["DOWNLOAD_LIMIT", "AttachmentError", "inbound_from", "offered_payloads"]

# Bigger attachments are refused while downloading (the dialogs refuse anything over 10 MB).
DOWNLOAD_LIMIT = 10 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30.0


class AttachmentError(Exception):
    """An attachment that could not be fetched; the message is Italian, for the reply."""


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
                       client: httpx.AsyncClient) -> Inbound:
    """A text that is one of the offered payloads is a tap; metadata may carry a file."""
    metadata = latest.get("metadata") or {}
    attachment = metadata.get("attachment")
    if isinstance(attachment, dict) and isinstance(attachment.get("url"), str):
        return Inbound(file=await download(client, attachment["url"],
                                           str(attachment.get("filename") or "")))
    text = latest.get("text")
    if not isinstance(text, str):
        return Inbound()
    if text in offered_payloads(events):
        return Inbound(choice=text)
    return Inbound(text=text)


async def download(client: httpx.AsyncClient, url: str, filename: str) -> IncomingFile:
    """The attachment's bytes, streamed and cut off beyond DOWNLOAD_LIMIT."""
    if not url.startswith(("http://", "https://")):
        raise AttachmentError(t("attachment.failed"))
    try:
        async with client.stream("GET", url, timeout=DOWNLOAD_TIMEOUT) as response:
            if response.status_code != 200:
                raise AttachmentError(t("attachment.failed"))
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > DOWNLOAD_LIMIT:
                raise AttachmentError(t("attachment.too_big"))
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > DOWNLOAD_LIMIT:
                    raise AttachmentError(t("attachment.too_big"))
                chunks.append(chunk)
            mime = response.headers.get("content-type", "").split(";")[0].strip()
    except httpx.HTTPError as exc:
        raise AttachmentError(t("attachment.failed")) from exc
    name = filename or url.rsplit("/", 1)[-1].split("?", 1)[0]
    return IncomingFile(data=b"".join(chunks), filename=name, declared_mime_type=mime)
