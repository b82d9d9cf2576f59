"""Issue 17: the estimate and the cover questions through the real engine and store, in and
out of a request (Mario Rossi, demo household, today 24 November 2026)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.auxil import files
from tests.auxil.chat import EngineChat
from tests.dialogs.test_reimbursement import add_receipt, to_service

PROMISE = "È una stima"


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    return files.write(tmp_path, "fattura.jpg", files.jpeg("Fattura 123"))


@pytest.mark.parametrize("question", [
    "quanto mi date per una risonanza del ginocchio da 300 euro per Anna?",
    "qnt mi ridate x una risonanza al ginocchio di 300 euro per anna",
    "quanto rimborsate per la risonanza del ginocchio di mia moglie da 300 €?",
])
async def test_hypothetical_estimate_out_of_a_request(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    assert "(Anna)" in turn.text, turn.text
    assert "Stima: € 270,00 = € 300,00 − scoperto 10 % (minimo € 25,00 → € 30,00)" in turn.text
    assert "Stima: € 240,00 = € 300,00 − scoperto 20 % (minimo € 50,00 → € 60,00)" in turn.text
    assert PROMISE in turn.text and turn.flow is None


@pytest.mark.parametrize("question", ["è coperta la fisioterapia?", "mi coprite la fisioterapia?",
                                      "la fisioterapia è rimborsabile?"])
async def test_is_it_covered(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    assert "è coperta per Mario" in turn.text, turn.text
    assert "Fisioterapia e riabilitazione" in turn.text and "10 sedute l'anno" in turn.text
    assert turn.flow is None


async def test_not_covered_for_that_person(chat: EngineChat) -> None:
    turn = await chat.say("la risonanza del ginocchio è coperta per Luca?")
    assert "è coperta per Luca" in turn.text
    assert "Protezione Famiglia" not in turn.text  # Luca is insured by Salute Più only


async def test_documents_massimale_times(chat: EngineChat) -> None:
    turn = await chat.say("che documenti servono per la risonanza del ginocchio?")
    assert "prescrizione medica" in turn.text and "documento di spesa" in turn.text
    turn = await chat.say("quanto mi resta del massimale?")
    # The pending ECG (26000021, € 60 with scoperto 10 % minimo € 25) is counted.
    assert "«Accertamenti diagnostici»: restano € 2.465,00 su € 2.500,00" in turn.text
    assert "fino al 28 febbraio 2027" in turn.text  # Protezione Famiglia's policy year
    turn = await chat.say("quanto ci mettete di solito?")
    assert "20 giorni lavorativi" in turn.text and turn.flow is None


async def test_direct_or_reimbursement(chat: EngineChat) -> None:
    turn = await chat.say(
        "conviene la diretta o il rimborso per una risonanza del ginocchio da 250 euro?")
    assert "In struttura convenzionata (Salute Più n. 400123456): paghi € 15,00" in turn.text
    assert "ti conviene la struttura convenzionata" in turn.text and PROMISE in turn.text


async def test_why_less_is_answered_from_the_breakdown(chat: EngineChat) -> None:
    turn = await chat.say("perché mi avete dato meno per la risonanza di Anna?")
    assert "25000047" in turn.text and "ci avevi chiesto € 280,00" in turn.text
    assert "ti abbiamo pagato € 224,00" in turn.text and "€ 56,00 di scoperto" in turn.text


async def test_choice_and_summary_show_the_estimate(chat: EngineChat, receipt: Path) -> None:
    await to_service(chat, "io", "visita cardiologica")
    turn = chat.last
    assert turn.step == "policy"
    # The choice says each policy's terms before any receipt.
    assert "nessuno scoperto né franchigia, massimale € 600,00 l'anno a persona" in turn.text
    assert "franchigia € 25,00 a richiesta" in turn.text
    # "e se fossero 120 euro?", as the answer suggests: both estimates, the choice asked again.
    turn = await chat.say("e se fossero 120 euro?")
    assert "Stima: € 120,00, tutto l'importo" in turn.text
    assert "Stima: € 95,00 = € 120,00 − franchigia € 25,00" in turn.text
    assert turn.step == "policy"
    await chat.tap("Protezione Famiglia")
    await chat.tap("Sì, continua")
    await add_receipt(chat, receipt)
    # A question in the middle: answered with this request's receipts, then asked again.
    turn = await chat.say("quanto mi rimborsate?")
    assert "Per questa richiesta (€ 120,50 finora)" in turn.text
    assert "Stima: € 95,50 = € 120,50 − franchigia € 25,00" in turn.text
    assert turn.step == "exp_more" and "Salute Più" not in turn.text
    await chat.tap("Continua")
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary"
    assert "• Rimborso stimato: Stima: € 95,50 = € 120,50 − franchigia € 25,00" in turn.text
    assert "massimale residuo € 1.000,00" in turn.text and "È una stima" in turn.text


async def test_hypothetical_in_a_request_keeps_the_answer_pending(chat: EngineChat,
                                                                   receipt: Path) -> None:
    await to_service(chat, "Luca", "visita dermatologica")
    turn = await chat.say("che documenti servono?")
    assert "il documento di spesa" in turn.text and "prescrizione" not in turn.text
    assert turn.step == "payee"
    turn = await chat.say("e quanto mi date per una visita da 200 euro?")
    assert "€ 200,00 (Luca)" in turn.text and turn.step == "payee"
    turn = await chat.say("è coperta?")
    assert "è coperta per Luca" in turn.text and turn.step == "payee"


async def test_question_before_the_service_is_known(chat: EngineChat) -> None:
    await chat.say("ciao")
    await chat.tap("Rimborso")
    turn = await chat.say("quanto mi rimborsate?")
    assert "appena avremo scelto la prestazione" in turn.text and turn.step == "year"


async def test_direct_summary_says_what_the_network_costs(chat: EngineChat) -> None:
    turn = await chat.say("è coperta la risonanza del ginocchio per Anna in diretta?")
    assert "in rete convenzionata paghi € 15,00" in turn.text
