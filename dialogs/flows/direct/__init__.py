"""Prestazione diretta: a service at an affiliated facility, paid by the insurer directly.

Portal guide, "Come richiedere una prestazione in convenzione diretta": who it is for, the
category («Visite, esami e prevenzione», «Ricoveri, interventi e day hospital», or a check-up),
the service as on the prescription, the guarantee and policy when more than one covers it,
contacts (new ones verified by SMS code), the documents the service requires, then «Hai già
prenotato?»: the facility and agreed date, or a search for one to call, or for a check-up the
preferred dates; notes, summary with edits, submission (awaiting authorisation).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dialogs.events import Reply
from dialogs.flows.common import short_name, stored_file
from dialogs.flows.direct.booking import (
    Appointment,
    AppointmentCheck,
    Booked,
    BookedFacility,
    BookedName,
    BookedTown,
    CheckupDates,
    Doctor,
    FacilityPick,
    Search,
    facility_name,
    facility_of,
)
from dialogs.flows.direct.category import Category, is_checkup
from dialogs.flows.direct.contacts import ContactCode, Contacts, NewContact, email_of, mobile_of
from dialogs.flows.direct.service import DirectService, DirectServiceQuery
from dialogs.flows.direct.summary import summary_text
from dialogs.flows.parts.closing import MedicalDocuments, Notes, Summary
from dialogs.flows.parts.people import Beneficiary
from dialogs.flows.parts.service import GuaranteeStep, PolicyStep, others_to_request
from dialogs.steps import Context, Field, Flow, ItemList
from dialogs.texts import t
from portal.models import (
    CatalogueKind,
    DocumentDraft,
    DocumentKind,
    RequestDraft,
    RequestType,
)

__all__ = ["DIRECT"]

# Appointments are local times at the facility.
_ROME = ZoneInfo("Europe/Rome")

_beneficiary = Beneficiary()
_category = Category()
_service = DirectServiceQuery()
_policy = PolicyStep()
_contacts = Contacts()
_medical = MedicalDocuments()
_booked = Booked()
_facility = FacilityPick()
_appointment = Appointment()
_dates = CheckupDates()
_notes = Notes()


def _finish(ctx: Context, draft_id: str) -> tuple[RequestDraft, Callable[[str], Reply]]:
    a = ctx.answers
    service = a["service"]
    appointment = None
    preferred: tuple[date, ...] = ()
    if is_checkup(ctx):
        preferred = tuple(date.fromisoformat(d) for d in a["checkup_dates"])
        year = preferred[0].year
    else:
        day = date.fromisoformat(a["appointment"]["date"])
        at = time.fromisoformat(a["appointment"]["time"]) if a["appointment"]["time"] else None
        # A day without a time is kept at midnight local time; the time is then unknown.
        appointment = datetime.combine(day, at or time(0), tzinfo=_ROME)
        year = day.year
    facility = facility_of(ctx)
    email = email_of(ctx)
    draft = RequestDraft(
        submission_key=draft_id,
        type=RequestType.DIRECT,
        customer_id=ctx.household.customer.id,
        beneficiary_id=a["beneficiary"],
        year=year,
        service_code=service["code"],
        service_name=service["name"],
        catalogue_kind=CatalogueKind(service["kind"]),
        policy_id=a["policy"],
        guarantee_id=a["guarantee"],
        email=email,
        mobile=mobile_of(ctx),
        notes=a.get("notes", ""),
        documents=tuple(DocumentDraft(kind=DocumentKind(d["kind"]), file=stored_file(d["file"]))
                        for d in a.get("medical_docs", [])),
        facility_id=facility["id"] if facility else None,
        facility_text=None if facility else facility_name(ctx),
        appointment=appointment,
        doctor=a.get("doctor") or None,
        preferred_dates=preferred,
    )
    checkup = is_checkup(ctx)
    name = short_name(service["name"])

    still = others_to_request(ctx)

    def submitted(number: str) -> Reply:
        key = "direct.submitted_checkup" if checkup else "direct.submitted"
        text = t(key, number=number, email=email, service=name)
        return Reply(f"{text}\n\n{still}" if still else text)

    return draft, submitted



DIRECT = Flow(
    name="diretta",
    title="richiesta di prestazione diretta",
    intro="direct.start",
    steps=(
        _beneficiary,           # «Seleziona il nominativo del beneficiario»
        _category,              # «Visite, esami e prevenzione» / «Ricoveri, ...» (if provided)
        _service,               # «inizia a digitare la prestazione» (as on the prescription)...
        DirectService(),        # ...picked among the catalogue's candidates (or the check-up)
        _policy,                # «le polizze che coprono la prestazione»
        GuaranteeStep(),        # «Se la prestazione prevede più garanzie, scegli»
        NewContact("email"),    # «Aggiungi nuova email»...
        NewContact("mobile"),   # ...«Aggiungi nuovo cellulare»...
        ContactCode(),          # ...«validati mediante codice di verifica»
        _contacts,              # «Conferma i tuoi dati»
        _medical,               # «Carica ora i documenti»: Continua refused until there
        _booked,                # «Indica se hai già effettuato la prenotazione»
        BookedTown(),           #   yes: «inserisci la città...
        BookedName(),           #        ...e il nome della struttura»
        BookedFacility(),       #        (matched with the network, or as typed)
        Doctor(),               #        «selezionare il medico o continuare senza»
        Search(),               #   no / check-up: «Cerca la struttura per località, cap o medico»
        _facility,              #        the customer picks one, and calls it to book
        _appointment,           # «Indica la data concordata con la struttura»
        AppointmentCheck(),     #   (confirmed when not written in full)
        _dates,                 # check-up: «Seleziona le date di tuo interesse»
        _notes,                 # «eventuali informazioni utili»
        Summary(summary_text, (_beneficiary, _category, _service, _policy, _contacts, _medical,
                               _booked, _facility, _appointment, _dates, _notes)),
    ),
    finish=_finish,
    # What can be corrected by saying it ("anzi era per Luca", "la data era il 3").
    estimates=True,
    fields=(
        Field("person", "beneficiary"),
        Field("service", "service_query"),
        Field("policy", "policy"),
        Field("guarantee", "guarantee"),
        Field("date", "appointment"),
        Field("notes", "notes"),
    ),
    lists=(
        ItemList("medical_docs", "medical_docs_", "documento medico",
                 ("medico", "medica", "medici", "mediche", "prescrizione", "prescrizioni",
                  "ricetta", "ricette", "referto", "referti", "cartella", "clinica")),
    ),
)
