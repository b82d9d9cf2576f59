"""Reading a request's answers: who, which service, which policy and guarantee, which documents."""

from __future__ import annotations

from typing import Any

from dialogs.coverage import covering
from dialogs.flows.common import short_name
from dialogs.steps import Context
from dialogs.texts import t
from nlu.catalogue.english import gloss
from nlu.language import current
from portal.models import DocumentKind, Guarantee, Person, Policy

# Where each flow's own wording lives in the message catalogue; shared wording is in "request".
_SECTIONS = {"rimborso": "reimbursement", "diretta": "direct"}


def say(ctx: Context, key: str, /, **values: Any) -> str:
    """The flow's own sentence for `key` if it has one, else the shared one."""
    section = _SECTIONS.get(ctx.flow)
    if section is not None:
        try:
            return t(f"{section}.{key}", **values)
        except KeyError:
            pass
    return t(f"request.{key}", **values)


def is_direct(ctx: Context) -> bool:
    return ctx.flow == "diretta"


def beneficiary_of(ctx: Context) -> Person:
    return ctx.household.member(ctx.answers["beneficiary"])


def coverage_of(ctx: Context, code: str | None = None, kind: str | None = None
                ) -> list[tuple[Policy, Guarantee]]:
    """Policies and guarantees covering the chosen service (or `code`) for the beneficiary,
    for reimbursement or direct service depending on the flow."""
    category = str(ctx.answers.get("category", ""))
    if category.startswith("checkup:"):
        # A check-up package is its own service: covered by the guarantee that lists it.
        guarantee_id = int(category.partition(":")[2])
        return [(p, g) for p in ctx.household.policies for g in p.guarantees
                if g.id == guarantee_id and ctx.answers["beneficiary"] in p.insured_ids]
    if code is None or kind is None:
        service = ctx.answers["service"]
        code, kind = service["code"], service["kind"]
    return covering(ctx.household, ctx.answers["beneficiary"], code, kind,
                    reimbursement=not is_direct(ctx))


def policy_of(ctx: Context) -> Policy:
    return next(p for p in ctx.household.policies if p.id == ctx.answers["policy"])


def guarantee_of(ctx: Context) -> Guarantee:
    return next(g for g in policy_of(ctx).guarantees if g.id == ctx.answers["guarantee"])


def required_documents_of(ctx: Context) -> tuple[DocumentKind, ...]:
    return guarantee_of(ctx).required_documents


def missing_documents_of(ctx: Context) -> list[DocumentKind]:
    present = {d["kind"] for d in ctx.get("medical_docs", [])}
    return [k for k in required_documents_of(ctx) if k.value not in present]


def service_text(service: dict[str, str]) -> str:
    return f"{service_label(service)} ({service['code']})"


def service_label(service: dict[str, str]) -> str:
    """The official Italian name, in English followed by its English gloss where the table
    has one: "Prima visita oculistica – eye examination"."""
    name = short_name(service["name"])
    if current() == "en":
        english = gloss(service["code"], service.get("kind", ""))
        if english:
            return f"{name} – {english}"
    return name


def policy_text(policy: Policy) -> str:
    return t("common.policy", name=policy.name, number=policy.number)


def document_name(kind: DocumentKind) -> str:
    return t(f"documents.{kind.value}")


def or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t('common.or')} " + items[-1]


def and_list(items: list[str]) -> str:
    """"a", "a e b", "a, b e c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t('common.and')} " + items[-1]


def quote(text: str) -> str:
    return "«" + (text if len(text) <= 60 else text[:57] + "…") + "»"
