"""The email for updates and the IBAN for the money: confirmed, or new ones validated."""

from __future__ import annotations

import re
from typing import Any

from dialogs.events import Inbound
from dialogs.flows.reimbursement.answers import email_of, iban_of, payee_of
from dialogs.flows.reimbursement.people import Payee, named_payee, payee_understood
from dialogs.matching import yes_or_no
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.identifiers import IdentifierError, mask_iban, parse_email, parse_iban


class NewEmail(BaseStep):
    name = "new_email"

    def applies(self, ctx: Context) -> bool:
        return ctx.answers.get("contacts_change") == "email"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.contacts.new_email"))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        try:
            email = parse_email(inbound.text or "")
        except IdentifierError as exc:
            return Invalid(str(exc))
        return Accept(email, t("reimbursement.contacts.email_taken", email=email),
                      also={"contacts_change": None})

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return True

    def help(self, ctx: Context) -> str:
        return t("reimbursement.contacts.email_help")


class NewIban(BaseStep):
    name = "new_iban"

    def applies(self, ctx: Context) -> bool:
        return ctx.answers.get("contacts_change") == "iban" or payee_of(ctx).iban is None

    def ask(self, ctx: Context) -> Question:
        payee = payee_of(ctx)
        if payee.iban is None and "new_iban" not in ctx.answers:
            return Question(t("reimbursement.contacts.iban_missing", name=payee.full_name))
        return Question(t("reimbursement.contacts.new_iban", name=payee.full_name))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        text = inbound.text or ""
        try:
            iban = parse_iban(text)
        except IdentifierError as exc:
            if exc.code == "iban_not_iban":
                # Not an IBAN but who gets the money ("puoi mandarlo a me?"): the payee changes.
                changed = _payee_change(ctx, text)
                if changed is not None:
                    return changed
            return Invalid(str(exc))
        return Accept(iban, t("reimbursement.contacts.iban_taken", iban=mask_iban(iban)),
                      also={"contacts_change": None})

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return True

    def describe(self, ctx: Context, value: Any) -> str:
        return mask_iban(value)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.contacts.iban_help")


def _payee_change(ctx: Context, text: str) -> Stay | None:
    """When the words at the IBAN question name the other possible payee: that payee, said
    back; the authorisation and the contacts are asked again for them."""
    if Payee().implied(ctx) is not None:
        return None  # nobody else can receive it (the customer's own or a minor's service)
    chosen = named_payee(ctx, text)
    if chosen is None or chosen == ctx.answers.get("payee"):
        return None
    return Stay(payee_understood(ctx, chosen),
                also={"payee": chosen, "authorisation": None, "new_iban": None,
                      "contacts": None, "contacts_change": None})


class Contacts(BaseStep):
    """The email for updates and the IBAN for the money, confirmed or changed."""

    name = "contacts"
    edit_label = "Email e IBAN"
    clears = ("contacts_change",)

    def ask(self, ctx: Context) -> Question:
        payee = payee_of(ctx)
        return Question(
            t("reimbursement.contacts.ask", email=email_of(ctx), iban=mask_iban(iban_of(ctx) or ""),
              name=payee.full_name),
            (
                Option("ok", t("reimbursement.contacts.ok")),
                Option("email", t("reimbursement.contacts.change_email"), ("email", "mail")),
                Option("iban", t("reimbursement.contacts.change_iban"), ("iban", "conto")),
            ),
        )

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            # A new email or IBAN typed straight away, without pressing the button first.
            text = inbound.text.strip()
            if "@" in text:
                try:
                    email = parse_email(text)
                except IdentifierError as exc:
                    return Invalid(str(exc))
                return Stay(t("reimbursement.contacts.email_taken", email=email),
                            also={"new_email": email})
            if re.match(r"^\s*[A-Za-z]{2}\s*\d{2}", text) and len(text.replace(" ", "")) >= 15:
                try:
                    iban = parse_iban(text)
                except IdentifierError as exc:
                    return Invalid(str(exc))
                return Stay(t("reimbursement.contacts.iban_taken", iban=mask_iban(iban)),
                            also={"new_iban": iban})
            if yes_or_no(text):
                option = "ok"
            elif option is None:
                changed = _payee_change(ctx, text)  # "no, sul mio conto": the other payee
                if changed is not None:
                    return changed
        if option == "ok":
            return Accept("ok")
        if option in ("email", "iban"):
            return Stay(also={"contacts_change": option}, reopen=(f"new_{option}",))
        return Invalid(t("reimbursement.contacts.invalid"))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return iban_of(ctx) is not None and bool(email_of(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return f"{email_of(ctx)}, {mask_iban(iban_of(ctx) or '')}"

    def help(self, ctx: Context) -> str:
        return t("reimbursement.contacts.help")
