"""The dialogs' Services, made of the real catalogue, store, place names and SMS sender."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

from bot.receipts import ReceiptReading
from bot.sms import SmsError, SmsSender
from dialogs.services import (
    CodeChecked,
    CodeSent,
    FacilityOption,
    Place,
    ServiceMatch,
)
from dialogs.texts import t
from nlu.catalogue import Catalogue
from nlu.receipts import Receipt
from portal import places
from portal.estimate import Reimbursement
from portal.models import (
    Facility,
    FacilityMatch,
    Handoff,
    Request,
    RequestRow,
    RequestType,
    SentExpense,
    StoredFile,
)
from portal.store import Store
from portal.verification import CodeRefused

log = logging.getLogger(__name__)

# Threads writing documents at once: writes wait on the disk, not the CPU, and customers
# sending receipts together should not queue for a thread.
DOCUMENT_WRITERS = 8


class PortalServices:
    def __init__(self, catalogue: Catalogue | Callable[[], Catalogue], store: Store,
                 sms: SmsSender, now: Callable[[], datetime],
                 receipts: ReceiptReading | None = None) -> None:
        """`catalogue`: the catalogue, or what loads it when a turn first searches it
        (`nlu.catalogue.load_catalogue`), so that a start need not wait for it."""
        self._catalogue_or_loader = catalogue
        self._store = store
        self._sms = sms
        self._now = now
        self._receipts = receipts
        # Documents are written on threads of their own: a write waits mostly on the disk's
        # flush, and on the default executor it held up the checks of other customers'
        # files (CPU work) or queued behind them (`medbot bench turns`, the upload turn).
        # Threads start when needed; a write under way at exit is finished (concurrent.futures
        # joins its workers then).
        self._writers = ThreadPoolExecutor(DOCUMENT_WRITERS, thread_name_prefix="documents")

    @property
    def _catalogue(self) -> Catalogue:
        if isinstance(self._catalogue_or_loader, Catalogue):
            return self._catalogue_or_loader
        self._catalogue_or_loader = self._catalogue_or_loader()
        return self._catalogue_or_loader

    def find_services(self, text: str, limit: int) -> list[ServiceMatch]:
        matches = self._catalogue.search(text, limit=limit)
        sure = self._catalogue.confidence(text, matches)
        return [ServiceMatch(m.code, m.name, m.kind, m.score, sure) for m in matches]

    def service_name(self, code: str, kind: str) -> str | None:
        entry = self._catalogue.get(code, kind)
        return entry.name if entry is not None else None

    async def store_file(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        # Sealed, written and flushed to disk off the event loop: the flush takes
        # milliseconds on a busy disk, and every other conversation would wait for it.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writers, self._store.documents.put, data,
                                          mime_type, filename)

    async def read_receipt(self, data: bytes, media_type: str) -> Receipt | None:
        if self._receipts is None:
            return None
        return await self._receipts.read(data, media_type)

    async def sent_expenses(self, customer_id: int, *, sha256: str, number: str | None,
                            expense_date: date | None,
                            issuer_vat: str | None) -> list[SentExpense]:
        return await self._store.sent_expenses(customer_id, sha256=sha256, number=number,
                                               expense_date=expense_date,
                                               issuer_vat=issuer_vat)

    def resolve_place(self, text: str) -> Place | None:
        found = places.resolve_place(text)
        if found is None or found.lat is None or found.lon is None:
            return None
        return Place(found.name, found.province, found.lat, found.lon, found.cap)

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
        town = cap = None
        if place is not None and place.cap:
            cap, doctor, near = place.cap, None, None
        elif place is not None:
            # With the province: "Samone (TN)" is not the Samone near Turin.
            town, doctor, near = f"{place.name} ({place.province})", None, None
        found = await self._store.search_facilities(
            service_code=service_code, catalogue_kind=catalogue_kind, town=town, cap=cap,
            doctor=doctor, near=near, limit=limit)
        return [_option(m.facility, m) for m in found]

    async def match_facility(self, text: str, town: str | None) -> list[FacilityOption]:
        return [_option(f) for f in await self._store.find_facility_by_name(text, town)]

    async def send_code(self, purpose: str, target: str, to_mobile: str,
                        customer_id: int) -> CodeSent:
        try:
            issued = await self._store.issue_code(purpose, target, customer_id, self._now())
        except CodeRefused as refused:
            return CodeSent(False, refused.retry_at, refused.reason)
        try:
            await self._sms.send(to_mobile, t("sms.code", code=issued.code))
        except SmsError:
            log.warning("verification SMS not sent", exc_info=True)
            return CodeSent(False, None, "not_sent")
        return CodeSent(True)

    async def check_code(self, purpose: str, target: str, code: str) -> CodeChecked:
        checked = await self._store.check_code(purpose, target, code, self._now())
        return CodeChecked(checked.status.value, checked.tries_left, checked.locked_until)

    async def list_requests(self, customer_id: int) -> list[Request]:
        return await self._store.list_requests(customer_id)

    async def reimbursements(self, customer_id: int) -> list[Reimbursement]:
        return await self._store.reimbursements(customer_id)

    async def find_requests(
        self, customer_id: int, *, beneficiary_ids: Collection[int] | None = None,
        statuses: Collection[str] | None = None, passed_through: Collection[str] = (),
        period: tuple[date, date] | None = None, types: Collection[RequestType] | None = None,
        service: Callable[[str, str], bool] | None = None, limit: int | None = None,
        counted: bool = True,
    ) -> tuple[int, list[RequestRow]]:
        return await self._store.find_requests(
            customer_id, beneficiary_ids=beneficiary_ids, statuses=statuses,
            passed_through=passed_through, period=period, types=types, service=service,
            limit=limit, counted=counted)

    async def requests_by_ids(self, ids: Sequence[int]) -> list[Request]:
        return await self._store.requests_by_ids(ids)

    async def get_request(self, number: str) -> Request | None:
        return await self._store.get_request(number)

    def read_document(self, sha256: str) -> bytes:
        return self._store.documents.read(sha256)

    async def get_facility(self, facility_id: int) -> FacilityOption | None:
        facility = await self._store.facility(facility_id)
        return _option(facility) if facility is not None else None

    async def list_handoffs(self, customer_id: int, reason: str) -> list[Handoff]:
        return await self._store.handoffs(customer_id=customer_id, reason=reason)

    async def reminder_settings(self, customer_id: int) -> tuple[bool, bool]:
        prefs = await self._store.preferences(customer_id)
        return prefs.reminders, prefs.status_changes

    async def set_reminder_settings(self, customer_id: int, *, reminders: bool | None = None,
                                    status_changes: bool | None = None) -> tuple[bool, bool]:
        prefs = await self._store.set_preferences(customer_id, reminders=reminders,
                                                  status_changes=status_changes,
                                                  now=self._now())
        return prefs.reminders, prefs.status_changes


def _option(facility: Facility, match: FacilityMatch | None = None) -> FacilityOption:
    doctors = tuple(f"{d.title} {d.full_name}" for d in match.doctors) if match else ()
    return FacilityOption(
        id=facility.id, name=facility.name, address=facility.address, town=facility.town,
        province=facility.province, phone=facility.phone, hours=facility.hours,
        smart_clinic=facility.smart_clinic,
        distance_km=match.distance_km if match else None,
        lat=facility.lat, lon=facility.lon, doctors=doctors,
    )
