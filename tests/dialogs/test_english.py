"""A customer writing in English: the conversation switches to English, stays in it (remembered
with the conversation and on the channel link), and the flows speak it (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    return files.write(tmp_path, "invoice.jpg", files.jpeg("Invoice 123"))


async def test_asked_for_english_the_menu_is_in_english(chat: EngineChat) -> None:
    turn = await chat.say("in English please")
    assert "I'll write in English from now on" in turn.text
    assert turn.labels == ["Refund", "Direct service", "My requests"]
    assert turn.state.get("flow") is None


async def test_an_english_message_switches_and_short_ones_do_not_switch_back(
        chat: EngineChat) -> None:
    turn = await chat.say("Hi, I need to claim a refund please")
    assert turn.flow == "rimborso" and "In what year" in turn.text
    for neutral in ("2026", "luca", "ok"):
        turn = await chat.say(neutral)
        assert "Chi " not in turn.text and "Quale " not in turn.text, turn.text
    assert "Which service did Luca have?" in chat.history[-2].text


async def test_italian_again_when_asked(chat: EngineChat) -> None:
    await chat.say("english")
    turn = await chat.say("parla italiano")
    assert "ti scrivo in italiano" in turn.text
    assert turn.labels == ["Rimborso", "Prestazione diretta", "Le mie richieste"]


async def test_switching_in_the_middle_of_a_request_asks_the_same_question_again(
        chat: EngineChat) -> None:
    await chat.say("rimborso")
    turn = await chat.say("2026")
    assert turn.step == "beneficiary"
    turn = await chat.say("can you write in english?")
    assert turn.step == "beneficiary" and "Who was the service for?" in turn.text
    assert turn.labels[0] == "Me, Mario Rossi"


async def test_reimbursement_end_to_end(chat: EngineChat, runtime: Runtime,
                                        receipt: Path) -> None:
    await chat.say("in English please")
    turn = await chat.tap("Refund")
    assert turn.step == "year" and "In what year did you have the service?" in turn.text
    await chat.say("2026")
    turn = await chat.say("luca")
    assert "Which service did Luca have?" in turn.text
    turn = await chat.say("visita dermatologica")
    assert turn.step == "service" and "None of these" in turn.labels
    turn = await chat.say("1")
    assert turn.step == "payee"
    turn = await chat.tap("Luca Rossi, into their account")
    assert "The service is covered by policy Salute Più" in turn.text
    turn = await chat.say("IT60 X054 2811 1010 0000 0123 456")
    assert turn.step == "contacts" and "Are these correct?" in turn.text
    turn = await chat.tap("Yes, continue")
    assert "proof of payment" in turn.text
    await chat.upload(receipt)
    await chat.say("10/11/2026")
    turn = await chat.say("120.50")
    assert "€ 120.50" in turn.text
    turn = await chat.say("FT 12/2026")
    assert "Tuesday 10 November 2026" in turn.text
    await chat.tap("Continue")
    turn = await chat.tap("No note")
    assert "Here's a summary of the request:" in turn.text
    assert "• Proof of payment 1: Tuesday 10 November 2026, € 120.50, no. FT 12/2026" in turn.text
    turn = await chat.tap("Send the request")
    assert turn.request_number is not None
    assert f"Request sent! Its number is {turn.request_number}." in turn.text
    request = await runtime.store.get_request(turn.request_number)
    assert request is not None and str(request.documents[0].amount) == "120.50"
    # After the request the conversation is still in English.
    turn = await chat.say("ok")
    assert "Vuoi" not in turn.text and "Cosa" not in turn.text


async def test_the_language_is_kept_on_the_channel_link(chat: EngineChat,
                                                        runtime: Runtime) -> None:
    store = runtime.store
    await store.link_user("telegram", "555", chat.customer_id)
    assert await store.link_language("telegram", "555") == "it"
    await runtime.conversations.handle("telegram", "555", chat.customer_id,
                                       _text("where is my refund? I can't find it"))
    assert await store.link_language("telegram", "555") == "en"
    await runtime.conversations.handle("telegram", "555", chat.customer_id,
                                       _text("in italiano per favore"))
    assert await store.link_language("telegram", "555") == "it"


def _text(text: str):  # noqa: ANN202
    from dialogs.events import Inbound

    return Inbound(text=text)


@pytest.fixture
def prescription(tmp_path: Path) -> Path:
    return files.write(tmp_path, "prescription.pdf", files.pdf(title="Prescription"))


async def test_an_english_opening_is_understood(chat: EngineChat) -> None:
    """The issue's example: the flow, whose it was, the service (an English name of the table,
    shown with the official Italian name and its gloss) and the date, in one sentence."""
    turn = await chat.say("reimbursement for my son's eye exam on March 12")
    assert turn.flow == "rimborso"
    assert "From your message I've noted: for your son, eye exam, Thursday 12 March 2026." \
        in turn.text
    assert "Which of your children: Luca or Marco?" in turn.text
    turn = await chat.say("Luca")
    assert turn.labels == ["Prima visita oculistica – eye examination", "None of these"]
    turn = await chat.say("1")
    assert turn.step == "payee"
    turn = await chat.say("to my account please")
    assert "Got it: the refund will be paid to you, into your account." in turn.text


async def test_commands_in_english(chat: EngineChat) -> None:
    await chat.say("I want to claim a refund")
    turn = await chat.say("2026")
    assert turn.step == "beneficiary"
    turn = await chat.say("go back")
    assert turn.step == "year" and "(Your previous answer: 2026)" in turn.text
    await chat.say("2026")
    await chat.say("Luca")
    turn = await chat.say("eye exam")
    assert turn.step == "service"
    turn = await chat.say("back")
    assert turn.step == "service_query" and turn.labels == ["Keep: eye exam"]
    turn = await chat.say("keep it")
    assert turn.step == "service"
    await chat.say("back")
    await chat.say("back")
    turn = await chat.say("help")
    assert "Choose the person who had the visit or test" in turn.text
    turn = await chat.say("start over")
    assert turn.step == "confirm_restart"
    turn = await chat.say("yes")
    assert "Let's start over." in turn.text and turn.step == "year"
    turn = await chat.say("cancel")
    assert "Do you want to cancel the refund request?" in turn.text
    turn = await chat.say("no")
    assert "Good, let's carry on." in turn.text and turn.step == "year"
    turn = await chat.say("cancel")
    turn = await chat.say("yes please")
    assert "Done: the request has been cancelled and was not sent." in turn.text
    assert turn.flow is None


async def test_direct_service_end_to_end(chat: EngineChat, runtime: Runtime,
                                         prescription: Path) -> None:
    turn = await chat.say("I'd like to book an abdominal ultrasound for my wife")
    assert turn.flow == "diretta"
    assert "for Anna Rossi, abdominal ultrasound" in turn.text
    assert turn.labels == ["Ecografia dell'addome completo – abdominal ultrasound",
                           "None of these"]
    await chat.say("1")
    turn = await chat.tap("Yes, continue")
    assert "This service also needs the doctor's prescription." in turn.text
    turn = await chat.upload(prescription)
    assert "Received: doctor's prescription." in turn.text
    turn = await chat.tap("Continue")
    assert "Have you already booked at an affiliated facility?" in turn.text
    turn = await chat.say("not yet")
    assert "Let's look for an affiliated facility for Ecografia dell'addome completo" in turn.text
    turn = await chat.say("Milano")
    assert "Here are the affiliated facilities near Milano" in turn.text
    turn = await chat.say("1")
    assert "Call the facility to make the appointment" in turn.text
    turn = await chat.say("I've booked it for December 15 at 10:30")
    if turn.step == "appointment_ok":
        turn = await chat.say("yes")
    assert turn.step == "notes", turn.text
    turn = await chat.say("no note")
    assert "Here's a summary of the request:" in turn.text
    assert "• Appointment: Tuesday 15 December 2026 at 10:30" in turn.text
    turn = await chat.tap("Send the request")
    assert turn.request_number is not None
    assert "awaiting authorisation" in turn.text
    request = await runtime.store.get_request(turn.request_number)
    assert request is not None and request.service_code == "88.76.1"


@pytest.mark.parametrize(
    ("question", "answer"),
    [("what's the status of request 26000112?", "Status: sent (since 20 November 2026)."),
     ("has Luca's refund been paid?", "No: request 25000103 for Luca"),
     ("what is the authorisation code for Marco?",
      "The authorisation code for Marco's «Tonsillectomia con adenoidectomia» was"),
     ("where and when is my check-up?", "is Thursday 3 December at 8:30 at Centro Medico"),
     ("why is request 26000021 on hold?",
      "is on hold because we still need the doctor's prescription: you have until 31 December"),
     ("how much did you pay me for 25000012?", "we paid you € 150.00 on 18 February 2025"),
     ("which requests are on hold?", "Here are the requests on hold (1):"),
     ("what is your phone number?", "To contact us: call Customer Service on the number")],
)
async def test_archive_questions_in_english(chat: EngineChat, question: str,
                                            answer: str) -> None:
    turn = await chat.say(question)
    assert answer in turn.text
