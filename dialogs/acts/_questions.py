"""Answers to questions about the request being filled: what it holds so far, its cover."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dialogs import estimate
from dialogs.acts._classify import Act
from dialogs.acts._texts import t
from dialogs.estimate import ServiceLevels
from dialogs.matching import normalise
from dialogs.services import Services
from dialogs.steps import Context, Flow
from dialogs.texts import label
from nlu.intents import Parsed
from portal.models import Household


def recap(flow: Flow, ctx: Context) -> str:
    """The answers given so far, one line each, as the summary's edit menu names them."""
    lines = []
    for step in flow.steps:
        if step.edit_label and step.name in ctx.answers and step.applies(ctx):
            lines.append(f"• {label(step.edit_label)}: {step.describe(ctx, ctx.answers[step.name])}")
    for lst in flow.lists:
        count = len(ctx.answers.get(lst.name) or [])
        if count:
            lines.append(f"• {label(lst.label).capitalize()}: {count}")
    if not lines:
        return t("question.recap_empty")
    return "\n".join([t("question.recap_title"), *lines])


async def cover(act: Act, ctx: Context, household: Household, today: date,
                services: Services, levels: ServiceLevels) -> str:
    """A question about the cover, answered with what this request says so far: how much
    (these receipts, or the amount the question names), is it covered, which documents, the
    massimale left, how long, direct or reimbursement."""
    parsed = act.parsed or Parsed("coverage", {}, 0.0)
    kind = str(parsed.entities.get("cover") or "")
    if not kind:
        kind = "estimate" if "quanto" in normalise(parsed_text(act)) else "covered"
    return await estimate.answer(kind, parsed, household, today, services, levels,
                                 draft_of(ctx))


def parsed_text(act: Act) -> str:
    return act.text or ""


def draft_of(ctx: Context) -> estimate.Draft:
    """What the request being filled says so far, as the estimate reads it."""
    a = ctx.answers
    expenses = list(a.get("expenses") or [])
    amounts = [Decimal(e["amount"]) for e in expenses if e.get("amount")]
    days = [date.fromisoformat(e["date"]) for e in expenses if e.get("date")]
    if a.get("exp_amount"):
        amounts.append(Decimal(str(a["exp_amount"])))
    if a.get("exp_date"):
        days.append(date.fromisoformat(str(a["exp_date"])))
    service = a.get("service") if isinstance(a.get("service"), dict) else None
    claims = a.get("claims")
    return estimate.Draft(
        person_id=a.get("beneficiary"), service=service, policy_id=a.get("policy"),
        guarantee_id=a.get("guarantee"), amounts=tuple(amounts),
        day=min(days) if days else None, direct=ctx.flow == "diretta",
        claims=tuple(estimate.claims_from_json(claims)) if claims is not None else None)
