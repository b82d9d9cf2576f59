"""Messages the bot starts (reminders, status changes), and the contract of the channels that
deliver them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from dialogs.events import Reply


class DeliveryError(Exception):
    """The channel could not deliver now; `retry` says whether trying later may work."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True, slots=True)
class Outbound:
    """A message the bot starts: the reply to show, and for channels that only allow
    pre-approved templates outside a conversation window (WhatsApp), the template to use
    and its parameters, in order."""

    kind: str  # e.g. "status_changed", "documents_missing", "appointment", "unfinished"
    reply: Reply
    template: str | None = None
    parameters: tuple[str, ...] = field(default=())


class ChannelSender(Protocol):
    """Delivers bot-initiated messages on one channel to a linked chat user."""

    channel: str

    async def deliver(self, user_key: str, message: Outbound) -> None:
        """Sends `message`; raises DeliveryError when it could not."""
