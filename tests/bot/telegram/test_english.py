"""Telegram in English (issue 20): both flows and the archive through the real PTB stack, and
what the channel says on its own (pages of buttons, a stale button, an album's question) in the
chat's language."""

from __future__ import annotations

from tests.auxil import files
from tests.auxil.fake_telegram import FakeUser
from tests.bot.telegram.conftest import Telegram

IBAN = "IT60X0542811101000000123456"


async def test_reimbursement_in_english(telegram: Telegram, mario: FakeUser) -> None:
    turn = await mario.says("Hello, can you speak English?")
    assert "I'll write in English from now on" in turn.text
    assert turn.buttons == ["Refund", "Direct service", "My requests"]
    turn = await mario.taps("Refund")
    assert "In what year did you have the service?" in turn.text
    await mario.taps("2026")
    await mario.says("luca")
    turn = await mario.says("abdominal ultrasound")
    assert turn.buttons[0] == "Ecografia dell'addome completo – abdominal ultrasound"
    await mario.says("1")
    turn = await mario.taps("Luca Rossi, into their account")
    assert "has no IBAN on file" in turn.text
    await mario.says(IBAN)
    turn = await mario.taps("Yes, continue")
    assert "proof of payment" in turn.text
    turn = await mario.sends_photo(files.jpeg("Invoice 7"))
    assert "What date is on the document?" in turn.text
    turn = await mario.says("November 10")
    assert "I understood: Tuesday 10 November 2026. Is that right?" in turn.text
    await mario.taps("Yes")
    await mario.says("120.50")
    turn = await mario.says("FT 12/2026")
    assert "Tuesday 10 November 2026, € 120.50" in turn.text
    await mario.taps("Continue")
    turn = await mario.sends_document(files.pdf(title="Prescription"), "prescription.pdf",
                                      "application/pdf")
    assert "Received: doctor's prescription." in turn.text, turn.text
    await mario.taps("Continue")
    turn = await mario.taps("No note")
    assert "Here's a summary of the request:" in turn.text
    turn = await mario.taps("Send the request")
    assert "Request sent!" in turn.text


async def test_direct_service_search_pages_and_a_stale_button(telegram: Telegram,
                                                             mario: FakeUser) -> None:
    await mario.says("in English please")
    turn = await mario.says("I'd like to book a cardiology visit for my wife")
    assert "for Anna Rossi, cardiology visit" in turn.text
    await mario.says("1")
    turn = await mario.taps("Yes, continue")
    assert "Have you already booked" in turn.text
    old = dict(telegram.api.chat_messages(mario.id)[-1])
    turn = await mario.taps("No, not yet")
    assert "Let's look for an affiliated facility" in turn.text
    turn = await mario.says("Milano")
    assert "Here are the affiliated facilities near Milano" in turn.text
    assert mario.last_buttons[-1] == "More ▸"
    await mario.taps("More ▸")
    assert mario.last_buttons[-1] == "◂ Back"
    data = old["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    turn = await mario.turn(mario.tap_data(old, data))
    assert turn.answers[0].params["text"] == "This button is no longer valid"
    assert "That button belongs to an earlier question." in turn.text


async def test_archive_and_documents_in_english(telegram: Telegram, mario: FakeUser) -> None:
    await mario.says("english")
    turn = await mario.says("what's the status of request 26000112?")
    assert "Status: sent (since 20 November 2026)." in turn.text
    turn = await mario.taps("1. Proof of payment")
    (sent,) = turn.of("sendDocument")
    assert sent.params["caption"].startswith("Here's a copy: proof of payment")
    turn = await mario.says("has Luca's refund been paid?")
    assert "No: request 25000103 for Luca" in turn.text


async def test_an_album_is_asked_about_in_english(telegram: Telegram, mario: FakeUser) -> None:
    await mario.says("in English please")
    await mario.taps("Refund")
    await mario.taps("2026")
    await mario.says("luca")
    await mario.says("abdominal ultrasound")
    await mario.says("1")
    await mario.taps("Luca Rossi, into their account")
    await mario.says(IBAN)
    await mario.taps("Yes, continue")
    last = 0
    for page in (files.jpeg("Page 1"), files.jpeg("Page 2")):
        last = mario.photo(page, media_group_id="album-en")
    await mario.turn(last)
    question = await telegram.api.wait_for(lambda: next(
        (m for m in telegram.api.chat_messages(mario.id)
         if "Are they pages of a single document?" in m.get("text", "")), None))
    assert "I received 2 files together." in question["text"]
    turn = await mario.taps("Yes, one document")
    assert "I've joined the 2 pages into a single PDF." in turn.text
