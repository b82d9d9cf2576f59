"""The service from the prescription, and the policy and guarantee that cover it."""

from __future__ import annotations

from typing import Any

from dialogs.events import Inbound
from dialogs.flows.parts.answers import (
    and_list,
    beneficiary_of,
    coverage_of,
    or_list,
    policy_of,
    policy_text,
    quote,
    say,
    service_label,
    service_text,
)
from dialogs.flows.parts.estimates import choice_lines
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.catalogue import CONFIDENT, Assessment, Match, closest_family, not_a_service, several

# Candidates offered for a typed service.
CANDIDATES = 5


def _assess(ctx: Context, text: str) -> Assessment:
    """The catalogue's search of `text` with its confidence; texts that are people, commands,
    questions, refusals or corrections are not searched."""
    people = [m.first_name for m in ctx.household.members]
    reason = not_a_service(text, people)
    if reason is not None:
        return Assessment(text, [], 0.0, None, reason)
    found = ctx.services.find_services(text, limit=20)
    matches = [Match(m.code, m.name, m.kind, m.score) for m in found]
    sure = found[0].confidence if found else 0.0
    family = closest_family(text) if sure < CONFIDENT else None
    return Assessment(text, matches, sure, family)


def _search_services(ctx: Context, typed: str) -> dict[str, Any] | Invalid:
    """The covered catalogue entries for a typed text, as the service_query answer; when the
    text names several services, the first is searched and the others kept under "others"."""
    text = " ".join(typed.split())
    if len(text) < 2:
        return Invalid(say(ctx, "service.too_short"))
    if len(text) > 200:
        return Invalid(say(ctx, "service.too_long"))
    found = several(text, lambda piece: _assess(ctx, piece))
    first, others = found[0], [a.text for a in found[1:]]
    answer = _covered(ctx, first)
    if isinstance(answer, Invalid) or not others:
        return answer
    return {**answer, "others": others}


def _covered(ctx: Context, found: Assessment) -> dict[str, Any] | Invalid:
    text = found.text
    if found.not_service is not None:
        return Invalid(say(ctx, f"service.not_a_service_{found.not_service}", text=quote(text),
                           name=beneficiary_of(ctx).first_name))
    if not found.confident:
        if found.family is not None:
            return Invalid(say(ctx, "service.not_found_family", text=quote(text),
                               family=found.family.name, first=found.family.examples[0],
                               second=found.family.examples[1]))
        return Invalid(say(ctx, "service.not_found", text=quote(text)))
    matches = found.matches
    # A direct service is asked within a category: outpatient or hospital.
    category = ctx.answers.get("category")
    if category in ("ambulatoriale", "ricovero"):
        matches = [m for m in matches if m.kind == category]
    if not matches:
        return Invalid(say(ctx, "service.not_found", text=quote(text)))
    covered = [m for m in matches if coverage_of(ctx, m.code, m.kind)]
    if not covered:
        return Invalid(say(ctx, "service.not_covered", service=matches[0].name,
                         name=beneficiary_of(ctx).first_name))
    candidates = [{"code": m.code, "kind": m.kind, "name": m.name} for m in covered[:CANDIDATES]]
    return {"text": text, "candidates": candidates}


def several_notice(ctx: Context, value: dict[str, Any]) -> str:
    """What is said when the typed text named several services: one request each."""
    others = value.get("others") or []
    if not others:
        return ""
    named = and_list([quote(value["text"]), *(quote(o) for o in others)])
    key = "service.several_two" if len(others) == 1 else "service.several"
    return say(ctx, key, services=named, first=quote(value["text"]))


def others_to_request(ctx: Context) -> str:
    """After the submission: the services still to ask for, each in a request of its own."""
    value = ctx.answers.get("service_query") or {}
    others = value.get("others") or []
    if not others:
        return ""
    named = and_list([quote(o) for o in others])
    key = "service.still_to_request_one" if len(others) == 1 else "service.still_to_request"
    example = t("request.service.example_rimborso" if ctx.flow == "rimborso"
                else "request.service.example_diretta",
                service=others[0], name=beneficiary_of(ctx).first_name)
    return say(ctx, key, services=named, example=example)


class ServiceQuery(BaseStep):
    """What the customer types from the prescription or the invoice."""

    name = "service_query"
    edit_label = "Prestazione"
    clears = ("service",)
    refined_by = "service"

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "service.ask",
                          name=beneficiary_of(ctx).first_name))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        found = _search_services(ctx, inbound.text or "")
        if isinstance(found, Invalid):
            return found
        return Accept(found)  # several services: the pick question says so

    def describe(self, ctx: Context, value: Any) -> str:
        service = ctx.answers.get("service")
        return service["name"] if service else value["text"]

    def help(self, ctx: Context) -> str:
        return say(ctx, "service.help")


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
            notice = say(ctx, "service.by_code", service=service_text(exact[0]))
            several = several_notice(ctx, ctx.answers["service_query"])
            return Accept(exact[0], f"{several} {notice}".strip())
        return None

    def ask(self, ctx: Context) -> Question:
        options = [Option(f"c{i}", service_label(c))
                   for i, c in enumerate(self._candidates(ctx))]
        options.append(Option("none", say(ctx, "service.none_of_these")))
        several = several_notice(ctx, ctx.answers["service_query"])
        text = say(ctx, "service.pick")
        return Question(f"{several}\n\n{text}" if several else text, tuple(options))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option == "none":
            return Stay(say(ctx, "service.retype"), reopen=("service_query",))
        if option is None:
            # A new description instead of a pick: search again with it.
            if inbound.text and len(inbound.text.strip()) >= 3:
                found = _search_services(ctx, inbound.text)
                if isinstance(found, Invalid):
                    return found
                return Stay(say(ctx, "service.searched_again"),
                            also={"service_query": found})
            return Invalid(say(ctx, "service.pick_invalid"))
        return Accept(self._candidates(ctx)[int(option[1:])])

    def still_valid(self, ctx: Context, value: Any) -> bool:
        category = ctx.answers.get("category")
        if category in ("ambulatoriale", "ricovero") and value["kind"] != category:
            return False
        return bool(coverage_of(ctx, value["code"], value["kind"]))

    def describe(self, ctx: Context, value: Any) -> str:
        return service_text(value)

    def help(self, ctx: Context) -> str:
        return say(ctx, "service.pick_help")


class PolicyStep(BaseStep):
    name = "policy"
    edit_label = "Polizza"
    clears = ("guarantee",)

    def _policies(self, ctx: Context) -> list[Any]:
        seen: dict[int, Any] = {}
        for policy, _ in coverage_of(ctx):
            seen.setdefault(policy.id, policy)
        return list(seen.values())

    def implied(self, ctx: Context) -> Accept | None:
        policies = self._policies(ctx)
        if len(policies) == 1:
            return Accept(policies[0].id, say(ctx, "policy.only",
                                            policy=policy_text(policies[0])))
        return None

    def ask(self, ctx: Context) -> Question:
        pairs = [(p, g) for p, g in coverage_of(ctx)]
        compared = choice_lines(ctx, pairs)
        text = say(ctx, "policy.ask") + (f"\n{compared}" if compared else "")
        return Question(text, tuple(
            Option(f"p{p.id}", policy_text(p), (p.name, p.number)) for p in self._policies(ctx)
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            names = or_list([p.name for p in self._policies(ctx)])
            return Invalid(say(ctx, "policy.invalid", names=names))
        return Accept(int(option[1:]))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(p.id == value for p in self._policies(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return policy_text(next(p for p in ctx.household.policies if p.id == value))

    def help(self, ctx: Context) -> str:
        return say(ctx, "policy.help")


class GuaranteeStep(BaseStep):
    name = "guarantee"

    def _guarantees(self, ctx: Context) -> list[Any]:
        return [g for p, g in coverage_of(ctx) if p.id == ctx.answers["policy"]]

    def implied(self, ctx: Context) -> Accept | None:
        guarantees = self._guarantees(ctx)
        if len(guarantees) == 1:
            return Accept(guarantees[0].id)  # the policy's notice already names the coverage
        return None

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "guarantee.ask"), tuple(
            Option(f"g{g.id}", g.name) for g in self._guarantees(ctx)
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option is None:
            return Invalid(say(ctx, "guarantee.invalid"))
        return Accept(int(option[1:]))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return any(g.id == value for g in self._guarantees(ctx))

    def describe(self, ctx: Context, value: Any) -> str:
        return next(g.name for g in policy_of(ctx).guarantees if g.id == value)

    def help(self, ctx: Context) -> str:
        return say(ctx, "guarantee.help")
