"""Who the service is for: the insured members of the household."""

from __future__ import annotations

from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import person_aliases, person_label
from dialogs.flows.parts.answers import or_list, say
from dialogs.matching import normalise
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question
from portal.models import Person, Relation

_CHILD_WORDS = {"figlio", "figlia", "figli", "bambino", "bambina", "ragazzo", "ragazza",
                "grande", "piccolo", "piccola", "maggiore", "minore"}
_ELDEST = {"grande", "maggiore", "primogenito", "primogenita"}
_YOUNGEST = {"piccolo", "piccola", "minore", "ultimo", "ultima"}
_DENIALS = {"non", "no", "not"}


class Beneficiary(BaseStep):
    name = "beneficiary"
    edit_label = "Chi ha fatto la prestazione"

    def _people(self, ctx: Context) -> tuple[Person, ...]:
        return ctx.household.insured()

    def implied(self, ctx: Context) -> Accept | None:
        people = self._people(ctx)
        if len(people) == 1:
            return Accept(people[0].id, say(ctx, "beneficiary.only", name=people[0].full_name))
        return None

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "beneficiary.ask"), tuple(
            Option(f"p{p.id}", person_label(ctx, p), person_aliases(ctx, p))
            for p in self._people(ctx)
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            chosen = self._by_relation(ctx, inbound.text or "")
        else:
            chosen = Accept(int(option[1:]))
        if not isinstance(chosen, Accept) or inbound.text is None:
            return chosen
        # Typed: said back unless the text is the person's name ("luca", "Luca Rossi").
        person = ctx.household.member(chosen.value)
        if normalise(inbound.text) in {normalise(person.first_name), normalise(person.full_name)}:
            return chosen
        return Accept(chosen.value, say(ctx, "beneficiary.understood", name=person.full_name))

    def _by_relation(self, ctx: Context, text: str) -> Outcome:
        """"mio figlio", "il più grande", "la piccola": the child meant, or which ones."""
        words = set(normalise(text).split())
        children = [p for p in self._people(ctx) if p.relation == Relation.CHILD]
        if children and words & _CHILD_WORDS:
            by_age = sorted(children, key=lambda p: p.birth_date)
            if words & _ELDEST:
                return Accept(by_age[0].id)
            if words & _YOUNGEST:
                return Accept(by_age[-1].id)
            if len(children) == 1:
                return Accept(children[0].id)
            return Invalid(say(ctx, "beneficiary.which_child",
                               names=or_list([p.first_name for p in children])))
        # One name among other words ("è prima Anna", a voice note misheard around it): that
        # person, said back; two names are a question to ask, not to guess, and so is a name
        # denied or asked about ("non per Anna", "chi è Anna?").
        named = [p for p in self._people(ctx) if normalise(p.first_name) in words]
        if len(named) == 1 and not words & _DENIALS and "?" not in text:
            return Accept(named[0].id)
        names = or_list([p.first_name for p in self._people(ctx)])
        return Invalid(say(ctx, "beneficiary.invalid", names=names))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(p.id == value for p in self._people(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return ctx.household.member(value).full_name

    def help(self, ctx: Context) -> str:
        return say(ctx, "beneficiary.help")
