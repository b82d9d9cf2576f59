"""Turning database rows into the record types of portal.models, and drafts into rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row

from portal.models import (
    CatalogueKind,
    Doctor,
    Document,
    DocumentDraft,
    DocumentKind,
    Facility,
    Guarantee,
    Handoff,
    HandoffReason,
    Person,
    Policy,
    Relation,
    Request,
    RequestDraft,
    RequestType,
    StatusChange,
    StatusDetails,
)

__all__ = [
    "doctor",
    "document",
    "document_values",
    "facility",
    "guarantee",
    "handoff",
    "person",
    "policy",
    "request",
    "request_values",
    "status_change",
    "status_details",
    "status_details_values",
]


def person(row: Row[Any]) -> Person:
    return Person(
        id=row.id,
        customer_id=row.customer_id,
        relation=Relation(row.relation),
        first_name=row.first_name,
        last_name=row.last_name,
        birth_date=row.birth_date,
        fiscal_code=row.fiscal_code,
        email=row.email,
        mobile=row.mobile,
        iban=row.iban,
    )


def guarantee(row: Row[Any]) -> Guarantee:
    return Guarantee(
        id=row.id,
        policy_id=row.policy_id,
        code=row.code,
        name=row.name,
        catalogue_kind=CatalogueKind(row.catalogue_kind),
        covers=tuple(row.covers),
        reimbursement=bool(row.reimbursement),
        direct=bool(row.direct),
        required_documents=tuple(DocumentKind(k) for k in row.required_documents),
        checkup=bool(row.checkup),
        notice_days=row.notice_days,
    )


def policy(row: Row[Any], insured_ids: Iterable[int], guarantees: Iterable[Guarantee]) -> Policy:
    return Policy(
        id=row.id,
        number=row.number,
        name=row.name,
        holder_id=row.holder_id,
        start=row.start_date,
        end=row.end_date,
        insured_ids=tuple(insured_ids),
        guarantees=tuple(guarantees),
    )


def facility(row: Row[Any]) -> Facility:
    return Facility(
        id=row.id,
        name=row.name,
        town=row.town,
        province=row.province,
        cap=row.cap,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        kind=row.kind,
        phone=row.phone,
        hours=row.hours,
        smart_clinic=bool(row.smart_clinic),
        istat=row.istat,
        code=row.code,
    )


def doctor(row: Row[Any]) -> Doctor:
    return Doctor(
        id=row.id,
        facility_id=row.facility_id,
        first_name=row.first_name,
        last_name=row.last_name,
        specialty=row.specialty,
        title=row.title,
    )


def document(row: Row[Any]) -> Document:
    return Document(
        id=row.id,
        kind=DocumentKind(row.kind),
        sha256=row.sha256,
        mime_type=row.mime_type,
        size=row.size,
        filename=row.filename,
        expense_date=row.expense_date,
        amount=row.amount,
        number=row.number,
        issuer=row.issuer,
    )


def status_change(row: Row[Any]) -> StatusChange:
    return StatusChange(status=row.status, at=row.changed_at, by=row.changed_by, note=row.note)


def request(
    row: Row[Any], documents: Iterable[Document] = (), history: Iterable[StatusChange] = ()
) -> Request:
    return Request(
        id=row.id,
        number=row.number,
        type=RequestType(row.type),
        customer_id=row.customer_id,
        beneficiary_id=row.beneficiary_id,
        year=row.year,
        service_code=row.service_code,
        service_name=row.service_name,
        catalogue_kind=CatalogueKind(row.catalogue_kind),
        policy_id=row.policy_id,
        guarantee_id=row.guarantee_id,
        email=row.email,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        payee_id=row.payee_id,
        payee_authorised=bool(row.payee_authorised),
        iban=row.iban,
        notes=row.notes,
        facility_id=row.facility_id,
        facility_text=row.facility_text,
        appointment=row.appointment,
        mobile=row.mobile,
        doctor=row.doctor,
        preferred_dates=tuple(date.fromisoformat(d) for d in row.preferred_dates or ()),
        documents=tuple(documents),
        history=tuple(history),
        submission_key=row.submission_key,
    )


def request_values(draft: RequestDraft, number: str, status: str, now: datetime) -> dict[str, Any]:
    return {
        "number": number,
        "submission_key": draft.submission_key,
        "type": draft.type.value,
        "customer_id": draft.customer_id,
        "beneficiary_id": draft.beneficiary_id,
        "year": draft.year,
        "service_code": draft.service_code,
        "service_name": draft.service_name,
        "catalogue_kind": draft.catalogue_kind.value,
        "policy_id": draft.policy_id,
        "guarantee_id": draft.guarantee_id,
        "payee_id": draft.payee_id,
        "payee_authorised": draft.payee_authorised,
        "iban": draft.iban,
        "email": draft.email,
        "mobile": draft.mobile,
        "notes": draft.notes,
        "facility_id": draft.facility_id,
        "facility_text": draft.facility_text,
        "appointment": draft.appointment,
        "doctor": draft.doctor,
        "preferred_dates": [d.isoformat() for d in draft.preferred_dates] or None,
        "status": status,
        "created_at": now,
        "updated_at": now,
    }


def document_values(request_id: int, draft: DocumentDraft) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "kind": draft.kind.value,
        "expense_date": draft.expense_date,
        "amount": draft.amount,
        "number": draft.number,
        "issuer": draft.issuer,
        "sha256": draft.file.sha256,
        "mime_type": draft.file.mime_type,
        "size": draft.file.size,
        "filename": draft.file.filename,
    }


def status_details(row: Row[Any]) -> StatusDetails:
    return StatusDetails(
        missing_documents=tuple(row.missing_documents or ()),
        deadline=row.deadline,
        amount_paid=row.amount_paid,
        paid_on=row.paid_on,
        franchigia=row.franchigia,
        scoperto=row.scoperto,
        reason=row.reason,
        authorisation_code=row.authorisation_code,
        valid_until=row.valid_until,
    )


def status_details_values(history_id: int, details: StatusDetails) -> dict[str, Any]:
    return {
        "history_id": history_id,
        "missing_documents": list(details.missing_documents),
        "deadline": details.deadline,
        "amount_paid": details.amount_paid,
        "paid_on": details.paid_on,
        "franchigia": details.franchigia,
        "scoperto": details.scoperto,
        "reason": details.reason,
        "authorisation_code": details.authorisation_code,
        "valid_until": details.valid_until,
    }


def handoff(row: Row[Any]) -> Handoff:
    return Handoff(
        id=row.id,
        customer_id=row.customer_id,
        channel=row.channel,
        user_key=row.user_key,
        reason=HandoffReason(row.reason),
        text=row.text,
        created_at=row.created_at,
        request_number=row.request_number,
    )
