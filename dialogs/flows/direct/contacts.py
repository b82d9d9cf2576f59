"""Contacts for a direct service: email and mobile confirmed, or new ones verified by SMS code.

«I nuovi recapiti saranno validati mediante codice di verifica inviato al numero di cellulare
fornito»: a new mobile gets the code itself; a new email is confirmed by a code sent to the
mobile in use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.events import Inbound
from dialogs.flows.parts.answers import beneficiary_of, say
from dialogs.matching import yes_or_no
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from nlu.identifiers import IdentifierError, format_mobile, parse_email, parse_mobile
from portal.verification import normalise_code

PURPOSE = "contact"
_ROME = ZoneInfo("Europe/Rome")


def email_of(ctx: Context) -> str:
    """The email for updates: a new verified one, the beneficiary's, or the customer's."""
    return (ctx.answers.get("new_email") or beneficiary_of(ctx).email
            or ctx.household.customer.email or "")


def mobile_of(ctx: Context) -> str | None:
    return (ctx.answers.get("new_mobile") or beneficiary_of(ctx).mobile
            or ctx.household.customer.mobile)


def masked_mobile(e164: str) -> str:
    shown = format_mobile(e164)
    return shown[:-6] + "•••" + shown[-3:] if len(shown) > 9 else shown


class NewContact(BaseStep):
    """A new email or mobile, typed; a code is sent before it is used."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "email" or "mobile"
        self.name = f"new_{kind}_typed"

    def applies(self, ctx: Context) -> bool:
        return ctx.answers.get("contacts_change") == self.kind

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, f"contacts.new_{self.kind}"))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        try:
            target = (parse_email if self.kind == "email" else parse_mobile)(inbound.text or "")
        except IdentifierError as exc:
            return Invalid(str(exc))
        # The code goes to the new mobile, or for a new email to the mobile in use.
        to = target if self.kind == "mobile" else mobile_of(ctx)
        if to is None:
            return Invalid(say(ctx, "contacts.no_mobile"))
        sent = await ctx.services.send_code(PURPOSE, target, to, ctx.household.customer.id)
        if not sent.sent:
            return Invalid(_refusal(ctx, sent.reason, sent.retry_at))
        return Accept({"target": target, "to": to},
                      say(ctx, "contacts.code_sent", mobile=masked_mobile(to)))

    def help(self, ctx: Context) -> str:
        return say(ctx, f"contacts.{self.kind}_help")


class ContactCode(BaseStep):
    """The 6-digit code: right, wrong (tries left), expired, locked."""

    name = "contact_code"

    def _pending(self, ctx: Context) -> tuple[str, dict[str, str]] | None:
        for kind in ("email", "mobile"):
            typed = ctx.answers.get(f"new_{kind}_typed")
            if typed and ctx.answers.get("contacts_change") == kind:
                return kind, typed
        return None

    def applies(self, ctx: Context) -> bool:
        return self._pending(ctx) is not None

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "contacts.code_ask"), (
            Option("resend", say(ctx, "contacts.code_resend"), ("rimanda", "nuovo codice")),
            Option("keep", say(ctx, "contacts.code_keep_old")),
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        pending = self._pending(ctx)
        assert pending is not None
        kind, typed = pending
        if option == "keep":
            return Stay(say(ctx, "contacts.kept_old"),
                        also={"contacts_change": None, f"new_{kind}_typed": None})
        if option == "resend":
            sent = await ctx.services.send_code(PURPOSE, typed["target"], typed["to"],
                                                ctx.household.customer.id)
            if not sent.sent:
                return Invalid(_refusal(ctx, sent.reason, sent.retry_at))
            return Stay(say(ctx, "contacts.code_sent", mobile=masked_mobile(typed["to"])))
        code = normalise_code(inbound.text or "")
        if code is None:
            return Invalid(say(ctx, "contacts.code_invalid"))
        checked = await ctx.services.check_code(PURPOSE, typed["target"], code)
        if checked.status == "ok":
            shown = typed["target"] if kind == "email" else format_mobile(typed["target"])
            return Accept(True, say(ctx, "contacts.verified", value=shown),
                          also={f"new_{kind}": typed["target"], f"new_{kind}_typed": None,
                                "contacts_change": None})
        if checked.status == "wrong":
            return Invalid(say(ctx, "contacts.code_wrong", tries=checked.tries_left))
        if checked.status == "locked":
            return Invalid(_refusal(ctx, "locked", checked.locked_until))
        return Invalid(say(ctx, "contacts.code_expired"))

    def help(self, ctx: Context) -> str:
        return say(ctx, "contacts.code_help")


class Contacts(BaseStep):
    """«Conferma i tuoi dati»: email and mobile for updates and for the facility to call."""

    name = "contacts"
    edit_label = "Email e cellulare"
    clears = ("contacts_change",)

    def ask(self, ctx: Context) -> Question:
        mobile = mobile_of(ctx)
        return Question(
            say(ctx, "contacts.ask", email=email_of(ctx) or say(ctx, "contacts.none"),
                mobile=format_mobile(mobile) if mobile else say(ctx, "contacts.none")),
            (Option("ok", say(ctx, "contacts.ok")),
             Option("email", say(ctx, "contacts.change_email"), ("email", "mail")),
             Option("mobile", say(ctx, "contacts.change_mobile"),
                    ("cellulare", "telefono", "numero"))),
        )

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text and yes_or_no(inbound.text):
            option = "ok"
        if option == "ok":
            if mobile_of(ctx) is None:
                return Invalid(say(ctx, "contacts.mobile_needed"))
            return Accept("ok")
        if option in ("email", "mobile"):
            return Stay(also={"contacts_change": option, f"new_{option}_typed": None})
        return Invalid(say(ctx, "contacts.invalid"))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return mobile_of(ctx) is not None

    def describe(self, ctx: Context, value: Any) -> str:
        mobile = mobile_of(ctx)
        return f"{email_of(ctx)}, {format_mobile(mobile) if mobile else '-'}"

    def help(self, ctx: Context) -> str:
        return say(ctx, "contacts.help")


def _refusal(ctx: Context, reason: str | None, retry_at: datetime | None) -> str:
    at = retry_at.astimezone(_ROME).strftime("%H:%M") if retry_at else ""
    return say(ctx, f"contacts.refused_{reason or 'too_soon'}", at=at)
