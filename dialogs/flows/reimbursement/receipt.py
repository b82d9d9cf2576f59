"""After a receipt arrives: the same receipt already sent is asked about first, then what was read
is said back in one message, confirmed with «Sì» or corrected in words ("l'importo è 95"). Only
then is it the customer's answer; the fields read with doubt are asked by their own questions."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dialogs.acts import find_correction
from dialogs.events import Inbound
from dialogs.flows.common import show_amount, show_date
from dialogs.flows.reimbursement.expenses import (
    EXPENSE_FIELDS,
    ExpenseAmount,
    ExpenseDate,
    ExpenseNumber,
    _ExpenseStep,
    close_expense,
)
from dialogs.flows.reimbursement.reading import (
    FIELDS,
    date_problem,
    proposal,
    said_back,
    sent_text,
    warnings,
)
from dialogs.matching import normalise, yes_or_no
from dialogs.steps import Accept, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.money import AmountError, parse_amount

# "il 13", "13": a day of the month read, the month and year kept.
_BARE_DAY = re.compile(r"(?:il\s+|l\s*'\s*)?(\d{1,2})")
# "li scrivo io", "scrivo io": the customer prefers to type the fields.
_MANUAL = ("li scrivo io", "scrivo io", "lo scrivo io", "li scrivo", "inserisco io", "a mano")


class ExpenseSent(_ExpenseStep):
    """«Questo documento l'hai già mandato con la richiesta 26000112: lo aggiungo comunque?»"""

    name = "exp_sent_ok"

    def applies(self, ctx: Context) -> bool:
        return (super().applies(ctx) and "exp_file" in ctx.answers
                and bool(ctx.answers.get("exp_sent")))

    def ask(self, ctx: Context) -> Question:
        said = [sent_text(s) for s in ctx.answers["exp_sent"][:2]]
        return Question("\n".join([*said, "", t("reimbursement.receipt.sent_ask")]),
                        (Option("drop", t("reimbursement.receipt.sent_drop")),
                         Option("keep", t("reimbursement.receipt.sent_keep"))))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            option = None if verdict is None else "keep" if verdict else "drop"
        if option == "keep":
            return Accept(True, t("reimbursement.receipt.sent_kept"))
        if option == "drop":
            # The file is not this request's: asked again, nothing of it kept.
            return Stay(t("reimbursement.receipt.sent_dropped"), also=dict.fromkeys(EXPENSE_FIELDS))
        return Invalid(t("reimbursement.receipt.sent_invalid"))

    def describe(self, ctx: Context, value: Any) -> str:
        return t("reimbursement.receipt.sent_keep")

    def help(self, ctx: Context) -> str:
        return t("reimbursement.receipt.sent_help")


class ExpenseRead(_ExpenseStep):
    """«Ho letto: documento n. 118/2026 del 12 marzo 2026, € 85,00, Studio Oculistico Bianchi.
    È giusto?» Yes takes what was read; a correction in words changes it and asks again."""

    name = "exp_read_ok"
    corrects = frozenset(FIELDS)

    def applies(self, ctx: Context) -> bool:
        # Nothing read with confidence and nothing to warn about: the fields are simply asked.
        return (super().applies(ctx) and "exp_file" in ctx.answers
                and bool(ctx.answers.get("exp_reading"))
                and bool(proposal(ctx) or warnings(ctx)))

    def _complete(self, ctx: Context) -> bool:
        return proposal(ctx).keys() == FIELDS.keys()

    def ask(self, ctx: Context) -> Question:
        text = said_back(ctx)
        if not proposal(ctx):
            # Nothing to confirm (read with doubt, or implausible): the fields are asked.
            return Question(text, (Option("manual", t("common.continue")),))
        if self._complete(ctx):
            options = (Option("done", t("reimbursement.receipt.yes_done")),
                       Option("add", t("reimbursement.receipt.yes_add")),
                       Option("fix", t("reimbursement.receipt.fix")))
            return Question(f"{text}\n\n{t('reimbursement.receipt.is_right_more')}", options)
        options = (Option("yes", t("reimbursement.receipt.yes")),
                   Option("fix", t("reimbursement.receipt.fix")))
        return Question(f"{text}\n\n{t('reimbursement.receipt.is_right')}", options)

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        text = " ".join((inbound.text or "").split())
        if option is None and text:
            corrected = await self._correction(ctx, text)
            if corrected is not None:
                return corrected
            if normalise(text) in _MANUAL:
                option = "manual"
            else:
                verdict = yes_or_no(text)
                option = None if verdict is None else "yes" if verdict else "fix"
        if option == "manual" or (option in ("yes", "done", "add") and not proposal(ctx)):
            return Accept(False, t("reimbursement.receipt.manual") if proposal(ctx) else "")
        if option == "fix":
            return Stay(t("reimbursement.receipt.fix_how"))
        if option not in ("yes", "done", "add"):
            return Invalid(t("reimbursement.receipt.invalid"))
        taken = self._taken(ctx)
        if option == "yes" or not self._complete(ctx):
            return Accept(True, also=taken)
        # «Sì, continua» / «Sì, ne ho un altro»: the question "another document?" answered too.
        notice, closed = close_expense(ctx, {**ctx.answers, **taken, self.name: True}, option)
        return Accept(True, notice, also={**taken, **closed}, answered=("exp_more",))

    def _taken(self, ctx: Context) -> dict[str, Any]:
        """The answers the confirmed reading gives."""
        found = proposal(ctx)
        taken: dict[str, Any] = {FIELDS[name]: value for name, value in found.items()}
        if "date" in found:
            taken["exp_date_literal"] = True  # said back in full and confirmed
        return taken

    async def _correction(self, ctx: Context, text: str) -> Outcome | None:
        """"l'importo è 95", "il numero è 119/2026", "la data è il 13", "95 euro": the field
        changed in what was read, said, and the whole asked again."""
        found = find_correction(text)
        field = found.field if found is not None else None
        value = found.value if found is not None else None
        if field is None:
            field, value = _bare_value(text)
        if field not in FIELDS or not value:
            return None
        parsed = await _parse(ctx, field, value)
        if isinstance(parsed, Invalid):
            return parsed
        reading = dict(ctx.answers["exp_reading"])
        reading[field] = {"value": parsed, "confidence": 1.0, "said": True}
        shown = {"date": show_date, "amount": show_amount}.get(field, str)(parsed)
        return Stay(t("reimbursement.receipt.corrected",
                      what=t(f"reimbursement.receipt.field_{field}"), value=shown),
                    also={"exp_reading": reading})

    def describe(self, ctx: Context, value: Any) -> str:
        return t("reimbursement.receipt.yes") if value else t("reimbursement.receipt.typed")

    def help(self, ctx: Context) -> str:
        return t("reimbursement.receipt.help")


def _bare_value(text: str) -> tuple[str | None, str | None]:
    """A value typed alone: an amount in euro ("95 euro", "€ 95")."""
    if "€" in text or "euro" in normalise(text).split():
        try:
            parse_amount(text)
        except AmountError:
            return None, None
        return "amount", text
    return None, None


async def _parse(ctx: Context, field: str, value: str) -> str | Invalid:
    """A corrected value read by the question that asks that field."""
    reading = ctx.answers["exp_reading"]
    bare = _BARE_DAY.fullmatch(normalise(value)) if field == "date" else None
    read = reading.get("date")
    if bare is not None and read is not None:
        try:
            day = date.fromisoformat(read["value"]).replace(day=int(bare[1]))
        except ValueError:
            return Invalid(t("reimbursement.expense.date_invalid"))
        problem = date_problem(ctx, day.isoformat())
        return Invalid(problem) if problem else day.isoformat()
    step = {"date": ExpenseDate(), "amount": ExpenseAmount(), "number": ExpenseNumber()}[field]
    outcome = await step.answer(ctx, Inbound(text=value), None)
    if isinstance(outcome, Accept):
        return str(outcome.value)
    if isinstance(outcome, Invalid):
        return outcome
    return Invalid(t("reimbursement.receipt.invalid"))
