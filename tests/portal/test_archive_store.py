"""Store.add_documents (a suspended request resumes) and Store.record_handoff."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.models import DocumentDraft, DocumentKind, HandoffReason, StatusDetails
from portal.statuses import TransitionError
from portal.store import NotFound, Store

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _prescription(store: Store) -> DocumentDraft:
    file = store.documents.put(b"%PDF-1.4 prescrizione ECG", "application/pdf", "ricetta.pdf")
    return DocumentDraft(kind=DocumentKind.PRESCRIPTION, file=file)


async def test_suspended_request_resumes_with_the_missing_document(store: Store) -> None:
    before = await store.get_request("26000021")
    assert before is not None and before.status == "sospesa"
    after = await store.add_documents("26000021", [_prescription(store)], by="cliente", now=NOW)
    assert after.status == "in_lavorazione" and after.updated_at == NOW
    assert [h.status for h in after.history][-2:] == ["sospesa", "in_lavorazione"]
    assert (after.history[-1].by, after.history[-1].at) == ("cliente", NOW)
    assert len(after.documents) == len(before.documents) + 1
    assert after.documents[-1].kind == DocumentKind.PRESCRIPTION
    assert after.documents[-1].filename == "ricetta.pdf"
    assert after.status_details is None  # the suspension's details belong to the past


async def test_open_request_takes_documents_without_a_status_change(store: Store) -> None:
    after = await store.add_documents("26000112", [_prescription(store)], by="cliente", now=NOW)
    assert after.status == "inviata" and [h.status for h in after.history] == ["inviata"]
    assert len(after.documents) == 2


@pytest.mark.parametrize("number", ["25000012", "25000103", "26000087"])
async def test_finished_requests_take_no_documents(store: Store, number: str) -> None:
    with pytest.raises(TransitionError):
        await store.add_documents(number, [_prescription(store)], by="cliente")
    request = await store.get_request(number)
    assert request is not None and all(d.filename != "ricetta.pdf" for d in request.documents)


async def test_add_documents_refusals(store: Store) -> None:
    with pytest.raises(ValueError, match="no documents"):
        await store.add_documents("26000021", [], by="cliente")
    with pytest.raises(NotFound):
        await store.add_documents("00000000", [_prescription(store)], by="cliente")


async def test_suspended_again_after_resuming(store: Store) -> None:
    await store.add_documents("26000021", [_prescription(store)], by="cliente", now=NOW)
    again = StatusDetails(missing_documents=("Fattura leggibile",), deadline=date(2027, 1, 31))
    request = await store.change_status(
        "26000021", "sospesa", by="operatore", details=again, now=NOW
    )
    assert request.status_details == again


async def test_handoffs_are_recorded(store: Store) -> None:
    mario = await store.customer_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None
    human = await store.record_handoff(
        channel="telegram", user_key="12345", reason="human", text="voglio un operatore",
        customer_id=mario.id, now=NOW,
    )
    complaint = await store.record_handoff(
        channel="console", user_key="mario", reason=HandoffReason.COMPLAINT,
        text="reclamo per la pratica 25000103", customer_id=mario.id,
        request_number="25000103", now=NOW,
    )
    anonymous = await store.record_handoff(
        channel="whatsapp", user_key="+393331112222", reason="human", text="aiuto", now=NOW
    )
    assert human.id and complaint.id and human.id != complaint.id
    assert complaint.reason is HandoffReason.COMPLAINT and complaint.created_at == NOW
    assert await store.handoffs(customer_id=mario.id) == [human, complaint]
    assert await store.handoffs(reason="complaint") == [complaint]
    assert await store.handoffs() == [human, complaint, anonymous]
    with pytest.raises(ValueError):
        await store.record_handoff(channel="x", user_key="y", reason="boh", text="")
