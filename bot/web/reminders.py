"""The reminder loop as a web feature of `medbot serve`: no routes, a background task."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Self

from fastapi import APIRouter

from bot.channels.telegram.sender import TelegramSender
from bot.outbound import ChannelSender
from bot.reminders import Reminders, serving
from bot.runtime import Runtime
from bot.web._app import WebFeature
from bot.web._telegram import TelegramWebhook

__all__ = ["ReminderLoop"]


class ReminderLoop:
    """Started after the channels' features (list it last) and so stopped before them: it
    delivers through their running bots."""

    def __init__(self, runtime: Runtime, features: Sequence[WebFeature] = ()) -> None:
        self.runtime = runtime
        self.features = list(features)
        self.router = APIRouter()
        self.reminders: Reminders | None = None  # while running

    @classmethod
    def from_runtime(cls, runtime: Runtime, features: Sequence[WebFeature]) -> Self | None:
        """The loop, unless MEDBOT_REMINDERS_EVERY is 0."""
        return cls(runtime, features) if runtime.settings.reminders_every > 0 else None

    def lifespan(self) -> AbstractAsyncContextManager[object]:
        return self._lifespan()

    @asynccontextmanager
    async def _lifespan(self) -> AsyncIterator[None]:
        async with serving(self.runtime, self._senders()) as reminders:
            self.reminders = reminders
            try:
                yield
            finally:
                self.reminders = None

    def _senders(self) -> dict[str, ChannelSender]:
        """The senders of the channels served here (WhatsApp's offers its own)."""
        senders: dict[str, ChannelSender] = {}
        for feature in self.features:
            if isinstance(feature, TelegramWebhook):
                senders["telegram"] = TelegramSender(feature.application.bot,
                                                     self.runtime.store)
            sender = getattr(feature, "sender", None)
            if sender is not None:
                senders[sender.channel] = sender
        return senders
