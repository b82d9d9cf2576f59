"""The Telegram channel: updates in, conversation turns through, replies rendered back."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import traceback
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.languages import ChatLanguages
from bot.channels.telegram._albums import Albums
from bot.channels.telegram._courtesy import Courtesies, courtesy, typing_while_slow
from bot.channels.telegram._files import PageRefused, download, incoming_file, join_pages
from bot.channels.telegram._keyboards import (
    ALBUM,
    CHOICE,
    HASHED,
    PAGE_TO,
    RESUME,
    choice_from_data,
    keyboard,
    one_row,
)
from bot.channels.telegram._linking import CHANNEL, RESEND, Linking
from bot.channels.telegram._links import Links
from bot.channels.telegram._memory import AlbumItem, ChatMemory
from bot.channels.telegram._ordering import UserLocks
from bot.channels.telegram._render import (
    mark_answered,
    remove_keyboard,
    send_replies,
    send_text,
    strip_live_keyboards,
)
from bot.channels.telegram._send import post
from bot.channels.telegram._texts import t
from bot.channels.telegram._voice import download_voice
from bot.runtime import Runtime
from bot.sms import SmsSender
from dialogs.events import Inbound, IncomingVoice
from dialogs.state import State

__all__ = ["COMMANDS", "TelegramChannel", "deep_link_text"]

log = logging.getLogger(__name__)
Context = ContextTypes.DEFAULT_TYPE

# The bot's menu; each command sends its word to the conversation, as if typed.
COMMANDS = ("start", "rimborso", "diretta", "richieste", "aiuto", "annulla", "promemoria")
# What can be asked before being recognised: the rest is remembered for after.
_AFTER_LINK = {"rimborso", "diretta", "richieste", "promemoria"}
_POLICY_LINK = re.compile(r"polizza_(\d{1,20})")
# Chats remembered in memory (keyboard pages, albums); the oldest are forgotten first.
KEEP_CHATS = 10_000

Handler = Callable[[Any, Update, Context], Awaitable[None]]


def _settling(handler: Handler) -> Handler:
    """The update is over once the courtesy calls it started are (see Courtesies)."""

    @functools.wraps(handler)
    async def handle(self: TelegramChannel, update: Update, context: Context) -> None:
        try:
            await handler(self, update, context)
        finally:
            if update.effective_chat is not None:
                await self.courtesies.settle(update.effective_chat.id)

    return handle


def deep_link_text(payload: str | None) -> str | None:
    """/start rimborso|diretta|richieste|polizza_<numero>: the portal's entry points."""
    if not payload:
        return None
    if payload in ("rimborso", "diretta", "richieste"):
        return payload
    policy = _POLICY_LINK.fullmatch(payload)
    return f"polizza {policy.group(1)}" if policy else None


class TelegramChannel:
    """One per Application. Keeps nothing of a conversation but buttons and albums in flight."""

    def __init__(self, runtime: Runtime, sms: SmsSender, album_wait: float = 1.0) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.locks = UserLocks()
        self.links = Links(runtime.store)
        self.courtesies = Courtesies()
        self.linking = Linking(runtime.store, sms, runtime.clock.now, runtime.clock.timezone,
                               runtime.settings.support_contact)
        self.albums = Albums(album_wait, self._album_complete)
        self._memories: OrderedDict[int, ChatMemory] = OrderedDict()
        self.languages = ChatLanguages()
        self._bot: Bot | None = None

    def attach(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        self._bot = application.bot
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        application.add_handlers([
            CommandHandler("start", self.on_start, filters=private),
            CommandHandler(list(COMMANDS[1:]), self.on_command, filters=private),
            MessageHandler(private & filters.CONTACT, self.on_contact),
            MessageHandler(private & filters.LOCATION, self.on_location),
            MessageHandler(private & (filters.PHOTO | filters.Document.ALL), self.on_file),
            MessageHandler(private & filters.TEXT, self.on_text),
            MessageHandler(private & (filters.VOICE | filters.AUDIO), self.on_voice),
            MessageHandler(private, self.on_other),
            CallbackQueryHandler(self.on_callback),
            MessageHandler(~filters.ChatType.PRIVATE & filters.COMMAND
                           & filters.UpdateType.MESSAGE, self.on_group),
        ])
        application.add_error_handler(self.on_error)

    async def close(self) -> None:
        await self.albums.close()
        await self.courtesies.close()

    def taken(self, update: Update) -> None:
        """An update is taken, not handled yet: album files are counted from here."""
        message, user = update.message, update.effective_user
        if (message is not None and user is not None and message.media_group_id
                and (message.photo or message.document)):
            self.albums.announce(message.media_group_id, message.chat_id, user.id,
                                 message.message_id)

    def over(self, update: Update) -> None:
        message = update.message
        if message is not None and message.media_group_id:
            self.albums.settle(message.media_group_id, message.message_id)

    # -- updates ---------------------------------------------------------------------------

    @_settling
    async def on_start(self, update: Update, context: Context) -> None:
        message, user_id, memory = self._unpack(update)
        text = deep_link_text(context.args[0] if context.args else None)
        customer = await self._customer(user_id)
        if customer is None:
            memory.after_link = text
            await self.linking.greet(context.bot, message.chat_id)
            return
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(text=text) if text else Inbound())

    @_settling
    async def on_command(self, update: Update, context: Context) -> None:
        message, user_id, memory = self._unpack(update)
        word = (message.text or "").split()[0].lstrip("/").split("@")[0].lower()
        customer = await self._customer(user_id)
        if customer is None:
            if word in _AFTER_LINK:
                memory.after_link = word
                await self.linking.greet(context.bot, message.chat_id)
            else:
                await self.linking.general(context.bot, message.chat_id)
            return
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(text=word))

    @_settling
    async def on_text(self, update: Update, context: Context) -> None:
        message, user_id, memory = self._unpack(update)
        text = message.text or ""
        customer = await self._customer(user_id)
        if customer is None:
            customer = await self.linking.on_text(context.bot, message.chat_id, user_id, text)
            if customer is not None:  # just recognised: continue where a deep link pointed
                self.links.remember(user_id, customer)
                after, memory.after_link = memory.after_link, None
                await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                                 Inbound(text=after) if after else Inbound(), strip=False)
            return
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(text=text))

    @_settling
    async def on_contact(self, update: Update, context: Context) -> None:
        message, user_id, memory = self._unpack(update)
        contact = message.contact
        assert contact is not None
        customer = await self._customer(user_id)
        if customer is None:
            await self.linking.on_contact(context.bot, message.chat_id, user_id, contact)
            return
        phone = "+" + re.sub(r"\D", "", contact.phone_number)
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(contact=phone))

    @_settling
    async def on_location(self, update: Update, context: Context) -> None:
        message, user_id, memory = self._unpack(update)
        location = message.location
        assert location is not None
        customer = await self._customer(user_id)
        if customer is None:
            await self.linking.greet(context.bot, message.chat_id)
            return
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(location=(location.latitude, location.longitude)))

    @_settling
    async def on_file(self, update: Update, context: Context) -> None:
        message, user_id, memory = self._unpack(update)
        incoming = incoming_file(message)
        assert incoming is not None
        customer = await self._customer(user_id)
        if customer is None:
            await self.linking.ask_to_link(context.bot, message.chat_id, t("files.link_first"))
            return
        group = message.media_group_id
        if group is not None:  # announced when taken (see `taken`); complete later
            if incoming.refusal is not None:
                item = AlbumItem(incoming.kind, refusal=incoming.refusal)
            else:
                got = await download(context.bot, incoming)
                item = (AlbumItem(incoming.kind, refusal=got) if isinstance(got, str)
                        else AlbumItem(incoming.kind, file=got))
            self.albums.add(group, message.message_id, item)
            return
        if incoming.refusal is not None:
            await send_text(context.bot, message.chat_id, incoming.refusal)
            return
        async with typing_while_slow(context.bot, message.chat_id):
            got = await download(context.bot, incoming)
        if isinstance(got, str):
            await send_text(context.bot, message.chat_id, got)
            return
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(file=got))

    @_settling
    async def on_voice(self, update: Update, context: Context) -> None:
        """A voice note or an audio file: listened to, then read as if typed."""
        message, user_id, memory = self._unpack(update)
        customer = await self._customer(user_id)
        if customer is None:
            await self.linking.ask_to_link(context.bot, message.chat_id, t("files.link_first"))
            return
        conversations = self.runtime.conversations
        if not conversations.listens:  # said kindly by the conversation, nothing downloaded
            voice = IncomingVoice(b"")
        else:
            async with typing_while_slow(context.bot, message.chat_id):
                voice = await download_voice(context.bot, message,
                                             self.runtime.settings.voice_max_seconds)
        await self._turn(context.bot, message.chat_id, user_id, customer, memory,
                         Inbound(voice=voice))

    @_settling
    async def on_other(self, update: Update, context: Context) -> None:
        message, user_id, _ = self._unpack(update)
        if await self._customer(user_id) is None:
            await self.linking.greet(context.bot, message.chat_id)
        else:
            await send_text(context.bot, message.chat_id, t("files.not_supported"))

    @_settling
    async def on_group(self, update: Update, context: Context) -> None:
        if update.effective_message is not None:
            await send_text(context.bot, update.effective_message.chat_id, t("chat.private_only"))

    @_settling
    async def on_callback(self, update: Update, context: Context) -> None:
        """Every tap is answered (the spinner stops) whatever happens after."""
        query = update.callback_query
        assert query is not None
        answered = False
        bot, user_id, data = context.bot, query.from_user.id, query.data or ""
        message = query.message if isinstance(query.message, Message) else None
        chat_id = message.chat_id if message is not None else user_id

        async def answer(text: str | None = None) -> None:
            nonlocal answered
            if not answered:
                answered = True
                self.courtesies.start(chat_id, lambda: query.answer(text), "answerCallbackQuery")

        try:
            memory = self._memory(chat_id)
            if data == RESEND:
                await answer()
                await self.linking.resend(bot, chat_id, user_id)
                return
            customer = await self._customer(user_id)
            if customer is None:
                await answer()
                if message is not None:
                    remove_keyboard(self.courtesies, bot, chat_id, message.message_id, memory)
                await self.linking.greet(bot, chat_id)
                return
            if data[:1] in (CHOICE, HASHED):
                await self._tapped(bot, chat_id, user_id, customer, memory, message, data, answer)
            elif data[:1] == PAGE_TO and message is not None:
                await answer()
                choices = memory.pages.get(message.message_id)
                if choices is None:  # forgotten (a restart): ask the current question again
                    remove_keyboard(self.courtesies, bot, chat_id, message.message_id, memory)
                    await self._turn(bot, chat_id, user_id, customer, memory, Inbound(),
                                     strip=False)
                else:
                    markup = keyboard(choices, memory, int(data[1:] or 0))
                    self.courtesies.start(chat_id, lambda: post(
                        bot, "editMessageReplyMarkup", chat_id=chat_id,
                        message_id=message.message_id, reply_markup=markup,
                    ), "editMessageReplyMarkup")
            elif data[:1] == ALBUM:
                await answer()
                await self._album_answer(bot, chat_id, user_id, customer, memory, message, data)
            else:  # «Riprendi», or a button we can't read any more: where were we?
                await answer()
                if message is not None:
                    remove_keyboard(self.courtesies, bot, chat_id, message.message_id, memory)
                await self._turn(bot, chat_id, user_id, customer, memory, Inbound(), strip=False)
        finally:
            await answer()

    async def on_error(self, update: object, context: Context) -> None:
        """Logs what failed (never the update: it holds what the customer wrote) and
        apologises; the conversation is as it was saved, so «Riprendi» continues it."""
        error = context.error
        frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
        self.runtime.metrics.error("telegram_update", error)
        log.error("telegram update failed: %s\n%s", type(error).__name__, frames)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if update.callback_query is not None:
            await courtesy(update.callback_query.answer, "answerCallbackQuery")
        await self._apologise(context.bot, update.effective_chat.id)

    # -- turns -----------------------------------------------------------------------------

    async def _turn(self, bot: Bot, chat_id: int, user_id: int, customer_id: int,
                    memory: ChatMemory, inbound: Inbound, *, strip: bool = True) -> None:
        """One conversation turn; `strip` removes buttons above that the customer passed by."""
        if strip:
            strip_live_keyboards(self.courtesies, bot, chat_id, memory)
        async with typing_while_slow(bot, chat_id):
            result = await self.runtime.conversations.handle(CHANNEL, str(user_id), customer_id,
                                                             inbound)
        self.languages.remember(chat_id, result.language)
        # The question token the new buttons carry: a tap is current if it carries the same
        # (not known if this turn shows none: then the store says).
        tokens = [c.id.partition(".")[0] for r in result.replies for c in r.choices
                  if "." in c.id]
        memory.token = tokens[-1] if tokens else None
        await send_replies(bot, chat_id, memory, result.replies)

    async def _tapped(self, bot: Bot, chat_id: int, user_id: int, customer_id: int,
                      memory: ChatMemory, message: Message | None, data: str,
                      answer: Any) -> None:
        choice_id = choice_from_data(data, memory)
        token = choice_id.partition(".")[0] if choice_id else None
        if token is None or token != await self._current_token(user_id, memory):
            # An old question: its buttons go; the conversation says where we are.
            await answer(t("chat.stale_button"))
            if message is not None:
                remove_keyboard(self.courtesies, bot, chat_id, message.message_id, memory)
        else:
            await answer()
            if message is not None:
                mark_answered(self.courtesies, bot, message, data, memory)
        inbound = Inbound(choice=choice_id) if choice_id else Inbound()
        await self._turn(bot, chat_id, user_id, customer_id, memory, inbound, strip=False)

    async def _current_token(self, user_id: int, memory: ChatMemory) -> str:
        """The token of the question the conversation is at: known from the buttons this
        process sent last, else read from the store (after a restart, say)."""
        if memory.token is not None:
            return memory.token
        record = await self.store.load_conversation(CHANNEL, str(user_id))
        return str(State.from_json(record.state if record else None).token)

    # -- albums ----------------------------------------------------------------------------

    async def _album_complete(self, chat_id: int, user_id: int, items: list[AlbumItem]) -> None:
        bot = self._bot
        assert bot is not None
        try:
            async with self.locks.hold(user_id):
                memory = self._memory(chat_id)
                customer = await self._customer(user_id)
                if customer is None:
                    return
                if len(items) == 1:  # an album of one: just a file
                    await self._album_files(bot, chat_id, user_id, customer, memory, items,
                                            acknowledge=False)
                    return
                key = memory.new_album(items)
                await send_text(bot, chat_id, t("files.album_question", count=len(items)),
                                one_row((t("files.album_one"), f"{ALBUM}{key}.y"),
                                        (t("files.album_many"), f"{ALBUM}{key}.n")))
        except Exception as exc:  # noqa: BLE001 - runs outside PTB: apologise here
            log.error("album handling failed: %s\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            await self._apologise(bot, chat_id)
        finally:
            await self.courtesies.settle(chat_id)

    async def _album_answer(self, bot: Bot, chat_id: int, user_id: int, customer_id: int,
                            memory: ChatMemory, message: Message | None, data: str) -> None:
        key, _, verdict = data[1:].partition(".")
        items = memory.albums.pop(key, None)
        if message is not None:
            mark_answered(self.courtesies, bot, message, data, memory)
        if items is None:
            await send_text(bot, chat_id, t("files.album_gone"))
            return
        if verdict != "y":
            await self._album_files(bot, chat_id, user_id, customer_id, memory, items,
                                    acknowledge=True)
            return
        count = len(items)
        refused = [(n, item.refusal) for n, item in enumerate(items, 1) if item.refusal]
        for n, reason in refused:
            await send_text(bot, chat_id, t("files.album_item_refused", n=n, count=count,
                                            reason=reason))
        if refused:
            return
        try:
            # Checking and joining decode every page: off the event loop.
            joined = await asyncio.to_thread(
                join_pages, [item.file for item in items if item.file is not None])
        except PageRefused as exc:
            await send_text(bot, chat_id, t("files.album_item_refused", n=exc.page,
                                            count=count, reason=exc.reason))
            return
        await send_text(bot, chat_id, t("files.album_joined", count=count))
        await self._turn(bot, chat_id, user_id, customer_id, memory, Inbound(file=joined),
                         strip=False)

    async def _album_files(self, bot: Bot, chat_id: int, user_id: int, customer_id: int,
                           memory: ChatMemory, items: list[AlbumItem], *,
                           acknowledge: bool) -> None:
        """Each file on its own, in order, each acknowledged («Ricevuto: foto 1 di 2»)."""
        for n, item in enumerate(items, 1):
            if item.refusal is not None or item.file is None:
                reason = item.refusal or t("files.not_supported")
                text = (t("files.album_item_refused", n=n, count=len(items), reason=reason)
                        if acknowledge else reason)
                await send_text(bot, chat_id, text)
                continue
            if acknowledge:
                kind = "photo" if item.kind == "photo" else "document"
                await send_text(bot, chat_id, t(f"files.received_{kind}", n=n, count=len(items)))
            await self._turn(bot, chat_id, user_id, customer_id, memory, Inbound(file=item.file),
                             strip=False)

    # -- helpers ---------------------------------------------------------------------------

    def _unpack(self, update: Update) -> tuple[Message, int, ChatMemory]:
        message, user = update.effective_message, update.effective_user
        assert message is not None and user is not None
        return message, user.id, self._memory(message.chat_id)

    def _memory(self, chat_id: int) -> ChatMemory:
        self.languages.adopt(chat_id)  # what the channel says itself, in the chat's language
        memory = self._memories.get(chat_id)
        if memory is None:
            memory = self._memories[chat_id] = ChatMemory()
            while len(self._memories) > KEEP_CHATS:
                self._memories.popitem(last=False)
        else:
            self._memories.move_to_end(chat_id)
        return memory

    async def _customer(self, user_id: int) -> int | None:
        return await self.links.customer(user_id)

    async def _apologise(self, bot: Bot, chat_id: int) -> None:
        try:
            await send_text(bot, chat_id, t("chat.error"), one_row((t("chat.resume"), RESUME)))
        except TelegramError as exc:
            log.error("could not apologise to a telegram chat: %s", type(exc).__name__)
