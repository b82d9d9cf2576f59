"""GET/POST /whatsapp/webhook: Meta's verification, then signed updates kept before the 200
and handled in the background."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Self

from fastapi import APIRouter, Request, Response

from bot.channels.whatsapp import (
    HEADER,
    GraphApi,
    Inbox,
    WhatsAppChannel,
    WhatsAppConfig,
    WhatsAppSender,
    messages_of,
    signed_by,
    statuses_of,
)
from bot.runtime import Runtime
from bot.sms import SmsSender, sms_sender

__all__ = ["PATH", "WhatsAppWebhook"]

log = logging.getLogger(__name__)
PATH = "/whatsapp/webhook"


class WhatsAppWebhook:
    """The web feature: routes, and the inbox worker started and stopped with the server."""

    def __init__(self, runtime: Runtime, sms: SmsSender, config: WhatsAppConfig,
                 graph: GraphApi | None = None) -> None:
        self.runtime = runtime
        self.config = config
        self.graph = graph or GraphApi(config)
        self.channel = WhatsAppChannel(runtime, sms, self.graph)
        self.sender = WhatsAppSender(runtime.store, self.graph, config, runtime.clock.now)
        self.inbox = Inbox(runtime.store, self.channel.process, runtime.clock.now,
                           metrics=runtime.metrics)
        self.router = APIRouter()
        self.router.add_api_route(PATH, self.verify, methods=["GET"], include_in_schema=False)
        self.router.add_api_route(PATH, self.receive, methods=["POST"], include_in_schema=False)

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> Self:
        settings = runtime.settings
        return cls(runtime, sms_sender(settings), WhatsAppConfig.from_settings(settings))

    def lifespan(self) -> AbstractAsyncContextManager[object]:
        return self._lifespan()

    @asynccontextmanager
    async def _lifespan(self) -> AsyncIterator[None]:
        await self.inbox.start()
        try:
            yield
        finally:
            await self.inbox.stop()
            await self.graph.aclose()

    async def verify(self, request: Request) -> Response:
        """Meta's subscription check: echo hub.challenge when the verify token is ours."""
        query = request.query_params
        token = query.get("hub.verify_token", "").encode("utf-8", "surrogateescape")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(
                token, self.config.verify_token.encode()):
            return Response(query.get("hub.challenge", ""), media_type="text/plain")
        log.warning("whatsapp webhook verification refused")
        self.runtime.metrics.rejected("whatsapp", "verify_token")
        return Response(status_code=403)

    async def receive(self, request: Request) -> Response:
        # Read with the app's limit while streaming (bot.web._limits), then checked before
        # anything parses it.
        body = await request.body()
        if not signed_by(self.config.app_secret, body, request.headers.get(HEADER)):
            log.warning("whatsapp webhook refused: bad or missing signature")
            self.runtime.metrics.rejected("whatsapp", "signature")
            return Response(status_code=403)
        try:
            update: Any = json.loads(body)
            if not isinstance(update, dict):
                raise ValueError("not an object")
        except ValueError:
            self.runtime.metrics.rejected("whatsapp", "malformed")
            return Response(status_code=400)
        now = self.runtime.clock.now()
        store = self.runtime.store
        # Kept before answering: once Meta has its 200 the message must not be lost.
        for message in messages_of(update):
            message_id, wa_id = str(message["id"]), str(message["from"])
            if await store.accept_whatsapp(message_id, message, wa_id, now):
                self.inbox.put(message_id, wa_id)
            else:
                log.info("whatsapp message delivered again, ignored")
        for status in statuses_of(update):
            errors = status.get("errors") or [{}]
            code = errors[0].get("code") if isinstance(errors[0], dict) else None
            await store.record_whatsapp_status(str(status["id"]), str(status["status"]),
                                               code if isinstance(code, int) else None, now)
        return Response(status_code=200)
