"""The reimbursement flow end to end through the engine, as Mario Rossi (demo household)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    return files.write(tmp_path, "fattura.jpg", files.jpeg("Fattura 123"))


@pytest.fixture
def prescription(tmp_path: Path) -> Path:
    return files.write(tmp_path, "ricetta.pdf", files.pdf(title="Ricetta"))


async def start(chat: EngineChat) -> None:
    first = await chat.say("ciao")
    assert "rimborso" in first.text
    turn = await chat.tap("Rimborso")
    assert turn.flow == "rimborso"
    assert turn.step == "year"
    assert turn.labels == ["2026", "2025"]


async def add_receipt(chat: EngineChat, path: Path, day: str = "10/11/2026",
                      amount: str = "120,50", number: str = "FT 12/2026") -> None:
    turn = await chat.upload(path)
    assert turn.step == "exp_date", turn.text
    turn = await chat.say(day)
    assert turn.step == "exp_amount", turn.text
    turn = await chat.say(amount)
    assert turn.step == "exp_number", turn.text
    turn = await chat.say(number)
    assert turn.step == "exp_more", turn.text


async def test_luca_visit_common_case(chat: EngineChat, runtime: Runtime, receipt: Path) -> None:
    """Luca (adult son, one policy): the payee question, his missing IBAN, one receipt."""
    await start(chat)
    turn = await chat.say("2026")
    assert turn.step == "beneficiary"
    assert turn.labels == ["Io, Mario Rossi", "Anna Rossi", "Luca Rossi", "Marco Rossi"]
    turn = await chat.say("luca")
    assert turn.step == "service_query"
    turn = await chat.say("visita dermatologica")
    assert turn.step == "service"
    assert any("dermatolog" in label.casefold() for label in turn.labels)
    turn = await chat.say("1")
    assert turn.step == "payee"
    turn = await chat.tap("Luca Rossi, sul suo conto")
    # One policy covers Luca: chosen and said; Luca has no IBAN on file: asked.
    assert "Salute Più" in turn.text
    assert turn.step == "new_iban"
    turn = await chat.say("IT60X0542811101000000123456x")
    assert turn.step == "new_iban"  # refused, asked again
    turn = await chat.say("it 02 l 12345 12345 123456789012")
    assert turn.step == "new_iban" or turn.step == "contacts"
    if turn.step == "new_iban":
        # Whatever the checksum says, a valid one is taken.
        turn = await chat.say("IT60 X054 2811 1010 0000 0123 456")
    assert turn.step == "contacts"
    assert "mario.rossi@example.it" in turn.text
    turn = await chat.tap("Sì, continua")
    assert turn.step == "exp_file"
    await add_receipt(chat, receipt)
    turn = await chat.tap("Continua")
    # Visits need no medical document: straight to the notes.
    assert turn.step == "notes"
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary"
    assert "Luca Rossi" in turn.text and "€ 120,50" in turn.text
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None
    assert turn.request_number.startswith("26") and len(turn.request_number) == 8
    assert turn.request_number in turn.text
    assert turn.flow is None

    request = await runtime.store.get_request(turn.request_number)
    assert request is not None
    assert request.status == "inviata"
    assert [h.status for h in request.history] == ["inviata"]
    luca = await runtime.store.person_by_fiscal_code("RSSLCU05A20H501A")
    assert luca is not None
    assert request.beneficiary_id == luca.id and request.payee_id == luca.id
    assert request.iban == "IT60X0542811101000000123456"
    assert len(request.documents) == 1
    document = request.documents[0]
    assert document.kind == "spesa" and str(document.amount) == "120.50"
    assert document.number == "FT 12/2026"
    assert runtime.store.documents.read(document.sha256) == receipt.read_bytes()


async def to_service(chat: EngineChat, person: str, service: str, pick: str = "1") -> None:
    await start(chat)
    await chat.say("2026")
    await chat.say(person)
    turn = await chat.say(service)
    assert turn.step == "service", turn.text
    await chat.say(pick)


async def test_mario_visit_two_policies_then_choose(chat: EngineChat, receipt: Path) -> None:
    await to_service(chat, "io", "visita cardiologica")
    turn = chat.last
    # A visit for Mario is covered by both policies: he chooses.
    assert turn.step == "policy", turn.text
    assert len(turn.labels) == 2
    turn = await chat.tap("Protezione Famiglia")
    assert turn.step == "contacts"
    assert "IT60 •" in turn.text or "IT60" in turn.text
    await chat.tap("Sì, continua")
    await add_receipt(chat, receipt)
    await chat.tap("Continua")
    await chat.say("Nessuna")
    turn = await chat.tap("Invia")
    assert turn.request_number is not None


async def test_marco_minor_is_paid_to_the_policyholder(chat: EngineChat, receipt: Path) -> None:
    await to_service(chat, "Marco", "visita dermatologica")
    turn = chat.last
    assert "minorenne" in turn.text
    assert turn.step == "contacts"
    assert "Mario Rossi" in turn.text


async def test_anna_to_her_own_account(chat: EngineChat) -> None:
    await to_service(chat, "anna", "visita oculistica")
    turn = await chat.tap("Anna Rossi, sul suo conto")
    assert turn.step == "policy"
    turn = await chat.say("salute più")
    assert turn.step == "contacts"
    assert "Anna Rossi" in turn.text and "IT69" in turn.text


async def test_adult_son_paid_to_mario_needs_authorisation(chat: EngineChat) -> None:
    await to_service(chat, "luca", "visita ortopedica")
    turn = await chat.tap("Io, Mario Rossi")
    assert turn.step == "authorisation"
    turn = await chat.tap("No")
    assert turn.step == "payee"
    turn = await chat.tap("Io, Mario Rossi")
    turn = await chat.say("sì")
    assert turn.step == "contacts"
    assert "IT60" in turn.text


async def test_new_iban_and_new_email(chat: EngineChat) -> None:
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    turn = await chat.tap("Nuovo IBAN")
    assert turn.step == "new_iban"
    turn = await chat.say("IT00 0000")
    assert turn.step == "new_iban"
    assert "IBAN" in turn.text
    turn = await chat.say("IT69E0306903200000087654321")
    assert turn.step == "contacts"
    assert "IT69" in turn.text
    turn = await chat.tap("Nuova email")
    turn = await chat.say("mario@@example")
    assert turn.step == "new_email"
    turn = await chat.say("Mario.Rossi@Lavoro.IT")
    assert turn.step == "contacts"
    assert "lavoro.it" in turn.text.casefold()


async def test_diagnostics_need_the_prescription(chat: EngineChat, receipt: Path,
                                                prescription: Path) -> None:
    await to_service(chat, "luca", "ecografia addome completo")
    await chat.tap("Luca Rossi")
    await chat.say("IT60X0542811101000000123456")
    await chat.tap("Sì, continua")
    await add_receipt(chat, receipt)
    turn = await chat.tap("Continua")
    assert turn.step == "medical"
    assert "prescrizione" in turn.text
    turn = await chat.tap("Continua")
    assert turn.step == "medical"
    assert "Non posso ancora continuare" in turn.text
    turn = await chat.upload(prescription)
    assert "Ricevuto: prescrizione medica" in turn.text
    turn = await chat.tap("Continua")
    assert turn.step == "notes"


async def test_back_keeps_the_previous_answer_as_default(chat: EngineChat) -> None:
    await start(chat)
    await chat.say("2026")
    turn = await chat.say("indietro")
    assert turn.step == "year"
    assert "Prima avevi risposto: 2026" in turn.text
    turn = await chat.tap("2026")
    assert turn.step == "beneficiary"
    turn = await chat.say("indietro")
    turn = await chat.say("2025")
    assert turn.step == "beneficiary"


async def test_back_to_a_typed_answer_offers_to_keep_it(chat: EngineChat, receipt: Path) -> None:
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    await chat.upload(receipt)
    await chat.say("10/11/2026")
    await chat.say("99,90")
    turn = await chat.say("indietro")
    assert turn.step == "exp_amount"
    turn = await chat.tap("Lascia: € 99,90")
    assert turn.step == "exp_number"
    turn = await chat.say("indietro")
    turn = await chat.say("indietro")
    turn = await chat.say("indietro")
    assert turn.step == "exp_file"
    turn = await chat.say("indietro")
    assert turn.step == "contacts"


async def test_cancel_asks_then_drops_the_draft(chat: EngineChat, runtime: Runtime) -> None:
    await to_service(chat, "luca", "visita dermatologica")
    turn = await chat.say("annulla")
    assert turn.step == "confirm_cancel"
    turn = await chat.tap("No, continua")
    assert turn.step == "payee"
    await chat.say("annulla")
    turn = await chat.say("sì")
    assert turn.flow is None
    assert "annullata" in turn.text


async def test_stale_button_is_recognised(chat: EngineChat) -> None:
    await start(chat)
    old = chat.last.choice_id("2026")
    await chat.say("2026")
    turn = await chat.choose(old)
    assert "domanda precedente" in turn.text
    assert turn.step == "beneficiary"
    assert turn.labels  # the current question asked again, with its buttons


async def test_three_wrong_answers_offer_help(chat: EngineChat) -> None:
    await start(chat)
    await chat.say("boh")
    await chat.say("non so")
    turn = await chat.say("mah")
    assert turn.step == "year"
    assert "persona" in turn.text and "annulla" in turn.text


async def test_invalid_values_are_explained(chat: EngineChat, receipt: Path,
                                            tmp_path: Path) -> None:
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    turn = await chat.say("ecco la fattura")
    assert turn.step == "exp_file" and "foto" in turn.text
    text_file = files.write(tmp_path, "nota.txt", b"solo testo")
    turn = await chat.upload(text_file)
    assert turn.step == "exp_file" and "JPEG o PNG" in turn.text
    broken = files.write(tmp_path, "rotto.pdf", b"%PDF-1.4\nnot really a pdf")
    turn = await chat.upload(broken)
    assert turn.step == "exp_file" and "PDF" in turn.text
    big = files.write(tmp_path, "enorme.pdf", files.pdf() + b"\0" * (11 * 1024 * 1024))
    turn = await chat.upload(big)
    assert turn.step == "exp_file" and "10 MB" in turn.text
    turn = await chat.upload(receipt)
    assert turn.step == "exp_date"
    turn = await chat.say("31/02/2026")
    assert turn.step == "exp_date"
    turn = await chat.say("3 marzo 2025")
    assert turn.step == "exp_date" and "2026" in turn.text
    turn = await chat.say("25/12/2026")
    assert turn.step == "exp_date" and "futuro" in turn.text
    turn = await chat.say("ieri")
    assert turn.step == "exp_date_ok" and "23 novembre 2026" in turn.text
    turn = await chat.say("sì")
    assert turn.step == "exp_amount"
    turn = await chat.say("-20")
    assert turn.step == "exp_amount"
    turn = await chat.say("zero")
    assert turn.step == "exp_amount"
    turn = await chat.say("€ 1.234,56")
    assert turn.step == "exp_number"
    turn = await chat.say("x" * 40)
    assert turn.step == "exp_number"
    turn = await chat.tap("Non ha un numero")
    assert turn.step == "exp_more"
    turn = await chat.upload(receipt)  # the same receipt again
    assert "già" in turn.text


async def test_two_receipts_and_edit_from_summary(chat: EngineChat, runtime: Runtime,
                                                  tmp_path: Path) -> None:
    first = files.write(tmp_path, "a.jpg", files.jpeg("uno"))
    second = files.write(tmp_path, "b.png", files.png("due"))
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    await add_receipt(chat, first, amount="100")
    # The next receipt sent straight away, without pressing "add another".
    turn = await chat.upload(second)
    assert turn.step == "exp_date"
    await chat.say("11/11/2026")
    await chat.say("50")
    await chat.say("R-2")
    turn = await chat.tap("Continua")
    assert "totale di € 150,00" in turn.text
    await chat.tap("Nessuna nota")
    turn = chat.last
    assert turn.step == "summary"
    turn = await chat.tap("Modifica")
    turn = await chat.tap("Note")
    assert turn.step == "notes"
    turn = await chat.say("La seconda ricevuta è del ticket")
    assert turn.step == "summary"
    assert "ticket" in turn.text
    turn = await chat.tap("Modifica")
    turn = await chat.tap("Chi ha fatto la prestazione")
    assert turn.step == "beneficiary"
    turn = await chat.say("Anna")
    # Anna's payee is asked and her IBAN confirmed; the rest (policy included) is kept.
    assert turn.step == "payee"
    turn = await chat.tap("Anna Rossi")
    assert turn.step == "contacts"
    assert "IT69" in turn.text
    turn = await chat.tap("Sì, continua")
    assert turn.step == "summary"
    assert "Anna Rossi" in turn.text and "ticket" in turn.text
    turn = await chat.tap("Invia")
    request = await runtime.store.get_request(turn.request_number or "")
    assert request is not None
    assert len(request.documents) == 2
    assert request.notes == "La seconda ricevuta è del ticket"


async def test_restart_in_the_middle_continues_at_the_same_question(
    tmp_path: Path, receipt: Path
) -> None:
    from tests.auxil.runtime import MARIO, demo_runtime

    async with demo_runtime(tmp_path) as runtime:
        mario = await runtime.store.customer_by_fiscal_code(MARIO)
        assert mario is not None
        chat = EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO)
        await to_service(chat, "luca", "visita dermatologica")
        assert chat.last.step == "payee"
        button = chat.last.choice_id("Luca Rossi")
    # A new process: same database, new runtime.
    from bot.config import Settings
    from tests.auxil.runtime import TODAY

    runtime = await Runtime.open(Settings(home=tmp_path, today=TODAY, database_url=None))
    try:
        chat = EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO)
        turn = await chat.send({"text": "eccomi"})
        assert turn.step == "payee"
        turn = await chat.choose(button)  # the button shown before the restart still works
        assert turn.step == "new_iban"
    finally:
        await runtime.close()


async def test_an_answer_is_never_applied_twice(chat: EngineChat) -> None:
    await start(chat)
    button = chat.last.choice_id("2026")
    await chat.choose(button)
    turn = await chat.choose(button)
    assert "domanda precedente" in turn.text
    assert turn.step == "beneficiary"


@pytest.mark.parametrize("text", ["🤒" * 3000, "a" * 50_000, "\u200b", "\x00\x01", "‮rtl"])
async def test_any_text_keeps_the_question(chat: EngineChat, text: str) -> None:
    await start(chat)
    turn = await chat.say(text)
    assert turn.step == "year"
    assert turn.text
    turn = await chat.say("2026")
    assert turn.step == "beneficiary"


async def test_location_and_contact_mid_flow(chat: EngineChat) -> None:
    await start(chat)
    turn = await chat.send({"location": [41.9, 12.5]})
    assert turn.step == "year" and "posizione" in turn.text
    turn = await chat.send({"contact": "+393471234567"})
    assert turn.step == "year" and "contatto" in turn.text


async def test_surgery_reimbursement_needs_the_clinical_record(chat: EngineChat, receipt: Path,
                                                               prescription: Path) -> None:
    await to_service(chat, "anna", "togliere la cistifellea")
    assert any("olecistectomia" in label for label in chat.history[-2].labels)
    turn = await chat.tap("Anna Rossi, sul suo conto")
    assert turn.step == "contacts" and "Salute Più" in turn.text
    await chat.tap("Sì, continua")
    await add_receipt(chat, receipt, amount="4.850,00")
    turn = await chat.tap("Continua")
    assert turn.step == "medical" and "cartella clinica" in turn.text
    turn = await chat.upload(prescription)
    assert "Ricevuto: cartella clinica" in turn.text
    turn = await chat.tap("Continua")
    assert turn.step == "notes"


async def test_my_son_asks_which_one_and_the_eldest_is_luca(chat: EngineChat) -> None:
    await start(chat)
    await chat.say("2026")
    turn = await chat.say("mio figlio")
    assert turn.step == "beneficiary" and "Luca o Marco" in turn.text
    turn = await chat.say("il più grande")
    assert turn.step == "service_query" and "Luca" in turn.text


async def test_what_the_opening_sentence_said_is_used_when_its_question_comes(
    chat: EngineChat,
) -> None:
    turn = await chat.say("vorrei il rimborso della visita dal dentista")
    assert "chiediamo il rimborso" in turn.text and turn.step == "year"
    await chat.say("2026")
    turn = await chat.say("Marco")
    assert turn.step == "service" and "dentista" in turn.text
    assert any("odonto" in label.casefold() for label in turn.labels)


async def test_one_name_among_other_words_is_that_person(chat: EngineChat) -> None:
    await start(chat)
    await chat.say("2026")
    turn = await chat.say("è prima Anna")  # a voice note misheard around the name
    assert turn.step == "service_query"
    assert "Anna Rossi" in turn.text  # said back
    await chat.say("indietro")
    turn = await chat.say("non Anna ma Luca")  # two names: asked again, not guessed
    assert turn.step == "beneficiary"
    for said in ("non per Anna", "chi è Anna?"):  # a name denied or asked about
        turn = await chat.say(said)
        assert turn.step == "beneficiary", said
