"""The yearly limits' claims counted from whole requests (the archive), as the store's
`reimbursements` reads them alone: for tests that compare the two or build requests."""

from __future__ import annotations

from collections.abc import Iterable

from portal.estimate import Claim, Reimbursement, claims_from
from portal.models import DocumentKind, Household, Request, RequestType


def reimbursement_of(request: Request) -> Reimbursement:
    details = request.status_details
    return Reimbursement(request.created_at, request.guarantee_id, request.beneficiary_id,
                         request.service_code, request.status,
                         details.amount_paid if details is not None else None,
                         tuple((d.expense_date, d.amount) for d in request.documents
                               if d.kind == DocumentKind.EXPENSE))


def claims_of(requests: Iterable[Request], household: Household) -> list[Claim]:
    return claims_from([reimbursement_of(r) for r in requests
                        if r.type == RequestType.REIMBURSEMENT], household)
