"""WhatsApp in English (issue 20): both flows and the archive through the webhook and the fake
Graph API, and what the channel says on its own (lists, a refused file) in the chat's
language."""

from __future__ import annotations

from tests.auxil import files
from tests.auxil.fake_graph import WaUser
from tests.bot.whatsapp.conftest import WhatsApp

IBAN = "IT60X0542811101000000123456"


async def test_reimbursement_in_english(whatsapp: WhatsApp, mario: WaUser) -> None:
    turn = await mario.says("Hi, I need to claim a refund please")
    assert "In what year did you have the service?" in turn.text
    await mario.taps("2026")
    await mario.says("luca")
    turn = await mario.says("abdominal ultrasound")
    assert "Which of these is the service?" in turn.text
    await mario.says("1")
    turn = await mario.taps("Luca Rossi, into their account")
    assert "has no IBAN on file" in turn.text, turn.text
    await mario.says(IBAN)
    turn = await mario.taps("Yes, continue")
    assert "proof of payment" in turn.text
    turn = await mario.sends_image(files.jpeg("Invoice 7"))
    assert "What date is on the document?" in turn.text
    await mario.says("10/11/2026")
    await mario.says("120.50")
    await mario.says("FT 12/2026")
    turn = await mario.taps("Continue")
    assert "doctor's prescription" in turn.text
    turn = await mario.sends_document(files.pdf(title="Prescription"), "prescription.pdf")
    assert "Received: doctor's prescription." in turn.text, turn.text
    await mario.taps("Continue")
    turn = await mario.taps("No note")
    assert "Here's a summary of the request:" in turn.text and "€ 120.50" in turn.text
    turn = await mario.taps("Send the request")
    assert "Request sent!" in turn.text


async def test_direct_service_list_in_english(whatsapp: WhatsApp, mario: WaUser) -> None:
    await mario.says("in English please")
    turn = await mario.says("I'd like to book a cardiology visit for my wife")
    assert "for Anna Rossi, cardiology visit" in turn.text
    await mario.says("1")
    await mario.taps("Yes, continue")
    await mario.taps("No, not yet")
    turn = await mario.says("Milano")
    assert "Here are the affiliated facilities near Milano" in turn.text
    (listed,) = turn.of("interactive")
    assert listed["interactive"]["action"]["button"] == "Choose"
    turn = await mario.taps("Istituto Clinico Città…")
    assert "Call the facility to make the appointment" in turn.text


async def test_archive_and_a_refused_file_in_english(whatsapp: WhatsApp, mario: WaUser) -> None:
    await mario.says("english please")
    turn = await mario.says("what is the authorisation code for Marco?")
    assert "The authorisation code for Marco's" in turn.text
    turn = await mario.sends_document(b"PK\x03\x04", "invoice.docx",
                                      "application/vnd.openxmlformats-officedocument"
                                      ".wordprocessingml.document")
    assert "I need a photo (JPEG or PNG) or a PDF" in turn.text
