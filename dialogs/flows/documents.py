"""Documenti mancanti: what a suspended request is waiting for, sent from the chat."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.events import Inbound, Reply
from dialogs.flows.common import store_upload, stored_file
from dialogs.flows.parts.answers import document_name
from dialogs.matching import normalise
from dialogs.steps import Accept, BaseStep, Context, Flow, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import t
from portal.models import DocumentDraft, DocumentKind, DocumentsDraft

__all__ = ["DOCUMENTS"]

_KINDS = {k.value for k in DocumentKind}


def _missing(ctx: Context) -> list[str]:
    """What the request still waits for, less what was sent in this conversation."""
    sent = [d["kind"] for d in ctx.get("medical_docs", [])]
    waiting = list(ctx.answers.get("missing", []))
    for kind in sent:
        if kind in waiting:
            waiting.remove(kind)
    return waiting


def _name(kind: str) -> str:
    return document_name(DocumentKind(kind)) if kind in _KINDS else kind


class Files(BaseStep):
    name = "files"
    accepts_files = True

    def ask(self, ctx: Context) -> Question:
        missing = _missing(ctx)
        number = ctx.answers["request"]
        if missing:
            text = t("late_documents.ask", number=number,
                     missing=", ".join(_name(k) for k in missing))
        else:
            text = t("late_documents.ask_more", number=number)
        options = (Option("send", t("late_documents.send")),) if ctx.get("medical_docs") else ()
        return Question(text, options)

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is not None:
            stored = await store_upload(ctx, inbound)
            if isinstance(stored, Invalid):
                return stored
            missing = [k for k in _missing(ctx) if k in _KINDS]
            kind = missing[0] if missing else DocumentKind.OTHER.value
            docs = [*ctx.get("medical_docs", []), {"kind": kind, "file": stored}]
            return Stay(t("late_documents.received", document=_name(kind), count=len(docs)),
                        also={"medical_docs": docs})
        if option is None and inbound.text and normalise(inbound.text) in {
            "invia", "fatto", "fine", "ho finito", "basta", "ok", "continua"
        }:
            option = "send"
        if option == "send":
            if not ctx.get("medical_docs"):
                return Invalid(t("late_documents.none_yet"))
            return Accept("send")
        return Invalid(t("late_documents.file_expected"))

    def help(self, ctx: Context) -> str:
        return t("late_documents.help")



def _finish(ctx: Context, draft_id: str) -> tuple[DocumentsDraft, Callable[[str], Reply]]:
    docs = tuple(DocumentDraft(kind=DocumentKind(d["kind"]), file=stored_file(d["file"]))
                 for d in ctx.get("medical_docs", []))
    count = (t("late_documents.one_document") if len(docs) == 1
             else t("late_documents.many_documents", count=len(docs)))

    def sent(number: str) -> Reply:
        return Reply(t("late_documents.sent", number=number, count=count))

    return DocumentsDraft(ctx.answers["request"], docs), sent


DOCUMENTS = Flow(
    name="documenti",
    title="invio dei documenti",
    intro="late_documents.start",
    steps=(Files(),),
    finish=_finish,
)
