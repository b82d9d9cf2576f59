"""Rimborso: the reimbursement of a service already paid, as the portal asks it.

Order (portal guide, "Come chiedere un rimborso"): year, beneficiary, service, payee, policy,
guarantee, email and IBAN, expense documents one at a time, medical documents, notes, summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.coverage import covering
from dialogs.events import Inbound, Reply
from dialogs.matching import normalise, yes_or_no
from dialogs.flows.common import (
    known_files,
    person_aliases,
    person_label,
    show_amount,
    show_date,
    store_upload,
)
from dialogs.steps import Accept, BaseStep, Context, Flow, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.dates import describe_date, parse_date_detail
from nlu.identifiers import IdentifierError, mask_iban, parse_email, parse_iban
from nlu.money import AmountError, format_amount, parse_amount
from portal.models import (
    CatalogueKind,
    DocumentDraft,
    DocumentKind,
    Person,
    RequestDraft,
    RequestType,
    StoredFile,
)

# How many past years a reimbursement can be asked for, besides the current one.
PAST_YEARS = 1
CANDIDATES = 5
NOTES_MAX = 1000
DOCUMENT_NUMBER_MAX = 30


# -- helpers over the answers ------------------------------------------------------------------


def _beneficiary(ctx: Context) -> Person:
    return ctx.household.member(ctx.answers["beneficiary"])


def _payee(ctx: Context) -> Person:
    return ctx.household.member(ctx.answers["payee"])


def _covering(ctx: Context) -> list[tuple[Any, Any]]:
    service = ctx.answers["service"]
    return covering(ctx.household, ctx.answers["beneficiary"], service["code"], service["kind"],
                    reimbursement=True)


def _policy(ctx: Context) -> Any:
    return next(p for p in ctx.household.policies if p.id == ctx.answers["policy"])


def _guarantee(ctx: Context) -> Any:
    return next(g for g in _policy(ctx).guarantees if g.id == ctx.answers["guarantee"])


def _email(ctx: Context) -> str:
    return ctx.answers.get("new_email") or ctx.household.customer.email or ""


def _iban(ctx: Context) -> str | None:
    return ctx.answers.get("new_iban") or _payee(ctx).iban


def _required_documents(ctx: Context) -> tuple[DocumentKind, ...]:
    return _guarantee(ctx).required_documents


def _missing_documents(ctx: Context) -> list[DocumentKind]:
    present = {d["kind"] for d in ctx.get("medical_docs", [])}
    return [k for k in _required_documents(ctx) if k.value not in present]


# -- the steps --------------------------------------------------------------------------------


class Year(BaseStep):
    name = "year"
    edit_label = "Anno della prestazione"

    def _years(self, ctx: Context) -> list[int]:
        return [ctx.today.year - i for i in range(PAST_YEARS + 1)]

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.year.ask"),
                        tuple(Option(str(y), str(y)) for y in self._years(ctx)))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        years = self._years(ctx)
        if option is not None:
            return Accept(int(option))
        text = (inbound.text or "").casefold()
        if re.search(r"\b(quest'?\s?anno|questo anno|anno corrente)\b", text):
            return Accept(ctx.today.year)
        if re.search(r"\b(anno scorso|l'?anno passato|scorso anno)\b", text):
            return Accept(ctx.today.year - 1)
        found = re.findall(r"\b(19\d\d|20\d\d)\b", text)
        if len(found) == 1:
            year = int(found[0])
            if year in years:
                return Accept(year)
            if year > ctx.today.year:
                return Invalid(t("reimbursement.year.future", year=year))
            return Invalid(t("reimbursement.year.too_old", year=year,
                             years=_or_list([str(y) for y in years])))
        return Invalid(t("reimbursement.year.invalid", years=_or_list([str(y) for y in years])))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.year.help")


class Beneficiary(BaseStep):
    name = "beneficiary"
    edit_label = "Chi ha fatto la prestazione"

    def _people(self, ctx: Context) -> tuple[Person, ...]:
        return ctx.household.insured()

    def implied(self, ctx: Context) -> Accept | None:
        people = self._people(ctx)
        if len(people) == 1:
            return Accept(people[0].id, t("reimbursement.beneficiary.only", name=people[0].full_name))
        return None

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.beneficiary.ask"), tuple(
            Option(f"p{p.id}", person_label(ctx, p), person_aliases(ctx, p))
            for p in self._people(ctx)
        ))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            names = _or_list([p.first_name for p in self._people(ctx)])
            return Invalid(t("reimbursement.beneficiary.invalid", names=names))
        return Accept(int(option[1:]))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(p.id == value for p in self._people(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return ctx.household.member(value).full_name

    def help(self, ctx: Context) -> str:
        return t("reimbursement.beneficiary.help")


class ServiceQuery(BaseStep):
    """What the customer types from the prescription or the invoice."""

    name = "service_query"
    edit_label = "Prestazione"
    clears = ("service",)

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.service.ask",
                          name=_beneficiary(ctx).first_name))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        found = _search_services(ctx, inbound.text or "")
        return found if isinstance(found, Invalid) else Accept(found)

    def describe(self, ctx: Context, value: Any) -> str:
        service = ctx.answers.get("service")
        return service["name"] if service else value["text"]

    def help(self, ctx: Context) -> str:
        return t("reimbursement.service.help")


def _search_services(ctx: Context, typed: str) -> dict[str, Any] | Invalid:
    """The covered catalogue entries for a typed text, as the service_query answer."""
    text = " ".join(typed.split())
    if len(text) < 2:
        return Invalid(t("reimbursement.service.too_short"))
    if len(text) > 200:
        return Invalid(t("reimbursement.service.too_long"))
    matches = ctx.services.find_services(text, limit=20)
    if not matches:
        return Invalid(t("reimbursement.service.not_found", text=_quote(text)))
    covered = [
        m for m in matches
        if covering(ctx.household, ctx.answers["beneficiary"], m.code, m.kind, reimbursement=True)
    ]
    if not covered:
        return Invalid(t("reimbursement.service.not_covered", service=matches[0].name,
                         name=_beneficiary(ctx).first_name))
    candidates = [{"code": m.code, "kind": m.kind, "name": m.name} for m in covered[:CANDIDATES]]
    return {"text": text, "candidates": candidates}


class Service(BaseStep):
    """The catalogue entry, picked among the candidates of the typed text."""

    name = "service"

    def _candidates(self, ctx: Context) -> list[dict[str, str]]:
        return ctx.answers["service_query"]["candidates"]

    def implied(self, ctx: Context) -> Accept | None:
        candidates = self._candidates(ctx)
        typed = ctx.answers["service_query"]["text"].strip().upper()
        exact = [c for c in candidates if c["code"].upper() == typed]
        if exact:
            return Accept(exact[0], t("reimbursement.service.by_code", service=_service_text(exact[0])))
        return None

    def ask(self, ctx: Context) -> Question:
        options = [Option(f"c{i}", c["name"]) for i, c in enumerate(self._candidates(ctx))]
        options.append(Option("none", t("reimbursement.service.none_of_these")))
        return Question(t("reimbursement.service.pick"), tuple(options))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option == "none":
            return Stay(t("reimbursement.service.retype"), reopen=("service_query",))
        if option is None:
            # A new description instead of a pick: search again with it.
            if inbound.text and len(inbound.text.strip()) >= 3:
                found = _search_services(ctx, inbound.text)
                if isinstance(found, Invalid):
                    return found
                return Stay(t("reimbursement.service.searched_again"),
                            also={"service_query": found})
            return Invalid(t("reimbursement.service.pick_invalid"))
        return Accept(self._candidates(ctx)[int(option[1:])])

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return bool(covering(ctx.household, ctx.answers["beneficiary"], value["code"],
                             value["kind"], reimbursement=True))

    def describe(self, ctx: Context, value: Any) -> str:
        return _service_text(value)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.service.pick_help")


class Payee(BaseStep):
    """Who receives the money: the customer (authorised) or the adult family member."""

    name = "payee"
    edit_label = "Chi riceve il rimborso"
    # An IBAN typed for one payee must not be used for another.
    clears = ("authorisation", "new_iban")

    def implied(self, ctx: Context) -> Accept | None:
        beneficiary = _beneficiary(ctx)
        if beneficiary.id == ctx.household.customer.id:
            return Accept(beneficiary.id)
        if not beneficiary.is_adult(ctx.today):
            customer = ctx.household.customer
            return Accept(customer.id, t("reimbursement.payee.minor", name=beneficiary.first_name,
                                         holder=customer.full_name))
        return None

    def ask(self, ctx: Context) -> Question:
        customer, beneficiary = ctx.household.customer, _beneficiary(ctx)
        return Question(t("reimbursement.payee.ask", name=beneficiary.first_name), (
            Option(f"p{customer.id}", t("reimbursement.payee.me", name=customer.full_name),
                   person_aliases(ctx, customer)),
            Option(f"p{beneficiary.id}", t("reimbursement.payee.them",
                                           name=beneficiary.full_name),
                   (beneficiary.first_name, "lui", "lei", "suo", "sul suo conto")),
        ))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            return Invalid(t("reimbursement.payee.invalid", name=_beneficiary(ctx).first_name))
        return Accept(int(option[1:]))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        beneficiary = _beneficiary(ctx)
        if not beneficiary.is_adult(ctx.today):
            return value == ctx.household.customer.id
        return value in (ctx.household.customer.id, beneficiary.id)

    def describe(self, ctx: Context, value: Any) -> str:
        return ctx.household.member(value).full_name

    def help(self, ctx: Context) -> str:
        return t("reimbursement.payee.help")


class Authorisation(BaseStep):
    """The explicit authorisation of an adult family member to pay the customer."""

    name = "authorisation"

    def applies(self, ctx: Context) -> bool:
        beneficiary = _beneficiary(ctx)
        return (beneficiary.id != ctx.household.customer.id
                and beneficiary.is_adult(ctx.today)
                and ctx.answers.get("payee") == ctx.household.customer.id)

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.authorisation.ask", name=_beneficiary(ctx).full_name), (
            Option("yes", t("reimbursement.authorisation.yes")),
            Option("no", t("reimbursement.authorisation.no")),
        ))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            option = None if verdict is None else ("yes" if verdict else "no")
        if option == "yes":
            return Accept(True)
        if option == "no":
            beneficiary = _beneficiary(ctx)
            return Stay(t("reimbursement.authorisation.refused", name=beneficiary.first_name),
                        reopen=("payee",))
        return Invalid(t("reimbursement.authorisation.invalid"))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.authorisation.help", name=_beneficiary(ctx).first_name)


class PolicyStep(BaseStep):
    name = "policy"
    edit_label = "Polizza"
    clears = ("guarantee",)

    def _policies(self, ctx: Context) -> list[Any]:
        seen: dict[int, Any] = {}
        for policy, _ in _covering(ctx):
            seen.setdefault(policy.id, policy)
        return list(seen.values())

    def implied(self, ctx: Context) -> Accept | None:
        policies = self._policies(ctx)
        if len(policies) == 1:
            return Accept(policies[0].id, t("reimbursement.policy.only",
                                            policy=_policy_text(policies[0])))
        return None

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.policy.ask"), tuple(
            Option(f"p{p.id}", _policy_text(p), (p.name, p.number)) for p in self._policies(ctx)
        ))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            names = _or_list([p.name for p in self._policies(ctx)])
            return Invalid(t("reimbursement.policy.invalid", names=names))
        return Accept(int(option[1:]))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(p.id == value for p in self._policies(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return _policy_text(next(p for p in ctx.household.policies if p.id == value))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.policy.help")


class GuaranteeStep(BaseStep):
    name = "guarantee"

    def _guarantees(self, ctx: Context) -> list[Any]:
        return [g for p, g in _covering(ctx) if p.id == ctx.answers["policy"]]

    def implied(self, ctx: Context) -> Accept | None:
        guarantees = self._guarantees(ctx)
        if len(guarantees) == 1:
            return Accept(guarantees[0].id)  # the policy's notice already names the coverage
        return None

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.guarantee.ask"), tuple(
            Option(f"g{g.id}", g.name) for g in self._guarantees(ctx)
        ))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            return Invalid(t("reimbursement.guarantee.invalid"))
        return Accept(int(option[1:]))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(g.id == value for g in self._guarantees(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return next(g.name for g in _policy(ctx).guarantees if g.id == value)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.guarantee.help")


class NewEmail(BaseStep):
    name = "new_email"

    def applies(self, ctx: Context) -> bool:
        return ctx.answers.get("contacts_change") == "email"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.contacts.new_email"))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
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
        return ctx.answers.get("contacts_change") == "iban" or _payee(ctx).iban is None

    def ask(self, ctx: Context) -> Question:
        payee = _payee(ctx)
        if payee.iban is None and "new_iban" not in ctx.answers:
            return Question(t("reimbursement.contacts.iban_missing", name=payee.full_name))
        return Question(t("reimbursement.contacts.new_iban", name=payee.full_name))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        try:
            iban = parse_iban(inbound.text or "")
        except IdentifierError as exc:
            return Invalid(str(exc))
        return Accept(iban, t("reimbursement.contacts.iban_taken", iban=mask_iban(iban)),
                      also={"contacts_change": None})

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return True

    def describe(self, ctx: Context, value: Any) -> str:
        return mask_iban(value)

    def help(self, ctx: Context) -> str:
        return t("reimbursement.contacts.iban_help")


class Contacts(BaseStep):
    """The email for updates and the IBAN for the money, confirmed or changed."""

    name = "contacts"
    edit_label = "Email e IBAN"
    clears = ("contacts_change",)

    def ask(self, ctx: Context) -> Question:
        payee = _payee(ctx)
        return Question(
            t("reimbursement.contacts.ask", email=_email(ctx), iban=mask_iban(_iban(ctx) or ""),
              name=payee.full_name),
            (
                Option("ok", t("reimbursement.contacts.ok")),
                Option("email", t("reimbursement.contacts.change_email"), ("email", "mail")),
                Option("iban", t("reimbursement.contacts.change_iban"), ("iban", "conto")),
            ),
        )

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
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
        if option == "ok":
            return Accept("ok")
        if option in ("email", "iban"):
            return Stay(also={"contacts_change": option}, reopen=(f"new_{option}",))
        return Invalid(t("reimbursement.contacts.invalid"))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return _iban(ctx) is not None and bool(_email(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return f"{_email(ctx)}, {mask_iban(_iban(ctx) or '')}"

    def help(self, ctx: Context) -> str:
        return t("reimbursement.contacts.help")


# -- expense documents, one at a time: file, date, amount, number, "another one?" -------------

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

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is None:
            return Invalid(t("reimbursement.expense.file_expected"))
        stored = store_upload(ctx, inbound)
        if isinstance(stored, Invalid):
            return stored
        if stored["sha256"] in known_files(ctx):
            return Invalid(t("files.duplicate"))
        return Accept(stored, t("reimbursement.expense.file_received", n=self._ordinal(ctx)))

    def describe(self, ctx: Context, value: Any) -> str:
        return value["filename"]

    def help(self, ctx: Context) -> str:
        return t("reimbursement.expense.file_help")


class ExpenseDate(_ExpenseStep):
    name = "exp_date"
    clears = ("exp_date_ok", "exp_date_literal")

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.expense.date_ask"))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
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


class ExpenseDateCheck(_ExpenseStep):
    """"Ho capito: martedì 17 novembre 2026. Confermi?" when the date was not written in full."""

    name = "exp_date_ok"

    def applies(self, ctx: Context) -> bool:
        return super().applies(ctx) and ctx.answers.get("exp_date_literal") is False

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.expense.date_check", day=show_date(ctx.answers["exp_date"])),
                        (Option("yes", t("common.yes")), Option("no", t("common.no_other_date"))))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            if verdict is None:
                # Probably the right date typed instead: read it as such.
                read = _EXPENSE_DATE.answer(ctx, inbound, None)
                if isinstance(read, Accept):
                    return Stay(also={"exp_date": read.value, **read.also})
                return read
            option = "yes" if verdict else "no"
        if option == "yes":
            return Accept(True)
        return Stay(t("reimbursement.expense.date_retry"), reopen=("exp_date",))


class ExpenseAmount(_ExpenseStep):
    name = "exp_amount"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.expense.amount_ask"))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
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

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
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

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        current = _current_expense(ctx)
        expenses = [*ctx.get("expenses", []), current]
        cleared: dict[str, Any] = {name: None for name in _EXPENSE_FIELDS}
        if inbound.file is not None:
            # The next receipt sent straight away: take it as the next document's file.
            stored = store_upload(ctx, inbound)
            if isinstance(stored, Invalid):
                return stored
            if stored["sha256"] in known_files(ctx):
                return Invalid(t("files.duplicate"))
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


class MedicalDocuments(BaseStep):
    """The medical documents the guarantee requires; "Continua" refused until they are there."""

    name = "medical"
    accepts_files = True
    edit_label = "Documenti medici"

    def applies(self, ctx: Context) -> bool:
        return bool(_required_documents(ctx))

    def ask(self, ctx: Context) -> Question:
        missing = _missing_documents(ctx)
        if missing:
            key = "first" if not ctx.get("medical_docs") else "next"
            return Question(t(f"reimbursement.medical.ask_{key}", document=_document_name(missing[0]),
                              service=_service_text(ctx.answers["service"])),
                            (Option("done", t("common.continue")),))
        return Question(t("reimbursement.medical.ask_more"), (Option("done", t("common.continue")),))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is not None:
            stored = store_upload(ctx, inbound)
            if isinstance(stored, Invalid):
                return stored
            if stored["sha256"] in known_files(ctx):
                return Invalid(t("files.duplicate"))
            missing = _missing_documents(ctx)
            kind = missing[0] if missing else DocumentKind.OTHER
            documents = [*ctx.get("medical_docs", []), {"kind": kind.value, "file": stored}]
            return Stay(t("reimbursement.medical.received", document=_document_name(kind)),
                        also={"medical_docs": documents})
        if option is None and inbound.text:
            if normalise(inbound.text) in {"continua", "avanti", "fatto", "fine", "ok", "basta",
                                           "no", "nient altro", "finito"}:
                option = "done"
        if option == "done":
            missing = _missing_documents(ctx)
            if missing:
                return Invalid(t("reimbursement.medical.missing",
                                 document=_document_name(missing[0])))
            return Accept("done")
        return Invalid(t("reimbursement.medical.file_expected"))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return not _missing_documents(ctx)

    def describe(self, ctx: Context, value: Any) -> str:
        docs = ctx.get("medical_docs", [])
        return ", ".join(_document_name(DocumentKind(d["kind"])) for d in docs) or "-"

    def help(self, ctx: Context) -> str:
        return t("reimbursement.medical.help")


class Notes(BaseStep):
    name = "notes"
    edit_label = "Note"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.notes.ask"),
                        (Option("none", t("reimbursement.notes.none"),
                                ("no", "nessuna", "niente", "no grazie", "nulla")),))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option == "none":
            return Accept("")
        text = (inbound.text or "").strip()
        if len(text) > NOTES_MAX:
            return Invalid(t("reimbursement.notes.too_long", limit=NOTES_MAX, length=len(text)))
        return Accept(text)

    def describe(self, ctx: Context, value: Any) -> str:
        return value or t("reimbursement.notes.empty")

    def help(self, ctx: Context) -> str:
        return t("reimbursement.notes.help")


class Summary(BaseStep):
    """The recap: send, or pick what to change and come back here."""

    name = "summary"

    def __init__(self, editable: tuple[BaseStep, ...]) -> None:
        self._editable = editable

    def _edit_options(self, ctx: Context) -> tuple[Option, ...]:
        return tuple(Option(f"e{i}", step.edit_label or step.name)
                     for i, step in enumerate(self._editable)
                     if step.edit_label and (step.applies(ctx) or step.name == "exp_more"))

    def ask(self, ctx: Context) -> Question:
        if ctx.answers.get("summary_editing"):
            return Question(t("reimbursement.summary.edit_ask"),
                            (*self._edit_options(ctx), Option("back", t("reimbursement.summary.edit_back"))))
        return Question(t("reimbursement.summary.ask", summary=summary_text(ctx)), (
            Option("send", t("reimbursement.summary.send"), ("invia", "si", "sì", "conferma", "ok")),
            Option("edit", t("reimbursement.summary.edit"), ("modifica", "cambia", "correggi")),
        ))

    def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        editing = ctx.answers.get("summary_editing")
        if editing:
            if option == "back":
                return Stay(also={"summary_editing": None})
            if option is not None and option.startswith("e"):
                step = self._editable[int(option[1:])]
                return Stay(also={"summary_editing": None}, reopen=(step.name,))
            return Invalid(t("reimbursement.summary.edit_invalid"))
        if option == "send":
            return Accept("send")
        if option == "edit":
            return Stay(also={"summary_editing": True})
        return Invalid(t("reimbursement.summary.invalid"))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.summary.help")


def summary_text(ctx: Context) -> str:
    a = ctx.answers
    lines = [
        t("summary.year", value=a["year"]),
        t("summary.beneficiary", value=_beneficiary(ctx).full_name),
        t("summary.service", value=_service_text(a["service"])),
        t("summary.policy", value=_policy_text(_policy(ctx))),
        t("summary.guarantee", value=_guarantee(ctx).name),
        t("summary.payee", value=_payee(ctx).full_name),
        t("summary.email", value=_email(ctx)),
        t("summary.iban", value=mask_iban(_iban(ctx) or "")),
    ]
    for i, e in enumerate(a.get("expenses", []), start=1):
        number = e["number"] or t("reimbursement.expense.number_missing")
        lines.append(t("summary.expense", n=i, day=show_date(e["date"]),
                       amount=show_amount(e["amount"]), number=number))
    for d in a.get("medical_docs", []):
        lines.append(t("summary.medical", document=_document_name(DocumentKind(d["kind"])),
                       filename=d["file"]["filename"]))
    lines.append(t("summary.notes", value=a.get("notes") or t("reimbursement.notes.empty")))
    return "\n".join(lines)


def _service_text(service: dict[str, str]) -> str:
    return f"{service['name']} ({service['code']})"


def _policy_text(policy: Any) -> str:
    return t("common.policy", name=policy.name, number=policy.number)


def _document_name(kind: DocumentKind) -> str:
    return t(f"documents.{kind.value}")


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " o " + items[-1]


def _quote(text: str) -> str:
    return "«" + (text if len(text) <= 60 else text[:57] + "…") + "»"


# -- the flow ---------------------------------------------------------------------------------


def _file(value: dict[str, Any]) -> StoredFile:
    return StoredFile(value["sha256"], value["mime_type"], value["size"], value["filename"])


def _finish(ctx: Context, draft_id: str) -> tuple[RequestDraft, Callable[[str], Reply]]:
    a = ctx.answers
    documents = [
        DocumentDraft(kind=DocumentKind.EXPENSE, file=_file(e["file"]),
                      expense_date=date.fromisoformat(e["date"]), amount=Decimal(e["amount"]),
                      number=e["number"] or None)
        for e in a.get("expenses", [])
    ]
    documents += [DocumentDraft(kind=DocumentKind(d["kind"]), file=_file(d["file"]))
                  for d in a.get("medical_docs", [])]
    service = a["service"]
    draft = RequestDraft(
        submission_key=draft_id,
        type=RequestType.REIMBURSEMENT,
        customer_id=ctx.household.customer.id,
        beneficiary_id=a["beneficiary"],
        year=a["year"],
        service_code=service["code"],
        service_name=service["name"],
        catalogue_kind=CatalogueKind(service["kind"]),
        policy_id=a["policy"],
        guarantee_id=a["guarantee"],
        email=_email(ctx),
        payee_id=a["payee"],
        payee_authorised=bool(a.get("authorisation")),
        iban=_iban(ctx),
        notes=a.get("notes", ""),
        documents=tuple(documents),
    )
    email = _email(ctx)

    def submitted(number: str) -> Reply:
        return Reply(t("reimbursement.submitted", number=number, email=email))

    return draft, submitted


_service_query = ServiceQuery()
_payee_step = Payee()
_policy_step = PolicyStep()
_contacts = Contacts()
_expense_more = ExpenseMore()
_EXPENSE_DATE = ExpenseDate()
_medical = MedicalDocuments()
_notes = Notes()
_year = Year()
_beneficiary_step = Beneficiary()

REIMBURSEMENT = Flow(
    name="rimborso",
    title="richiesta di rimborso",
    steps=(
        _year,
        _beneficiary_step,
        _service_query,
        Service(),
        _payee_step,
        Authorisation(),
        _policy_step,
        GuaranteeStep(),
        NewEmail(),
        NewIban(),
        _contacts,
        ExpenseFile(),
        _EXPENSE_DATE,
        ExpenseDateCheck(),
        ExpenseAmount(),
        ExpenseNumber(),
        _expense_more,
        _medical,
        _notes,
        Summary((_year, _beneficiary_step, _service_query, _payee_step, _policy_step, _contacts,
                 _expense_more, _medical, _notes)),
    ),
    finish=_finish,
)
