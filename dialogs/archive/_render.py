"""Archive answers as channel-neutral replies: the list, one request's detail, a document,
a yes/no answer, and the texts of a handoff to a person or a complaint.

Choice ids are keys only; the engine prefixes its question token ("<token>.<key>"):
- "r<number>" a request's detail ("r26000058"),
- "d<document id>" a copy of that document ("d12"),
- "a<number>" send the missing documents of a suspended request ("a26000021"),
- "all" every request, when a filtered list is empty; "list" back to the list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from dialogs.archive._format import (
    ROME,
    day,
    deductions_taken,
    describe_filters,
    document_label,
    iban_end,
    missing_list,
    missing_verb,
    money,
    person_name,
    reason_text,
    request_day,
    status_word,
)
from dialogs.archive._query import ArchiveQuery, can_see, select
from dialogs.archive._texts import t
from dialogs.events import Choice, OutgoingFile, Reply
from portal.models import (
    Document,
    Household,
    Request,
    RequestRow,
    RequestStatus,
    RequestType,
)
from portal.statuses import is_open

__all__ = [
    "MAX_SHOWN",
    "complaint_text",
    "handoff_text",
    "applies_to",
    "asks_yes_no",
    "render_answer",
    "render_candidates",
    "render_detail",
    "render_document",
    "render_found",
    "render_list",
    "render_not_found",
]

# Final statuses a request reaches after the one asked about ("pagata", then "chiusa").
_AFTERWARDS = frozenset({RequestStatus.CLOSED, RequestStatus.PROVIDED})
# The request types a status asked about can apply to ("pagato": reimbursements only).
_BOTH = frozenset(RequestType)
_APPLIES_TO = {
    "liquidata": frozenset({RequestType.REIMBURSEMENT}),
    "autorizzata": frozenset({RequestType.DIRECT}),
}
# A chat list longer than this is not read: the rest is reached by narrowing the question.
MAX_SHOWN = 8
# Button labels stay short enough for every channel (WhatsApp list rows: 24 characters).
_LABEL = 24


def render_list(
    requests: Iterable[Request], household: Household, query: ArchiveQuery, today: date,
    *, tappable: bool = True,
) -> list[Reply]:
    """The requests matching `query` (number, date, beneficiary, service, status), newest
    first, at most MAX_SHOWN; each a choice "r<number>". When none match, a "Non trovo
    richieste di Luca a marzo" message built from the query. Not `tappable` (no buttons can
    be shown, e.g. in the middle of another question): no choices and no "tocca" hints."""
    everything = list(requests)
    found = select(everything, query, household)
    visible = any(can_see(r, household) for r in everything)
    return render_found(found[:MAX_SHOWN], len(found), visible, household, query, today,
                        tappable=tappable)


def render_found(
    shown: Sequence[Request] | Sequence[RequestRow], count: int, any_visible: bool, household: Household,
    query: ArchiveQuery, today: date, *, tappable: bool = True,
) -> list[Reply]:
    """`render_list` once the store has done the finding: the first MAX_SHOWN of the `count`
    requests that match, and whether the household has any request at all. A line says what
    a request in brief has (RequestRow): the list needs no documents nor history."""
    if not count:
        return [_untappable(_empty(any_visible, household, query, today), tappable)]
    what = describe_filters(query, today)
    lines = [
        t("list.title", what=what, count=count) if what
        else t("list.title_all", count=count)
    ]
    shown = shown[:MAX_SHOWN]
    lines += [
        t(
            "list.line",
            number=r.number,
            day=request_day(r),
            name=person_name(r.beneficiary_id, household),
            service=r.service_name,
            status=status_word(r.status),
        )
        for r in shown
    ]
    hint = []
    if count > len(shown):
        example = household.members[-1].first_name
        hint.append(t("list.more", shown=len(shown), count=count, name=example))
    if not tappable:
        return [Reply("\n".join(lines))]
    hint.append(t("list.pick"))
    choices = tuple(
        Choice(f"r{r.number}", _button(r, household)) for r in shown
    )
    return [Reply("\n".join(lines) + "\n\n" + " ".join(hint), choices)]


def render_not_found(number: str) -> Reply:
    """A number that is not the household's: answered exactly like one that does not exist."""
    return Reply(t("list.empty_number", number=number))


def render_detail(request: Request, household: Household, today: date,
                  *, tappable: bool = True) -> list[Reply]:
    """Status in plain words with what it means and what to do next; the history as a
    timeline; the data entered; the documents, each a choice "d<id>" to receive a copy."""
    if not can_see(request, household):
        return [render_not_found(request.number)]
    name = person_name(request.beneficiary_id, household)
    since = request.history[-1].at if request.history else request.updated_at
    head = [
        t("detail.title", kind=t(f"type.{request.type.value}"), number=request.number,
          name=name, service=request.service_name),
        t("detail.status", status=status_word(request.status), day=day(since)),
        *_meaning(request, today),
    ]
    actions: tuple[Choice, ...] = ()
    if request.status == RequestStatus.SUSPENDED:
        actions = (Choice(f"a{request.number}", t("detail.add_documents")),)
    return [
        Reply("\n".join(head), actions if tappable else ()),
        Reply(_timeline(request) + "\n\n" + _data(request, household)),
        _documents(request, tappable),
    ]


def render_document(request: Request, document: Document, data: bytes) -> Reply:
    """A copy of one of the request's documents, as a file."""
    if all(d.id != document.id for d in request.documents):
        raise ValueError(f"document {document.id} is not one of request {request.number}")
    return Reply(
        t("document.sending", label=document_label(document)),
        file=OutgoingFile(document.filename, document.mime_type, data),
    )


def render_answer(
    requests: Iterable[Request], household: Household, query: ArchiveQuery, today: date,
    *, tappable: bool = True,
) -> list[Reply] | None:
    """A yes/no answer when the question names a status and a subject ("è stato pagato il
    rimborso di Luca?"): for each of at most 3 requests of that subject, "Sì: …", "Non
    ancora: …" or "No: …". None when the question is not that specific: show the list."""
    if not asks_yes_no(query):
        return None
    candidates = [
        r for r in select(requests, dataclasses.replace(query, status=None), household)
        if r.type in applies_to(query)
    ]
    return render_candidates(candidates, household, query, tappable=tappable)


def asks_yes_no(query: ArchiveQuery) -> bool:
    """A status asked about a subject ("è stato pagato il rimborso di Luca?")."""
    if query.status is None or query.statuses is None or query.status == "aperta":
        return False
    return (query.number, query.beneficiary_ids, query.service, query.period) != (None,) * 4


def applies_to(query: ArchiveQuery) -> frozenset[RequestType]:
    """The request types the status asked about can apply to ("pagato": reimbursements)."""
    return _APPLIES_TO.get(query.status or "", _BOTH)


def render_candidates(candidates: Sequence[Request], household: Household,
                      query: ArchiveQuery, *, tappable: bool = True) -> list[Reply] | None:
    """`render_answer` for the requests of the subject asked about (None unless 1 to 3)."""
    if not candidates or len(candidates) > 3:
        return None
    lines = [_yes_no(r, household, query) for r in candidates]
    if not tappable:
        return [Reply("\n".join(lines))]
    lines.append(t("answer.more"))
    choices = tuple(
        Choice(f"r{r.number}", _button(r, household)) for r in candidates
    )
    return [Reply("\n".join(lines), choices)]


def handoff_text(reference: str, contact: str) -> str:
    """What the bot says when a person takes over; `reference` identifies the handoff."""
    return t("handoff.human", reference=reference, contact=contact)


def complaint_text(reference: str) -> str:
    """The acknowledgement of a complaint: 45 days to answer, then IVASS and how to reach it."""
    return t("handoff.complaint", reference=reference)


# -- pieces -------------------------------------------------------------------------------------


def _button(request: Request | RequestRow, household: Household) -> str:
    name = person_name(request.beneficiary_id, household)
    return _short(t("list.button", number=request.number, name=name))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short(label: str) -> str:
    return label if len(label) <= _LABEL else label[: _LABEL - 1].rstrip(" ·") + "…"


def _empty(any_visible: bool, household: Household, query: ArchiveQuery, today: date) -> Reply:
    if query.number is not None:
        return render_not_found(query.number)
    if query.is_everything or not any_visible:
        return Reply(t("list.empty_all"))
    what = describe_filters(query, today)
    return Reply(t("list.empty", what=what), (Choice("all", t("list.show_all")),))


def _meaning(request: Request, today: date) -> list[str]:
    """What the status means for the customer, and what (if anything) to do now."""
    status, details = request.status, request.status_details
    if status == RequestStatus.SENT:
        return [t("meaning.inviata", day=request_day(request))]
    if status == RequestStatus.SUSPENDED:
        items = details.missing_documents if details else ()
        missing = missing_list(items) or t("missing.altro")
        verb = missing_verb(items)
        if details is None or details.deadline is None:
            return [t("meaning.sospesa_no_deadline", verb=verb, missing=missing)]
        key = "meaning.sospesa_late" if details.deadline < today else "meaning.sospesa"
        return [t(key, verb=verb, missing=missing, deadline=day(details.deadline))]
    if status == RequestStatus.PAID:
        if details and details.amount_paid is not None:
            return _paid(request)
        return [t("meaning.liquidata_plain")]
    if status in (RequestStatus.REJECTED, RequestStatus.NOT_AUTHORISED):
        reason = reason_text(details.reason if details else "")
        return [t(f"meaning.{status}", reason=reason), t("meaning.refused_next")]
    if status == RequestStatus.AUTHORISED:
        code = details.authorisation_code if details and details.authorisation_code else "—"
        if details and details.valid_until and details.valid_until < today:
            return [t("meaning.autorizzata_past", code=code, day=day(details.valid_until))]
        until = ""
        if details and details.valid_until:
            until = t("meaning.until", day=day(details.valid_until))
        return [t("meaning.autorizzata", code=code, until=until)]
    try:
        return [t(f"meaning.{status}")]
    except KeyError:
        return []


def _paid(request: Request) -> list[str]:
    details = request.status_details
    assert details is not None and details.amount_paid is not None
    last = iban_end(request.iban)
    iban = t("meaning.iban", last=last) if last else ""
    paid_on = day(details.paid_on) if details.paid_on else day(request.updated_at)
    spent = [d.amount for d in request.documents if d.amount is not None and d.kind == "spesa"]
    if spent:
        text = t("meaning.liquidata_spent", spent=money(sum(spent, Decimal(0))),
                 amount=money(details.amount_paid), day=paid_on, iban=iban)
    else:
        text = t("meaning.liquidata", amount=money(details.amount_paid), day=paid_on, iban=iban)
    taken = deductions_taken(details)
    if taken:
        return [text, t("meaning.deductions", what=taken)]
    return [text]


def _timeline(request: Request) -> str:
    lines = [t("timeline.title")]
    for change in request.history:
        try:
            what = t(f"timeline.{change.status}")
        except KeyError:
            what = status_word(change.status)
        if change.by == "cliente":
            what += t("timeline.by_customer")
        if change.note:
            lines.append(t("timeline.line_note", day=day(change.at), what=what, note=change.note))
        else:
            lines.append(t("timeline.line", day=day(change.at), what=what))
    return "\n".join(lines)


def _data(request: Request, household: Household) -> str:
    members = {m.id: m for m in household.members}
    beneficiary = members.get(request.beneficiary_id)
    lines = [t("detail.data_title")]
    if beneficiary is not None:
        lines.append(t("detail.beneficiary", name=beneficiary.full_name))
    if _catalogue_code(request):
        lines.append(t("detail.service_code", service=request.service_name,
                       code=request.service_code))
    else:  # a policy's own package (a check-up): its code is the insurer's, not for customers
        lines.append(t("detail.service", service=request.service_name))
    lines.append(t("detail.year", year=request.year))
    if request.type == RequestType.REIMBURSEMENT:
        payee = members.get(request.payee_id) if request.payee_id else None
        if payee is not None:
            lines.append(t("detail.payee", name=payee.full_name))
        if request.iban:
            lines.append(t("detail.iban", last=iban_end(request.iban)))
    if request.facility_text:
        lines.append(t("detail.facility", facility=request.facility_text))
    if request.appointment is not None:
        when = day(request.appointment) + request.appointment.astimezone(ROME).strftime(", %H:%M")
        lines.append(t("detail.appointment", when=when))
    lines.append(t("detail.email", email=request.email))
    if request.notes:
        lines.append(t("detail.notes", notes=request.notes))
    lines.append(t("detail.sent", day=request_day(request)))
    return "\n".join(lines)


def _catalogue_code(request: Request) -> bool:
    """Whether the request's code is the national catalogue's (shown), not an internal one."""
    from nlu.catalogue import load_catalogue

    return load_catalogue().get(request.service_code, request.catalogue_kind.value) is not None


def _untappable(reply: Reply, tappable: bool) -> Reply:
    return reply if tappable else Reply(reply.text)


def _documents(request: Request, tappable: bool = True) -> Reply:
    back = Choice("list", t("detail.back"))
    if not request.documents:
        return _untappable(Reply(t("detail.no_documents"), (back,)), tappable)
    lines = [t("detail.documents_title", count=len(request.documents))]
    lines += [
        t("detail.document", n=n, label=_capitalised(document_label(d)))
        for n, d in enumerate(request.documents, start=1)
    ]
    if not tappable:
        return Reply("\n".join(lines))
    lines.append(t("detail.documents_hint"))
    choices = tuple(
        Choice(
            f"d{d.id}",
            _short(t("document.button", n=n, kind=t(f"document.{d.kind.value}").capitalize())),
        )
        for n, d in enumerate(request.documents, start=1)
    )
    return Reply("\n".join(lines), (*choices, back))


def _yes_no(request: Request, household: Household, query: ArchiveQuery) -> str:
    values = {
        "number": request.number,
        "name": person_name(request.beneficiary_id, household),
        "service": request.service_name,
        "status": status_word(request.status),
    }
    statuses = query.statuses or frozenset()
    asked = query.status or ""
    if request.status in statuses or (
        request.status in _AFTERWARDS and any(h.status in statuses for h in request.history)
    ):
        return t(f"answer.{asked}", **values, **_yes_extra(request, asked))
    if is_open(request.status):
        return t("answer.not_yet", **values)
    return t("answer.no", **values)


def _yes_extra(request: Request, asked: str) -> dict[str, str]:
    details = request.status_details
    if asked == "liquidata":
        paid_on = details.paid_on if details and details.paid_on else None
        amount = details.amount_paid if details else None
        return {
            "day": day(paid_on) if paid_on else day(request.updated_at),
            "amount": t("answer.amount", amount=money(amount)) if amount is not None else "",
        }
    if asked == "respinta":
        reason = reason_text(details.reason if details else "")
        return {"reason": t("answer.reason", reason=reason) if reason != "—" else ""}
    if asked == "autorizzata":
        code = details.authorisation_code if details else None
        return {"code": t("answer.code", code=code) if code else ""}
    if asked == "sospesa":
        items = details.missing_documents if details else ()
        missing = missing_list(items)
        return {
            "missing": t("answer.missing", verb=missing_verb(items), missing=missing)
            if missing else ""
        }
    return {}

