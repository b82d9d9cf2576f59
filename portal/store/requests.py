"""Requests and documents: submitting, numbering, the archive, status changes."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select

from portal import notifications as queue
from portal import rows
from portal.models import (
    Document,
    DocumentDraft,
    DocumentKind,
    FollowUp,
    Request,
    RequestDraft,
    RequestRow,
    RequestStatus,
    RequestType,
    SentExpense,
    StatusChange,
    StatusDetails,
)
from portal.notifications import Notice
from portal.schema import (
    documents,
    followups,
    request_counters,
    requests,
    status_details,
    status_history,
)
from portal.statuses import TransitionError, check_details, check_transition
from portal.store.database import (
    ROME,
    Database,
    NotFound,
    day_start,
    new_id,
    utc,
)
from portal.store.lists import in_list

__all__ = ["Requests", "SUBMITTED_BY", "attach", "follow_up", "format_request_number", "submit"]

SUBMITTED_BY = "cliente"


def format_request_number(year: int, sequence: int) -> str:
    """8 digits: the last two of the year, then the sequence in that year (26000123)."""
    if not 0 < sequence <= 999_999:
        raise ValueError("request sequence out of range")
    return f"{year % 100:02d}{sequence:06d}"


# Statuses in which the customer may still send documents.
_TAKES_DOCUMENTS = frozenset(
    {
        RequestStatus.SENT,
        RequestStatus.IN_PROGRESS,
        RequestStatus.SUSPENDED,
        RequestStatus.AWAITING_AUTHORISATION,
    }
)


def _status_payload(number: str, status: str, service: str, note: str,
                    details: StatusDetails | None) -> dict[str, Any]:
    """What the status-change message shows, as JSON values."""
    d = details or StatusDetails()
    return {
        "number": number, "status": status, "service": service, "note": note,
        "missing": list(d.missing_documents),
        "deadline": d.deadline.isoformat() if d.deadline else None,
        "amount_paid": str(d.amount_paid) if d.amount_paid is not None else None,
        "paid_on": d.paid_on.isoformat() if d.paid_on else None,
        "reason": d.reason,
        "authorisation_code": d.authorisation_code,
        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
    }


def follow_up(conn: Connection, channel: str, user_key: str,
              customer_id: int, followup: FollowUp, now: datetime) -> None:
    exists = conn.scalar(
        select(func.count()).select_from(followups).where(
            followups.c.customer_id == customer_id,
            followups.c.kind == followup.kind,
            followups.c.subject == followup.subject,
        )
    )
    if not exists:
        conn.execute(insert(followups).values(
            customer_id=customer_id, channel=channel, user_key=user_key, kind=followup.kind,
            subject=followup.subject, due_at=followup.due_at, created_at=now,
        ))


# A submission's statements, built once: building them (and their cache keys) at each
# submission cost about as much as running them (profiled on the summary's turn).
_SUBMITTED = select(requests.c.number).where(
    requests.c.submission_key == bindparam("submission_key"))
_NEW_REQUEST = insert(requests)
_NEW_DOCUMENTS = insert(documents)
_NEW_HISTORY = insert(status_history)
_BUMP = (update(request_counters)
         .where(request_counters.c.year == bindparam("counter_year"))
         .values(last=request_counters.c.last + 1))
_LAST = select(request_counters.c.last).where(
    request_counters.c.year == bindparam("counter_year"))


def submit(conn: Connection, draft: RequestDraft, now: datetime) -> str:
    existing = conn.scalar(_SUBMITTED, {"submission_key": draft.submission_key})
    if existing is not None:
        return str(existing)
    number = next_number(conn, now.astimezone(ROME).year)
    # A direct service waits for the insurer's authorisation; a reimbursement is just sent.
    status = (RequestStatus.SENT.value if draft.type == RequestType.REIMBURSEMENT
              else "in_attesa_autorizzazione")
    result = conn.execute(_NEW_REQUEST, rows.request_values(draft, number, status, now))
    request_id = new_id(result)
    if draft.documents:
        conn.execute(
            _NEW_DOCUMENTS, [rows.document_values(request_id, d) for d in draft.documents]
        )
    conn.execute(_NEW_HISTORY, {"request_id": request_id, "status": status, "changed_at": now,
                                "changed_by": SUBMITTED_BY, "note": ""})
    return number


def next_number(conn: Connection, year: int) -> str:
    """The next request number of `year`, allocated inside the caller's transaction."""
    counter = {"counter_year": year}
    if (conn.execute(_BUMP, counter)).rowcount == 0:
        try:
            with conn.begin_nested():
                conn.execute(insert(request_counters).values(year=year, last=1))
            return format_request_number(year, 1)
        except IntegrityError:
            # Another transaction opened the year first: take the next one after it.
            conn.execute(_BUMP, counter)
    sequence = conn.scalar(_LAST, counter)
    assert sequence is not None  # the row was just updated or inserted
    return format_request_number(year, int(sequence))


# The archive's reads, built once (per backend) with their id lists as one parameter
# (portal.store.lists): building a statement and its cache key with one bound value per id
# cost more than running it (profiled on the list questions).
@dataclass(frozen=True, slots=True)
class _ByIds:
    documents_of: Select[Any]
    history_of: Select[Any]
    requests: Select[Any]


@cache
def _by_ids(postgres: bool) -> _ByIds:
    def of(column: Any) -> Any:
        return in_list(column, "ids", postgres=postgres)

    return _ByIds(
        documents_of=select(documents).where(of(documents.c.request_id)).order_by(documents.c.id),
        # The history with each entry's details (if it recorded any) in one statement: the
        # current status's details are picked from it, not read again.
        history_of=(select(status_history, status_details)
                    .select_from(status_history.outerjoin(
                        status_details, status_details.c.history_id == status_history.c.id))
                    .where(of(status_history.c.request_id))
                    .order_by(status_history.c.changed_at, status_history.c.id)),
        requests=select(requests).where(of(requests.c.id)))


def _on_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def documents_and_history(
    conn: Connection, statuses: Mapping[int, str]
) -> tuple[dict[int, list[Document]], dict[int, list[StatusChange]], dict[int, StatusDetails]]:
    """The documents and history of the requests in `statuses` (id: current status), and
    the details of each one's current status: those of the latest history entry that set
    it, if it recorded any."""
    docs: dict[int, list[Document]] = defaultdict(list)
    history: dict[int, list[StatusChange]] = defaultdict(list)
    current: dict[int, StatusDetails] = {}
    if not statuses:
        return docs, history, current
    ids = {"ids": list(statuses)}
    statements = _by_ids(_on_postgres(conn))
    for r in conn.execute(statements.documents_of, ids):
        docs[r.request_id].append(rows.document(r))
    for r in conn.execute(statements.history_of, ids):
        history[r.request_id].append(rows.status_change(r))
        if r.history_id is not None and r.status == statuses[r.request_id]:
            current[r.request_id] = rows.status_details(r)  # the latest wins
    return docs, history, current


def attach(conn: Connection, number: str,
           documents_: Sequence[DocumentDraft], by: str, now: datetime) -> None:
    """add_documents inside the caller's transaction (also used by save_turn)."""
    if not documents_:
        raise ValueError("no documents to add")
    current = status_of(conn, number)
    if current.status not in _TAKES_DOCUMENTS:
        raise TransitionError(f"request {number} is {current.status}: no documents")
    conn.execute(
        insert(documents), [rows.document_values(current.id, d) for d in documents_]
    )
    if current.status == RequestStatus.SUSPENDED:
        check_transition(current.type, current.status, RequestStatus.IN_PROGRESS)
        set_status(conn, current, RequestStatus.IN_PROGRESS.value, by, "", None, now)
    else:
        conn.execute(
            update(requests).where(requests.c.id == current.id).values(updated_at=now)
        )


def status_of(conn: Connection, number: str) -> Any:
    row = (
        conn.execute(
            select(requests.c.id, requests.c.type, requests.c.status,
                   requests.c.customer_id, requests.c.service_name).where(
                requests.c.number == number
            )
        )
    ).first()
    if row is None:
        raise NotFound(f"request {number}")
    return row


def set_status(
    conn: Connection,
    current: Any,
    status: str,
    by: str,
    note: str,
    details: StatusDetails | None,
    now: datetime,
) -> int:
    # Only from the status just read: a concurrent change makes this one fail.
    moved = conn.execute(
        update(requests)
        .where(requests.c.id == current.id, requests.c.status == current.status)
        .values(status=status, updated_at=now)
    )
    if moved.rowcount != 1:
        raise TransitionError(f"request {current.id} changed status meanwhile")
    history_id = new_id(
        conn.execute(
            insert(status_history).values(
                request_id=current.id, status=status, changed_at=now, changed_by=by, note=note
            )
        )
    )
    if details is not None:
        conn.execute(
            insert(status_details).values(rows.status_details_values(history_id, details))
        )
    return history_id


_ROW_COLUMNS = (requests.c.id, requests.c.number, requests.c.type, requests.c.status,
                requests.c.beneficiary_id, requests.c.created_at, requests.c.service_code,
                requests.c.service_name)
def _document_number(number: str | None) -> str:
    """A receipt's number as compared: "FT 118/2026" and "ft118/2026" are the same."""
    return "".join((number or "").split()).casefold()


_BY_NUMBER = select(requests).where(requests.c.number == bindparam("number"))


def whole_requests(conn: Connection, found: Iterable[Any]) -> list[Request]:
    """Request rows made whole: documents, history, the current status's details."""
    found = list(found)
    docs, history, current = documents_and_history(conn, {r.id: r.status for r in found})
    return [dataclasses.replace(rows.request(r, docs[r.id], history[r.id]),
                                status_details=current.get(r.id)) for r in found]


class Requests(Database):
    """Requests with their documents, status history and follow-ups."""

    async def followups(self, customer_id: int) -> list[tuple[FollowUp, datetime | None]]:
        """A customer's follow-ups, with when each was done (None: still due)."""
        async with self._read() as conn:
            found = await conn.execute(
                select(followups).where(followups.c.customer_id == customer_id)
                .order_by(followups.c.due_at)
            )
            return [(FollowUp(r.kind, r.subject, r.due_at), r.done_at) for r in found]

    async def list_requests(
        self,
        customer_id: int,
        *,
        beneficiary_id: int | None = None,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
        year: int | None = None,
    ) -> list[Request]:
        """The household's requests, newest first, with documents and history.

        `since`/`until` bound the submission day (inclusive, Italian time); `year` is the
        year the service was performed.
        """
        query = select(requests).where(requests.c.customer_id == customer_id)
        if beneficiary_id is not None:
            query = query.where(requests.c.beneficiary_id == beneficiary_id)
        if status is not None:
            query = query.where(requests.c.status == status)
        if since is not None:
            query = query.where(requests.c.created_at >= day_start(since))
        if until is not None:
            query = query.where(requests.c.created_at < day_start(until + timedelta(days=1)))
        if year is not None:
            query = query.where(requests.c.year == year)
        query = query.order_by(requests.c.created_at.desc(), requests.c.id.desc())
        return await self._lanes.read(lambda conn: whole_requests(conn, conn.execute(query)))

    async def get_request(self, number: str) -> Request | None:
        found = await self._lanes.read(lambda conn: whole_requests(
            conn, conn.execute(_BY_NUMBER, {"number": number})))
        return found[0] if found else None

    async def requests_by_ids(self, ids: Sequence[int]) -> list[Request]:
        """Whole requests (documents, history, details), in the order of `ids`."""
        if not ids:
            return []
        found = await self._lanes.read(lambda conn: whole_requests(
            conn, conn.execute(_by_ids(_on_postgres(conn)).requests, {"ids": list(ids)})))
        by_id = {r.id: r for r in found}
        return [by_id[i] for i in ids if i in by_id]

    async def find_requests(
        self,
        customer_id: int,
        *,
        beneficiary_ids: Collection[int] | None = None,
        statuses: Collection[str] | None = None,
        passed_through: Collection[str] = (),
        period: tuple[date, date] | None = None,
        types: Collection[RequestType] | None = None,
        service: Callable[[str, str], bool] | None = None,
        limit: int | None = None,
        counted: bool = True,
    ) -> tuple[int, list[RequestRow]]:
        """How many of the household's requests match, and the first `limit` of them in
        brief, newest first (the archive's list questions: only those shown are then read
        whole, with `requests_by_ids`). Filtered and counted in SQL, except `service`
        (code, name -> bool), which only narrows the few columns it needs.

        `statuses`: in one of them now, or now in one of `passed_through` after having been
        in one of them. `period` (first and last day, Italian time): sent in it, booked in
        it, or with a receipt dated in it. Not `counted`: the count is just how many rows
        came back (enough to tell "at most `limit`" and much cheaper in a large archive).
        """
        # Lists as one parameter each, not one bound value per item (see _by_ids).
        postgres = self.backend == "postgresql"

        def listed(column: Any, name: str, values: Iterable[Any]) -> Any:
            return in_list(column, name, postgres=postgres, values=values)

        where = [requests.c.customer_id == customer_id]
        if types is not None:
            where.append(listed(requests.c.type, "types", [RequestType(t).value
                                                            for t in types]))
        if beneficiary_ids is not None:
            where.append(listed(requests.c.beneficiary_id, "people", beneficiary_ids))
        if statuses is not None:
            now_in = listed(requests.c.status, "statuses", statuses)
            if passed_through:
                went_through = exists().where(
                    status_history.c.request_id == requests.c.id,
                    listed(status_history.c.status, "statuses_then", statuses))
                now_in = or_(now_in, and_(
                    listed(requests.c.status, "passed_through", passed_through),
                    went_through))
            where.append(now_in)
        if period is not None:
            first, last = period
            start, end = day_start(first), day_start(last + timedelta(days=1))
            receipt = exists().where(documents.c.request_id == requests.c.id,
                                     documents.c.expense_date.between(first, last))
            where.append(or_(
                and_(requests.c.created_at >= start, requests.c.created_at < end),
                and_(requests.c.appointment >= start, requests.c.appointment < end),
                receipt))
        newest = (requests.c.created_at.desc(), requests.c.id.desc())

        def find(conn: Connection) -> tuple[int, list[RequestRow]]:
            count: int | None = None
            if service is None and counted and limit == 0:
                count = conn.scalar(select(func.count()).select_from(requests).where(*where))
            elif service is None:
                # Counted with the rows (a window over all that match, before the limit):
                # one statement instead of two.
                total_column = func.count().over().label("total")
                columns = (*_ROW_COLUMNS, total_column) if counted else _ROW_COLUMNS
                query = select(*columns).where(*where).order_by(*newest)
            else:
                ids = [r.id for r in conn.execute(
                    select(requests.c.id, requests.c.service_code, requests.c.service_name)
                    .where(*where).order_by(*newest)) if service(r.service_code, r.service_name)]
                count, ids = len(ids), ids[:limit]
                query = (select(*_ROW_COLUMNS).where(listed(requests.c.id, "ids", ids))
                         .order_by(*newest))
            if limit == 0:
                return (0 if count is None else int(count)), []
            if limit is not None:
                query = query.limit(limit)
            found: list[RequestRow] = []
            total = None
            for r in conn.execute(query):
                found.append(RequestRow(r.id, r.number, RequestType(r.type), r.status,
                                        r.beneficiary_id, r.created_at, r.service_code,
                                        r.service_name))
                if service is None and counted:
                    total = r.total
            if count is None and total is not None:
                count = int(total)
            return (len(found) if count is None else count), found

        return await self._lanes.read(find)

    async def change_status(
        self,
        number: str,
        new_status: str,
        *,
        by: str,
        note: str = "",
        details: StatusDetails | None = None,
        now: datetime | None = None,
        notify: bool = True,
    ) -> Request:
        """Move the request to `new_status` as portal.statuses allows, recording its details
        (what is missing, what was paid, why, the authorisation) in a new history entry.
        With `notify`, the customer's "status_changed" message is queued in the same
        transaction.

        Raises NotFound, or TransitionError (refused transition, missing details, or the
        status changed meanwhile).
        """
        now = utc(now)
        check_details(new_status, details)
        async with self._write() as conn:
            current = await conn.run_sync(status_of, number)
            check_transition(current.type, current.status, new_status)
            history_id = await conn.run_sync(set_status, current, new_status, by, note,
                                             details, now)
            if notify:
                await queue.enqueue(conn, Notice(
                    current.customer_id, "status_changed", number, str(history_id), now,
                    _status_payload(number, new_status, current.service_name, note, details)))
        return await self._request_or_fail(number)

    async def add_documents(
        self,
        number: str,
        documents_: Sequence[DocumentDraft],
        *,
        by: str,
        now: datetime | None = None,
    ) -> Request:
        """Attach documents the customer sends later. A suspended request goes back to
        in_lavorazione (a history entry); an open one just gets them.

        Raises NotFound, ValueError (no documents) or TransitionError (a request that is
        over: paid, refused, cancelled, closed, authorised or provided).
        """
        now = utc(now)
        async with self._write() as conn:
            await conn.run_sync(attach, number, documents_, by, now)
        return await self._request_or_fail(number)

    async def sent_expenses(self, customer_id: int, *, sha256: str,
                            number: str | None = None, expense_date: date | None = None,
                            issuer_vat: str | None = None) -> list[SentExpense]:
        """The household's expense documents already sent that are the same receipt: the same
        file, or the same number on the same day from the same issuer (an issuer not known on
        either side does not tell them apart). Oldest request first."""
        same_day = (documents.c.expense_date == expense_date) if expense_date else None
        query = (
            select(requests.c.number.label("request_number"), documents.c.sha256,
                   documents.c.expense_date, documents.c.amount, documents.c.number,
                   documents.c.issuer_vat)
            .join(requests, requests.c.id == documents.c.request_id)
            .where(requests.c.customer_id == customer_id,
                   documents.c.kind == DocumentKind.EXPENSE.value,
                   or_(documents.c.sha256 == sha256, same_day) if same_day is not None
                   else documents.c.sha256 == sha256)
            .order_by(requests.c.created_at, documents.c.id)
        )
        found = await self._lanes.read(lambda conn: list(conn.execute(query)))
        wanted = _document_number(number)
        twins = []
        for row in found:
            same_file = row.sha256 == sha256
            same_number = bool(wanted) and _document_number(row.number) == wanted and (
                not issuer_vat or not row.issuer_vat or row.issuer_vat == issuer_vat)
            if same_file or same_number:
                twins.append(SentExpense(row.request_number, row.expense_date, row.amount,
                                         row.number, same_file))
        return twins

    async def _request_or_fail(self, number: str) -> Request:
        request = await self.get_request(number)
        if request is None:
            raise NotFound(f"request {number}")
        return request
