"""Direct services end to end, each scenario both in-process and through `medbot chat --jsonl`."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import BaseChat, EngineChat, JsonlChat
from tests.auxil.runtime import MARIO, demo_home, settings_env
from tests.auxil.sms import FakeSmsGateway


@pytest.fixture(params=["engine", "jsonl"])
async def any_chat(request: pytest.FixtureRequest, chat: EngineChat,
                   tmp_path: Path) -> AsyncIterator[BaseChat]:
    """The same conversation through the engine API and through the console protocol."""
    if request.param == "engine":
        yield chat
        return
    home = tmp_path / "jsonl"
    shutil.copytree(await demo_home(), home)
    with FakeSmsGateway() as gateway:
        env = {**settings_env(home), "MEDBOT_SMS_PROVIDER": "http", "MEDBOT_SMS_URL": gateway.url}
        jsonl = JsonlChat(env, gateway=gateway)
        try:
            yield jsonl
        finally:
            jsonl.close()


@pytest.fixture
def prescription(tmp_path: Path) -> Path:
    return files.write(tmp_path, "prescrizione.jpg", files.jpeg("Prescrizione: eco addome"))


async def start(chat: BaseChat, person: str = "luca") -> None:
    await chat.say("ciao")
    turn = await chat.tap("prestazione diretta")
    assert turn.flow == "diretta" and turn.step == "beneficiary", turn.text
    turn = await chat.say(person)
    assert turn.step == "category"
    assert turn.labels == ["Visite, esami e prevenzione", "Ricoveri, interventi e day hospital",
                           "Check-up annuale di prevenzione (Salute Più)"]


async def outpatient_to_booking(chat: BaseChat, prescription: Path,
                                service: str = "ecografia addome") -> None:
    await start(chat)
    await chat.tap("Visite, esami")
    turn = await chat.say(service)
    assert turn.step == "service"
    turn = await chat.say("1")
    assert "Salute Più" in turn.text and turn.step == "contacts"
    turn = await chat.tap("Sì, continua")
    if turn.step == "medical":  # diagnostics need the prescription; visits don't
        turn = await chat.tap("Continua")
        assert turn.step == "medical" and "Non posso ancora continuare" in turn.text
        turn = await chat.upload(prescription)
        turn = await chat.tap("Continua")
    assert turn.step == "booked"


async def finish(chat: BaseChat) -> str:
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary", turn.text
    # What the network costs the customer (issue 17): the diagnostics' quota, or nothing.
    assert ("• In struttura convenzionata: paghi € 15,00" in turn.text
            or "• In struttura convenzionata: non paghi niente" in turn.text), turn.text
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None, turn.text
    assert "in attesa di autorizzazione" in turn.text or "Prenotiamo noi" in turn.text
    return turn.request_number


async def test_outpatient_not_booked_search_by_town(any_chat: BaseChat,
                                                    prescription: Path) -> None:
    chat = any_chat
    await outpatient_to_booking(chat, prescription)
    turn = await chat.tap("No, devo ancora prenotare")
    assert turn.step == "search"
    turn = await chat.say("Milano")
    assert turn.step == "facility"
    assert any(label.startswith("★") for label in turn.labels)  # Smart Clinics marked
    assert all("km" in label for label in turn.labels[:-1])
    turn = await chat.say("2")
    assert "Telefono" in turn.text and "Chiama la struttura" in turn.text
    assert turn.step == "appointment"
    turn = await chat.tap("Lo scrivo dopo")
    assert turn.step == "appointment" and "ti aspetto" in turn.text
    turn = await chat.say("ho prenotato per il 26 novembre")
    assert turn.step == "appointment" and "almeno 3 giorni" in turn.text
    turn = await chat.say("ho prenotato per il 3 dicembre alle 10:30")
    assert turn.step == "appointment_ok" and "giovedì 3 dicembre 2026, ore 10:30" in turn.text
    await chat.say("sì")
    await finish(chat)


async def test_outpatient_booked_in_the_network(chat: EngineChat, runtime: Runtime,
                                                prescription: Path) -> None:
    await outpatient_to_booking(chat, prescription)
    turn = await chat.tap("Sì, ho già prenotato")
    assert turn.step == "booked_town"
    turn = await chat.say("Atlantide")
    assert turn.step == "booked_town" and "Non trovo il comune" in turn.text
    turn = await chat.say("milano")
    assert turn.step == "booked_name"
    turn = await chat.say("smart clinic isola")
    assert turn.step == "booked_facility"
    turn = await chat.say("1")
    assert turn.step == "doctor"
    turn = await chat.tap("Nessun medico in particolare")
    assert turn.step == "appointment"
    turn = await chat.say("domani")
    assert turn.step == "appointment" and "almeno 3 giorni" in turn.text
    turn = await chat.say("15/12/2026 ore 9")
    assert turn.step == "notes", turn.text
    number = await finish(chat)
    request = await runtime.store.get_request(number)
    assert request is not None
    assert request.type == "diretta" and request.status == "in_attesa_autorizzazione"
    assert request.facility_id is not None and request.appointment is not None
    assert [h.status for h in request.history] == ["in_attesa_autorizzazione"]


async def test_a_facility_not_in_the_network_is_taken_as_typed(
    any_chat: BaseChat, prescription: Path
) -> None:
    chat = any_chat
    await outpatient_to_booking(chat, prescription)
    await chat.tap("Sì, ho già prenotato")
    await chat.say("Torino")
    turn = await chat.say("Studio Radiologico Zxqwv")
    if turn.step == "booked_facility":  # similar names in the network: "none of these"
        turn = await chat.tap("Nessuna")
    assert "Non trovo" in turn.text and "Zxqwv" in turn.text
    assert turn.step == "doctor"
    turn = await chat.say("dott. Bianchi")
    assert turn.step == "appointment"
    await chat.say("10/12/2026")
    number = await finish(chat)
    assert number.startswith("26")


async def test_hospital_booked_needs_five_days(chat: EngineChat, runtime: Runtime) -> None:
    await start(chat, "io")
    await chat.tap("Ricoveri")
    turn = await chat.say("togliere la cistifellea")
    assert turn.step == "service"
    assert any("olecistectomia" in label for label in turn.labels)
    await chat.say("1")
    await chat.tap("Sì, continua")
    turn = chat.last
    assert turn.step == "medical"
    await chat.upload(files.write(runtime.settings.home, "ricetta.png", files.png("Ricovero")))
    await chat.tap("Continua")
    await chat.tap("Sì, ho già prenotato")
    await chat.say("Roma")
    await chat.say("Quisisana")
    turn = chat.last
    if turn.step == "booked_facility":
        turn = await chat.say("1")
    await chat.tap("Nessun medico")
    turn = await chat.say("27/11/2026")
    assert "almeno 5 giorni" in turn.text
    turn = await chat.say("2 dicembre 2026")
    assert turn.step == "notes"
    await finish(chat)


async def test_hospital_not_booked_search_by_cap(chat: EngineChat, runtime: Runtime) -> None:
    await start(chat, "io")
    await chat.tap("Ricoveri")
    await chat.say("protesi d'anca")
    await chat.say("1")
    await chat.tap("Sì, continua")
    await chat.upload(files.write(runtime.settings.home, "r.png", files.png("Anca")))
    await chat.tap("Continua")
    await chat.tap("No, devo")
    turn = await chat.say("20121")
    assert turn.step == "facility", turn.text
    assert "20121" in turn.text


async def test_search_by_doctor_and_by_location(chat: EngineChat, runtime: Runtime,
                                                prescription: Path) -> None:
    await outpatient_to_booking(chat, prescription, "visita cardiologica")
    await chat.tap("No, devo")
    turn = await chat.send({"location": [45.4642, 9.19]})  # Milan, Duomo
    assert turn.step == "facility" and "la tua posizione" in turn.text
    pins = [r["venue"] for r in turn.replies if "venue" in r]
    assert len(pins) == len(turn.labels) - 1 and all("km" in p["address"] for p in pins)
    distances = [float(label.rsplit("·", 1)[1].replace("km", "").replace(",", "."))
                 for label in turn.labels[:-1] if not label.startswith("★")]
    assert distances == sorted(distances)
    turn = await chat.tap("Cerca altrove")
    assert turn.step == "search"
    network = await runtime.store.search_facilities(service_code="89.7A.3",
                                                    catalogue_kind="ambulatoriale", town="Roma")
    doctor = next(d for m in network for d in m.doctors)
    turn = await chat.say(f"dott. {doctor.last_name}")
    assert turn.step == "facility", turn.text


async def test_a_position_off_the_map_is_refused_kindly(chat: EngineChat,
                                                        prescription: Path) -> None:
    await outpatient_to_booking(chat, prescription, "visita cardiologica")
    await chat.tap("No, devo")
    for position in ([float("nan"), 9.19], [45.46, float("inf")], [1e308, -1e308], [91, 0]):
        turn = await chat.send({"location": position})
        assert turn.step == "search" and "posizione" in turn.text, turn.text
    turn = await chat.send({"location": [45.4642, 9.19]})
    assert turn.step == "facility"


async def test_checkup_with_preferred_dates(any_chat: BaseChat) -> None:
    chat = any_chat
    await start(chat, "anna")
    turn = await chat.tap("Check-up")
    assert turn.step == "contacts", turn.text
    await chat.tap("Sì, continua")
    turn = chat.last
    assert turn.step == "search"
    await chat.say("Torino")
    turn = await chat.say("1")
    assert turn.step == "checkup_dates"
    turn = await chat.say("domani")
    assert "almeno 3 giorni" in turn.text
    turn = await chat.say("3, 5 o 10 dicembre")
    assert turn.step == "notes"
    assert "giovedì 3 dicembre 2026" in turn.text and "giovedì 10 dicembre 2026" in turn.text
    await finish(chat)


async def test_new_mobile_verified(any_chat: BaseChat, prescription: Path) -> None:
    chat = any_chat
    await start(chat)
    await chat.tap("Visite, esami")
    await chat.say("visita dermatologica")
    await chat.say("1")
    turn = await chat.tap("Nuovo cellulare")
    assert turn.step == "new_mobile_typed"
    turn = await chat.say("06 1234 5678")
    assert turn.step == "new_mobile_typed"  # a landline is refused
    turn = await chat.say("333 765 4321")
    assert turn.step == "contact_code" and "•••" in turn.text
    code = chat.sms_code()
    wrong = "000000" if code != "000000" else "111111"
    turn = await chat.say(wrong)
    assert turn.step == "contact_code" and "4 volte" in turn.text
    turn = await chat.say(code)
    assert turn.step == "contacts" and "+39 333 765 4321" in turn.text
    turn = await chat.tap("Sì, continua")
    assert turn.step == "booked"  # visits need no document


async def test_expired_code_and_lockout(chat: EngineChat, runtime: Runtime) -> None:
    await start(chat)
    await chat.tap("Visite, esami")
    await chat.say("visita dermatologica")
    await chat.say("1")
    await chat.tap("Nuova email")
    turn = await chat.say("luca.nuovo@example.it")
    assert turn.step == "contact_code"
    code = chat.sms_code()
    runtime.clock.offset = timedelta(minutes=11)
    turn = await chat.say(code)
    assert "non è più valido" in turn.text
    runtime.clock.offset = timedelta(minutes=13)
    turn = await chat.tap("Rimanda il codice")
    assert turn.step == "contact_code"
    wrong = "000000" if chat.sms_code() != "000000" else "111111"
    for _ in range(5):
        turn = await chat.say(wrong)
    assert "bloccata" in turn.text
    turn = await chat.say(chat.sms_code())
    assert "bloccata" in turn.text  # even the right code, while locked
    turn = await chat.tap("Lascia i recapiti di prima")
    assert turn.step == "contacts" and "luca.rossi@example.it" in turn.text


async def test_back_and_edit_from_the_summary(chat: EngineChat, prescription: Path) -> None:
    await outpatient_to_booking(chat, prescription)
    await chat.tap("Sì, ho già prenotato")
    await chat.say("Milano")
    turn = await chat.say("indietro")
    assert turn.step == "booked_town" and "Milano" in turn.text
    await chat.say("Roma")
    turn = await chat.say("Centro che non esiste")
    if turn.step == "booked_facility":
        await chat.tap("Nessuna")
    await chat.tap("Nessun medico")
    await chat.say("10/12/2026")
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary"
    await chat.tap("Modifica")
    turn = await chat.tap("Data dell'appuntamento")
    assert turn.step == "appointment"
    turn = await chat.say("11/12/2026")
    assert turn.step == "summary" and "venerdì 11 dicembre 2026" in turn.text
    await chat.tap("Modifica")
    turn = await chat.tap("Prenotazione")
    turn = await chat.tap("No, devo ancora prenotare")
    assert turn.step == "search"
    await chat.say("Roma")
    await chat.say("1")
    turn = await chat.say("14 dicembre 2026")
    assert turn.step == "summary", turn.text
    assert "Roma" not in turn.text or "Struttura" in turn.text


async def test_coming_back_days_later_to_give_the_date(chat: EngineChat, runtime: Runtime,
                                                       prescription: Path) -> None:
    await outpatient_to_booking(chat, prescription)
    await chat.tap("No, devo")
    await chat.say("Torino")
    turn = await chat.say("1")
    assert turn.step == "appointment"
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    followups = await runtime.store.followups(mario.id)
    assert [(f.kind, done) for f, done in followups] == [("booking", None)]
    turn = await chat.say("ciao")
    assert "Riprendiamo" in turn.text and turn.step == "appointment"
    await chat.say("ho prenotato per il 10 dicembre")
    await chat.say("sì")
    await finish(chat)
    followups = await runtime.store.followups(mario.id)
    assert followups[0][1] is not None  # done once the request is sent
