"""A whole reimbursement on Telegram: buttons, a photo of the receipt, the PDF prescription."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.auxil import files
from tests.auxil.fake_telegram import FakeUser, Turn
from tests.bot.telegram.conftest import Telegram

IBAN = "IT60X0542811101000000123456"


async def to_expense_file(mario: FakeUser, service: str = "ecografia addome completo") -> Turn:
    """Luca's service up to the question asking for the receipt."""
    turn = await mario.says("/start")
    assert "Rimborso" in turn.buttons
    turn = await mario.taps("Rimborso")
    assert turn.buttons[:2] == ["2026", "2025"]
    await mario.taps("2026")
    await mario.says("luca")
    turn = await mario.says(service)
    assert turn.buttons, turn.text
    await mario.says("1")
    turn = await mario.taps("Luca Rossi")
    assert "IBAN" in turn.text, turn.text
    await mario.says(IBAN)
    turn = await mario.taps("Sì, continua")
    assert "documento di spesa" in turn.text, turn.text
    return turn


async def add_receipt(mario: FakeUser, photo: bytes) -> Turn:
    turn = await mario.sends_photo(photo)
    assert turn.of("getFile") and turn.of("download")
    assert "Che data" in turn.text, turn.text
    await mario.says("10/11/2026")
    await mario.says("120,50")
    return await mario.says("FT 12/2026")


async def test_full_reimbursement_with_photo_receipt_and_pdf_prescription(
    telegram: Telegram, mario: FakeUser,
) -> None:
    receipt, prescription = files.jpeg("Fattura 7"), files.pdf(title="Ricetta")
    await to_expense_file(mario)
    turn = await add_receipt(mario, receipt)
    assert "Continua" in turn.buttons
    turn = await mario.taps("Continua")
    assert "prescrizione" in turn.text, turn.text
    turn = await mario.sends_document(prescription, "ricetta.pdf", "application/pdf")
    assert "Ricevuto: prescrizione medica" in turn.text, turn.text
    await mario.taps("Continua")
    turn = await mario.taps("Nessuna nota")
    assert "riepilogo" in turn.text and "€ 120,50" in turn.text
    turn = await mario.taps("Invia la richiesta")
    assert "Richiesta inviata" in turn.text, turn.text

    requests = await telegram.runtime.store.list_requests(await _mario_id(telegram))
    request = requests[0]
    assert request.status == "inviata"
    stored = {d.kind: telegram.runtime.store.documents.read(d.sha256) for d in request.documents}
    assert stored == {"spesa": receipt, "prescrizione": prescription}


async def test_answered_question_shows_the_answer_and_loses_its_buttons(
    telegram: Telegram, mario: FakeUser,
) -> None:
    await mario.says("/start")
    turn = await mario.taps("Rimborso")
    assert len(turn.answers) == 1
    (edit,) = turn.of("editMessageText")
    assert edit.params["text"].endswith("✅ Rimborso")
    assert "reply_markup" not in edit.params
    # Typed instead of tapped: the year buttons above are taken away.
    turn = await mario.says("2026")
    assert turn.of("editMessageReplyMarkup")
    year_question = next(m for m in telegram.api.chat_messages(mario.id)
                         if "In che anno" in m.get("text", ""))
    assert "reply_markup" not in year_question


async def test_stale_button(telegram: Telegram, mario: FakeUser) -> None:
    await mario.says("/start")
    await mario.taps("Rimborso")
    year_question = dict(telegram.api.chat_messages(mario.id)[-1])
    old_2026 = year_question["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await mario.taps("2026")
    turn = await mario.turn(mario.tap_data(year_question, old_2026))
    (answer,) = turn.answers
    assert answer.params["text"] == "Questo pulsante non è più valido"
    assert "domanda precedente" in turn.text
    assert "Per chi era la prestazione?" in turn.text  # asked again, nothing changed


async def test_album_of_pages_becomes_one_pdf(telegram: Telegram, mario: FakeUser) -> None:
    await to_expense_file(mario)
    pages = [files.jpeg("Pagina 1"), files.jpeg("Pagina 2")]
    last = 0
    for page in pages:
        last = mario.photo(page, media_group_id="album-1")
    await mario.turn(last)
    question = await telegram.api.wait_for(lambda: next(
        (m for m in telegram.api.chat_messages(mario.id) if "unico documento" in m.get("text", "")),
        None))
    assert "2 file" in question["text"]
    turn = await mario.taps("Sì, un solo documento")
    assert "Ho unito le 2 pagine" in turn.text
    assert "Che data" in turn.text, turn.text
    await mario.says("10/11/2026")
    await mario.says("80")
    await mario.says("FT 1")
    await mario.taps("Continua")
    await mario.sends_document(files.pdf(), "ricetta.pdf", "application/pdf")
    await mario.taps("Continua")
    await mario.taps("Nessuna nota")
    await mario.taps("Invia la richiesta")
    request = (await telegram.runtime.store.list_requests(await _mario_id(telegram)))[0]
    expense = next(d for d in request.documents if d.kind == "spesa")
    assert expense.mime_type == "application/pdf"
    joined = PdfReader(io.BytesIO(telegram.runtime.store.documents.read(expense.sha256)))
    assert len(joined.pages) == 2


async def test_album_of_separate_documents(telegram: Telegram, mario: FakeUser) -> None:
    await to_expense_file(mario)
    await add_receipt(mario, files.jpeg("Fattura"))
    await mario.taps("Continua")  # now the prescription and other medical documents
    mario.photo(files.jpeg("Ricetta"), media_group_id="album-2")
    last = mario.document(files.pdf(title="Referto"), "referto.pdf", "application/pdf",
                          media_group_id="album-2")
    await mario.turn(last)
    await telegram.api.wait_for(lambda: "No, documenti diversi" in mario.last_buttons or None)
    turn = await mario.taps("No, documenti diversi")
    assert "Ricevuto: foto 1 di 2" in turn.texts
    assert "Ricevuto: documento 2 di 2" in turn.texts
    assert "Ricevuto: prescrizione medica" in turn.text, turn.text


async def test_file_refused_from_the_update_before_downloading(mario: FakeUser) -> None:
    await to_expense_file(mario)
    turn = await mario.sends_document(b"big", "fattura.pdf", "application/pdf",
                                      size=25 * 1024 * 1024)
    assert "il massimo è 10 MB" in turn.text
    assert not turn.of("getFile")
    turn = await mario.sends_document(b"PK\x03\x04", "fattura.docx",
                                      "application/vnd.openxmlformats-officedocument"
                                      ".wordprocessingml.document")
    assert "foto (JPEG o PNG) o un PDF" in turn.text
    assert not turn.of("getFile")
    # Downloaded, then refused by its content.
    turn = await mario.sends_document(b"%PDF-1.4 broken", "fattura.pdf", "application/pdf")
    assert turn.of("getFile") and "danneggiato" in turn.text


async def _mario_id(telegram: Telegram) -> int:
    from tests.auxil.runtime import MARIO

    mario = await telegram.runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    return mario.id
