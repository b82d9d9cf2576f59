"""Receipts read by the real reader (nlu.receipts.read_receipt) in the conversation, end to end:
text-layer PDF invoices as a studio's software prints them, through the engine and the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat
from tests.auxil.runtime import demo_runtime
from tests.auxil.sms import RecordingSms

LUCA = "RSSLCU05A20H501A"
MARCO = "RSSMRC14P08H501C"


@pytest.fixture
async def runtime(tmp_path: Path, sms: RecordingSms) -> AsyncIterator[Runtime]:
    """The real reader, with all the time it needs on a busy test machine (the first photo
    loads the OCR models): what is tested is what it reads, not how fast."""
    async with demo_runtime(tmp_path / "home", sms=sms, receipt_read_seconds=300) as runtime:
        yield runtime


def invoice(tmp_path: Path, name: str = "fattura.pdf", **fields: object) -> Path:
    return files.write(tmp_path, name, files.invoice_pdf(**fields))  # type: ignore[arg-type]


async def to_receipt(chat: EngineChat) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    await chat.say("Marco")
    await chat.say("visita dermatologica")
    await chat.say("1")
    turn = await chat.tap("Sì, continua")
    assert turn.step == "exp_file", turn.text


async def finish(chat: EngineChat) -> str:
    await chat.tap("Nessuna nota")
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None, turn.text
    return turn.request_number


async def test_a_pdf_invoice_is_read_confirmed_and_stored(chat: EngineChat, runtime: Runtime,
                                                         tmp_path: Path) -> None:
    await to_receipt(chat)
    turn = await chat.upload(invoice(tmp_path))
    assert turn.step == "exp_read_ok", turn.text
    assert ("Ho letto: documento n. 118/2026 del 12 marzo 2026, € 85,00, "
            "Studio Dermatologico Bianchi.") in turn.text
    assert "Attenzione" not in turn.text  # Marco's codice fiscale, a total that is its lines
    turn = await chat.tap("Sì, continua")
    assert turn.step == "notes"
    request = await runtime.store.get_request(await finish(chat))
    assert request is not None
    [document] = request.documents
    assert (document.expense_date, str(document.amount), document.number) == (
        date(2026, 3, 12), "85.00", "118/2026")
    assert (document.issuer, document.issuer_vat) == ("Studio Dermatologico Bianchi",
                                                      "01234560124")


async def test_a_pdf_sent_first_fills_the_request_in_six_messages(
        chat: EngineChat, runtime: Runtime, tmp_path: Path) -> None:
    sent = [await chat.say("vorrei il rimborso della visita dermatologica di Marco"),
            await chat.upload(invoice(tmp_path))]
    assert "2026" in sent[-1].text and sent[-1].step == "contacts", sent[-1].text
    assert "Prima visita dermatologica/allergologica" in sent[-1].text
    sent.append(await chat.tap("Sì, continua"))
    assert "Ho letto: documento n. 118/2026" in sent[-1].text
    sent.append(await chat.tap("Sì, continua"))
    sent.append(await chat.tap("Nessuna nota"))
    sent.append(await chat.tap("Invia la richiesta"))
    assert len(sent) == 6 and sent[-1].request_number is not None
    request = await runtime.store.get_request(sent[-1].request_number)
    assert request is not None and request.year == 2026
    assert str(request.documents[0].amount) == "85.00"


async def test_a_two_page_invoice_with_another_patient(chat: EngineChat,
                                                       tmp_path: Path) -> None:
    await to_receipt(chat)
    turn = await chat.upload(invoice(
        tmp_path, number="342", day="03/02/2026", total="150,00", pages=2,
        lines=(("Visita dermatologica", "100,00"), ("Mappatura nei", "50,00")),
        patient="Luca Rossi", patient_tax_code=LUCA))
    assert "documento n. 342 del 3 febbraio 2026, € 150,00" in turn.text, turn.text
    assert "codice fiscale di Luca Rossi, ma la richiesta è per Marco Rossi" in turn.text


async def test_the_same_pdf_in_another_request_is_asked_about(chat: EngineChat,
                                                              tmp_path: Path) -> None:
    path = invoice(tmp_path)
    await to_receipt(chat)
    await chat.upload(path)
    await chat.tap("Sì, continua")
    first = await finish(chat)
    await to_receipt(chat)
    turn = await chat.upload(path)
    assert turn.step == "exp_sent_ok"
    assert f"Questo file l'hai già mandato con la richiesta {first}" in turn.text
    # The same invoice printed again (another file): the same number, day and partita IVA.
    turn = await chat.tap("No, non aggiungerlo")
    turn = await chat.upload(invoice(tmp_path, "ristampa.pdf", issuer="Studio Bianchi"))
    assert turn.step == "exp_sent_ok", turn.text
    assert "stesso numero (118/2026)" in turn.text


async def test_a_phone_photo_sent_first_is_read(chat: EngineChat, tmp_path: Path) -> None:
    """OCR (one photo: the model is loaded once, a second or two of CPU)."""
    photo = files.write(tmp_path, "foto.jpg", files.invoice_photo())
    turn = await chat.upload(photo)
    assert turn.flow == "rimborso" and turn.step == "contacts", turn.text
    assert "2026, Marco Rossi, Prima visita dermatologica/allergologica" in turn.text
    turn = await chat.tap("Sì, continua")
    assert ("Ho letto: documento n. 118/2026 del 12 marzo 2026, € 85,00, "
            "Studio Dermatologico Bianchi.") in turn.text
