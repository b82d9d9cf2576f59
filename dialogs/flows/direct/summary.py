"""The direct request's summary: every answer on one screen, before it is sent."""

from __future__ import annotations

from datetime import date

from dialogs.flows.direct.booking import appointment_text, facility_name
from dialogs.flows.direct.category import is_checkup
from dialogs.flows.direct.contacts import email_of, mobile_of
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
from dialogs.steps import Context
from dialogs.texts import t
from nlu.dates import describe_date
from nlu.identifiers import format_mobile
from portal.models import DocumentKind


def summary_text(ctx: Context) -> str:
    a = ctx.answers
    mobile = mobile_of(ctx)
    lines = [
        t("summary.beneficiary", value=beneficiary_of(ctx).full_name),
        t("summary.service", value=service_text(a["service"])),
        t("summary.policy", value=policy_text(policy_of(ctx))),
        t("summary.guarantee", value=guarantee_of(ctx).name),
        *summary_estimate(ctx),
        t("summary.email", value=email_of(ctx)),
        t("summary.mobile", value=format_mobile(mobile) if mobile else "-"),
    ]
    for d in a.get("medical_docs", []):
        lines.append(t("summary.medical", document=document_name(DocumentKind(d["kind"])),
                       filename=d["file"]["filename"]))
    lines.append(t("summary.facility", value=facility_name(ctx)))
    if a.get("doctor"):
        lines.append(t("summary.doctor", value=a["doctor"]))
    if is_checkup(ctx):
        days = ", ".join(describe_date(date.fromisoformat(d)) for d in a["checkup_dates"])
        lines.append(t("summary.preferred_dates", value=days))
    else:
        lines.append(t("summary.appointment", value=appointment_text(a["appointment"])))
    lines.append(t("summary.notes", value=a.get("notes") or say(ctx, "notes.empty")))
    return "\n".join(lines)
