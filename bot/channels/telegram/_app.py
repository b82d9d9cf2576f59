"""The PTB Application for medbot: configuration, build, and running by polling or webhook."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Self

from telegram import BotCommand, Update
from telegram.ext import Application
from telegram.request import BaseRequest

from bot.channels.telegram._channel import COMMANDS, TelegramChannel
from bot.channels.telegram._courtesy import courtesy
from bot.channels.telegram._inbox import UpdateInbox
from bot.channels.telegram._ordering import PerUserOrder
from bot.channels.telegram._ratelimit import ChatRateLimiter
from bot.channels.telegram._send import call
from bot.channels.telegram._texts import t
from bot.config import Settings
from bot.runtime import Runtime
from bot.sms import SmsSender

__all__ = [
    "ALLOWED_UPDATES",
    "TelegramApp",
    "TelegramConfig",
    "build_application",
    "channel_of",
    "polling",
    "run_polling",
    "webhook",
]

log = logging.getLogger(__name__)
TelegramApp = Application[Any, Any, Any, Any, Any, Any]
# Edited messages, reactions, inline queries and the rest are not asked for.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# Telegram's 429s are waited out and retried this many times before giving up.
RATE_LIMIT_RETRIES = 3
# The commands menu, if Telegram did not take it at start: tried again after this many
# seconds, then twice as long each time, up to MENU_RETRY_MAX.
MENU_RETRY_MAX = 600.0


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: str = field(repr=False)
    api_url: str = "https://api.telegram.org/bot"
    file_url: str = "https://api.telegram.org/file/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    # Seconds without a new file before an album is taken as complete.
    album_wait: float = 1.0
    # Seconds a getUpdates call waits for news (long polling).
    poll_timeout: int = 10
    # Seconds before the commands menu is tried again if setting it failed.
    menu_retry: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
            raise ValueError("MEDBOT_TELEGRAM_TOKEN is not set: ask @BotFather for a token")
        secret = settings.telegram_webhook_secret
        return cls(
            token=settings.telegram_token.get_secret_value(),
            api_url=settings.telegram_api_url,
            file_url=settings.telegram_file_url,
            webhook_url=settings.telegram_webhook_url,
            webhook_secret=secret.get_secret_value() if secret else None,
        )


def build_application(runtime: Runtime, sms: SmsSender, config: TelegramConfig, *,
                      updater: bool = True, request: BaseRequest | None = None,
                      inbox: UpdateInbox | None = None) -> TelegramApp:
    """The Application with medbot's handlers; without `updater` it only takes updates put
    in its queue (webhook mode). `request` replaces the HTTP client (the bench's in-memory
    Bot API). `inbox`: updates kept by the webhook, applied once and in order across
    replicas."""
    channel = TelegramChannel(runtime, sms, config.album_wait)
    builder = (
        Application.builder()
        .token(config.token)
        .base_url(config.api_url)
        .base_file_url(config.file_url)
        .rate_limiter(ChatRateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .concurrent_updates(PerUserOrder(channel.locks, channel.taken, channel.over,
                                         inbox=inbox))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.read_timeout(15).media_write_timeout(60)
    if not updater:
        builder = builder.updater(None)
    application = builder.build()
    if inbox is not None:
        inbox.attach(application.process_update,
                     lambda payload: Update.de_json(payload, application.bot))
    channel.attach(application)
    application.bot_data["medbot.channel"] = channel
    return application


def channel_of(application: TelegramApp) -> TelegramChannel:
    channel = application.bot_data["medbot.channel"]
    assert isinstance(channel, TelegramChannel)
    return channel


async def announce_commands(application: TelegramApp, retry: float) -> None:
    """The commands menu next to the text box: a courtesy, so the bot starts without it and
    tries again later (after `retry` seconds, then doubling) until Telegram takes it."""
    commands = [BotCommand(name, t(f"commands.{name}")) for name in COMMANDS]
    while not await courtesy(lambda: application.bot.set_my_commands(commands),
                             "setMyCommands"):
        log.warning("commands menu not set: trying again in %.0f s", retry)
        await asyncio.sleep(retry)
        retry = min(retry * 2, MENU_RETRY_MAX)


@asynccontextmanager
async def _menu(application: TelegramApp, config: TelegramConfig) -> AsyncIterator[None]:
    """The commands menu is announced in the background while the bot runs."""
    task = asyncio.get_running_loop().create_task(
        announce_commands(application, config.menu_retry))
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@asynccontextmanager
async def polling(application: TelegramApp, config: TelegramConfig) -> AsyncIterator[TelegramApp]:
    """Runs the Application by long polling (any webhook is removed) until the block ends."""
    assert application.updater is not None, "build the application with an updater"
    async with application, _menu(application, config):
        await application.updater.start_polling(timeout=config.poll_timeout,
                                                allowed_updates=ALLOWED_UPDATES)
        await application.start()
        log.info("telegram bot @%s polling", application.bot.username)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            await channel_of(application).close()


@asynccontextmanager
async def webhook(application: TelegramApp, config: TelegramConfig) -> AsyncIterator[TelegramApp]:
    """Runs the Application on updates put in its queue; registers the webhook if configured."""
    async with application, _menu(application, config):
        if config.webhook_url:
            await call(lambda: application.bot.set_webhook(
                config.webhook_url or "", secret_token=config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            ), "setWebhook")
        await application.start()
        log.info("telegram bot @%s taking webhooks", application.bot.username)
        try:
            yield application
        finally:
            await application.stop()
            await channel_of(application).close()


async def run_polling(runtime: Runtime, sms: SmsSender, config: TelegramConfig,
                      stop: asyncio.Event) -> None:
    """`medbot telegram`: polls until `stop` is set."""
    application = build_application(runtime, sms, config)
    async with polling(application, config):
        await stop.wait()
