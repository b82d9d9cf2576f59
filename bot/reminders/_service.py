"""The loop as a process runs it: the senders the settings configure, started and stopped
with the process (`medbot serve`, `medbot telegram`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager

from bot.outbound import ChannelSender
from bot.reminders._loop import QuietHours, Reminders, running
from bot.runtime import Runtime

__all__ = ["configured_senders", "reminders_for", "serving"]

log = logging.getLogger(__name__)


@asynccontextmanager
async def configured_senders(runtime: Runtime, given: Mapping[str, ChannelSender] | None = None,
                             ) -> AsyncIterator[dict[str, ChannelSender]]:
    """The senders `given` (those of channels the process already runs), plus one for each
    other configured channel: Telegram when MEDBOT_TELEGRAM_TOKEN is set, WhatsApp when its
    token is. Every process then delivers on every channel, so none cancels a message for
    want of a channel another process has."""
    senders = dict(given or {})
    settings = runtime.settings
    async with AsyncExitStack() as stack:
        token = settings.telegram_token
        if "telegram" not in senders and token is not None and token.get_secret_value():
            from telegram import Bot

            from bot.channels.telegram.sender import TelegramSender

            # Not initialised (no getMe at start-up): Telegram being down delays the
            # messages, not the process.
            bot = Bot(token.get_secret_value(), base_url=settings.telegram_api_url,
                      base_file_url=settings.telegram_file_url)
            stack.push_async_callback(bot.request.shutdown)  # bot.shutdown skips it
            senders["telegram"] = TelegramSender(bot, runtime.store)
        if "whatsapp" not in senders and settings.whatsapp_token is not None:
            from bot.channels.whatsapp import GraphApi, WhatsAppConfig, WhatsAppSender

            try:
                config = WhatsAppConfig.from_settings(settings)
            except ValueError as exc:
                log.warning("reminders not sent on WhatsApp: %s", exc)
            else:
                graph = GraphApi(config)
                stack.push_async_callback(graph.aclose)
                senders["whatsapp"] = WhatsAppSender(runtime.store, graph, config,
                                                     runtime.clock.now)
        yield senders


def reminders_for(runtime: Runtime, senders: Mapping[str, ChannelSender]) -> Reminders:
    settings = runtime.settings
    return Reminders(runtime.store, senders, runtime.clock.now,
                     QuietHours(settings.quiet_start, settings.quiet_end), runtime.metrics)


@asynccontextmanager
async def serving(runtime: Runtime, given: Mapping[str, ChannelSender] | None = None,
                  ) -> AsyncIterator[Reminders | None]:
    """The loop in the background every MEDBOT_REMINDERS_EVERY seconds for the block; None
    is yielded, and no loop runs, when that is 0 or no channel is configured. `given` as for
    `configured_senders`."""
    every = runtime.settings.reminders_every
    if every <= 0:
        async with running(reminders_for(runtime, {}), every):
            yield None
        return
    async with configured_senders(runtime, given) as senders:
        if not senders:  # the loop would cancel every message, with nowhere to send it
            log.warning("reminders off: no channel to send them on")
            yield None
            return
        reminders = reminders_for(runtime, senders)
        async with running(reminders, every):
            yield reminders
