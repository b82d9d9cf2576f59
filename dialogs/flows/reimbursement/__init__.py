"""Rimborso: the reimbursement of a service already paid, asked as the portal asks it.

Portal guide, "Come chiedere un rimborso": the year of the service, who received it, the service
(as on the prescription), who receives the money, the policy and the guarantee when more than
one covers it, email and IBAN, the expense documents one at a time, the medical documents the
guarantee requires, notes, the summary (with edits), and the submission.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from dialogs.events import Reply
from dialogs.flows.common import stored_file
from dialogs.flows.parts.closing import MedicalDocuments, Notes, Summary
from dialogs.flows.parts.people import Beneficiary
from dialogs.flows.parts.service import (
    GuaranteeStep,
    PolicyStep,
    Service,
    ServiceQuery,
    others_to_request,
)
from dialogs.flows.reimbursement.answers import email_of, iban_of
from dialogs.flows.reimbursement.contacts import Contacts, NewEmail, NewIban
from dialogs.flows.reimbursement.expenses import (
    ExpenseAmount,
    ExpenseDate,
    ExpenseDateCheck,
    ExpenseFile,
    ExpenseMore,
    ExpenseNumber,
)
from dialogs.flows.reimbursement.people import Authorisation, Payee, Year
from dialogs.flows.reimbursement.reading import early_receipt
from dialogs.flows.reimbursement.receipt import ExpenseRead, ExpenseSent
from dialogs.flows.reimbursement.summary import summary_text
from dialogs.steps import Context, Field, Flow, ItemList
from dialogs.texts import t
from portal.models import (
    CatalogueKind,
    DocumentDraft,
    DocumentKind,
    RequestDraft,
    RequestType,
)

__all__ = ["REIMBURSEMENT"]

_year = Year()
_beneficiary = Beneficiary()
_service = ServiceQuery()
_payee = Payee()
_policy = PolicyStep()
_contacts = Contacts()
_expenses = ExpenseMore()
_medical = MedicalDocuments()
_notes = Notes()


def _finish(ctx: Context, draft_id: str) -> tuple[RequestDraft, Callable[[str], Reply]]:
    """The request to store, and the reply once its number is known."""
    a = ctx.answers
    documents = [
        DocumentDraft(kind=DocumentKind.EXPENSE, file=stored_file(e["file"]),
                      expense_date=date.fromisoformat(e["date"]), amount=Decimal(e["amount"]),
                      number=e["number"] or None, **_issuer(e))
        for e in a.get("expenses", [])
    ]
    documents += [DocumentDraft(kind=DocumentKind(d["kind"]), file=stored_file(d["file"]))
                  for d in a.get("medical_docs", [])]
    service = a["service"]
    email = email_of(ctx)
    draft = RequestDraft(
        submission_key=draft_id,
        type=RequestType.REIMBURSEMENT,
        customer_id=ctx.household.customer.id,
        beneficiary_id=a["beneficiary"],
        year=a["year"],
        service_code=service["code"],
        service_name=service["name"],
        catalogue_kind=CatalogueKind(service["kind"]),
        policy_id=a["policy"],
        guarantee_id=a["guarantee"],
        email=email,
        payee_id=a["payee"],
        payee_authorised=bool(a.get("authorisation")),
        iban=iban_of(ctx),
        notes=a.get("notes", ""),
        documents=tuple(documents),
    )

    still = others_to_request(ctx)

    def submitted(number: str) -> Reply:
        text = t("reimbursement.submitted", number=number, email=email)
        return Reply(f"{text}\n\n{still}" if still else text)

    return draft, submitted



def _issuer(expense: dict[str, Any]) -> dict[str, str | None]:
    """Who issued a receipt, as read from it and confirmed: kept to recognise it if sent again."""
    reading = (expense.get("reading") or {}) if expense.get("read_ok") else {}
    return {"issuer": (reading.get("issuer") or "")[:200] or None,
            "issuer_vat": reading.get("vat")}


REIMBURSEMENT = Flow(
    name="rimborso",
    title="richiesta di rimborso",
    intro="reimbursement.start",
    steps=(
        _year,                  # «Seleziona l'anno in cui è stata eseguita la prestazione»
        _beneficiary,           # «Scegli il nominativo di chi ha effettuato la prestazione»
        _service,               # «Seleziona la prestazione»: typed as on the prescription...
        Service(),              # ...then picked among the catalogue's candidates
        _payee,                 # «Scegli ora chi riceverà il rimborso»
        Authorisation(),        # «...e spunta l'autorizzazione»
        _policy,                # «le polizze che coprono la prestazione»
        GuaranteeStep(),        # when the policy has more than one covering guarantee
        NewEmail(),             # «Aggiungi nuova email»
        NewIban(),              # «Aggiungi IBAN» (or the payee has none on file)
        _contacts,              # email and IBAN confirmed: «Continua»
        ExpenseFile(),          # «Carica ora il documento di spesa», one at a time...
        ExpenseSent(),          # (the same receipt already sent: added only if confirmed)
        ExpenseRead(),          # what was read from it, confirmed or corrected in words,
        ExpenseDate(),          # ...then what was not read: its date,
        ExpenseDateCheck(),     # (confirmed when it was not written in full)
        ExpenseAmount(),        # amount
        ExpenseNumber(),        # and number;
        _expenses,              # another one?
        _medical,               # «caricare altri documenti medici»: Continua refused until there
        _notes,                 # «eventuali informazioni utili»
        Summary(summary_text, (_year, _beneficiary, _service, _payee, _policy, _contacts, _expenses, _medical,
                 _notes)),      # «riepilogo»: edit any answer, then «Invia la richiesta»
    ),
    finish=_finish,
    # A receipt sent before it is asked (even at the menu) is kept and read to fill the request.
    early_file=early_receipt,
    early_file_hint="reimbursement.receipt.send_it",
    early_file_words=("fattura", "fatture", "ricevuta", "ricevute", "scontrino", "scontrini"),
    # What can be corrected by saying it ("l'importo era 90", "anzi era per Luca").
    estimates=True,
    fields=(
        Field("year", "year"),
        Field("person", "beneficiary"),
        Field("service", "service_query"),
        Field("payee", "payee"),
        Field("policy", "policy"),
        Field("guarantee", "guarantee"),
        Field("email", "new_email"),
        Field("iban", "new_iban"),
        Field("date", "exp_date"),
        Field("amount", "exp_amount"),
        Field("number", "exp_number"),
        Field("notes", "notes"),
    ),
    lists=(
        ItemList("expenses", "exp_", "documento di spesa",
                 ("documento", "documenti", "fattura", "fatture", "ricevuta", "ricevute",
                  "scontrino", "scontrini", "spesa"), done="expenses_done"),
        ItemList("medical_docs", "medical_docs_", "documento medico",
                 ("medico", "medica", "medici", "mediche", "prescrizione", "prescrizioni",
                  "ricetta", "ricette", "referto", "referti", "cartella", "clinica")),
    ),
)
