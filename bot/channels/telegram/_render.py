"""Replies as Telegram messages: text with inline keyboards, files, venues; answered buttons."""

from __future__ import annotations

from telegram import (
    Bot,
    InputFile,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.telegram._courtesy import Courtesies
from bot.channels.telegram._keyboards import PAGE, Keyboard, keyboard, label_of
from bot.channels.telegram._memory import ChatMemory
from bot.channels.telegram._send import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    post,
    sent_id,
    sent_message,
    split_text,
)
from bot.channels.telegram._texts import t
from dialogs.events import Reply, Venue

__all__ = [
    "mark_answered",
    "remove_keyboard",
    "send_replies",
    "send_text",
    "strip_live_keyboards",
]


Markup = Keyboard | ReplyKeyboardMarkup | ReplyKeyboardRemove


async def send_text(bot: Bot, chat_id: int, text: str, markup: Markup | None = None,
                    ) -> int | None:
    """Sends `text` in as many messages as it needs; `markup` goes on the last one. The last
    message's id (None if Telegram's answer did not say it)."""
    chunks = split_text(text)
    sent = None
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1

        async def send(chunk: str = chunk, last: bool = last) -> object:
            return await post(bot, "sendMessage", chat_id=chat_id, text=chunk,
                              reply_markup=markup if last else None)

        sent = await sent_id(send, "sendMessage")
    return sent


async def send_replies(bot: Bot, chat_id: int, memory: ChatMemory, replies: list[Reply]) -> None:
    for reply in replies:
        await _send_reply(bot, chat_id, memory, reply)


async def _send_reply(bot: Bot, chat_id: int, memory: ChatMemory, reply: Reply) -> None:
    markup = keyboard(reply.choices, memory) if reply.choices else None
    caption = None
    if reply.file is not None and not reply.choices and len(reply.text) <= CAPTION_LIMIT:
        caption = reply.text or None
    elif reply.text:
        sent = await send_text(bot, chat_id, reply.text, markup)
        if sent is not None and reply.choices:
            memory.live.append(sent)
            if len(reply.choices) > PAGE:
                memory.remember_pages(sent, reply.choices)
    if reply.file is not None:
        file = reply.file
        await sent_message(lambda: bot.send_document(
            chat_id, InputFile(file.data, filename=file.filename), caption=caption,
        ), "sendDocument")
    if reply.venue is not None:
        await _send_venue(bot, chat_id, reply.venue)


async def _send_venue(bot: Bot, chat_id: int, venue: Venue) -> None:
    address = venue.address
    if venue.phone:
        address = t("chat.venue_phone", address=venue.address, phone=venue.phone)
    await sent_message(lambda: bot.send_venue(chat_id, latitude=venue.lat, longitude=venue.lon,
                                              title=venue.name[:256], address=address[:256]),
                       "sendVenue")


def mark_answered(courtesies: Courtesies, bot: Bot, message: Message, data: str,
                  memory: ChatMemory) -> None:
    """The tapped question shows its answer and loses its buttons (a courtesy)."""
    label = label_of(message.reply_markup, data)
    _forget(memory, message.message_id)
    if label and message.text:
        text = t("chat.answered", question=message.text, answer=label)
        if len(text) <= TEXT_LIMIT:
            courtesies.start(message.chat_id, lambda: post(
                bot, "editMessageText", chat_id=message.chat_id,
                message_id=message.message_id, text=text,
            ), "editMessageText")
            return
    remove_keyboard(courtesies, bot, message.chat_id, message.message_id, memory)


def remove_keyboard(courtesies: Courtesies, bot: Bot, chat_id: int, message_id: int,
                    memory: ChatMemory) -> None:
    """A message's buttons go (a courtesy: if Telegram refuses, they stay, and a tap on
    them is recognised as stale)."""
    _forget(memory, message_id)
    courtesies.start(chat_id, lambda: post(
        bot, "editMessageReplyMarkup", chat_id=chat_id, message_id=message_id,
    ), "editMessageReplyMarkup")


def strip_live_keyboards(courtesies: Courtesies, bot: Bot, chat_id: int,
                         memory: ChatMemory) -> None:
    """The customer typed instead of tapping: the buttons above no longer apply."""
    for message_id in list(memory.live):
        remove_keyboard(courtesies, bot, chat_id, message_id, memory)


def _forget(memory: ChatMemory, message_id: int) -> None:
    if message_id in memory.live:
        memory.live.remove(message_id)
    memory.pages.pop(message_id, None)
