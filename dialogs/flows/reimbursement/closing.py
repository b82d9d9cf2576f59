"""The medical documents the guarantee requires, the notes, and the summary with its edits."""

from __future__ import annotations

from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import known_files, show_amount, show_date, store_upload
from dialogs.flows.reimbursement.answers import (
    beneficiary_of,
    document_name,
    email_of,
    guarantee_of,
    iban_of,
    missing_documents_of,
    payee_of,
    policy_of,
    policy_text,
    required_documents_of,
    service_text,
)
from dialogs.matching import normalise
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from nlu.identifiers import mask_iban
from portal.models import DocumentKind

NOTES_MAX = 1000


class MedicalDocuments(BaseStep):
    """The medical documents the guarantee requires; "Continua" refused until they are there."""

    name = "medical"
    accepts_files = True
    edit_label = "Documenti medici"

    def applies(self, ctx: Context) -> bool:
        return bool(required_documents_of(ctx))

    def ask(self, ctx: Context) -> Question:
        missing = missing_documents_of(ctx)
        if missing:
            key = "first" if not ctx.get("medical_docs") else "next"
            return Question(t(f"reimbursement.medical.ask_{key}", document=document_name(missing[0]),
                              service=service_text(ctx.answers["service"])),
                            (Option("done", t("common.continue")),))
        return Question(t("reimbursement.medical.ask_more"), (Option("done", t("common.continue")),))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is not None:
            stored = store_upload(ctx, inbound)
            if isinstance(stored, Invalid):
                return stored
            if stored["sha256"] in known_files(ctx):
                return Invalid(t("files.duplicate"))
            missing = missing_documents_of(ctx)
            kind = missing[0] if missing else DocumentKind.OTHER
            documents = [*ctx.get("medical_docs", []), {"kind": kind.value, "file": stored}]
            return Stay(t("reimbursement.medical.received", document=document_name(kind)),
                        also={"medical_docs": documents})
        if option is None and inbound.text:
            if normalise(inbound.text) in {"continua", "avanti", "fatto", "fine", "ok", "basta",
                                           "no", "nient altro", "finito"}:
                option = "done"
        if option == "done":
            missing = missing_documents_of(ctx)
            if missing:
                return Invalid(t("reimbursement.medical.missing",
                                 document=document_name(missing[0])))
            return Accept("done")
        return Invalid(t("reimbursement.medical.file_expected"))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return not missing_documents_of(ctx)

    def describe(self, ctx: Context, value: Any) -> str:
        docs = ctx.get("medical_docs", [])
        return ", ".join(document_name(DocumentKind(d["kind"])) for d in docs) or "-"

    def help(self, ctx: Context) -> str:
        return t("reimbursement.medical.help")


class Notes(BaseStep):
    name = "notes"
    edit_label = "Note"

    def ask(self, ctx: Context) -> Question:
        return Question(t("reimbursement.notes.ask"),
                        (Option("none", t("reimbursement.notes.none"),
                                ("no", "nessuna", "niente", "no grazie", "nulla")),))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if option == "none":
            return Accept("")
        text = (inbound.text or "").strip()
        if len(text) > NOTES_MAX:
            return Invalid(t("reimbursement.notes.too_long", limit=NOTES_MAX, length=len(text)))
        return Accept(text)

    def describe(self, ctx: Context, value: Any) -> str:
        return value or t("reimbursement.notes.empty")

    def help(self, ctx: Context) -> str:
        return t("reimbursement.notes.help")


class Summary(BaseStep):
    """The recap: send, or pick what to change and come back here."""

    name = "summary"

    def __init__(self, editable: tuple[BaseStep, ...]) -> None:
        self._editable = editable

    def _edit_options(self, ctx: Context) -> tuple[Option, ...]:
        return tuple(Option(f"e{i}", step.edit_label or step.name)
                     for i, step in enumerate(self._editable)
                     if step.edit_label and (step.applies(ctx) or step.name == "exp_more"))

    def ask(self, ctx: Context) -> Question:
        if ctx.answers.get("summary_editing"):
            return Question(t("reimbursement.summary.edit_ask"),
                            (*self._edit_options(ctx), Option("back", t("reimbursement.summary.edit_back"))))
        return Question(t("reimbursement.summary.ask", summary=summary_text(ctx)), (
            Option("send", t("reimbursement.summary.send"), ("invia", "si", "sì", "conferma", "ok")),
            Option("edit", t("reimbursement.summary.edit"), ("modifica", "cambia", "correggi")),
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        editing = ctx.answers.get("summary_editing")
        if editing:
            if option == "back":
                return Stay(also={"summary_editing": None})
            if option is not None and option.startswith("e"):
                step = self._editable[int(option[1:])]
                return Stay(also={"summary_editing": None}, reopen=(step.name,))
            return Invalid(t("reimbursement.summary.edit_invalid"))
        if option == "send":
            return Accept("send")
        if option == "edit":
            return Stay(also={"summary_editing": True})
        return Invalid(t("reimbursement.summary.invalid"))

    def help(self, ctx: Context) -> str:
        return t("reimbursement.summary.help")


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
        number = e["number"] or t("reimbursement.expense.number_missing")
        lines.append(t("summary.expense", n=i, day=show_date(e["date"]),
                       amount=show_amount(e["amount"]), number=number))
    for d in a.get("medical_docs", []):
        lines.append(t("summary.medical", document=document_name(DocumentKind(d["kind"])),
                       filename=d["file"]["filename"]))
    lines.append(t("summary.notes", value=a.get("notes") or t("reimbursement.notes.empty")))
    return "\n".join(lines)
