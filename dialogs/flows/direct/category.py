"""The kind of direct service, offered only if the beneficiary's policies provide it."""

from __future__ import annotations

from typing import Any

from dialogs.events import Inbound
from dialogs.flows.parts.answers import say
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question
from portal.models import CatalogueKind, Guarantee, Policy

OUTPATIENT = "ambulatoriale"
HOSPITAL = "ricovero"
CHECKUP = "checkup"


def direct_guarantees(ctx: Context) -> list[tuple[Policy, Guarantee]]:
    person = ctx.answers["beneficiary"]
    return [(p, g) for p in ctx.household.policies if person in p.insured_ids
            for g in p.guarantees if g.direct]


def checkup_of(ctx: Context) -> tuple[Policy, Guarantee] | None:
    """The check-up package chosen as category, if any."""
    value = ctx.answers.get("category", "")
    if not value.startswith(CHECKUP):
        return None
    guarantee_id = int(value.partition(":")[2])
    return next(((p, g) for p, g in direct_guarantees(ctx) if g.id == guarantee_id), None)


def is_checkup(ctx: Context) -> bool:
    return str(ctx.answers.get("category", "")).startswith(CHECKUP)


class Category(BaseStep):
    """«Visite, esami e prevenzione» or «Ricoveri, interventi e day hospital», or a check-up."""

    name = "category"
    edit_label = "Tipo di prestazione"
    clears = ("service_query", "service")

    def _options(self, ctx: Context) -> list[Option]:
        pairs = direct_guarantees(ctx)
        kinds = {g.catalogue_kind for _, g in pairs if not g.checkup}
        options = []
        if CatalogueKind.OUTPATIENT in kinds:
            options.append(Option(OUTPATIENT, say(ctx, "category.outpatient"),
                                  ("visite", "esami", "visita", "esame", "prevenzione")))
        if CatalogueKind.HOSPITAL in kinds:
            options.append(Option(HOSPITAL, say(ctx, "category.hospital"),
                                  ("ricovero", "intervento", "operazione", "day hospital")))
        for policy, guarantee in pairs:
            if guarantee.checkup:
                options.append(Option(f"{CHECKUP}:{guarantee.id}",
                                      say(ctx, "category.checkup", name=guarantee.name,
                                          policy=policy.name),
                                      ("check up", "checkup", "check-up")))
        return options

    def implied(self, ctx: Context) -> Accept | None:
        options = self._options(ctx)
        if len(options) == 1:
            return Accept(options[0].key, say(ctx, "category.only", category=options[0].label))
        return None

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "category.ask"), tuple(self._options(ctx)))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            if not self._options(ctx):
                return Invalid(say(ctx, "category.none"))
            return Invalid(say(ctx, "category.invalid"))
        return Accept(option)

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(o.key == value for o in self._options(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return next((o.label for o in self._options(ctx) if o.key == value), str(value))

    def help(self, ctx: Context) -> str:
        return say(ctx, "category.help")
