"""Everything the first message said is used: person, service, date, time, amount, facility,
booked or not; said back once in a compact recap, never asked again."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat, Turn

ASKS_DATE = "Che data c'è sul documento?"
ASKS_AMOUNT = "Qual è l'importo totale pagato"
ASKS_BOOKED = "Hai già prenotato"


def asked(chat: EngineChat, question: str) -> bool:
    return any(question in turn.text for turn in chat.history)


async def through(chat: EngineChat, turn: Turn, until: str, answers: dict[str, str]) -> Turn:
    """Answers the questions met (by step name) until `until`: the text given for the step,
    a prescription for the medical documents, the facility as typed when the network has
    similar names, else the first button."""
    for _ in range(15):
        if turn.step == until:
            return turn
        answer = answers.get(turn.step or "")
        if answer is not None:
            turn = await chat.say(answer)
        elif turn.step == "medical" and "altri documenti" in turn.text:
            turn = await chat.tap("Continua")
        elif turn.step == "medical":
            home = chat.runtime.settings.home if chat.runtime else Path(".")
            turn = await chat.upload(files.write(home, "ricetta.png", files.png("Ricetta")))
        elif turn.step == "booked_facility":
            turn = await chat.choose(turn.choices[-1]["id"])  # "the one I wrote"
        else:
            assert turn.choices, (turn.step, turn.text)
            turn = await chat.choose(turn.choices[0]["id"])
    raise AssertionError(f"never reached {until}: {turn.step} {turn.text}")


@pytest.mark.parametrize(("opening", "who", "day", "amount"), [
    ("rimborso visita dermatologica del 12 novembre 130 euro per Marco", "Marco Rossi",
     date(2026, 11, 12), Decimal("130.00")),
    ("vorrei il rimborso dell'ecografia addome di Luca fatta il 3 novembre, ho speso 85,50 euro",
     "Luca Rossi", date(2026, 11, 3), Decimal("85.50")),
    ("chiedo il rimborso per la visita oculistica di mia moglie del 10 novembre, pagato € 120",
     "Anna Rossi", date(2026, 11, 10), Decimal("120.00")),
])
async def test_a_reimbursement_opening_is_used_whole(chat: EngineChat, runtime: Runtime,
                                                     tmp_path: Path, opening: str, who: str,
                                                     day: date, amount: Decimal) -> None:
    turn = await chat.say(opening)
    assert turn.flow == "rimborso" and turn.step == "service", turn.text
    recap = next(p for p in turn.text.split("\n\n") if p.startswith("Dal tuo messaggio"))
    assert who in recap and f"{day.day} novembre 2026" in recap
    assert f"€ {amount:.2f}".replace(".", ",") in recap
    turn = await through(chat, await chat.say("1"), "exp_file", {
        "new_iban": "IT60 X054 2811 1010 0000 0123 456"})
    turn = await chat.upload(files.write(tmp_path, "r.jpg", files.jpeg("Ricevuta")))
    # Date and amount were said: the receipt's number is the next question.
    assert turn.step == "exp_number", turn.text
    turn = await chat.say("FT 9")
    assert turn.step == "exp_more"
    turn = await through(chat, await chat.tap("Continua"), "summary",
                         {"notes": "nessuna"})
    turn = await chat.tap("Invia la richiesta")
    request = await runtime.store.get_request(turn.request_number or "")
    assert request is not None
    assert not asked(chat, ASKS_DATE) and not asked(chat, ASKS_AMOUNT)
    assert not asked(chat, "In che anno") and not asked(chat, "Per chi era")
    assert request.documents[0].expense_date == day
    assert request.documents[0].amount == amount
    beneficiary = runtime.store and await runtime.store.person(request.beneficiary_id)
    assert beneficiary is not None and beneficiary.full_name == who


@pytest.mark.parametrize(("opening", "who", "facility", "day", "at"), [
    ("ho prenotato una visita cardiologica al Centro Medico Sant'Agostino di Milano per il "
     "3 dicembre alle 10 per Luca", "Luca Rossi", "Centro Medico Sant'Agostino",
     date(2026, 12, 3), time(10, 0)),
    ("ho l'appuntamento per la visita oculistica di Anna alla Clinica San Carlo di Roma "
     "giovedì 10 dicembre alle cinque del pomeriggio", "Anna Rossi", "Clinica San Carlo",
     date(2026, 12, 10), time(17, 0)),
    ("per mio figlio Marco ho prenotato una visita ortopedica al Poliambulatorio Centro Salute "
     "di Torino il 9 dicembre ore 9:30", "Marco Rossi", "Poliambulatorio Centro Salute",
     date(2026, 12, 9), time(9, 30)),
])
async def test_a_booked_direct_opening_is_used_whole(chat: EngineChat, runtime: Runtime,
                                                     opening: str, who: str, facility: str,
                                                     day: date, at: time) -> None:
    turn = await chat.say(opening)
    assert turn.flow == "diretta", turn.text
    recap = next(p for p in turn.text.split("\n\n") if p.startswith("Dal tuo messaggio"))
    assert who in recap and "già prenotata" in recap and facility in recap
    assert f"{day.day} dicembre 2026, ore {at:%H:%M}" in recap
    turn = await through(chat, turn, "notes", {"service": "1"})
    assert not asked(chat, ASKS_BOOKED) and not asked(chat, "Che giorno è l'appuntamento")
    assert not asked(chat, "Di che tipo di prestazione")
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary" and facility in turn.text
    turn = await chat.tap("Invia la richiesta")
    request = await runtime.store.get_request(turn.request_number or "")
    assert request is not None and request.appointment is not None
    local = request.appointment.astimezone(ZoneInfo("Europe/Rome"))
    assert (local.date(), local.time()) == (day, at)
    assert request.facility_id is not None or request.facility_text == facility


@pytest.mark.parametrize("opening", [
    "devo prenotare una visita dermatologica per Anna a Torino",
    "vorrei prenotare una visita dermatologica per Anna, zona Torino",
    "non ho ancora prenotato, serve una visita dermatologica per Anna a Torino",
])
async def test_not_booked_yet_goes_to_the_facilities_of_the_town(chat: EngineChat,
                                                                 opening: str) -> None:
    turn = await chat.say(opening)
    assert turn.flow == "diretta", turn.text
    assert "ancora da prenotare" in turn.text and "Torino" in turn.text
    turn = await through(chat, turn, "facility", {"service": "1"})
    assert not asked(chat, ASKS_BOOKED) and not asked(chat, "Cerca la struttura")
    assert "Torino" in turn.text


async def test_a_said_value_that_does_not_hold_is_asked_with_the_reason(
    chat: EngineChat,
) -> None:
    # Two days ahead: the guarantee needs more notice, so the date is asked, saying why.
    turn = await chat.say("ho prenotato una visita cardiologica al Centro Medico Sant'Agostino "
                          "di Milano per il 26 novembre alle 10 per Luca")
    turn = await through(chat, turn, "appointment", {"service": "1"})
    assert "almeno 3 giorni" in turn.text


@pytest.mark.parametrize("opening", [
    "vorrei fare il check-up di Anna a Torino",
    "devo prenotare il checkup annuale per mia moglie vicino a Torino",
])
async def test_a_checkup_opening_searches_the_town_said(chat: EngineChat, opening: str) -> None:
    turn = await chat.say(opening)
    assert turn.flow == "diretta" and "Anna Rossi" in turn.text, turn.text
    turn = await through(chat, turn, "facility", {})
    assert not asked(chat, "Di che tipo di prestazione") and not asked(chat, "Cerca la struttura")
    assert "Torino" in turn.text
    turn = await chat.say("1")
    assert turn.step == "checkup_dates"


@pytest.mark.parametrize(("typed", "said"), [
    ("rimborso visita dermatologica del 12 novembre per Marco 80 euro",
     "per Marco Rossi, visita dermatologica, giovedì 12 novembre 2026, € 80,00"),
    ("ecografia addome di Anna, 120 euro", "per Anna Rossi, ecografia addome, € 120,00"),
])
async def test_the_whole_request_told_at_the_first_question_is_taken_as_an_opening(
    chat: EngineChat, typed: str, said: str
) -> None:
    await chat.say("rimborso")
    turn = await chat.say(typed)
    assert "Non ho capito" not in turn.text, turn.text
    assert f"Dal tuo messaggio ho preso nota di: {said}." in turn.text
