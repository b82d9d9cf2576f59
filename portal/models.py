"""The insurer's records as plain immutable values, shared by the store and the dialogs."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class Relation(enum.StrEnum):
    """How a household member relates to the customer (the policyholder)."""

    HOLDER = "titolare"
    SPOUSE = "coniuge"
    CHILD = "figlio"
    OTHER = "altro"


class RequestType(enum.StrEnum):
    REIMBURSEMENT = "rimborso"
    DIRECT = "diretta"


class DocumentKind(enum.StrEnum):
    EXPENSE = "spesa"
    PRESCRIPTION = "prescrizione"
    REPORT = "referto"
    CLINICAL_RECORD = "cartella_clinica"
    OTHER = "altro"


class RequestStatus(enum.StrEnum):
    """Where a request stands; the transition rules live elsewhere."""

    SENT = "inviata"  # just submitted by the customer
    IN_PROGRESS = "in_lavorazione"  # being assessed
    SUSPENDED = "sospesa"  # waiting for documents or information from the customer
    AUTHORISED = "autorizzata"  # direct service: approved, the facility is paid by the insurer
    PAID = "liquidata"  # reimbursement paid
    REJECTED = "respinta"
    CANCELLED = "annullata"
    ASSESSED = "valutata"  # reimbursement: amount decided, payment on its way
    CLOSED = "chiusa"  # nothing more will happen
    AWAITING_AUTHORISATION = "in_attesa_autorizzazione"  # direct service: being assessed
    NOT_AUTHORISED = "non_autorizzata"  # direct service: refused
    PROVIDED = "erogata"  # direct service: the facility has provided it


class CatalogueKind(enum.StrEnum):
    OUTPATIENT = "ambulatoriale"  # nomenclatore ambulatoriale
    HOSPITAL = "ricovero"  # ICD-9-CM interventions


@dataclass(frozen=True, slots=True)
class Person:
    """A household member; the customer is the member whose relation is HOLDER."""

    id: int
    customer_id: int
    relation: Relation
    first_name: str
    last_name: str
    birth_date: date
    fiscal_code: str
    email: str | None = None
    mobile: str | None = None
    iban: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def is_adult(self, on: date) -> bool:
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years >= 18


@dataclass(frozen=True, slots=True)
class SessionLimit:
    """A yearly limit on some services of a guarantee: "fisioterapia, 10 sedute l'anno,
    massimo € 40,00 a seduta". Each expense document of such a service is one session."""

    name: str  # how the policy calls them ("fisioterapia")
    covers: tuple[str, ...]  # codes or "prefix*" patterns, as Guarantee.covers
    per_year: int  # sessions a year per person
    each: Decimal | None = None  # most reimbursed for one session

    def applies_to(self, code: str) -> bool:
        return any(code.startswith(p[:-1]) if p.endswith("*") else code == p
                   for p in self.covers)


@dataclass(frozen=True, slots=True)
class Terms:
    """How much a guarantee pays, as Italian policies state it.

    Massimale: the most paid in a policy year (from the policy's start date), per person or
    shared by the household insured; scoperto: a percentage of each request left to the
    customer, never less than `minimo` (minimo non indennizzabile); franchigia: a fixed amount
    left to the customer on each request, taken before the scoperto; carenza: days from the
    policy's start before a service is covered; direct_quota: what the customer pays the
    network facility for a direct service (0: nothing)."""

    massimale: Decimal | None = None
    per_household: bool = False
    scoperto: Decimal = Decimal(0)  # percent
    minimo: Decimal = Decimal(0)
    franchigia: Decimal = Decimal(0)
    limits: tuple[SessionLimit, ...] = ()
    carenza_days: int = 0
    direct_quota: Decimal | None = None

    def limit_for(self, code: str) -> SessionLimit | None:
        return next((limit for limit in self.limits if limit.applies_to(code)), None)


@dataclass(frozen=True, slots=True)
class Guarantee:
    """What a policy covers: catalogue codes or code prefixes (groups), and how."""

    id: int
    policy_id: int
    code: str
    name: str
    catalogue_kind: CatalogueKind
    # Exact codes ("89.7A.3") or prefixes ending with "*" ("88.9*", "89.7*").
    covers: tuple[str, ...]
    reimbursement: bool
    direct: bool
    # Medical documents required besides the expense documents (DocumentKind values).
    required_documents: tuple[DocumentKind, ...] = ()
    # A check-up package: the guarantee itself is the service, booked by the insurer.
    checkup: bool = False
    # Direct services: days between the request and the appointment the insurer needs.
    notice_days: int = 0
    # How much it pays (massimale, scoperto, franchigia...); None when not recorded.
    terms: Terms | None = None

    def covers_code(self, code: str, kind: CatalogueKind) -> bool:
        if kind != self.catalogue_kind:
            return False
        for pattern in self.covers:
            if pattern.endswith("*"):
                if code.startswith(pattern[:-1]):
                    return True
            elif code == pattern:
                return True
        return False


@dataclass(frozen=True, slots=True)
class Policy:
    id: int
    number: str
    name: str
    holder_id: int  # Person.id of the policyholder
    start: date
    end: date
    insured_ids: tuple[int, ...]
    guarantees: tuple[Guarantee, ...]


@dataclass(frozen=True, slots=True)
class Household:
    """A customer with family and policies: what a conversation needs to know about them."""

    customer: Person
    members: tuple[Person, ...]  # the customer first, then the family
    policies: tuple[Policy, ...]

    def member(self, person_id: int) -> Person:
        return next(p for p in self.members if p.id == person_id)

    def insured(self) -> tuple[Person, ...]:
        """Members insured by at least one policy, in household order."""
        ids = {i for p in self.policies for i in p.insured_ids}
        return tuple(m for m in self.members if m.id in ids)


@dataclass(frozen=True, slots=True)
class Facility:
    id: int
    name: str
    town: str
    province: str
    cap: str
    address: str
    lat: float | None = None
    lon: float | None = None
    # A FacilityKind value: "centro_medico" (outpatient), "casa_di_cura" (private hospital), ...
    kind: str = "centro_medico"
    phone: str | None = None  # shown as dialled in Italy, "+39 06 4821 3377"
    hours: str | None = None  # opening hours, Italian free text
    smart_clinic: bool = False  # the insurer's own Smart Clinic brand
    istat: str | None = None  # the comune's ISTAT code ("058091" Roma)
    code: str | None = None  # the network's key ("H120114", "C0042"); None for facilities outside it


class FacilityKind(enum.StrEnum):
    HOSPITAL = "ospedale"  # public or classified hospital, IRCCS
    PRIVATE_HOSPITAL = "casa_di_cura"
    CENTRE = "centro_medico"  # poliambulatorio, centro diagnostico
    LABORATORY = "laboratorio"
    SMART_CLINIC = "smart_clinic"


@dataclass(frozen=True, slots=True)
class Doctor:
    """A doctor working at an affiliated facility."""

    id: int
    facility_id: int
    first_name: str
    last_name: str
    specialty: str  # a branca specialistica ("Cardiologia")
    title: str = "Dott."  # "Dott." or "Dott.ssa"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class FacilityMatch:
    """A facility found by a search; `distance_km` from the place searched, when there is one.

    `doctors` are the doctors matching the name searched, or all the facility's doctors.
    """

    facility: Facility
    distance_km: float | None
    doctors: tuple[Doctor, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file kept by the document store, addressed by its content."""

    sha256: str
    mime_type: str
    size: int
    filename: str


@dataclass(frozen=True, slots=True)
class DocumentDraft:
    """A document attached during a conversation, before the request exists."""

    kind: DocumentKind
    file: StoredFile
    expense_date: date | None = None
    amount: Decimal | None = None
    number: str | None = None
    issuer: str | None = None
    issuer_vat: str | None = None


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """Everything needed to create a request; written by the dialogs, stored by the portal.

    `submission_key` is unique per draft: storing the same draft twice yields the same request.
    """

    submission_key: str
    type: RequestType
    customer_id: int
    beneficiary_id: int
    year: int
    service_code: str
    service_name: str
    catalogue_kind: CatalogueKind
    policy_id: int
    guarantee_id: int
    email: str
    payee_id: int | None = None
    payee_authorised: bool = False
    iban: str | None = None
    notes: str = ""
    documents: tuple[DocumentDraft, ...] = ()
    # Direct services (later issue): facility, appointment.
    facility_id: int | None = None
    facility_text: str | None = None
    appointment: datetime | None = None
    mobile: str | None = None
    doctor: str | None = None
    # Check-ups: the days the customer would like, for the insurer to book.
    preferred_dates: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentsDraft:
    """Documents sent later for an existing request (e.g. what a suspended one is missing)."""

    number: str
    documents: tuple[DocumentDraft, ...]


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Something the bot will say later in this conversation, unless the draft is sent first."""

    kind: str  # e.g. "booking": "did you book? tell me the date"
    subject: str  # what it follows up, e.g. the draft's submission key
    due_at: datetime


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: str
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class StatusDetails:
    """What a status tells the customer besides its name; portal.statuses says which are
    required: sospesa (missing documents, deadline), liquidata (amount paid, date and any
    deductions), respinta / non_autorizzata (reason), autorizzata (code, valid until)."""

    # DocumentKind values, or a short description of anything else the insurer asks for.
    missing_documents: tuple[str, ...] = ()
    deadline: date | None = None
    amount_paid: Decimal | None = None
    paid_on: date | None = None
    franchigia: Decimal | None = None  # fixed deductible taken off the amount
    scoperto: Decimal | None = None  # percentage deductible, as the amount taken off
    # The rest of the breakdown of a payment: the amount asked, what the yearly massimale or a
    # session limit cut, what is not covered at all (expenses the policy does not pay).
    amount_claimed: Decimal | None = None
    over_limit: Decimal | None = None
    not_covered: Decimal | None = None
    reason: str = ""
    authorisation_code: str | None = None
    valid_until: date | None = None


class HandoffReason(enum.StrEnum):
    HUMAN = "human"  # the customer asked for a person
    COMPLAINT = "complaint"  # a formal complaint (reclamo): answered within 45 days


@dataclass(frozen=True, slots=True)
class Handoff:
    """A conversation handed to a person: who, where to answer, why, what they wrote."""

    id: int
    customer_id: int | None
    channel: str
    user_key: str
    reason: HandoffReason
    text: str
    created_at: datetime
    request_number: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    kind: DocumentKind
    sha256: str
    mime_type: str
    size: int
    filename: str
    expense_date: date | None = None
    amount: Decimal | None = None
    number: str | None = None
    issuer: str | None = None
    issuer_vat: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    number: str
    type: RequestType
    customer_id: int
    beneficiary_id: int
    year: int
    service_code: str
    service_name: str
    catalogue_kind: CatalogueKind
    policy_id: int
    guarantee_id: int
    email: str
    status: str
    created_at: datetime
    updated_at: datetime
    payee_id: int | None = None
    payee_authorised: bool = False
    iban: str | None = None
    notes: str = ""
    facility_id: int | None = None
    facility_text: str | None = None
    appointment: datetime | None = None
    mobile: str | None = None
    doctor: str | None = None
    preferred_dates: tuple[date, ...] = ()
    documents: tuple[Document, ...] = ()
    history: tuple[StatusChange, ...] = field(default=())
    submission_key: str = ""
    # What the current status tells besides its name (missing documents, payment, reason,
    # authorisation): recorded with the latest history entry that set it.
    status_details: StatusDetails | None = None


@dataclass(frozen=True, slots=True)
class SentExpense:
    """An expense document already sent in one of the household's requests that looks like a
    new one: the very same file, or the same number and date (and issuer, when both say it)."""

    request_number: str
    expense_date: date | None
    amount: Decimal | None
    number: str | None
    same_file: bool


@dataclass(frozen=True, slots=True)
class RequestRow:
    """A request in brief: what an archive list question filters on and a list shows."""

    id: int
    number: str
    type: RequestType
    status: str
    beneficiary_id: int
    created_at: datetime
    service_code: str
    service_name: str
