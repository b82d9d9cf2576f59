"""What the dialogs need from below them, as protocols the bot layer provides."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from nlu.receipts import Receipt
from portal.estimate import Reimbursement
from portal.models import Handoff, Request, RequestRow, RequestType, SentExpense, StoredFile


@dataclass(frozen=True, slots=True)
class ServiceMatch:
    """A catalogue entry proposed for what the customer typed."""

    code: str
    name: str
    kind: str  # "ambulatoriale" or "ricovero"
    score: float
    # How sure the catalogue is that the typed text names a service at all (nlu.catalogue
    # CONFIDENT is the line); the same for every match of one search.
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Place:
    """A comune, found by its name or one of its CAPs."""

    name: str
    province: str
    lat: float
    lon: float
    cap: str | None = None  # set when the customer typed a CAP


@dataclass(frozen=True, slots=True)
class FacilityOption:
    """An affiliated facility as the conversation shows it."""

    id: int
    name: str
    address: str
    town: str
    province: str
    phone: str | None = None
    hours: str | None = None
    smart_clinic: bool = False
    distance_km: float | None = None
    lat: float | None = None
    lon: float | None = None
    doctors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeSent:
    """A verification code sent by SMS, or why not (too soon, too many, locked)."""

    sent: bool
    retry_at: datetime | None = None
    reason: str | None = None  # "too_soon", "too_many" or "locked"


@dataclass(frozen=True, slots=True)
class CodeChecked:
    status: str  # "ok", "wrong", "expired", "locked" or "missing"
    tries_left: int = 0
    locked_until: datetime | None = None


class Services(Protocol):
    def find_services(self, text: str, limit: int) -> list[ServiceMatch]:
        """Catalogue entries (both kinds) for a typed text, best first; [] when nothing is close."""

    def service_name(self, code: str, kind: str) -> str | None:
        """The customer-facing name of a catalogue code."""

    async def store_file(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        """Keep a validated file; the same content is stored once."""

    async def read_receipt(self, data: bytes, media_type: str) -> Receipt | None:
        """What a receipt (a checked photo or PDF) says; None when it could not be read in
        time or the reader failed: the conversation then asks."""

    async def sent_expenses(self, customer_id: int, *, sha256: str, number: str | None,
                            expense_date: date | None,
                            issuer_vat: str | None) -> list[SentExpense]:
        """The household's expense documents already sent that are the same receipt (the same
        file, or the same number and day from the same issuer)."""

    def resolve_place(self, text: str) -> Place | None:
        """The comune a typed town name or CAP names."""

    async def search_facilities(
        self,
        *,
        service_code: str | None,
        catalogue_kind: str | None,
        place: Place | None = None,
        doctor: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 8,
    ) -> list[FacilityOption]:
        """Affiliated facilities providing the service, nearest first."""

    async def match_facility(self, text: str, town: str | None) -> list[FacilityOption]:
        """Network facilities whose name resembles `text` (in `town` if given), best first."""

    async def send_code(self, purpose: str, target: str, to_mobile: str,
                        customer_id: int) -> CodeSent:
        """Issues a 6-digit code for `target` and sends it by SMS to `to_mobile`."""

    async def check_code(self, purpose: str, target: str, code: str) -> CodeChecked:
        """Checks a typed code against the last one issued for `target`."""

    async def list_requests(self, customer_id: int) -> list[Request]:
        """The household's requests, newest first, with documents and history."""

    async def reimbursements(self, customer_id: int) -> list[Reimbursement]:
        """The household's reimbursements that count against the yearly limits, with only
        what the limits need, oldest first."""

    async def find_requests(
        self, customer_id: int, *, beneficiary_ids: Collection[int] | None = None,
        statuses: Collection[str] | None = None, passed_through: Collection[str] = (),
        period: tuple[date, date] | None = None, types: Collection[RequestType] | None = None,
        service: Callable[[str, str], bool] | None = None, limit: int | None = None,
        counted: bool = True,
    ) -> tuple[int, list[RequestRow]]:
        """How many of the household's requests match, and the first `limit` in brief,
        newest first, found by the store: for these beneficiaries, in a status now (or now
        in one of `passed_through` after it), sent, booked or paid in a period, of these
        types, of a service (`service(code, name)`). Not `counted`: the count is the number of
        rows returned."""

    async def requests_by_ids(self, ids: Sequence[int]) -> list[Request]:
        """Whole requests (documents, history, details) in the order of `ids`."""

    async def get_request(self, number: str) -> Request | None:
        """A request by number, whoever it belongs to: callers check `can_see`."""

    def read_document(self, sha256: str) -> bytes:
        """The content of a stored document."""

    async def get_facility(self, facility_id: int) -> FacilityOption | None:
        """A network facility by id (where a booked request is)."""

    async def list_handoffs(self, customer_id: int, reason: str) -> list[Handoff]:
        """The customer's hand-offs of one reason ("human", "complaint"), oldest first."""

    async def reminder_settings(self, customer_id: int) -> tuple[bool, bool]:
        """Whether the customer gets reminders, and status-change messages."""

    async def set_reminder_settings(self, customer_id: int, *, reminders: bool | None = None,
                                    status_changes: bool | None = None) -> tuple[bool, bool]:
        """Turns either on or off (None keeps it); the settings now."""
