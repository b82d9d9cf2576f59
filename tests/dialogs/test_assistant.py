"""The assistant around the flows: status questions, the archive, pre-filled starts,
documents for a suspended request, handoffs and complaints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.runtime import Runtime
from portal.demo import DEMO_DIR, load_demo
from tests.auxil import files
from tests.auxil.chat import EngineChat


async def test_a_status_question_is_answered_from_the_archive(chat: EngineChat) -> None:
    turn = await chat.say("è stato pagato il rimborso di Anna?")
    assert "25000047" in turn.text and turn.flow is None
    turn = await chat.say("le pratiche di Luca a marzo")
    assert "Non trovo" in turn.text and "Luca" in turn.text
    turn = await chat.say("richieste sospese")
    assert "26000021" in turn.text and "25000047" not in turn.text


async def test_detail_and_document_from_the_buttons(chat: EngineChat) -> None:
    await chat.say("le mie richieste")
    turn = await chat.tap("26000112")
    assert "Cronologia" in turn.text and "Inviata" in turn.text
    turn = await chat.tap("1. Documento di spesa")
    sent = [r for r in turn.replies if "file" in r]
    assert sent and Path(sent[0]["file"]["path"]).read_bytes()[:4] in (b"%PDF", b"\x89PNG")
    turn = await chat.tap("Le mie richieste")
    assert "26000087" in turn.text


async def test_document_buttons_work_after_a_typed_request_number(chat: EngineChat) -> None:
    turn = await chat.say("pratica 26000112")
    assert "Cronologia" in turn.text
    turn = await chat.tap("1. Documento di spesa")
    sent = [r for r in turn.replies if "file" in r]
    assert sent, turn.text
    turn = await chat.say("a che punto è la 26000087?")
    assert "26000087" in turn.text
    turn = await chat.tap("1. Documento")
    assert [r for r in turn.replies if "file" in r], turn.text


async def test_a_status_question_in_the_middle_of_a_request(chat: EngineChat) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    turn = await chat.say("a che punto è la pratica 26000058?")
    assert "26000058" in turn.text and "Torniamo alla richiesta" in turn.text
    assert turn.flow == "rimborso" and turn.step == "beneficiary"
    assert turn.labels[0] == "Io, Mario Rossi"
    turn = await chat.say("luca")
    assert turn.step == "service_query"


async def test_the_opening_sentence_fills_the_first_questions(chat: EngineChat) -> None:
    turn = await chat.say("rimborso visita oculistica del 12 marzo per Luca")
    assert turn.flow == "rimborso" and turn.step == "service"
    assert "2026" in turn.text and "Luca Rossi" in turn.text
    turn = await chat.say("indietro")
    assert turn.step == "service_query"
    await chat.say("visita oculistica")
    await chat.say("1")
    await chat.tap("Luca Rossi, sul suo conto")
    await chat.say("IT60X0542811101000000123456")
    await chat.tap("Sì, continua")
    await chat.upload(files.write(chat.runtime.settings.home, "f.png", files.png("fattura")))
    turn = chat.last
    # The day the sentence named is the receipt's date (said in the recap): not asked again.
    assert turn.step == "exp_amount"
    turn = await chat.say("indietro")
    assert turn.step == "exp_date" and turn.labels == ["giovedì 12 marzo 2026"]
    turn = await chat.tap("12 marzo")
    assert turn.step == "exp_amount"


async def test_missing_documents_for_a_suspended_request(chat: EngineChat,
                                                         runtime: Runtime) -> None:
    await chat.say("pratica 26000021")
    turn = chat.last
    add = [label for label in turn.labels if "document" in label.casefold()]
    assert add, turn.labels
    turn = await chat.tap(add[0])
    assert turn.flow == "documenti" and turn.step == "files"
    turn = await chat.say("ecco")
    assert turn.step == "files"
    photo = files.write(runtime.settings.home, "ecg.jpg", files.jpeg("Referto ECG"))
    turn = await chat.upload(photo)
    assert "Ricevuto" in turn.text
    turn = await chat.tap("Invia i documenti")
    assert "torna in lavorazione" in turn.text and turn.flow is None
    assert "ho aggiunto 1 documento alla richiesta 26000021" in turn.text
    request = await runtime.store.get_request("26000021")
    assert request is not None and request.status == "in_lavorazione"
    assert request.history[-1].status == "in_lavorazione"


async def test_complaint_and_human_are_recorded(chat: EngineChat, runtime: Runtime) -> None:
    turn = await chat.say("voglio fare un reclamo per la pratica 25000103")
    assert "45 giorni" in turn.text and "IVASS" in turn.text
    await chat.say("rimborso")
    turn = await chat.say("operatore")
    assert turn.flow == "rimborso" and turn.step == "year"
    mario = await runtime.store.customer_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None
    handoffs = await runtime.store.handoffs(customer_id=mario.id)
    assert sorted(h.reason for h in handoffs) == ["complaint", "human"]
    assert any(h.request_number == "25000103" for h in handoffs)


async def test_another_households_request_is_never_shown(chat: EngineChat, runtime: Runtime,
                                                         tmp_path: Path) -> None:
    # A second household: the demo's data with other people, policies and numbers.
    other = tmp_path / "other"
    shutil.copytree(DEMO_DIR, other)
    data = json.loads((other / "household.json").read_text(encoding="utf-8"))
    for i, person in enumerate(data["persons"]):
        person["fiscal_code"] = ["VRDGPP70A01F205X", "BNCLRA72B41F205K", "VRDMRC01C01F205P",
                                 "VRDSFO12D41F205Q"][i]
    for policy in data["policies"]:
        policy["number"] = "9" + policy["number"][1:]
    for request in data["requests"]:
        request["policy"] = "9" + request["policy"][1:]
        request["number"] = request["number"][:2] + "9" + request["number"][3:]
        request["submission_key"] = "other-" + request["number"]
    for facility in data["facilities"]:
        facility["name"] += " (altra)"
    (other / "household.json").write_text(json.dumps(data), encoding="utf-8")
    assert await load_demo(runtime.store, other)
    foreign = data["requests"][0]["number"]
    assert await runtime.store.get_request(foreign) is not None
    turn = await chat.say(f"a che punto è la pratica {foreign}?")
    assert foreign in turn.text and "Non trovo" in turn.text
    assert "Cronologia" not in turn.text


async def test_reminders_turned_off_and_on_from_the_chat(chat: EngineChat,
                                                         runtime: Runtime) -> None:
    mario = await runtime.store.customer_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None
    turn = await chat.say("/promemoria")
    assert "Promemoria: attivi" in turn.text
    turn = await chat.say("non voglio più promemoria")
    assert "non ti manderò più promemoria" in turn.text
    prefs = await runtime.store.preferences(mario.id)
    assert (prefs.reminders, prefs.status_changes) == (False, True)
    # In the middle of a request too, and the question stays.
    await chat.say("rimborso")
    turn = await chat.say("aggiornamenti no")
    assert turn.step == "year" and "Avvisi sui cambi di stato delle richieste: disattivati" in turn.text
    turn = await chat.say("promemoria sì")
    assert turn.step == "year"
    prefs = await runtime.store.preferences(mario.id)
    assert (prefs.reminders, prefs.status_changes) == (True, False)


async def test_a_status_answer_mid_flow_has_no_tap_hints(chat: EngineChat) -> None:
    await chat.say("rimborso")
    turn = await chat.say("le mie richieste sospese")
    assert "26000021" in turn.text and "Tocca" not in turn.text
    assert turn.step == "year" and turn.labels == ["2026", "2025"]
