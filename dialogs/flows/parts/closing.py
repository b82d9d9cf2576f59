"""The closing steps: medical documents the guarantee requires, notes, summary with edits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dialogs.events import Inbound
from dialogs.flows.common import store_upload
from dialogs.flows.parts.answers import (
    document_name,
    missing_documents_of,
    required_documents_of,
    say,
    service_text,
)
from dialogs.matching import normalise
from dialogs.steps import Accept, BaseStep, Context, Invalid, Option, Outcome, Question, Stay
from dialogs.texts import label, t
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
            return Question(say(ctx, f"medical.ask_{key}", document=document_name(missing[0]),
                              service=service_text(ctx.answers["service"])),
                            (Option("done", t("common.continue")),))
        return Question(say(ctx, "medical.ask_more"), (Option("done", t("common.continue")),))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        if inbound.file is not None:
            stored = await store_upload(ctx, inbound)
            if isinstance(stored, Invalid):
                return stored
            missing = missing_documents_of(ctx)
            kind = missing[0] if missing else DocumentKind.OTHER
            documents = [*ctx.get("medical_docs", []), {"kind": kind.value, "file": stored}]
            return Stay(say(ctx, "medical.received", document=document_name(kind)),
                        also={"medical_docs": documents})
        if option is None and inbound.text:
            if normalise(inbound.text) in {"continua", "avanti", "fatto", "fine", "ok", "basta",
                                           "no", "nient altro", "finito"}:
                option = "done"
        if option == "done":
            missing = missing_documents_of(ctx)
            if missing:
                return Invalid(say(ctx, "medical.missing",
                                 document=document_name(missing[0])))
            return Accept("done")
        return Invalid(say(ctx, "medical.file_expected"))

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return not missing_documents_of(ctx)

    def describe(self, ctx: Context, value: Any) -> str:
        docs = ctx.get("medical_docs", [])
        return ", ".join(document_name(DocumentKind(d["kind"])) for d in docs) or "-"

    def help(self, ctx: Context) -> str:
        return say(ctx, "medical.help")


class Notes(BaseStep):
    name = "notes"
    edit_label = "Note"

    def ask(self, ctx: Context) -> Question:
        return Question(say(ctx, "notes.ask"),
                        (Option("none", say(ctx, "notes.none"),
                                ("no", "nessuna", "niente", "no grazie", "nulla")),))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        text = (inbound.text or "").strip()
        # "Nessuna nota" when tapped or said in so many words; a note that merely starts like
        # it ("nessuna nota particolare, ma la fattura è di mia moglie") is a note.
        if option == "none" and inbound.choice is not None or _no_note(text):
            return Accept("")
        if len(text) > NOTES_MAX:
            return Invalid(say(ctx, "notes.too_long", limit=NOTES_MAX, length=len(text)))
        return Accept(text)

    def describe(self, ctx: Context, value: Any) -> str:
        return value or say(ctx, "notes.empty")

    def help(self, ctx: Context) -> str:
        return say(ctx, "notes.help")


_NO_NOTE_WORDS = frozenset({"no", "nessuna", "nessun", "niente", "nulla", "grazie", "nota",
                            "note", "non", "ho", "altro", "aggiungere", "da", "aggiungo",
                            "ok", "va", "bene", "cosi", "direi", "di", "particolare", "per",
                            "ora", "il", "momento"})


def _no_note(text: str) -> bool:
    words = normalise(text).split()
    return 0 < len(words) <= 6 and all(w in _NO_NOTE_WORDS for w in words)


class Summary(BaseStep):
    """The recap: send, or pick what to change and come back here."""

    name = "summary"

    def __init__(self, render: Callable[[Context], str], editable: tuple[BaseStep, ...]) -> None:
        self._render = render
        self._editable = editable

    def _edit_options(self, ctx: Context) -> tuple[Option, ...]:
        return tuple(Option(f"e{i}", label(step.edit_label or step.name))
                     for i, step in enumerate(self._editable)
                     if step.edit_label and (step.applies(ctx) or step.name == "exp_more"))

    def ask(self, ctx: Context) -> Question:
        if ctx.answers.get("summary_editing"):
            return Question(say(ctx, "summary.edit_ask"),
                            (*self._edit_options(ctx), Option("back", say(ctx, "summary.edit_back"))))
        return Question(say(ctx, "summary.ask", summary=self._render(ctx)), (
            Option("send", say(ctx, "summary.send"), ("invia", "si", "sì", "conferma", "ok")),
            Option("edit", say(ctx, "summary.edit"), ("modifica", "cambia", "correggi")),
        ))

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        editing = ctx.answers.get("summary_editing")
        if editing:
            if option == "back":
                return Stay(also={"summary_editing": None})
            if option is not None and option.startswith("e"):
                step = self._editable[int(option[1:])]
                return Stay(also={"summary_editing": None}, reopen=(step.name,))
            return Invalid(say(ctx, "summary.edit_invalid"))
        if option == "send":
            return Accept("send")
        if option == "edit":
            return Stay(also={"summary_editing": True})
        return Invalid(say(ctx, "summary.invalid"))

    def help(self, ctx: Context) -> str:
        return say(ctx, "summary.help")


