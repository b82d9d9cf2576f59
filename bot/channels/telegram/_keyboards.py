"""Inline keyboards from choices: short callback data, compact rows, pages of eight.

A keyboard is built as the JSON the Bot API takes, not as PTB objects: an
InlineKeyboardMarkup of five buttons cost ~70 us to build and as much again to turn back into
JSON when sent (measured), on nearly every update; the dict costs a few microseconds both ways.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.channels.telegram._memory import ChatMemory
from bot.channels.telegram._texts import t
from dialogs.events import Choice

__all__ = ["PAGE", "Keyboard", "choice_data", "choice_from_data", "keyboard", "one_row"]

# An inline keyboard as the Bot API's JSON: {"inline_keyboard": [[{"text", "callback_data"}]]}.
Keyboard = dict[str, Any]

PAGE = 8
# Telegram's limit for callback data, in bytes.
MAX_DATA = 64
# Labels this short share a row, two by two.
SHORT_LABEL = 16

# The first character of callback data says what a button is:
CHOICE = "c"  # c<choice id>, the id carrying the question token ("12.p3")
HASHED = "h"  # h<digest>: a choice id too long for callback data, kept in memory
PAGE_TO = "g"  # g<page>: show another page of the keyboard
ALBUM = "a"  # a<key>.<y|n>: are these photos the pages of one document?
LINK = "l"  # l.resend: send a new verification code
RESUME = "r"  # r: continue the conversation after an apology


def choice_data(choice: Choice, memory: ChatMemory) -> str:
    data = CHOICE + choice.id
    if len(data.encode()) <= MAX_DATA:
        return data
    digest = hashlib.sha256(choice.id.encode()).hexdigest()[:24]
    memory.long_ids[digest] = choice.id
    return HASHED + digest


def choice_from_data(data: str, memory: ChatMemory) -> str | None:
    """The choice id a button carries, or None if it was a long one we no longer remember."""
    if data.startswith(CHOICE):
        return data[1:]
    if data.startswith(HASHED):
        return memory.long_ids.get(data[1:])
    return None


def keyboard(choices: Sequence[Choice], memory: ChatMemory, page: int = 0) -> Keyboard:
    """One page of buttons; beyond eight choices, 'Altri' and 'Indietro' move between pages."""
    pages = max(1, -(-len(choices) // PAGE))
    page %= pages
    shown = choices[page * PAGE:(page + 1) * PAGE]
    buttons = [_button(c.label, choice_data(c, memory)) for c in shown]
    width = 2 if all(len(c.label) <= SHORT_LABEL for c in shown) else 1
    rows = [buttons[i:i + width] for i in range(0, len(buttons), width)]
    nav = []
    if page > 0:
        nav.append(_button(t("chat.previous"), f"{PAGE_TO}{page - 1}"))
    if page < pages - 1:
        nav.append(_button(t("chat.more"), f"{PAGE_TO}{page + 1}"))
    if nav:
        rows.append(nav)
    return {"inline_keyboard": rows}


def one_row(*buttons: tuple[str, str]) -> Keyboard:
    """Buttons of the channel's own questions: (label, callback data), one per row."""
    return {"inline_keyboard": [[_button(label, data)] for label, data in buttons]}


def _button(label: str, data: str) -> dict[str, str]:
    return {"text": label, "callback_data": data}


def label_of(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """The label of the button that carries `data` in a message's keyboard."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
