"""The reimbursement's summary: every answer on one screen, before it is sent."""

from __future__ import annotations

from dialogs.flows.common import show_amount, show_date
from dialogs.flows.parts.answers import (
    beneficiary_of,
    document_name,
    guarantee_of,
    policy_of,
    policy_text,
    say,
    service_text,
)
from dialogs.flows.parts.estimates import summary_estimate
from dialogs.flows.reimbursement.answers import email_of, iban_of, payee_of
from dialogs.steps import Context
from dialogs.texts import t
from nlu.identifiers import mask_iban
from portal.models import DocumentKind


def summary_text(ctx: Context) -> str:
    a = ctx.answers
    lines = [
        t("summary.year", value=a["year"]),
        t("summary.beneficiary", value=beneficiary_of(ctx).full_name),
        t("summary.service", value=service_text(a["service"])),
        t("summary.policy", value=policy_text(policy_of(ctx))),
        t("summary.guarantee", value=guarantee_of(ctx).name),
        t("summary.payee", value=payee_of(ctx).full_name),
        t("summary.email", value=email_of(ctx)),
        t("summary.iban", value=mask_iban(iban_of(ctx) or "")),
    ]
    for i, e in enumerate(a.get("expenses", []), start=1):
        number = e["number"] or say(ctx, "expense.number_missing")
        lines.append(t("summary.expense", n=i, day=show_date(e["date"]),
                       amount=show_amount(e["amount"]), number=number))
    lines += summary_estimate(ctx)
    for d in a.get("medical_docs", []):
        lines.append(t("summary.medical", document=document_name(DocumentKind(d["kind"])),
                       filename=d["file"]["filename"]))
    lines.append(t("summary.notes", value=a.get("notes") or say(ctx, "notes.empty")))
    return "\n".join(lines)
