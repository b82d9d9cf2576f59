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
