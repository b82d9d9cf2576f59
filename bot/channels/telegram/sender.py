"""Messages the bot starts on Telegram (reminders, status changes): a ChannelSender."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from bot.channels.telegram._keyboards import Keyboard, keyboard
from bot.channels.telegram._linking import CHANNEL
from bot.channels.telegram._memory import ChatMemory
from bot.channels.telegram._ratelimit import BROADCAST
from bot.channels.telegram._send import split_text
from bot.outbound import DeliveryError, Outbound
from dialogs.events import Choice
from dialogs.state import State
from portal.store import Store

__all__ = ["TelegramSender"]


class TelegramSender:
    """A ChannelSender (bot.outbound); `user_key` is the Telegram user id, which is also the
    id of their private chat with the bot.

    One attempt per call: retrying is the reminder loop's job (with back-off), so a failure is
    reported at once as a DeliveryError, `retry=False` when Telegram refuses for good (the
    user blocked the bot, the chat is gone).
    """

    channel = CHANNEL

    def __init__(self, bot: Bot, store: Store,
                 memory: Callable[[int], ChatMemory] | None = None) -> None:
        self._bot = bot
        self._store = store
        # The channel's memory of the chat, so that long choice ids stay answerable.
        self._memory = memory or (lambda _chat: ChatMemory())

    async def deliver(self, user_key: str, message: Outbound) -> None:
        chat_id = int(user_key)
        reply = message.reply
        markup = None
        if reply.choices and await self._answerable(user_key, reply.choices):
            markup = keyboard(reply.choices, self._memory(chat_id))
        try:
            await self._send(chat_id, reply.text, markup)
        except (Forbidden, BadRequest) as exc:
            raise DeliveryError(f"telegram refused: {type(exc).__name__}", retry=False) from exc
        except RetryAfter as exc:
            raise DeliveryError("telegram rate limit", retry=True) from exc
        except TelegramError as exc:  # NetworkError, TimedOut, 5xx...
            raise DeliveryError(f"telegram unreachable: {type(exc).__name__}",
                                retry=True) from exc

    async def _answerable(self, user_key: str, choices: Sequence[Choice]) -> bool:
        """Buttons work only if their ids carry the conversation's current question token
        (as the dialog engine makes them): a tap on any other is refused as a stale button.
        A message built without the token is sent as text alone: its words say what to type."""
        record = await self._store.load_conversation(CHANNEL, user_key)
        token = State.from_json(record.state if record else None).token
        return all(c.id.partition(".")[0] == str(token) for c in choices)

    async def _send(self, chat_id: int, text: str, markup: Keyboard | None) -> None:
        # A long text goes in several messages; if a later one fails the whole message is
        # retried, so a part may arrive twice: bot-initiated messages are short.
        chunks = split_text(text)
        # Paced with every other message the bot starts (Telegram's broadcast limit).
        pacing = {"rate_limit_args": BROADCAST} if isinstance(self._bot, ExtBot) else {}
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            await self._bot.send_message(chat_id, chunk, reply_markup=markup if last else None,
                                         **pacing)
