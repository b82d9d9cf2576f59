"""Expense documents, one at a time: the file, its date, amount and number, then "another?"."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import show_amount, show_date
from dialogs.flows.parts.answers import quote
from dialogs.flows.parts.confirm import ConfirmDate
from dialogs.flows.reimbursement.reading import take_receipt
from dialogs.matching import normalise, yes_or_no
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question
from dialogs.texts import t
from nlu.dates import describe_date, parse_date_detail
from nlu.money import AmountError, format_amount, parse_amount

DOCUMENT_NUMBER_MAX = 30


EXPENSE_FIELDS = ("exp_file", "exp_reading", "exp_sent", "exp_sent_ok", "exp_read_ok",
                  "exp_date", "exp_date_literal", "exp_date_ok", "exp_amount", "exp_number",
                  "exp_more")
# What a document keeps of the answers besides its file, date, amount and number (so reopening
# it restores it exactly), under its name without "exp_".
_KEPT = ("reading", "sent", "sent_ok", "read_ok")


class _ExpenseStep(BaseStep):
    def applies(self, ctx: Context) -> bool:
        return not ctx.answers.get("expenses_done")

    def _ordinal(self, ctx: Context) -> int:
        return len(ctx.get("expenses", [])) + 1

    def reopen(self, ctx: Context) -> None:
        # Going back past the start of a document reopens the previous one, field by field,
        # so nothing already given is lost.
        if "exp_file" not in ctx.answers and ctx.get("expenses"):
            expenses = list(ctx.answers["expenses"])
            last = expenses.pop()
            ctx.answers["expenses"] = expenses
            ctx.answers.pop("expenses_done", None)
            for name, value in last.items():
                ctx.answers[f"exp_{name}"] = value
        super().reopen(ctx)


class ExpenseFile(_ExpenseStep):
    name = "exp_file"
    accepts_files = True
    # What was read from the file goes with it.
    clears = ("exp_reading", "exp_sent", "exp_sent_ok", "exp_read_ok")

    def ask(self, ctx: Context) -> Question:
        if self._ordinal(ctx) == 1:
            return Question(t("reimbursement.expense.file_first"))
        return Question(t("reimbursement.expense.file_next", n=self._ordinal(ctx)))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is None:
            return Invalid(t("reimbursement.expense.file_expected"))
        taken = await take_receipt(ctx, inbound)
        if isinstance(taken, Invalid):
            return taken
        stored = taken.pop("exp_file")
        return Accept(stored, t("reimbursement.expense.file_received", n=self._ordinal(ctx)),
                      also=taken)

    def describe(self, ctx: Context, value: Any) -> str:
        return value["filename"]

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.file_help")


class ExpenseDate(_ExpenseStep):
    name = "exp_date"
    clears = ("exp_date_ok", "exp_date_literal")

    def ask(self, ctx: Context) -> Question:
        said = ctx.answers.get("said_date")
        if said and not ctx.get("expenses"):
            # The day named when the request was opened ("... del 12 marzo"), one tap away.
            return Question(t("reimbursement.expense.date_ask"),
                            (Option("said", show_date(said)),))
        return Question(t("reimbursement.expense.date_ask"))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        reading = parse_date_detail(inbound.text or "", ctx.today, prefer="past")
        # The day named at the start, when tapped or named in words that give no other day:
        # "13 marzo" typed next to the button «giovedì 12 marzo» is the 13th.
        if option == "said" and (inbound.choice is not None or reading is None):
            reading = parse_date_detail(ctx.answers["said_date"], ctx.today, prefer="past")
        if reading is None:
            return Invalid(t("reimbursement.expense.date_invalid"))
        day = reading.day
        if day > ctx.today:
            return Invalid(t("reimbursement.expense.date_future", day=describe_date(day)))
        year = ctx.answers["year"]
        if day.year != year:
            return Invalid(t("reimbursement.expense.date_wrong_year", day=describe_date(day),
                             year=year))
        return Accept(day.isoformat(), also={"exp_date_literal": reading.literal})

    def describe(self, ctx: Context, value: Any) -> str:
        return show_date(value)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.date_help")


class ExpenseDateCheck(_ExpenseStep, ConfirmDate):
    """The receipt's date confirmed when it was not written in full."""

    name = "exp_date_ok"
    target = ExpenseDate()

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and ctx.answers.get("exp_date_literal") is False

    def understood(self, ctx: Context) -> str:
        return show_date(ctx.answers["exp_date"])

    def check_text(self, ctx: Context, day: str) -> str:
        return t("reimbursement.expense.date_check", day=day)

    def retry_text(self, ctx: Context) -> str:
        return t("reimbursement.expense.date_retry")


# An amount written as it is shown: "130", "120,50", "€ 99,90", "45 euro".
_LITERAL_AMOUNT = re.compile(r"\s*(?:€\s*)?\d{1,5}(?:,\d{2})?\s*(?:€|euro)?\s*", re.IGNORECASE)


class ExpenseAmount(_ExpenseStep):
    name = "exp_amount"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.expense.amount_ask"))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        text = inbound.text or ""
        try:
            amount = parse_amount(text)
        except AmountError as exc:
            return Invalid(str(exc))
        if _LITERAL_AMOUNT.fullmatch(text):
            return Accept(str(amount))
        # "centotrenta", "1.234", "120 euro e 50": what was understood is said back.
        return Accept(str(amount), t("reimbursement.expense.amount_taken",
                                     amount=format_amount(amount)))

    def describe(self, ctx: Context, value: Any) -> str:
        return show_amount(value)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.amount_help")


class ExpenseNumber(_ExpenseStep):
    name = "exp_number"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.expense.number_ask"),
                        (Option("none", t("reimbursement.expense.number_none"),
                                ("nessuno", "non c'e", "non ce l'ha", "senza numero")),))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.choice is not None and option == "none":
            return Accept("")
        text = " ".join((inbound.text or "").split())
        if _says_no_number(text):
            return Accept("", t("reimbursement.expense.number_none_taken"))
        if not any(c.isdigit() for c in text):
            if option == "none":  # "nessuno", "non c'è": the button's own words
                return Accept("", t("reimbursement.expense.number_none_taken"))
            # "boh non lo trovo", "non so": not a number; say where it is, or how to skip it.
            return Invalid(t("reimbursement.expense.number_no_digit", text=quote(text)))
        number = _NUMBER_WORDS.sub("", text).strip(" .:")
        if (not number or len(number) > DOCUMENT_NUMBER_MAX
                or not re.fullmatch(r"[\w./\- ]+", number)):
            return Invalid(t("reimbursement.expense.number_invalid"))
        if number != text:
            return Accept(number, t("reimbursement.expense.number_taken", number=number))
        return Accept(number)

    def describe(self, ctx: Context, value: Any) -> str:
        return value or t("reimbursement.expense.number_missing")

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.number_help")


# "nessun numero", "non ha numero", "senza numero", "non c'è il numero": there is none.
_NO_NUMBER = re.compile(
    r"\b(?:nessun numero|senza (?:alcun )?numero|non (?:ha|riporta|porta|c e|ce|c è) "
    r"(?:nessun |un |il |alcun )?numero|non ce l ha|non ne ha|numero non c e|manca il numero"
    r"|non e numerat[ao]|non c e)\b")
# "n. 123", "numero 45/2026", "fattura n° 7", "il numero è 12": the number alone is kept.
_NUMBER_WORDS = re.compile(
    r"^(?:(?:il|e|è)\s+)*(?:(?:fattura|ricevuta|scontrino|documento)\s+)?"
    r"(?:numero|num\.?|nr\.?|n\.|n°|n\b|no\.)\s*(?:(?:e|è|:)\s+)?",
    re.IGNORECASE)


def _says_no_number(text: str) -> bool:
    return bool(_NO_NUMBER.search(normalise(text)))


class ExpenseMore(_ExpenseStep):
    """"Another document?": from the summary, reopens the last document here to add more."""

    name = "exp_more"
    accepts_files = True
    edit_label = "Documenti di spesa"

    def ask(self, ctx: Context) -> Question:
        current = _current_expense(ctx.answers)
        return Question(
            t("reimbursement.expense.more_ask", n=self._ordinal(ctx),
              day=show_date(current["date"]), amount=show_amount(current["amount"])),
            (Option("add", t("reimbursement.expense.more_add"), ("si", "sì", "altro")),
             Option("done", t("common.continue"), ("no", "basta", "fine", "continua"))),
        )

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is not None:
            # The next receipt sent straight away: take it as the next document's file.
            _, also = close_expense(ctx, ctx.answers, "add")
            expenses = also["expenses"]
            # Read as the next document, with this one already in the list.
            taken = await take_receipt(_with_answers(ctx, also), inbound)
            if isinstance(taken, Invalid):
                return taken
            return Accept("add", t("reimbursement.expense.file_received", n=len(expenses) + 1),
                          also={**also, **taken})
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            option = None if verdict is None else ("add" if verdict else "done")
        if option in ("add", "done"):
            notice, also = close_expense(ctx, ctx.answers, option)
            return Accept(option, notice, also=also)
        return Invalid(t("reimbursement.expense.more_invalid"))

    def applies(self, ctx: Context) -> bool:
        # Also once the documents are done: its "done" is the answer «indietro» reopens.
        return "exp_more" in ctx.answers or super().applies(ctx)

    def describe(self, ctx: Context, value: Any) -> str:
        return t("common.continue")

    def still_valid(self, ctx: Context, value: Any) -> bool:
        # "done" given before a document was removed and another started: asked again.
        return value != "done" or "exp_file" not in ctx.answers

    def reopen(self, ctx: Context) -> None:
        if ctx.answers.get("exp_more") == "done" and "exp_file" in ctx.answers:
            ctx.answers.pop("exp_more")  # that stale "done": the document in progress stays
            return
        # Back to "another document?" from the next document: what it already has is kept as
        # the answers offered, and the previous document is reopened.
        if ctx.get("expenses") and not ctx.answers.get("expenses_done"):
            for name in EXPENSE_FIELDS:
                value = ctx.answers.pop(name, None)
                if value is not None and name in ("exp_file", "exp_date", "exp_amount",
                                                  "exp_number"):
                    ctx.defaults[name] = value
        super().reopen(ctx)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.more_help")


def close_expense(ctx: Context, answers: dict[str, Any],
                  option: str) -> tuple[str, dict[str, Any]]:
    """The document given in `answers` moved into the list: "add" to give another, "done" to
    end the list. The notice and the answers to set."""
    expenses = [*ctx.get("expenses", []), _current_expense(answers)]
    cleared: dict[str, Any] = {name: None for name in EXPENSE_FIELDS}
    if option == "add":
        # Accepted, so «indietro» comes back here, but not kept (`cleared` forgets it): the
        # question belongs to the document just moved into the list.
        return "", {**cleared, "expenses": expenses}
    total = sum((Decimal(e["amount"]) for e in expenses), Decimal(0))
    # Kept as the answer, so «indietro» from the questions after it comes back here.
    return (t("reimbursement.expense.done", count=len(expenses), total=format_amount(total)),
            {**cleared, "exp_more": "done", "expenses": expenses, "expenses_done": True})


def _with_answers(ctx: Context, also: dict[str, Any]) -> Context:
    answers = {k: v for k, v in {**ctx.answers, **also}.items() if v is not None}
    return Context(ctx.household, ctx.today, answers, ctx.services, ctx.defaults, ctx.flow)


def _current_expense(answers: dict[str, Any]) -> dict[str, Any]:
    current = {
        "file": answers["exp_file"],
        "date": answers["exp_date"],
        "amount": answers["exp_amount"],
        "number": answers["exp_number"],
        # kept so reopening the document restores it exactly
        "date_literal": answers.get("exp_date_literal", True),
        "date_ok": answers.get("exp_date_ok", True),
    }
    current.update({k: answers[f"exp_{k}"] for k in _KEPT
                    if answers.get(f"exp_{k}") is not None})
    return current
