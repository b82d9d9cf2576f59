"""Recognising a WhatsApp user: the number WhatsApp verified, the codice fiscale, and an SMS
code when the number is not the customer's mobile on file."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.channels.whatsapp._texts import t
from bot.sms import SmsError, SmsSender
from dialogs.events import Choice, Reply
from nlu.identifiers import IdentifierError, parse_fiscal_code
from portal.store import Store
from portal.verification import CheckStatus, CodeRefused, normalise_code

__all__ = ["CHANNEL", "RESEND", "Linking"]

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"
PURPOSE = "link"
RESEND = "wa.resend"
# A codice fiscale somewhere in what was typed ("il mio cf è RSSMRA75D12H501J").
_CF_LIKE = re.compile(r"\b[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}"
                      r"[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]\b")


def _resend() -> tuple[Choice, ...]:
    return (Choice(RESEND, t("link.resend_button")),)


class Linking:
    """The conversation with someone not linked yet. It keeps no state of its own: a pending
    code lives in the store (subject "whatsapp:<wa_id>"), everything else is asked again."""

    def __init__(self, store: Store, sms: SmsSender, now: Callable[[], datetime],
                 timezone: ZoneInfo, support_contact: str) -> None:
        self._store = store
        self._sms = sms
        self._now = now
        self._timezone = timezone
        self._contact = support_contact

    async def on_message(self, wa_id: str, text: str, choice: str = "",
                         ) -> tuple[list[Reply], int | None]:
        """The replies, and the customer's id once linked."""
        now = self._now()
        subject = _subject(wa_id)
        pending = await self._store.pending_code(PURPOSE, subject, now)
        if pending is not None and pending.locked_until is not None:
            return [self._locked(pending.locked_until)], None
        if choice == RESEND:
            if pending is None:
                return [await self.intro(wa_id)], None
            return [await self._send_code(wa_id, pending.target, pending.customer_id)], None
        cf = _fiscal_code(text)
        if pending is not None and cf is None:
            code = normalise_code(text)
            if code is None:
                return [Reply(t("link.code_expected"), _resend())], None
            return await self._check(wa_id, pending.target, code)
        if cf is None:
            return [await self.intro(wa_id)], None
        return await self._by_fiscal_code(wa_id, cf)

    async def intro(self, wa_id: str) -> Reply:
        known = await self._store.customer_by_mobile("+" + wa_id) is not None
        return Reply(t("link.intro_known" if known else "link.intro_unknown"))

    async def _by_fiscal_code(self, wa_id: str, cf: str) -> tuple[list[Reply], int | None]:
        # WhatsApp has verified the sender owns this number: if it is a customer's mobile,
        # the codice fiscale confirms who they are; otherwise the mobile on file must.
        by_mobile = await self._store.customer_by_mobile("+" + wa_id)
        if by_mobile is not None:
            if by_mobile.fiscal_code != cf:
                log.info("whatsapp user gave a codice fiscale not matching their number")
                return [Reply(t("link.not_this_customer", contact=self._contact))], None
            return [await self._link(wa_id, by_mobile.id)], by_mobile.id
        # From any other number the answer must not tell whether the codice fiscale is a
        # customer's, nor anything of their mobile: a customer without a mobile, or no
        # customer at all, gets a decoy code that behaves like a real one but is never sent.
        customer = await self._store.customer_by_fiscal_code(cf)
        if customer is not None and customer.mobile:
            return [await self._send_code(wa_id, customer.mobile, customer.id)], None
        return [await self._send_code(wa_id, _decoy_target(cf), None)], None
    async def _check(self, wa_id: str, target: str, code: str,
                     ) -> tuple[list[Reply], int | None]:
        result = await self._store.check_code(PURPOSE, target, code, self._now(),
                                              subject=_subject(wa_id))
        if result.status is CheckStatus.OK and result.customer_id is not None:
            return [await self._link(wa_id, result.customer_id)], result.customer_id
        if result.status is CheckStatus.WRONG:
            text = (t("link.wrong_code_last") if result.tries_left == 1
                    else t("link.wrong_code", tries=result.tries_left))
            return [Reply(text, _resend())], None
        if result.status is CheckStatus.EXPIRED:
            return [Reply(t("link.expired"), _resend())], None
        if result.status is CheckStatus.LOCKED and result.locked_until is not None:
            return [self._locked(result.locked_until)], None
        return [await self.intro(wa_id)], None

    async def _link(self, wa_id: str, customer_id: int) -> Reply:
        await self._store.link_user(CHANNEL, wa_id, customer_id, self._now())
        record = await self._store.load_conversation(CHANNEL, wa_id)
        if record is not None and record.customer_id not in (None, customer_id):
            # A conversation begun for another customer must not continue for this one.
            await self._store.forget_conversation(CHANNEL, wa_id)
        customer = await self._store.person(customer_id)
        log.info("whatsapp user linked to a customer")
        return Reply(t("link.linked", name=customer.first_name if customer else ""))

    async def _send_code(self, wa_id: str, target: str, customer_id: int | None) -> Reply:
        """The same answer whether a code went to a customer's mobile or to nobody."""
        try:
            issued = await self._store.issue_code(PURPOSE, target, customer_id, self._now(),
                                                  subject=_subject(wa_id))
        except CodeRefused as refused:
            if refused.reason == "locked":
                return self._locked(refused.retry_at)
            if refused.by_target:
                # The target's own limit: telling would say there is a customer behind it.
                log.info("whatsapp link code not sent: the target had enough codes")
                return _code_sent()
            return Reply(t(f"link.{refused.reason}", time=self._clock(refused.retry_at),
                           contact=self._contact))
        if customer_id is None:
            return _code_sent()
        try:
            await self._sms.send(target, t("link.sms", code=issued.code))
        except SmsError:
            # Said to nobody: a failure only real mobiles can have would tell them apart.
            log.warning("whatsapp link code: the SMS could not be sent")
        else:
            log.info("whatsapp link code sent by SMS")
        return _code_sent()

    def _locked(self, until: datetime) -> Reply:
        return Reply(t("link.locked", time=self._clock(until), contact=self._contact))

    def _clock(self, moment: datetime) -> str:
        return moment.astimezone(self._timezone).strftime("%H:%M")


def _fiscal_code(text: str) -> str | None:
    found = _CF_LIKE.search(text or "")
    if found is None:
        return None
    try:
        return parse_fiscal_code(found.group(0))
    except IdentifierError:
        return None


def _code_sent() -> Reply:
    return Reply(t("link.code_sent"), _resend())


def _decoy_target(cf: str) -> str:
    """Where a decoy code 'goes': derived from the codice fiscale, so asking again for the
    same one finds the same row (and the same resend and lock rules) as a real one would."""
    return "decoy:" + hashlib.sha256(cf.encode()).hexdigest()[:40]


def _subject(wa_id: str) -> str:
    return f"{CHANNEL}:{wa_id}"
