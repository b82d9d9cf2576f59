"""Turning database rows into the record types of portal.models, and drafts into rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
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
    SessionLimit,
    StatusChange,
    StatusDetails,
    Terms,
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
    "terms_from_json",
    "terms_json",
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
        terms=terms_from_json(row.terms),
    )


def terms_from_json(value: dict[str, Any] | None) -> Terms | None:
    """Terms as stored (and as data/demo/household.json writes them): money as strings."""
    if not value:
        return None

    def money(key: str) -> Decimal | None:
        found = value.get(key)
        return None if found is None else Decimal(str(found))

    return Terms(
        massimale=money("massimale"),
        per_household=value.get("massimale_per") == "nucleo",
        scoperto=money("scoperto") or Decimal(0),
        minimo=money("minimo") or Decimal(0),
        franchigia=money("franchigia") or Decimal(0),
        limits=tuple(
            SessionLimit(name=str(lim["name"]), covers=tuple(lim["covers"]),
                         per_year=int(lim["per_year"]),
                         each=Decimal(str(lim["each"])) if lim.get("each") is not None else None)
            for lim in value.get("limits", ())),
        carenza_days=int(value.get("carenza_days", 0)),
        direct_quota=money("direct_quota"),
    )


def terms_json(terms: Terms) -> dict[str, Any]:
    def money(amount: Decimal | None) -> str | None:
        return None if amount is None else str(amount)

    return {
        "massimale": money(terms.massimale),
        "massimale_per": "nucleo" if terms.per_household else "persona",
        "scoperto": str(terms.scoperto),
        "minimo": str(terms.minimo),
        "franchigia": str(terms.franchigia),
        "limits": [{"name": lim.name, "covers": list(lim.covers), "per_year": lim.per_year,
                    "each": money(lim.each)} for lim in terms.limits],
        "carenza_days": terms.carenza_days,
        "direct_quota": money(terms.direct_quota),
    }


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
        issuer_vat=row.issuer_vat,
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
        "issuer_vat": draft.issuer_vat,
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
        amount_claimed=row.amount_claimed,
        over_limit=row.over_limit,
        not_covered=row.not_covered,
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
        "amount_claimed": details.amount_claimed,
        "over_limit": details.over_limit,
        "not_covered": details.not_covered,
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
