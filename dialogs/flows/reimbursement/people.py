"""Year and people: when, for whom, paid to whom (with the authorisation of an adult)."""

from __future__ import annotations

import re
from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import person_aliases
from dialogs.flows.parts.answers import beneficiary_of, or_list
from dialogs.matching import normalise, yes_or_no
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.numbers import strip_accents, words_to_digits
from portal.models import Relation

# How many past years a reimbursement can be asked for, besides the current one.
PAST_YEARS = 1


class Year(BaseStep):
    name = "year"
    edit_label = "Anno della prestazione"

    def _years(self, ctx: Context) -> list[int]:
        return [ctx.today.year - i for i in range(PAST_YEARS + 1)]

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.year.ask"),
                        tuple(Option(str(y), str(y)) for y in self._years(ctx)))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        years = self._years(ctx)
        if option is not None:
            return Accept(int(option))
        text = (inbound.text or "").casefold()
        if re.search(r"\b(quest'?\s?anno|questo anno|anno corrente|this year|current year)\b", text):
            return Accept(ctx.today.year, t("reimbursement.year.understood", year=ctx.today.year))
        if re.search(r"\b(anno scorso|l'?anno passato|scorso anno|last year|previous year)\b", text):
            return Accept(ctx.today.year - 1,
                          t("reimbursement.year.understood", year=ctx.today.year - 1))
        # "duemilaventisei", "duemila ventisei": the year said in words, as in a voice note.
        found = re.findall(r"\b(19\d\d|20\d\d)\b", words_to_digits(strip_accents(text)))
        if len(found) == 1:
            year = int(found[0])
            if year in years:
                return Accept(year)
            if year > ctx.today.year:
                return Invalid(t("reimbursement.year.future", year=year))
            return Invalid(t("reimbursement.year.too_old", year=year,
                             years=or_list([str(y) for y in years])))
        return Invalid(t("reimbursement.year.invalid", years=or_list([str(y) for y in years])))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.year.help")



class Payee(BaseStep):
    """Who receives the money: the customer (authorised) or the adult family member."""

    name = "payee"
    edit_label = "Chi riceve il rimborso"
    # An IBAN typed for one payee must not be used for another.
    clears = ("authorisation", "new_iban", "contacts")

    def implied(self, ctx: Context) -> Accept | None:
        beneficiary = beneficiary_of(ctx)
        if beneficiary.id == ctx.household.customer.id:
            return Accept(beneficiary.id)
        if not beneficiary.is_adult(ctx.today):
            customer = ctx.household.customer
            return Accept(customer.id, t("reimbursement.payee.minor", name=beneficiary.first_name,
                                         holder=customer.full_name))
        return None

    def ask(self, ctx: Context) -> Question:
        customer, beneficiary = ctx.household.customer, beneficiary_of(ctx)
        return Question(t("reimbursement.payee.ask", name=beneficiary.first_name), (
            Option(f"p{customer.id}", t("reimbursement.payee.me", name=customer.full_name),
                   person_aliases(ctx, customer)),
            Option(f"p{beneficiary.id}", t("reimbursement.payee.them",
                                           name=beneficiary.full_name),
                   (beneficiary.first_name, "lui", "lei", "suo", "sul suo conto")),
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.choice is not None:
            if option is None:
                return Invalid(t("reimbursement.payee.invalid",
                                 name=beneficiary_of(ctx).first_name))
            return Accept(int(option[1:]))
        # Typed: the words decide ("sul mio conto" is the customer's account, whatever it
        # resembles), then the option the text names; what was understood is said back.
        text = inbound.text or ""
        chosen = named_payee(ctx, text)
        if chosen is None and option is not None and not names_someone_else(ctx, text):
            chosen = int(option[1:])
        if chosen is None:
            return Invalid(t("reimbursement.payee.invalid", name=beneficiary_of(ctx).first_name))
        return Accept(chosen, payee_understood(ctx, chosen))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        beneficiary = beneficiary_of(ctx)
        if not beneficiary.is_adult(ctx.today):
            return value == ctx.household.customer.id
        return value in (ctx.household.customer.id, beneficiary.id)

    def describe(self, ctx: Context, value: Any) -> str:
        return ctx.household.member(value).full_name

    def help(self, ctx: Context) -> str:
        return t("reimbursement.payee.help")


# "a me", "sul mio conto", "a mio nome", "mandamelo": the customer. "sul suo", "a lui": the
# family member, as do a family word or the member's name ("sul conto di mio figlio").
_FIRST_PERSON = frozenset({"io", "me", "mio", "mia", "miei", "mie", "sottoscritto",
                           "sottoscritta", "i", "my", "mine", "myself"})
_THIRD_PERSON = frozenset({"lui", "lei", "suo", "sua", "suoi", "sue", "him", "his", "her",
                           "hers", "their", "them", "they"})
_FAMILY_WORDS = {
    Relation.CHILD: frozenset({"figlio", "figlia", "ragazzo", "ragazza", "bambino", "bambina",
                               "son", "daughter", "child", "kid", "boy", "girl"}),
    Relation.SPOUSE: frozenset({"moglie", "marito", "coniuge", "compagna", "compagno", "wife",
                                "husband", "spouse", "partner"}),
}
_ANY_FAMILY_WORD = frozenset().union(*_FAMILY_WORDS.values())
_TO_ME = re.compile(r"\b(?:manda|da|paga|accredita|versa|gira|fa|bonifica|invia|rimborsa|"
                    r"intesta|dai|fai)(?:mi|melo|mela|meli|mele)\b")


def named_payee(ctx: Context, text: str) -> int | None:
    """Who the words say receives the money: the customer's or the beneficiary's id, or None
    when they name neither or both."""
    customer, beneficiary = ctx.household.customer, beneficiary_of(ctx)
    words = set(normalise(text).split())
    family = words & _ANY_FAMILY_WORD
    if names_someone_else(ctx, text):
        return None
    them = bool(words & _THIRD_PERSON or family or normalise(beneficiary.first_name) in words)
    me = bool(words & _FIRST_PERSON - ({"mio", "mia", "my"} if family else set())
              or normalise(customer.first_name) in words or _TO_ME.search(normalise(text)))
    if me == them:
        return None
    return customer.id if me else beneficiary.id


def names_someone_else(ctx: Context, text: str) -> bool:
    """A family word for neither possible payee ("a mia moglie" for Luca's visit)."""
    words = set(normalise(text).split())
    own = _FAMILY_WORDS.get(beneficiary_of(ctx).relation, frozenset())
    return bool(words & _ANY_FAMILY_WORD - own)


def payee_understood(ctx: Context, payee: int) -> str:
    """«Ho capito: …» for a payee chosen in words."""
    if payee == ctx.household.customer.id:
        return t("reimbursement.payee.understood_me")
    name = ctx.household.member(payee).full_name
    return t("reimbursement.payee.understood_them", name=name)


class Authorisation(BaseStep):
    """The explicit authorisation of an adult family member to pay the customer."""

    name = "authorisation"

    def applies(self, ctx: Context) -> bool:
        beneficiary = beneficiary_of(ctx)
        return (beneficiary.id != ctx.household.customer.id
                and beneficiary.is_adult(ctx.today)
                and ctx.answers.get("payee") == ctx.household.customer.id)

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.authorisation.ask", name=beneficiary_of(ctx).full_name), (
            Option("yes", t("reimbursement.authorisation.yes")),
            Option("no", t("reimbursement.authorisation.no")),
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            option = None if verdict is None else ("yes" if verdict else "no")
        if option == "yes":
            return Accept(True)
        if option == "no":
            beneficiary = beneficiary_of(ctx)
            return Stay(t("reimbursement.authorisation.refused", name=beneficiary.first_name),
                        reopen=("payee",))
        return Invalid(t("reimbursement.authorisation.invalid"))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.authorisation.help", name=beneficiary_of(ctx).first_name)
