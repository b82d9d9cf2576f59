"""Reading the reimbursement's own answers: who receives the money, where, and where we write."""

from __future__ import annotations

from dialogs.flows.parts.answers import beneficiary_of
from dialogs.steps import Context
from portal.models import Person

__all__ = ["beneficiary_of", "email_of", "iban_of", "payee_of"]


def payee_of(ctx: Context) -> Person:
    return ctx.household.member(ctx.answers["payee"])


def email_of(ctx: Context) -> str:
    return ctx.answers.get("new_email") or ctx.household.customer.email or ""


def iban_of(ctx: Context) -> str | None:
    return ctx.answers.get("new_iban") or payee_of(ctx).iban
