"""Messages the bot starts on WhatsApp: normal ones within 24 hours of the customer's last
message, the approved template outside that window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.channels.whatsapp._config import WhatsAppConfig
from bot.channels.whatsapp._graph import GraphApi, GraphError
from bot.channels.whatsapp._linking import CHANNEL
from bot.channels.whatsapp._render import FileMessage, render
from bot.outbound import DeliveryError, Outbound
from portal.store import Store

__all__ = ["WINDOW", "WhatsAppSender", "template_message"]

WINDOW = timedelta(hours=24)


def template_message(name: str, language: str, parameters: tuple[str, ...]) -> dict[str, Any]:
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if parameters:
        template["components"] = [{"type": "body", "parameters": [
            {"type": "text", "text": value} for value in parameters]}]
    return {"type": "template", "template": template}


class WhatsAppSender:
    """A ChannelSender (bot.outbound); `user_key` is the customer's wa_id."""

    channel = CHANNEL

    def __init__(self, store: Store, graph: GraphApi, config: WhatsAppConfig,
                 now: Callable[[], datetime]) -> None:
        self._store = store
        self._graph = graph
        self._config = config
        self._now = now

    async def in_window(self, wa_id: str) -> bool:
        last = await self._store.whatsapp_last_inbound(wa_id)
        return last is not None and self._now() - last < WINDOW

    async def deliver(self, user_key: str, message: Outbound) -> None:
        try:
            if await self.in_window(user_key):
                for item in render(message.reply):
                    if isinstance(item, FileMessage):
                        media_id = await self._graph.upload(item.file.data, item.file.filename,
                                                            item.file.mime_type)
                        await self._graph.send(user_key, {"type": "document", "document": {
                            "id": media_id, "filename": item.file.filename}})
                    else:
                        await self._graph.send(user_key, item)
                return
            name = message.template or self._config.templates.get(message.kind)
            if not name:
                raise DeliveryError(f"no WhatsApp template for {message.kind!r} outside the "
                                    "24-hour window", retry=False)
            await self._graph.send(user_key, template_message(
                name, self._config.template_language, message.parameters))
        except GraphError as exc:
            raise DeliveryError(str(exc), retry=exc.retry) from exc
