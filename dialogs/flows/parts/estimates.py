"""The estimate where a request shows it: the summary's lines and the choice between policies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dialogs import estimate
from dialogs.flows.parts.answers import (
    beneficiary_of,
    guarantee_of,
    is_direct,
    policy_of,
    policy_text,
)
from dialogs.steps import Context
from portal.models import Guarantee, Policy

__all__ = ["choice_lines", "summary_estimate"]


def _amounts_and_day(ctx: Context) -> tuple[list[Decimal], date]:
    expenses = ctx.answers.get("expenses") or []
    amounts = [Decimal(e["amount"]) for e in expenses if e.get("amount")]
    days = [date.fromisoformat(e["date"]) for e in expenses if e.get("date")]
    return amounts, min(days) if days else ctx.today


def _claims(ctx: Context) -> list[Any]:
    return estimate.claims_from_json(ctx.answers.get("claims"))


def summary_estimate(ctx: Context) -> list[str]:
    """What the request would be reimbursed (or what a direct service costs in the network)."""
    amounts, day = _amounts_and_day(ctx)
    service = ctx.answers["service"]
    return estimate.summary_lines(policy_of(ctx), guarantee_of(ctx), amounts, service["code"],
                                  day, beneficiary_of(ctx).id, _claims(ctx),
                                  direct=is_direct(ctx))


def choice_lines(ctx: Context, pairs: list[tuple[Policy, Guarantee]]) -> str:
    """Each policy's estimate (or terms, before the receipts) for the choice between them."""
    if is_direct(ctx):
        return ""
    amounts, day = _amounts_and_day(ctx)
    service = ctx.answers["service"]
    return estimate.choice_text(pairs, amounts, service["code"], day, beneficiary_of(ctx).id,
                                _claims(ctx), policy_text)
