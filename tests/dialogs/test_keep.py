"""«Lascia: …» keeps the previous answer only when the customer says so: a typed correction that
resembles the old answer (a date list, a time, a shorter note, an amount) is taken as written."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat
from tests.dialogs.test_direct import start as start_direct
from tests.dialogs.test_reimbursement import add_receipt, to_service

KEEP_WORDINGS = ["lascia", "va bene così", "lascia così", "uguale", "le stesse", "come prima",
                 "no lascia com'è", "Lascia: quelle di prima"]


async def checkup_summary(chat: EngineChat, dates: str) -> None:
    await start_direct(chat, "anna")
    await chat.tap("Check-up")
    await chat.tap("Sì, continua")
    await chat.say("Torino")
    await chat.say("1")
    turn = await chat.say(dates)
    assert turn.step == "notes", turn.text
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary"


async def submitted(chat: EngineChat, runtime: Runtime):  # type: ignore[no-untyped-def]
    turn = chat.last
    if turn.step != "summary":
        turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary", turn.text
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None, turn.text
    request = await runtime.store.get_request(turn.request_number)
    assert request is not None
    return request


@pytest.mark.parametrize(("typed", "days"), [
    ("7, 9 e 11 dicembre", [7, 9, 11]),
    ("7 9 e 11 dicembre", [7, 9, 11]),
    ("lunedì 7, mercoledì 9 e venerdì 11 dicembre", [7, 9, 11]),
    ("7 e 9 dicembre", [7, 9]),
    ("9, 11 o 18 dicembre", [9, 11, 18]),
    ("il 18 dicembre", [18]),
])
async def test_corrected_checkup_dates_are_taken_as_typed(chat: EngineChat, runtime: Runtime,
                                                          typed: str, days: list[int]) -> None:
    await checkup_summary(chat, "7, 9 e 18 dicembre")
    await chat.tap("Modifica")
    turn = await chat.tap("Date preferite")
    assert turn.step == "checkup_dates" and turn.labels[0].startswith("Lascia:")
    turn = await chat.say(typed)
    assert turn.step == "summary", turn.text
    request = await submitted(chat, runtime)
    assert request.preferred_dates == tuple(date(2026, 12, d) for d in days)


@pytest.mark.parametrize("typed", KEEP_WORDINGS)
async def test_saying_keep_keeps_the_dates(chat: EngineChat, runtime: Runtime,
                                           typed: str) -> None:
    await checkup_summary(chat, "7, 9 e 18 dicembre")
    await chat.tap("Modifica")
    await chat.tap("Date preferite")
    turn = await chat.say(typed)
    assert turn.step == "summary", turn.text
    request = await submitted(chat, runtime)
    assert request.preferred_dates == (date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 18))


async def booked_appointment_summary(chat: EngineChat, prescription: Path, when: str) -> None:
    from tests.dialogs.test_direct import outpatient_to_booking
    await outpatient_to_booking(chat, prescription, "visita cardiologica")
    await chat.tap("Sì, ho già prenotato")
    await chat.say("Roma")
    turn = await chat.say("Centro che non esiste")
    if turn.step == "booked_facility":
        await chat.tap("Nessuna")
    await chat.tap("Nessun medico")
    turn = await chat.say(when)
    if turn.step == "appointment_ok":
        turn = await chat.say("sì")
    assert turn.step == "notes", turn.text
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary"


@pytest.fixture
def prescription(tmp_path: Path) -> Path:
    return files.write(tmp_path, "prescrizione.jpg", files.jpeg("Prescrizione: visita"))


@pytest.mark.parametrize(("typed", "day", "at"), [
    ("giovedì 10 dicembre ore 17", 10, time(17, 0)),
    ("10 dicembre alle 17:30", 10, time(17, 30)),
    ("giovedì 10 dicembre alle cinque del pomeriggio", 10, time(17, 0)),
    ("10/12/2026 ore 9", 10, time(9, 0)),
    ("venerdì 11 dicembre ore 16", 11, time(16, 0)),
])
async def test_a_corrected_appointment_time_is_kept_exactly(
    chat: EngineChat, runtime: Runtime, prescription: Path, typed: str, day: int, at: time
) -> None:
    await booked_appointment_summary(chat, prescription, "giovedì 10 dicembre ore 16")
    await chat.tap("Modifica")
    turn = await chat.tap("Data dell'appuntamento")
    assert turn.step == "appointment" and turn.labels[0].startswith("Lascia:")
    turn = await chat.say(typed)
    if turn.step == "appointment_ok":
        assert f"ore {at:%H:%M}" in turn.text
        turn = await chat.say("sì")
    assert turn.step == "summary", turn.text
    request = await submitted(chat, runtime)
    assert request.appointment is not None
    local = request.appointment.astimezone(ZoneInfo("Europe/Rome"))
    assert local.date() == date(2026, 12, day) and local.time() == at


@pytest.mark.parametrize(("typed", "stored"), [
    ("la mattina", "la mattina"),
    ("preferisco la mattina", "preferisco la mattina"),
    ("solo la mattina presto", "solo la mattina presto"),
    ("lascia", "preferisco la mattina presto, prima delle 9"),
    ("va bene così", "preferisco la mattina presto, prima delle 9"),
])
async def test_a_shortened_note_replaces_the_old_one(chat: EngineChat, runtime: Runtime,
                                                     typed: str, stored: str) -> None:
    await checkup_summary(chat, "7, 9 e 18 dicembre")
    await chat.tap("Modifica")
    await chat.tap("Note")
    turn = await chat.say("preferisco la mattina presto, prima delle 9")
    assert turn.step == "summary"
    await chat.tap("Modifica")
    turn = await chat.tap("Note")
    assert turn.labels[0].startswith("Lascia:")
    turn = await chat.say(typed)
    assert turn.step == "summary", turn.text
    request = await submitted(chat, runtime)
    assert request.notes == stored


@pytest.mark.parametrize(("typed", "stored"), [
    ("90", "90.00"), ("99", "99.00"), ("€ 99,00", "99.00"), ("lo stesso", "99.90"),
    ("1", "99.90"),  # the first button, picked by its number
])
async def test_a_corrected_amount_is_taken(chat: EngineChat, runtime: Runtime, tmp_path: Path,
                                           typed: str, stored: str) -> None:
    receipt = files.write(tmp_path, "fattura.jpg", files.jpeg("Fattura 7"))
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    await chat.upload(receipt)
    await chat.say("10/11/2026")
    await chat.say("99,90")
    turn = await chat.say("indietro")
    assert turn.step == "exp_amount" and turn.labels == ["Lascia: € 99,90"]
    turn = await chat.say(typed)
    assert turn.step == "exp_number", turn.text
    await chat.say("FT 7")
    await chat.tap("Continua")
    request = await submitted(chat, runtime)
    assert str(request.documents[0].amount) == stored


async def test_a_receipt_number_like_the_old_one_is_not_kept(chat: EngineChat, runtime: Runtime,
                                                            tmp_path: Path) -> None:
    receipt = files.write(tmp_path, "fattura.jpg", files.jpeg("Fattura 8"))
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    await add_receipt(chat, receipt, number="FT 12/2026")
    turn = await chat.say("indietro")
    assert turn.step == "exp_number"
    turn = await chat.say("FT 13/2026")
    assert turn.step == "exp_more"
    await chat.tap("Continua")
    request = await submitted(chat, runtime)
    assert request.documents[0].number == "FT 13/2026"


@pytest.mark.parametrize(("typed", "stored"), [
    ("nessuna nota particolare, ma la fattura è intestata a mia moglie",
     "nessuna nota particolare, ma la fattura è intestata a mia moglie"),
    ("niente di che, solo la mattina", "niente di che, solo la mattina"),
    ("nessuna", ""), ("no grazie", ""), ("nessuna nota", ""), ("non ho note da aggiungere", ""),
])
async def test_a_note_that_starts_like_no_note_is_a_note(chat: EngineChat, runtime: Runtime,
                                                         typed: str, stored: str) -> None:
    await checkup_summary(chat, "7, 9 e 18 dicembre")
    await chat.tap("Modifica")
    await chat.tap("Note")
    turn = await chat.say(typed)
    assert turn.step == "summary", turn.text
    request = await submitted(chat, runtime)
    assert request.notes == stored


@pytest.mark.parametrize(("typed", "day"), [
    ("13 marzo 2026", 13), ("il 13 marzo", 13), ("12 marzo", 12), ("giovedì 12 marzo", 12),
])
async def test_a_date_next_to_the_said_one_is_taken_as_typed(chat: EngineChat, runtime: Runtime,
                                                             tmp_path: Path, typed: str,
                                                             day: int) -> None:
    turn = await chat.say("rimborso visita cardiologica del 12 marzo per me")
    await chat.say("1")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    await chat.upload(files.write(tmp_path, "f.jpg", files.jpeg("Fattura 3")))
    turn = await chat.say("indietro")  # the date said at the start was used: go back to it
    assert turn.step == "exp_date" and turn.labels == ["giovedì 12 marzo 2026"]
    turn = await chat.say(typed)
    if turn.step == "exp_date_ok":
        turn = await chat.say("sì")
    assert turn.step == "exp_amount", turn.text
    await chat.say("50")
    await chat.say("7")
    await chat.tap("Continua")
    request = await submitted(chat, runtime)
    assert request.documents[0].expense_date == date(2026, 3, day)
