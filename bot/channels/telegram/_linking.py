"""Recognising a Telegram user: their own shared contact, a customer's mobile, an SMS code."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import (
    Bot,
    Contact,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.channels.telegram._keyboards import LINK, Keyboard, one_row
from bot.channels.telegram._render import send_text
from bot.channels.telegram._texts import t
from bot.sms import SmsError, SmsSender, mask_phone
from dialogs.matching import normalise
from portal.store import Store
from portal.verification import CheckStatus, CodeRefused, normalise_code

__all__ = ["CHANNEL", "Linking"]

log = logging.getLogger(__name__)
CHANNEL = "telegram"
PURPOSE = "link"
RESEND = f"{LINK}.resend"
# Typed instead of tapping «Mandami un nuovo codice».
_RESEND_WORDS = {"nuovo codice", "altro codice", "rimanda", "rimandami il codice",
                 "reinvia", "non e arrivato", "non mi e arrivato", "non arriva"}


def _share_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup([[KeyboardButton(t("link.share_button"), request_contact=True)]],
                               resize_keyboard=True, one_time_keyboard=True)


def _resend_keyboard() -> Keyboard:
    return one_row((t("link.resend_button"), RESEND))


class Linking:
    """The conversation with someone not yet linked to a customer. Pending codes live in the
    store (by subject "telegram:<user id>"), so a restart in between loses nothing."""

    def __init__(self, store: Store, sms: SmsSender, now: Callable[[], datetime],
                 timezone: ZoneInfo, support_contact: str) -> None:
        self._store = store
        self._sms = sms
        self._now = now
        self._timezone = timezone
        self._contact = support_contact

    async def greet(self, bot: Bot, chat_id: int) -> None:
        await send_text(bot, chat_id, t("link.intro"), _share_keyboard())

    async def general(self, bot: Bot, chat_id: int) -> None:
        await send_text(bot, chat_id, t("link.general", contact=self._contact), _share_keyboard())

    async def ask_to_link(self, bot: Bot, chat_id: int, text: str) -> None:
        await send_text(bot, chat_id, text, _share_keyboard())

    async def on_contact(self, bot: Bot, chat_id: int, user_id: int, contact: Contact) -> None:
        if contact.user_id != user_id:
            await send_text(bot, chat_id, t("link.not_own_contact"), _share_keyboard())
            return
        phone = "+" + re.sub(r"\D", "", contact.phone_number)
        customer = await self._store.customer_by_mobile(phone)
        if customer is None:
            log.info("telegram user shared a number that is no customer's mobile")
            await send_text(bot, chat_id, t("link.not_a_customer", phone=phone,
                                            contact=self._contact), ReplyKeyboardRemove())
            return
        await self._send_code(bot, chat_id, user_id, phone, customer.id)

    async def resend(self, bot: Bot, chat_id: int, user_id: int) -> None:
        pending = await self._store.pending_code(PURPOSE, _subject(user_id), self._now())
        if pending is None:
            await send_text(bot, chat_id, t("link.no_code"), _share_keyboard())
            return
        await self._send_code(bot, chat_id, user_id, pending.target, pending.customer_id)

    async def on_text(self, bot: Bot, chat_id: int, user_id: int, text: str) -> int | None:
        """Checks a typed code; the customer's id once linked, else None (already answered)."""
        now = self._now()
        pending = await self._store.pending_code(PURPOSE, _subject(user_id), now)
        if pending is None:
            await self.general(bot, chat_id)
            return None
        if pending.locked_until is not None:
            await self._say_locked(bot, chat_id, pending.locked_until)
            return None
        code = normalise_code(text)
        if code is None:
            if normalise(text) in _RESEND_WORDS:
                await self._send_code(bot, chat_id, user_id, pending.target, pending.customer_id)
            else:
                await send_text(bot, chat_id, t("link.code_expected"), _resend_keyboard())
            return None
        result = await self._store.check_code(PURPOSE, pending.target, code, now,
                                              subject=_subject(user_id))
        if result.status is CheckStatus.OK and result.customer_id is not None:
            return await self._link(bot, chat_id, user_id, result.customer_id)
        if result.status is CheckStatus.WRONG:
            message = (t("link.wrong_code_last") if result.tries_left == 1
                       else t("link.wrong_code", tries=result.tries_left))
            await send_text(bot, chat_id, message, _resend_keyboard())
        elif result.status is CheckStatus.EXPIRED:
            await send_text(bot, chat_id, t("link.expired"), _resend_keyboard())
        elif result.status is CheckStatus.LOCKED and result.locked_until is not None:
            await self._say_locked(bot, chat_id, result.locked_until)
        else:
            await send_text(bot, chat_id, t("link.no_code"), _share_keyboard())
        return None

    async def _link(self, bot: Bot, chat_id: int, user_id: int, customer_id: int) -> int:
        key = str(user_id)
        await self._store.link_user(CHANNEL, key, customer_id, self._now())
        record = await self._store.load_conversation(CHANNEL, key)
        if record is not None and record.customer_id not in (None, customer_id):
            # A conversation begun for another customer must not continue for this one.
            await self._store.forget_conversation(CHANNEL, key)
        customer = await self._store.person(customer_id)
        log.info("telegram user linked to a customer by SMS code")
        await send_text(bot, chat_id, t("link.linked", name=customer.first_name if customer else ""),
                        ReplyKeyboardRemove())
        return customer_id

    async def _send_code(self, bot: Bot, chat_id: int, user_id: int, phone: str,
                         customer_id: int) -> None:
        try:
            issued = await self._store.issue_code(PURPOSE, phone, customer_id, self._now(),
                                                  subject=_subject(user_id))
        except CodeRefused as refused:
            if refused.reason == "locked":
                await self._say_locked(bot, chat_id, refused.retry_at)
            else:
                await send_text(bot, chat_id, t(f"link.{refused.reason}",
                                                time=self._clock(refused.retry_at),
                                                contact=self._contact), ReplyKeyboardRemove())
            return
        try:
            await self._sms.send(phone, t("link.sms", code=issued.code))
        except SmsError:
            await send_text(bot, chat_id, t("link.sms_failed"), _resend_keyboard())
            return
        log.info("link code sent by SMS to %s", mask_phone(phone))
        await send_text(bot, chat_id, t("link.code_sent", last_digits=phone[-2:]),
                        ReplyKeyboardRemove())

    async def _say_locked(self, bot: Bot, chat_id: int, until: datetime) -> None:
        await send_text(bot, chat_id, t("link.locked", time=self._clock(until),
                                        contact=self._contact), ReplyKeyboardRemove())

    def _clock(self, moment: datetime) -> str:
        return moment.astimezone(self._timezone).strftime("%H:%M")


def _subject(user_id: int) -> str:
    return f"{CHANNEL}:{user_id}"
