"""Replies as WhatsApp messages: text, up to 3 reply buttons or a list of 10 rows (paged
beyond with a «more» row), documents and location pins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.channels.whatsapp._labels import shorten
from bot.channels.whatsapp._texts import t
from dialogs.events import Choice, OutgoingFile, Reply

__all__ = ["MORE", "FileMessage", "Outgoing", "choice_messages", "render"]

# WhatsApp's limits (Cloud API, interactive messages).
TEXT_LIMIT = 4096
BODY_LIMIT = 1024
CAPTION_LIMIT = 1024
BUTTONS = 3
BUTTON_TITLE = 20
ROWS = 10
ROW_TITLE = 24
ROW_DESCRIPTION = 72
ROW_ID = 200
# The id of the «more» row: "wa.more.<index of the first choice on the next page>".
MORE = "wa.more."


@dataclass(frozen=True, slots=True)
class FileMessage:
    """A document to upload first, then send by its media id."""

    file: OutgoingFile
    caption: str | None = None


Outgoing = dict[str, Any] | FileMessage


def render(reply: Reply) -> list[Outgoing]:
    """The messages that show one reply, in order."""
    out: list[Outgoing] = []
    caption = None
    if reply.choices:
        out.extend(choice_messages(reply.text, reply.choices))
    elif reply.file is not None and len(reply.text) <= CAPTION_LIMIT:
        caption = reply.text or None
    elif reply.text:
        out.extend(text_messages(reply.text))
    if reply.file is not None:
        out.append(FileMessage(reply.file, caption))
    if reply.venue is not None:
        venue = reply.venue
        address = f"{venue.address} · tel. {venue.phone}" if venue.phone else venue.address
        out.append({"type": "location", "location": {
            "latitude": venue.lat, "longitude": venue.lon, "name": venue.name,
            "address": address}})
    return out


def text_messages(text: str) -> list[Outgoing]:
    return [{"type": "text", "text": {"body": chunk, "preview_url": False}}
            for chunk in _split(text, TEXT_LIMIT)]


def choice_messages(text: str, choices: tuple[Choice, ...], start: int = 0) -> list[Outgoing]:
    """Buttons when there are at most 3 and every label fits whole; otherwise a list, from
    `start`. The question goes in the body, or before it when too long for one."""
    out: list[Outgoing] = []
    body = text or t("chat.list_body")
    if len(body) > BODY_LIMIT:
        out.extend(text_messages(body))
        body = t("chat.list_body")
    if start == 0 and len(choices) <= BUTTONS and all(
            len(c.label) <= BUTTON_TITLE and len(c.id) <= ROW_ID for c in choices):
        out.append({"type": "interactive", "interactive": {
            "type": "button", "body": {"text": body},
            "action": {"buttons": [{"type": "reply", "reply": {"id": c.id, "title": c.label}}
                                   for c in choices]}}})
        return out
    page = list(choices[start:])
    rows = [_row(c) for c in (page if len(page) <= ROWS else page[: ROWS - 1])]
    if len(page) > ROWS:
        rows.append({"id": f"{MORE}{start + ROWS - 1}", "title": t("chat.more"),
                     "description": t("chat.more_description")})
    out.append({"type": "interactive", "interactive": {
        "type": "list", "body": {"text": body},
        "action": {"button": t("chat.list_button"), "sections": [{"rows": rows}]}}})
    return out


def _row(choice: Choice) -> dict[str, str]:
    title = shorten(choice.label, ROW_TITLE)
    row = {"id": choice.id[:ROW_ID], "title": title}
    if title != " ".join(choice.label.split()):  # the whole label, as far as it goes, below
        row["description"] = shorten(choice.label, ROW_DESCRIPTION)
    return row


def _split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, line or word ends."""
    chunks: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind(sep, 0, limit) for sep in ("\n\n", "\n", " "))
        cut = cut if cut > 0 else limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks
