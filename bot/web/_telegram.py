"""POST /telegram/webhook: updates from Telegram, checked by their secret, into the bot."""

from __future__ import annotations

import hmac
import json
import logging
from contextlib import AbstractAsyncContextManager
from typing import Self

from fastapi import APIRouter, Request, Response
from telegram import Update

from bot.channels.telegram import TelegramApp, TelegramConfig, build_application, webhook
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
        self.application: TelegramApp = build_application(runtime, sms, config, updater=False)
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
        return webhook(self.application, self.config)

    async def receive(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._secret):
            log.warning("telegram webhook refused: wrong or missing secret")
            self.runtime.metrics.rejected("telegram", "secret")
            return Response(status_code=403)
        body = await request.body()  # limited while streaming (bot.web._limits)
        try:
            update = Update.de_json(json.loads(body), self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            self.runtime.metrics.rejected("telegram", "malformed")
            return Response(status_code=400)
        # Answer Telegram at once; the bot handles the update from its queue.
        await self.application.update_queue.put(update)
        return Response(status_code=200)
