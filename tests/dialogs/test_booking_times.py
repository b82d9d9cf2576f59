"""Appointment times and check-up days read exactly as written, and said back."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.runtime import Runtime
from dialogs.flows.direct.booking import preferred_dates
from tests.auxil import files
from tests.auxil.chat import EngineChat
from tests.auxil.runtime import TODAY
from tests.dialogs.test_direct import outpatient_to_booking
from tests.dialogs.test_direct import start as start_direct


@pytest.fixture
def prescription(tmp_path: Path) -> Path:
    return files.write(tmp_path, "prescrizione.jpg", files.jpeg("Prescrizione: visita"))


async def to_appointment(chat: EngineChat, prescription: Path) -> None:
    await outpatient_to_booking(chat, prescription, "visita cardiologica")
    await chat.tap("Sì, ho già prenotato")
    await chat.say("Roma")
    turn = await chat.say("Centro che non esiste")
    if turn.step == "booked_facility":
        await chat.tap("Nessuna")
    turn = await chat.tap("Nessun medico")
    assert turn.step == "appointment"


async def sent(chat: EngineChat, runtime: Runtime):  # type: ignore[no-untyped-def]
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary", turn.text
    turn = await chat.tap("Invia la richiesta")
    request = await runtime.store.get_request(turn.request_number or "")
    assert request is not None
    return request


@pytest.mark.parametrize(("typed", "day", "at"), [
    ("giovedì 10 dicembre ore 17", 10, time(17, 0)),
    ("10 dicembre alle 17:30", 10, time(17, 30)),
    ("il 10 dicembre alle cinque del pomeriggio", 10, time(17, 0)),
    ("10/12/2026 alle 8 e mezza", 10, time(8, 30)),
    ("3 dicembre 2026 alle 10", 3, time(10, 0)),
    ("ho prenotato per il 4 dicembre h 15", 4, time(15, 0)),
])
async def test_appointment_times_are_kept_exactly_and_said_back(
    chat: EngineChat, runtime: Runtime, prescription: Path, typed: str, day: int, at: time
) -> None:
    await to_appointment(chat, prescription)
    turn = await chat.say(typed)
    assert f"ore {at:%H:%M}" in turn.text and f"{day} dicembre 2026" in turn.text, turn.text
    assert "Ho capito" in turn.text
    if turn.step == "appointment_ok":
        turn = await chat.say("sì")
    assert turn.step == "notes", turn.text
    request = await sent(chat, runtime)
    assert request.appointment is not None
    local = request.appointment.astimezone(ZoneInfo("Europe/Rome"))
    assert (local.date(), local.time()) == (date(2026, 12, day), at)


@pytest.mark.parametrize(("typed", "days"), [
    ("7, 9 e 11 dicembre", [7, 9, 11]),
    ("7 9 11 dicembre", [7, 9, 11]),
    ("il 7, il 9 o l'11 dicembre", [7, 9, 11]),
    ("lunedì 7 e mercoledì 9 dicembre", [7, 9]),
    ("7/12, 9/12 e 11/12", [7, 9, 11]),
    ("11 dicembre", [11]),
])
async def test_checkup_days_are_read_exactly_and_said_back(chat: EngineChat, runtime: Runtime,
                                                           typed: str, days: list[int]) -> None:
    await start_direct(chat, "anna")
    await chat.tap("Check-up")
    await chat.tap("Sì, continua")
    await chat.say("Torino")
    turn = await chat.say("1")
    assert turn.step == "checkup_dates"
    turn = await chat.say(typed)
    assert turn.step == "notes", turn.text
    assert "Ho capito, date preferite:" in turn.text
    for d in days:
        assert f" {d} dicembre 2026" in turn.text
    request = await sent(chat, runtime)
    assert request.preferred_dates == tuple(date(2026, 12, d) for d in days)


@pytest.mark.parametrize(("text", "days"), [
    ("7, 9 e 11 dicembre", [date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 11)]),
    ("7 9 e 11 dicembre", [date(2026, 12, 7), date(2026, 12, 9), date(2026, 12, 11)]),
    ("30 novembre e 2 dicembre", [date(2026, 11, 30), date(2026, 12, 2)]),
    ("3 o 5 gennaio", [date(2027, 1, 3), date(2027, 1, 5)]),
    ("31 e 32 dicembre", []),
    ("boh", []),
])
def test_preferred_dates(text: str, days: list[date]) -> None:
    assert preferred_dates(text, TODAY) == days
