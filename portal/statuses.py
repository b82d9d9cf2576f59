"""The life of a request: which status may follow which, and what each one must record."""

from __future__ import annotations

from portal.models import RequestStatus as S
from portal.models import RequestType, StatusDetails

__all__ = [
    "FINAL",
    "OPEN",
    "TRANSITIONS",
    "TransitionError",
    "allowed_next",
    "check_details",
    "check_transition",
    "is_open",
]


class TransitionError(ValueError):
    """The status cannot follow the current one, or its details are missing."""


# Reimbursements: sent, assessed (possibly suspended for documents), then paid or rejected,
# then closed. A rejection can be reviewed (after a complaint, new documents): back to work.
_REIMBURSEMENT: dict[S, frozenset[S]] = {
    S.SENT: frozenset({S.IN_PROGRESS, S.SUSPENDED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.SUSPENDED, S.ASSESSED, S.PAID, S.REJECTED, S.CANCELLED}),
    S.SUSPENDED: frozenset({S.IN_PROGRESS, S.REJECTED, S.CANCELLED}),
    S.ASSESSED: frozenset({S.PAID, S.REJECTED}),
    S.PAID: frozenset({S.CLOSED}),
    S.REJECTED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CANCELLED: frozenset(),
    S.CLOSED: frozenset(),
}

# Direct services: the insurer authorises (or not) before the facility provides the service.
_DIRECT: dict[S, frozenset[S]] = {
    S.SENT: frozenset({S.IN_PROGRESS, S.AWAITING_AUTHORISATION, S.CANCELLED}),
    S.AWAITING_AUTHORISATION: frozenset(
        {S.IN_PROGRESS, S.SUSPENDED, S.AUTHORISED, S.NOT_AUTHORISED, S.CANCELLED}
    ),
    S.IN_PROGRESS: frozenset(
        {S.AWAITING_AUTHORISATION, S.SUSPENDED, S.AUTHORISED, S.NOT_AUTHORISED, S.CANCELLED}
    ),
    S.SUSPENDED: frozenset(
        {S.IN_PROGRESS, S.AWAITING_AUTHORISATION, S.NOT_AUTHORISED, S.CANCELLED}
    ),
    S.AUTHORISED: frozenset({S.PROVIDED, S.CANCELLED}),
    S.NOT_AUTHORISED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.PROVIDED: frozenset({S.CLOSED}),
    S.CANCELLED: frozenset(),
    S.CLOSED: frozenset(),
}

TRANSITIONS: dict[RequestType, dict[S, frozenset[S]]] = {
    RequestType.REIMBURSEMENT: _REIMBURSEMENT,
    RequestType.DIRECT: _DIRECT,
}

# For the customer a request is over when paid, refused, provided, cancelled or closed;
# everything else is "aperta" (an authorised service is still to be provided).
FINAL = frozenset({S.PAID, S.REJECTED, S.NOT_AUTHORISED, S.PROVIDED, S.CANCELLED, S.CLOSED})
OPEN = frozenset(S) - FINAL


def is_open(status: str) -> bool:
    return status in {s.value for s in OPEN}


def allowed_next(type_: RequestType | str, status: str) -> frozenset[S]:
    """The statuses that may follow `status` for a request of this type."""
    table = TRANSITIONS[RequestType(type_)]
    try:
        return table[S(status)]
    except (ValueError, KeyError):  # not a status, or not one of this type
        return frozenset()


def check_transition(type_: RequestType | str, old: str, new: str) -> None:
    """Raises TransitionError unless a request of this type may go from `old` to `new`."""
    try:
        target = S(new)
    except ValueError:
        raise TransitionError(f"unknown status {new!r}") from None
    if target not in TRANSITIONS[RequestType(type_)]:
        raise TransitionError(f"status {new!r} does not apply to a {RequestType(type_)} request")
    if target not in allowed_next(type_, old):
        raise TransitionError(f"a {RequestType(type_)} request cannot go from {old!r} to {new!r}")


def check_details(status: str, details: StatusDetails | None) -> None:
    """Raises TransitionError when `status` lacks what the customer must be told about it:
    what is missing and by when (sospesa), what was paid and when (liquidata), why
    (respinta, non_autorizzata), the authorisation code (autorizzata)."""
    d = details or StatusDetails()
    missing: list[str] = []
    if status == S.SUSPENDED:
        if not d.missing_documents:
            missing.append("missing_documents")
        if d.deadline is None:
            missing.append("deadline")
    elif status == S.PAID:
        if d.amount_paid is None:
            missing.append("amount_paid")
        if d.paid_on is None:
            missing.append("paid_on")
    elif status in (S.REJECTED, S.NOT_AUTHORISED):
        if not d.reason.strip():
            missing.append("reason")
    elif status == S.AUTHORISED and not d.authorisation_code:
        missing.append("authorisation_code")
    if missing:
        raise TransitionError(f"status {status!r} needs {', '.join(missing)}")
