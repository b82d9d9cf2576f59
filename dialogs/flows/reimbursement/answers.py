"""Reading the reimbursement answers: who, what, which policy, where the money goes."""

from __future__ import annotations

from typing import Any

from dialogs.coverage import covering
from dialogs.flows.common import short_name
from dialogs.steps import Context
from dialogs.texts import t
from portal.models import DocumentKind, Person


def beneficiary_of(ctx: Context) -> Person:
    return ctx.household.member(ctx.answers["beneficiary"])


def payee_of(ctx: Context) -> Person:
    return ctx.household.member(ctx.answers["payee"])


def coverage_of(ctx: Context) -> list[tuple[Any, Any]]:
    service = ctx.answers["service"]
    return covering(ctx.household, ctx.answers["beneficiary"], service["code"], service["kind"],
                    reimbursement=True)


def policy_of(ctx: Context) -> Any:
    return next(p for p in ctx.household.policies if p.id == ctx.answers["policy"])


def guarantee_of(ctx: Context) -> Any:
    return next(g for g in policy_of(ctx).guarantees if g.id == ctx.answers["guarantee"])


def email_of(ctx: Context) -> str:
    return ctx.answers.get("new_email") or ctx.household.customer.email or ""


def iban_of(ctx: Context) -> str | None:
    return ctx.answers.get("new_iban") or payee_of(ctx).iban


def required_documents_of(ctx: Context) -> tuple[DocumentKind, ...]:
    return guarantee_of(ctx).required_documents


def missing_documents_of(ctx: Context) -> list[DocumentKind]:
    present = {d["kind"] for d in ctx.get("medical_docs", [])}
    return [k for k in required_documents_of(ctx) if k.value not in present]


def service_text(service: dict[str, str]) -> str:
    return f"{short_name(service['name'])} ({service['code']})"


def policy_text(policy: Any) -> str:
    return t("common.policy", name=policy.name, number=policy.number)


def document_name(kind: DocumentKind) -> str:
    return t(f"documents.{kind.value}")


def or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " o " + items[-1]


def quote(text: str) -> str:
    return "«" + (text if len(text) <= 60 else text[:57] + "…") + "»"
