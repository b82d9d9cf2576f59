"""Expense documents, one at a time: the file, its date, amount and number, then "another?"."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import show_amount, show_date, store_upload
from dialogs.flows.parts.confirm import ConfirmDate
from dialogs.matching import yes_or_no
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.dates import describe_date, parse_date_detail
from nlu.money import AmountError, format_amount, parse_amount

DOCUMENT_NUMBER_MAX = 30


_EXPENSE_FIELDS = ("exp_file", "exp_date", "exp_date_literal", "exp_date_ok", "exp_amount",
                   "exp_number", "exp_more")


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

    def ask(self, ctx: Context) -> Question:
        if self._ordinal(ctx) == 1:
            return Question(t("reimbursement.expense.file_first"))
        return Question(t("reimbursement.expense.file_next", n=self._ordinal(ctx)))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is None:
            return Invalid(t("reimbursement.expense.file_expected"))
        stored = store_upload(ctx, inbound)
        if isinstance(stored, Invalid):
            return stored
        return Accept(stored, t("reimbursement.expense.file_received", n=self._ordinal(ctx)))

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
        if option == "said":
            inbound = Inbound(text=ctx.answers["said_date"])
        reading = parse_date_detail(inbound.text or "", ctx.today, prefer="past")
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


class ExpenseAmount(_ExpenseStep):
    name = "exp_amount"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.expense.amount_ask"))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        try:
            amount = parse_amount(inbound.text or "")
        except AmountError as exc:
            return Invalid(str(exc))
        return Accept(str(amount))

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
        if option == "none":
            return Accept("")
        number = " ".join((inbound.text or "").split())
        if not number:
            return Invalid(t("reimbursement.expense.number_invalid"))
        if len(number) > DOCUMENT_NUMBER_MAX or not re.fullmatch(r"[\w./\- ]+", number):
            return Invalid(t("reimbursement.expense.number_invalid"))
        return Accept(number.removeprefix("n. ").removeprefix("N. "))

    def describe(self, ctx: Context, value: Any) -> str:
        return value or t("reimbursement.expense.number_missing")

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.number_help")


class ExpenseMore(_ExpenseStep):
    """"Another document?": from the summary, reopens the last document here to add more."""

    name = "exp_more"
    accepts_files = True
    edit_label = "Documenti di spesa"

    def ask(self, ctx: Context) -> Question:
        current = _current_expense(ctx)
        return Question(
            t("reimbursement.expense.more_ask", n=self._ordinal(ctx),
              day=show_date(current["date"]), amount=show_amount(current["amount"])),
            (Option("add", t("reimbursement.expense.more_add"), ("si", "sì", "altro")),
             Option("done", t("common.continue"), ("no", "basta", "fine", "continua"))),
        )

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        current = _current_expense(ctx)
        expenses = [*ctx.get("expenses", []), current]
        cleared: dict[str, Any] = {name: None for name in _EXPENSE_FIELDS}
        if inbound.file is not None:
            # The next receipt sent straight away: take it as the next document's file.
            stored = store_upload(ctx, inbound)
            if isinstance(stored, Invalid):
                return stored
            return Stay(t("reimbursement.expense.file_received", n=len(expenses) + 1),
                        also={**cleared, "expenses": expenses, "exp_file": stored})
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            option = None if verdict is None else ("add" if verdict else "done")
        if option == "add":
            return Stay(also={**cleared, "expenses": expenses})
        if option == "done":
            total = sum((Decimal(e["amount"]) for e in expenses), Decimal(0))
            return Stay(t("reimbursement.expense.done", count=len(expenses),
                          total=format_amount(total)),
                        also={**cleared, "expenses": expenses, "expenses_done": True})
        return Invalid(t("reimbursement.expense.more_invalid"))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.more_help")


def _current_expense(ctx: Context) -> dict[str, Any]:
    return {
        "file": ctx.answers["exp_file"],
        "date": ctx.answers["exp_date"],
        "amount": ctx.answers["exp_amount"],
        "number": ctx.answers["exp_number"],
        # kept so reopening the document restores it exactly
        "date_literal": ctx.answers.get("exp_date_literal", True),
        "date_ok": ctx.answers.get("exp_date_ok", True),
    }
