"""A whole reimbursement on WhatsApp: buttons and lists, a photo of the receipt fetched by
media id, the PDF prescription, the request stored with both."""

from __future__ import annotations

from tests.auxil import files
from tests.auxil.fake_graph import WaUser
from tests.bot.whatsapp.conftest import WhatsApp

IBAN = "IT60X0542811101000000123456"


async def test_full_reimbursement_with_an_image_receipt(whatsapp: WhatsApp, mario: WaUser) -> None:
    receipt, prescription = files.jpeg("Fattura 7"), files.pdf(title="Ricetta")
    await mario.says("ciao")
    turn = await mario.taps("Rimborso")
    assert turn.buttons[:2] == ["2026", "2025"]
    await mario.taps("2026")
    await mario.says("luca")
    turn = await mario.says("ecografia addome completo")
    assert turn.buttons, turn.text
    await mario.says("1")
    turn = await mario.taps("Luca Rossi")
    assert "IBAN" in turn.text, turn.text
    await mario.says(IBAN)
    turn = await mario.taps("Sì, continua")
    assert "documento di spesa" in turn.text, turn.text

    turn = await mario.sends_image(receipt)
    assert "Che data" in turn.text, turn.text
    await mario.says("10/11/2026")
    await mario.says("120,50")
    turn = await mario.says("FT 12/2026")
    turn = await mario.taps("Continua")
    assert "prescrizione" in turn.text, turn.text
    turn = await mario.sends_document(prescription, "ricetta.pdf")
    assert "Ricevuto: prescrizione medica" in turn.text, turn.text
    await mario.taps("Continua")
    turn = await mario.taps("Nessuna nota")
    assert "riepilogo" in turn.text and "€ 120,50" in turn.text
    turn = await mario.taps("Invia la richiesta")
    assert "Richiesta inviata" in turn.text, turn.text

    store = whatsapp.runtime.store
    request = (await store.list_requests(await whatsapp.mario_id()))[0]
    assert request.status == "inviata"
    stored = {d.kind: store.documents.read(d.sha256) for d in request.documents}
    assert stored == {"spesa": receipt, "prescrizione": prescription}


async def test_files_are_checked_as_on_telegram(whatsapp: WhatsApp, mario: WaUser) -> None:
    turn = await mario.sends_document(b"PK\x03\x04", "fattura.docx",
                                      "application/vnd.openxmlformats-officedocument"
                                      ".wordprocessingml.document")
    assert "foto (JPEG o PNG) o un PDF" in turn.text
    assert not [c for c in whatsapp.api.calls if c.path.startswith("/download")]
