"""What the yearly limits need of a household's reimbursements, read on its own: opening a
reimbursement estimates against it, and reading the whole archive for that (requests,
documents, history and details, ~4.5 ms for the demo household after a few dozen requests)
cost more than the rest of the turn."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.engine import Connection

from portal.estimate import COUNTED, Reimbursement
from portal.models import DocumentKind, RequestType
from portal.schema import documents, requests, status_details, status_history
from portal.store.database import Database

__all__ = ["Claims", "reimbursements"]

# The amount paid as the current status's details say it: those of the latest history entry
# that set the current status and recorded details (as `documents_and_history` picks them).
_PAID = (select(status_details.c.amount_paid)
         .select_from(status_history.join(
             status_details, status_details.c.history_id == status_history.c.id))
         .where(status_history.c.request_id == requests.c.id,
                status_history.c.status == requests.c.status)
         .order_by(status_history.c.changed_at.desc(), status_history.c.id.desc())
         .limit(1)
         .correlate(requests)
         .scalar_subquery())

# One row per expense document (one with none for a request without any), oldest request
# first. Ties on the time keep the higher id first, as sorting the archive (newest first,
# then by id downwards) by time alone did.
_REIMBURSEMENTS = (
    select(requests.c.id, requests.c.created_at, requests.c.guarantee_id,
           requests.c.beneficiary_id, requests.c.service_code, requests.c.status,
           _PAID.label("amount_paid"), documents.c.id.label("document_id"),
           documents.c.expense_date, documents.c.amount)
    .select_from(requests.outerjoin(documents, and_(
        documents.c.request_id == requests.c.id,
        documents.c.kind == DocumentKind.EXPENSE.value)))
    .where(requests.c.customer_id == bindparam("customer_id"),
           requests.c.type == RequestType.REIMBURSEMENT.value,
           requests.c.status.in_(bindparam("counted", expanding=True)))
    .order_by(requests.c.created_at, requests.c.id.desc(), documents.c.id)
)
_COUNTED = sorted(s.value for s in COUNTED)


def reimbursements(conn: Connection, customer_id: int) -> list[Reimbursement]:
    found: list[Reimbursement] = []
    last_id: int | None = None
    expenses: list[tuple[date | None, Decimal | None]] = []
    head: Any = None
    for row in conn.execute(_REIMBURSEMENTS, {"customer_id": customer_id,
                                              "counted": _COUNTED}):
        if row.id != last_id:
            if head is not None:
                found.append(_made(head, expenses))
            head, last_id, expenses = row, row.id, []
        if row.document_id is not None:
            expenses.append((row.expense_date, row.amount))
    if head is not None:
        found.append(_made(head, expenses))
    return found


def _made(row: Any, expenses: Sequence[tuple[date | None, Decimal | None]]) -> Reimbursement:
    return Reimbursement(row.created_at, row.guarantee_id, row.beneficiary_id,
                         row.service_code, row.status, row.amount_paid, tuple(expenses))


class Claims(Database):
    async def reimbursements(self, customer_id: int) -> list[Reimbursement]:
        """The household's reimbursement requests that count against the yearly limits
        (paid, or still to be decided), oldest first, with only what the limits need
        (`portal.estimate.claims_from`)."""
        return await self._lanes.read(lambda conn: reimbursements(conn, customer_id))
