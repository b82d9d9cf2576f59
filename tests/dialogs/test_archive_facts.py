"""Issue 13: existing requests in words, one fact in one sentence; follow-ups of a complaint or
a hand-off; the support contact; a customer writing in English (tests/dialogs/test_english.py)."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from tests.auxil.chat import EngineChat


def _one_sentence_answer(text: str) -> None:
    assert "Ecco le" not in text and "•" not in text  # not a list


@pytest.mark.parametrize(
    "question",
    ["il 3 dicembre ho il check-up, mi ricordi dove e a che ora?", "a che ora è il mio check up?",
     "dove devo andare per la visita di dicembre?", "in che struttura ho prenotato?",
     "quando è l'appuntamento?"],
)
async def test_where_and_when(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    _one_sentence_answer(turn.text)
    assert "giovedì 3 dicembre alle 8:30" in turn.text and "Salus Prati" in turn.text
    assert "Via Cola di Rienzo 112, Roma" in turn.text and "è giovedì" in turn.text
    assert turn.flow is None


@pytest.mark.parametrize(
    ("question", "code", "expired"),
    [("il codice di autorizzazione di Marco", "AUT-25-0158-RM", True),
     ("mi dai il codice dell'autorizzazione per il check-up?", "AUT-26-0087-CK", False),
     ("qual è il codice da dare alla struttura?", "AUT-26-0087-CK", False)],
)
async def test_authorisation_code(chat: EngineChat, question: str, code: str,
                                  expired: bool) -> None:
    turn = await chat.say(question)
    _one_sentence_answer(turn.text)
    assert code in turn.text and ("scaduto" in turn.text) == expired
    assert "SP-CHK" not in turn.text and turn.flow is None


@pytest.mark.parametrize("question", ["perché è sospesa?", "come mai la mia pratica è ferma?",
                                      "per quale motivo è bloccata la richiesta 26000021?"])
async def test_why_suspended(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    _one_sentence_answer(turn.text)
    assert "26000021" in turn.text and "manca la prescrizione medica" in turn.text


async def test_why_rejected(chat: EngineChat) -> None:
    turn = await chat.say("perché la pratica di Luca è stata respinta?")
    assert "25000103" in turn.text and "è stata respinta. Il motivo: il massimale" in turn.text


@pytest.mark.parametrize("question", ["cosa manca?", "quali documenti mancano?",
                                      "cosa devo ancora mandare per la pratica sospesa?"])
async def test_what_is_missing(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    _one_sentence_answer(turn.text)
    assert "Per la richiesta 26000021" in turn.text and "manca la prescrizione medica" in turn.text


async def test_nothing_missing_for_a_request_not_suspended(chat: EngineChat) -> None:
    turn = await chat.say("cosa manca alla pratica 26000058?")
    assert "non manca niente" in turn.text and "in lavorazione" in turn.text


@pytest.mark.parametrize("question", ["quanto hanno dato ad Anna?",
                                      "quanto mi avete rimborsato per la risonanza di Anna?"])
async def test_how_much(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    _one_sentence_answer(turn.text)
    assert "€ 224,00" in turn.text and "su una spesa di € 280,00" in turn.text


async def test_a_complaint_is_followed_up_not_duplicated(chat: EngineChat,
                                                         runtime: Runtime) -> None:
    turn = await chat.say("a che punto è il mio reclamo?")
    assert "Non trovo reclami" in turn.text
    await chat.say("voglio fare un reclamo: la pratica di Luca è stata respinta ingiustamente")
    for question in ("a che punto è il mio reclamo?", "mi avete risposto al reclamo?",
                     "novità sul reclamo?"):
        turn = await chat.say(question)
        assert "Il tuo reclamo del" in turn.text and "ufficio reclami" in turn.text
    assert len(await runtime.store.handoffs(reason="complaint")) == 1


async def test_a_handoff_is_followed_up(chat: EngineChat, runtime: Runtime) -> None:
    await chat.say("voglio parlare con un operatore")
    turn = await chat.say("l'operatore non mi ha ancora risposto")
    assert "Ti ho passato a una persona" in turn.text
    assert len(await runtime.store.handoffs(reason="human")) == 1


@pytest.mark.parametrize("question", ["qual è il numero verde?", "come vi contatto?",
                                      "mi date un numero di telefono?"])
async def test_the_support_contact_is_an_answer_not_a_ticket(chat: EngineChat, runtime: Runtime,
                                                              question: str) -> None:
    turn = await chat.say(question)
    assert "Per contattarci:" in turn.text and turn.flow is None
    assert await runtime.store.handoffs() == []


async def test_the_support_contact_in_the_middle_of_a_request(chat: EngineChat,
                                                              runtime: Runtime) -> None:
    await chat.say("rimborso")
    turn = await chat.say("qual è il numero verde?")
    assert "Per contattarci:" in turn.text and turn.flow == "rimborso"
    assert await runtime.store.handoffs() == []


async def test_english_is_answered_in_english(chat: EngineChat) -> None:
    turn = await chat.say("hello, do you speak english?")
    assert "I'll write in English from now on" in turn.text and "What do you need?" in turn.text


async def test_asking_again_for_a_person_is_not_a_second_ticket(chat: EngineChat,
                                                                 runtime: Runtime) -> None:
    await chat.say("voglio parlare con un operatore")
    turn = await chat.say("operatore")
    assert "Ti ho passato a una persona" in turn.text
    turn = await chat.say("mi passi una persona vera per favore")
    assert "Ti ho passato a una persona" in turn.text
    assert len(await runtime.store.handoffs(reason="human")) == 1


async def test_a_bare_complaint_repeated_is_followed_up(chat: EngineChat,
                                                        runtime: Runtime) -> None:
    await chat.say("voglio fare un reclamo: la pratica di Luca è stata respinta ingiustamente")
    turn = await chat.say("reclamo")
    assert "Il tuo reclamo del" in turn.text
    # A different complaint, with its details, is a complaint of its own.
    await chat.say("reclamo: la struttura mi ha fatto pagare una prestazione autorizzata")
    assert len(await runtime.store.handoffs(reason="complaint")) == 2


@pytest.mark.parametrize(
    ("question", "said"),
    [("cosa manca alla richiesta 26000021?", "manca la prescrizione medica"),
     ("il codice di autorizzazione di Marco", "AUT-25-0158-RM"),
     ("a che punto è il mio reclamo?", "Non trovo reclami")],
)
async def test_a_fact_in_the_middle_of_a_request(chat: EngineChat, question: str,
                                                 said: str) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    turn = await chat.say(question)
    assert said in turn.text and "Torniamo alla richiesta" in turn.text
    assert turn.flow == "rimborso" and turn.step == "beneficiary"


@pytest.mark.parametrize("question", [
    "quanto mi hanno dato per la visita di Marco?", "perché è sospesa la pratica di Marco?",
    "il codice di autorizzazione di Luca",
])
async def test_nothing_found_for_a_person_reads_well(chat: EngineChat, question: str) -> None:
    turn = await chat.say(question)
    assert "Non trovo" in turn.text, turn.text
    assert " ." not in turn.text and "  " not in turn.text
