"""POST /telegram/webhook: updates from Telegram, checked by their secret, into the bot."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Self

from fastapi import APIRouter, Request, Response
from telegram import Update

from bot.channels.telegram import TelegramApp, TelegramConfig, build_application, webhook
from bot.channels.telegram._inbox import UpdateInbox
from bot.runtime import Runtime
from bot.sms import ConsoleSms, SmsSender, sms_sender

__all__ = ["PATH", "SECRET_HEADER", "TelegramWebhook"]

log = logging.getLogger(__name__)
PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramWebhook:
    """The bot taking updates by webhook; replicas behind a balancer can share the load."""

    def __init__(self, runtime: Runtime, sms: SmsSender, config: TelegramConfig) -> None:
        if not config.webhook_secret:
            raise ValueError("webhooks need MEDBOT_TELEGRAM_WEBHOOK_SECRET")
        self.runtime = runtime
        self.config = config
        self._secret = config.webhook_secret.encode()
        self.inbox = UpdateInbox(runtime.store, runtime.clock.now)
        self.application: TelegramApp = build_application(runtime, sms, config, updater=False,
                                                          inbox=self.inbox)
        self.router = APIRouter()
        self.router.add_api_route(PATH, self.receive, methods=["POST"], include_in_schema=False)
        if isinstance(sms, ConsoleSms):
            log.warning("SMS codes go to this log (MEDBOT_SMS_PROVIDER=console): "
                        "for development only, use the http provider in production")

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> Self:
        settings = runtime.settings
        return cls(runtime, sms_sender(settings), TelegramConfig.from_settings(settings))

    def lifespan(self) -> AbstractAsyncContextManager[object]:
        return self._lifespan()

    @asynccontextmanager
    async def _lifespan(self) -> AsyncIterator[None]:
        async with webhook(self.application, self.config):
            # Taken before a stop or a crash and not handled: queued again (a replica that
            # handled them meanwhile has marked them; those are let go).
            left = await self.inbox.waiting()
            if left:
                log.info("handling %d telegram updates taken before a restart", len(left))
            for update in left:
                await self.application.update_queue.put(update)
            yield

    async def receive(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._secret):
            log.warning("telegram webhook refused: wrong or missing secret")
            self.runtime.metrics.rejected("telegram", "secret")
            return Response(status_code=403)
        body = await request.body()  # limited while streaming (bot.web._limits)
        try:
            payload = json.loads(body)
            update = Update.de_json(payload, self.application.bot)
            if not isinstance(update.update_id, int):
                raise ValueError("no update id")
        except (ValueError, TypeError, KeyError, AttributeError):
            self.runtime.metrics.rejected("telegram", "malformed")
            return Response(status_code=400)
        # Kept before answering (a 5xx if the store fails: Telegram delivers it again).
        if not await self.inbox.accept(update, payload):
            log.info("telegram update delivered again, ignored")
            return Response(status_code=200)
        # Answer Telegram at once; the bot handles the update from its queue.
        await self.application.update_queue.put(update)
        return Response(status_code=200)
