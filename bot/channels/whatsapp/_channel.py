"""The WhatsApp channel: one accepted message in, a conversation turn, replies sent back."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from bot.channels.languages import ChatLanguages
from bot.channels.whatsapp._graph import GraphApi, GraphError, TooBig
from bot.channels.whatsapp._linking import CHANNEL, Linking
from bot.channels.whatsapp._parse import Incoming, read_message
from bot.channels.whatsapp._render import MORE, FileMessage, Outgoing, choice_messages, render
from bot.channels.whatsapp._texts import t
from bot.logs import in_conversation
from bot.runtime import Runtime
from bot.sms import SmsSender
from dialogs.events import Choice, Inbound, IncomingFile, IncomingVoice, Reply
from dialogs.texts import t as dialog_text
from dialogs.uploads import MAX_BYTES

__all__ = ["WhatsAppChannel"]

log = logging.getLogger(__name__)
RESUME = "wa.resume"
ACCEPTED_TYPES = {"application/pdf", "image/jpeg", "image/png"}
# A voice note weighs ~2 KB a second (Opus at 16 kbit/s), an MP3 up to 16 KB: a file heavier
# than the longest note listened to at 128 kbit/s is surely too long.
VOICE_BYTES_PER_SECOND = 16_000
# Users whose last list is remembered for its «more» row; the oldest are forgotten first.
KEEP_USERS = 10_000


class WhatsAppChannel:
    """Handles accepted messages one at a time; keeps nothing but the last list per user."""

    def __init__(self, runtime: Runtime, sms: SmsSender, graph: GraphApi) -> None:
        self.runtime = runtime
        self.store = runtime.store
        self.graph = graph
        self.linking = Linking(runtime.store, sms, runtime.clock.now, runtime.clock.timezone,
                               runtime.settings.support_contact)
        self._lists: OrderedDict[str, Reply] = OrderedDict()
        self.languages = ChatLanguages()

    async def process(self, message: dict[str, Any]) -> None:
        """Never raises: a failure is logged (without the message) and apologised for."""
        wa_id = str(message["from"])
        self.languages.adopt(wa_id)
        with in_conversation(self.runtime.conversations.pseudonym(CHANNEL, wa_id)):
            try:
                await self._quietly_read(str(message["id"]))
                await self._process(wa_id, read_message(message), str(message["id"]))
            except Exception as exc:
                self.runtime.metrics.error("whatsapp_message", exc)
                log.exception("whatsapp message failed: %s", type(exc).__name__)
                try:
                    await self.send(wa_id, [Reply(t("chat.error"),
                                                  (Choice(RESUME, t("chat.resume")),))])
                except GraphError:
                    log.error("could not apologise to a whatsapp user")

    async def _process(self, wa_id: str, incoming: Incoming, message_id: str) -> None:
        """`message_id`: the accepted message, marked handled in its turn's transaction."""
        customer = await self.store.linked_customer(CHANNEL, wa_id)
        if customer is None:
            await self._unlinked(wa_id, incoming, message_id)
            return
        if incoming.kind == "choice" and incoming.choice.startswith(MORE):
            await self._next_page(wa_id, customer, incoming.choice, message_id)
        elif incoming.kind == "choice" and incoming.choice == RESUME:
            await self._turn(wa_id, customer, Inbound(), message_id)
        elif incoming.kind == "choice":
            await self._turn(wa_id, customer, Inbound(choice=incoming.choice), message_id)
        elif incoming.kind == "media":
            got = await self._download(incoming)
            if isinstance(got, str):
                await self.send(wa_id, [Reply(got)])
            else:
                await self._turn(wa_id, customer, Inbound(file=got), message_id)
        elif incoming.kind == "audio":
            await self._turn(wa_id, customer, Inbound(voice=await self._voice(incoming)),
                             message_id)
        elif incoming.kind == "location":
            await self._turn(wa_id, customer, Inbound(location=incoming.location),
                             message_id)
        elif incoming.kind == "contact":
            await self._turn(wa_id, customer, Inbound(contact=incoming.contact),
                             message_id)
        elif incoming.kind == "text":
            await self._turn(wa_id, customer, Inbound(text=incoming.text), message_id)
        else:
            await self.send(wa_id, [Reply(t("files.not_supported"))])

    async def _unlinked(self, wa_id: str, incoming: Incoming, message_id: str) -> None:
        if incoming.kind in ("media", "audio"):
            await self.send(wa_id, [Reply(t("files.link_first"))])
            return
        replies, customer = await self.linking.on_message(wa_id, incoming.text, incoming.choice)
        await self.send(wa_id, replies)
        if customer is not None:  # just recognised: the conversation starts
            await self._turn(wa_id, customer, Inbound(), message_id)

    async def _turn(self, wa_id: str, customer_id: int, inbound: Inbound,
                    message_id: str) -> None:
        # The turn and "message handled" are saved together: a restart never applies a
        # message twice (a redelivered one is a duplicate, and says nothing).
        result = await self.runtime.conversations.handle(CHANNEL, wa_id, customer_id, inbound,
                                                         inbox_message=message_id)
        self.languages.remember(wa_id, result.language)
        await self.send(wa_id, result.replies)

    async def _next_page(self, wa_id: str, customer_id: int, choice: str,
                         message_id: str) -> None:
        shown = self._lists.get(wa_id)
        start = choice.removeprefix(MORE)
        if shown is None or not start.isdigit() or int(start) >= len(shown.choices):
            # Forgotten (a restart): the current question, asked again, has its own list.
            await self._turn(wa_id, customer_id, Inbound(), message_id)
            return
        await self._post(wa_id, choice_messages(t("chat.list_body"), shown.choices, int(start)))

    async def _download(self, incoming: Incoming) -> IncomingFile | str:
        """The file, or why it can't be taken (the same rules as on Telegram)."""
        if incoming.mime_type and incoming.mime_type not in ACCEPTED_TYPES:
            return dialog_text("files.wrong_type")
        try:
            media = await self.graph.media(incoming.media_id, MAX_BYTES)
        except TooBig as big:
            return dialog_text("files.too_big",
                               size=f"{big.size / 1024 / 1024:.1f}".replace(".", ","),
                               limit=MAX_BYTES // 1024 // 1024)
        except GraphError:
            return t("files.download_failed")
        return IncomingFile(media.data, incoming.filename, incoming.mime_type or media.mime_type)

    async def _voice(self, incoming: Incoming) -> IncomingVoice:
        """The note's bytes; none when it cannot be listened to here or is surely too long.
        WhatsApp declares no length, only a size: one over what the longest note listened
        to can weigh is never downloaded, and the decoded length is checked after."""
        limit = self.runtime.settings.voice_max_seconds
        if not self.runtime.conversations.listens:
            return IncomingVoice(b"")  # the conversation says kindly that it cannot listen
        try:
            media = await self.graph.media(incoming.media_id, limit * VOICE_BYTES_PER_SECOND)
        except TooBig:
            return IncomingVoice(b"", incoming.filename, limit + 1.0)
        except GraphError:
            log.warning("a whatsapp voice note could not be downloaded")
            return IncomingVoice(b"", incoming.filename)
        return IncomingVoice(media.data, incoming.filename)

    async def send(self, wa_id: str, replies: list[Reply]) -> None:
        for reply in replies:
            if len(reply.choices) > 3:
                self._remember(wa_id, reply)
            await self._post(wa_id, render(reply))

    async def _post(self, wa_id: str, messages: list[Outgoing]) -> None:
        for message in messages:
            if isinstance(message, FileMessage):
                file = message.file
                media_id = await self.graph.upload(file.data, file.filename, file.mime_type)
                document: dict[str, Any] = {"id": media_id, "filename": file.filename}
                if message.caption:
                    document["caption"] = message.caption
                await self.graph.send(wa_id, {"type": "document", "document": document})
            else:
                await self.graph.send(wa_id, message)

    def _remember(self, wa_id: str, reply: Reply) -> None:
        self._lists[wa_id] = reply
        self._lists.move_to_end(wa_id)
        while len(self._lists) > KEEP_USERS:
            self._lists.popitem(last=False)

    async def _quietly_read(self, message_id: str) -> None:
        try:
            await self.graph.mark_read(message_id)
        except GraphError:
            pass  # only a courtesy
