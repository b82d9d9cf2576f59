"""Nothing stored that was not said: free text read as data is said back («Ho capito: …»), and
a value that fails its own plausibility (a receipt number without a digit, a sentence at the
IBAN question) is asked again with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat
from tests.dialogs.test_reimbursement import to_service

IBAN = "IT60 X054 2811 1010 0000 0123 456"


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    return files.write(tmp_path, "fattura.jpg", files.jpeg("Fattura 123"))


async def send(chat: EngineChat, runtime: Runtime):  # type: ignore[no-untyped-def]
    turn = chat.last
    if turn.step == "exp_more":
        turn = await chat.tap("Continua")
    if turn.step == "notes":
        turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary", turn.text
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None, turn.text
    request = await runtime.store.get_request(turn.request_number)
    assert request is not None
    return request


async def to_receipt_number(chat: EngineChat, receipt: Path, amount: str = "50") -> None:
    await to_service(chat, "io", "visita cardiologica")
    await chat.tap("Salute Più")
    await chat.tap("Sì, continua")
    await chat.upload(receipt)
    await chat.say("10/11/2026")
    turn = await chat.say(amount)
    assert turn.step == "exp_number", turn.text


# -- who receives the money --------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "sul mio conto", "a me", "a mio nome", "mandalo a me", "sul conto mio", "io",
    "pagatelo a me per favore", "intestato a me",
])
async def test_my_account_is_the_customer(chat: EngineChat, runtime: Runtime,
                                          typed: str) -> None:
    await to_service(chat, "luca", "visita dermatologica")
    assert chat.last.step == "payee"
    turn = await chat.say(typed)
    assert turn.step == "authorisation", turn.text
    assert "Ho capito: il rimborso sarà accreditato a te" in turn.text
    turn = await chat.tap("Sì")
    assert turn.step == "contacts" and "Mario Rossi" in turn.text


@pytest.mark.parametrize("typed", ["sul mio conto", "a me", "a mio nome", "sul conto mio"])
async def test_my_account_is_not_my_wifes(chat: EngineChat, typed: str) -> None:
    await to_service(chat, "anna", "visita oculistica")
    turn = await chat.say(typed)
    assert turn.step == "authorisation", turn.text
    assert "Ho capito: il rimborso sarà accreditato a te" in turn.text


@pytest.mark.parametrize("typed", [
    "sul suo conto", "a lui", "a Luca", "sul conto di mio figlio", "luca", "a nome suo",
])
async def test_their_account_is_the_family_member(chat: EngineChat, typed: str) -> None:
    await to_service(chat, "luca", "visita dermatologica")
    turn = await chat.say(typed)
    assert turn.step == "new_iban", turn.text  # Luca has no IBAN on file
    assert "Ho capito: il rimborso sarà accreditato a Luca Rossi" in turn.text


async def test_a_tapped_payee_is_not_said_back(chat: EngineChat) -> None:
    await to_service(chat, "luca", "visita dermatologica")
    turn = await chat.tap("Luca Rossi, sul suo conto")
    assert turn.step == "new_iban" and "Ho capito" not in turn.text


async def test_my_wife_as_payee_of_her_own_visit(chat: EngineChat) -> None:
    await to_service(chat, "anna", "visita oculistica")
    turn = await chat.say("a mia moglie")
    assert turn.step == "policy", turn.text
    assert "Ho capito: il rimborso sarà accreditato ad Anna Rossi, sul suo conto" in turn.text


@pytest.mark.parametrize("typed", ["a mia moglie", "sul conto di mia moglie"])
async def test_another_family_member_is_not_a_payee(chat: EngineChat, typed: str) -> None:
    await to_service(chat, "luca", "visita dermatologica")
    turn = await chat.say(typed)
    assert turn.step == "payee" and "Dimmi chi riceve il rimborso" in turn.text


@pytest.mark.parametrize("typed", ["no, sul mio conto", "mandalo a me", "a mio nome"])
async def test_my_account_said_when_hers_is_shown(chat: EngineChat, typed: str) -> None:
    await to_service(chat, "anna", "visita oculistica")
    await chat.tap("Anna Rossi, sul suo conto")
    turn = await chat.say("salute più")
    assert turn.step == "contacts" and "IT69" in turn.text
    turn = await chat.say(typed)
    assert turn.step == "authorisation", turn.text
    assert "Ho capito: il rimborso sarà accreditato a te" in turn.text
    turn = await chat.tap("Sì")
    assert turn.step == "contacts" and "IT60" in turn.text and "Mario Rossi" in turn.text


# -- the IBAN question ---------------------------------------------------------------------------

async def to_luca_iban(chat: EngineChat) -> None:
    await to_service(chat, "luca", "visita dermatologica")
    turn = await chat.tap("Luca Rossi, sul suo conto")
    assert turn.step == "new_iban"


@pytest.mark.parametrize("typed", [
    "puoi mandarlo a me?", "mandalo a me", "sul mio conto", "accreditamelo a me",
    "a me, per favore",
])
async def test_who_gets_the_money_at_the_iban_question(chat: EngineChat, runtime: Runtime,
                                                       typed: str) -> None:
    await to_luca_iban(chat)
    turn = await chat.say(typed)
    assert "caratteri" not in turn.text
    assert turn.step == "authorisation", turn.text
    assert "Ho capito: il rimborso sarà accreditato a te" in turn.text
    await chat.tap("Sì")
    turn = await chat.tap("Sì, continua")
    assert turn.step == "exp_file"
    await chat.upload(files.write(runtime.settings.home, "r.jpg", files.jpeg("R 1")))
    await chat.say("10/11/2026")
    await chat.say("80")
    await chat.say("44")
    request = await send(chat, runtime)
    mario = await runtime.store.person_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None and request.payee_id == mario.id and request.payee_authorised


@pytest.mark.parametrize("typed", [
    "non lo so", "boh", "dove lo trovo?", "te lo mando dopo", "ho 20 euro",
])
async def test_a_sentence_is_not_an_iban(chat: EngineChat, typed: str) -> None:
    await to_luca_iban(chat)
    turn = await chat.say(typed)
    assert turn.step == "new_iban"
    assert "non è un IBAN" in turn.text and "caratteri che non possono" not in turn.text


@pytest.mark.parametrize("typed", [
    f"il mio iban è {IBAN}", f"ecco: {IBAN}, grazie", f"IBAN: {IBAN}", IBAN.lower(),
])
async def test_an_iban_inside_a_sentence_is_taken(chat: EngineChat, typed: str) -> None:
    await to_luca_iban(chat)
    turn = await chat.say(typed)
    assert turn.step == "contacts", turn.text
    assert "IT60 •••• •••• 3456" in turn.text


# -- the receipt number --------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "boh non lo trovo", "non lo so", "non ricordo", "dove lo trovo?", "boh", "aspetta",
])
async def test_a_receipt_number_without_a_digit_is_asked_again(
    chat: EngineChat, receipt: Path, typed: str
) -> None:
    await to_receipt_number(chat, receipt)
    turn = await chat.say(typed)
    assert turn.step == "exp_number", turn.text
    assert "non è un numero di documento" in turn.text and "Non ha un numero" in turn.text


@pytest.mark.parametrize("typed", [
    "nessun numero", "non ha numero", "senza numero", "non c'è", "il numero non c'è",
    "non ce l'ha",
])
async def test_no_number_said_in_words(chat: EngineChat, runtime: Runtime, receipt: Path,
                                       typed: str) -> None:
    await to_receipt_number(chat, receipt)
    turn = await chat.say(typed)
    assert turn.step == "exp_more", turn.text
    assert "Ho capito: il documento non ha un numero" in turn.text
    request = await send(chat, runtime)
    assert request.documents[0].number is None


@pytest.mark.parametrize(("typed", "stored", "echo"), [
    ("FT 12/2026", "FT 12/2026", False),
    ("123", "123", False),
    ("n. 123", "123", True),
    ("numero 45/2026", "45/2026", True),
    ("fattura n° 7", "7", True),
    ("nr. R-2", "R-2", True),
])
async def test_receipt_numbers(chat: EngineChat, runtime: Runtime, receipt: Path, typed: str,
                               stored: str, echo: bool) -> None:
    await to_receipt_number(chat, receipt)
    turn = await chat.say(typed)
    assert turn.step == "exp_more", turn.text
    assert ("Ho capito: numero" in turn.text) == echo
    request = await send(chat, runtime)
    assert request.documents[0].number == stored


# -- amounts, years, people ----------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "shown", "echo"), [
    ("centotrenta euro", "€ 130,00", True),
    ("120 euro e 50", "€ 120,50", True),
    ("1.234", "€ 1.234,00", True),
    ("130", "€ 130,00", False),
    ("€ 99,90", "€ 99,90", False),
])
async def test_amounts_not_written_as_shown_are_said_back(chat: EngineChat, receipt: Path,
                                                          typed: str, shown: str,
                                                          echo: bool) -> None:
    await to_receipt_number(chat, receipt, amount=typed)
    turn = chat.last
    assert (f"Ho capito: {shown}" in turn.text) == echo, turn.text


@pytest.mark.parametrize(("typed", "year"), [("l'anno scorso", 2025), ("quest'anno", 2026)])
async def test_a_year_in_words_is_said_back(chat: EngineChat, typed: str, year: int) -> None:
    await chat.say("ciao")
    await chat.tap("Rimborso")
    turn = await chat.say(typed)
    assert turn.step == "beneficiary" and f"Ho capito: {year}." in turn.text


@pytest.mark.parametrize(("typed", "name"), [
    ("il più grande", "Luca Rossi"), ("mia moglie", "Anna Rossi"), ("lcua", "Luca Rossi"),
    ("il piccolo", "Marco Rossi"), ("io", "Mario Rossi"),
])
async def test_a_person_in_words_is_said_back(chat: EngineChat, typed: str, name: str) -> None:
    await chat.say("ciao")
    await chat.tap("Rimborso")
    await chat.say("2026")
    turn = await chat.say(typed)
    assert turn.step == "service_query" and f"Ho capito: {name}." in turn.text


async def test_a_name_as_written_is_not_said_back(chat: EngineChat) -> None:
    await chat.say("ciao")
    await chat.tap("Rimborso")
    await chat.say("2026")
    turn = await chat.say("Luca")
    assert turn.step == "service_query" and "Ho capito" not in turn.text


# -- going back through the receipts -------------------------------------------------------------

async def two_receipts_at_second_date(chat: EngineChat, tmp_path: Path, tap_add: bool) -> None:
    first = files.write(tmp_path, "a.jpg", files.jpeg("uno"))
    second = files.write(tmp_path, "b.png", files.png("due"))
    await to_receipt_number(chat, first, amount="100")
    turn = await chat.say("FT 1")
    assert turn.step == "exp_more"
    if tap_add:
        turn = await chat.tap("Sì, ne aggiungo un altro")
        assert turn.step == "exp_file"
    turn = await chat.upload(second)
    assert turn.step == "exp_date" and "n. 2" in turn.text


async def test_back_at_the_second_receipt_date_after_tapping_add(chat: EngineChat,
                                                                 runtime: Runtime,
                                                                 tmp_path: Path) -> None:
    await two_receipts_at_second_date(chat, tmp_path, tap_add=True)
    turn = await chat.say("indietro")
    assert turn.step == "exp_file" and "n. 2" in turn.text
    assert turn.labels == ["Lascia: b.png"]
    turn = await chat.say("indietro")
    assert turn.step == "exp_more" and "Documento n. 1" in turn.text and "100,00" in turn.text
    turn = await chat.say("indietro")
    assert turn.step == "exp_number" and "FT 1" in turn.text
    turn = await chat.tap("Lascia: FT 1")
    assert turn.step == "exp_more"
    turn = await chat.tap("Sì, ne aggiungo un altro")
    turn = await chat.upload(files.write(tmp_path, "c.png", files.png("tre")))
    await chat.say("11/11/2026")
    await chat.say("30")
    await chat.say("R 2")
    request = await send(chat, runtime)
    assert [(str(d.amount), d.number) for d in request.documents] == [("100.00", "FT 1"),
                                                                      ("30.00", "R 2")]


async def test_back_at_the_second_receipt_date_after_sending_it_at_once(
    chat: EngineChat, runtime: Runtime, tmp_path: Path
) -> None:
    await two_receipts_at_second_date(chat, tmp_path, tap_add=False)
    turn = await chat.say("indietro")
    assert turn.step == "exp_more" and "Documento n. 1" in turn.text
    turn = await chat.tap("Continua")
    request = await send(chat, runtime)
    assert [d.number for d in request.documents] == ["FT 1"]


async def test_back_through_the_second_receipt_step_by_step(chat: EngineChat,
                                                            tmp_path: Path) -> None:
    await two_receipts_at_second_date(chat, tmp_path, tap_add=True)
    await chat.say("12/11/2026")
    turn = await chat.say("indietro")
    assert turn.step == "exp_date" and "12 novembre" in turn.text
    turn = await chat.say("13/11/2026")
    assert turn.step == "exp_amount"
    turn = await chat.say("40")
    turn = await chat.say("indietro")
    assert turn.step == "exp_amount" and turn.labels == ["Lascia: € 40,00"]


async def test_back_from_the_notes_reopens_the_last_receipt(chat: EngineChat,
                                                            tmp_path: Path) -> None:
    await two_receipts_at_second_date(chat, tmp_path, tap_add=False)
    await chat.say("12/11/2026")
    await chat.say("40")
    await chat.say("R 2")
    turn = await chat.tap("Continua")
    assert turn.step == "notes"
    turn = await chat.say("indietro")
    assert turn.step == "exp_more" and "Documento n. 2" in turn.text


@pytest.mark.parametrize("typed", ["no, a me", "no a me", "no, mandalo a me"])
async def test_money_to_me_at_the_iban_question_changes_the_payee_not_the_person(
    chat: EngineChat, runtime: Runtime, typed: str
) -> None:
    await to_luca_iban(chat)
    turn = await chat.say(typed)
    assert turn.step == "authorisation", turn.text
    assert "accreditato a te" in turn.text and "persona che ha fatto" not in turn.text
    await chat.tap("Sì")
    await chat.tap("Sì, continua")
    await chat.upload(files.write(runtime.settings.home, "r.jpg", files.jpeg("R 7")))
    await chat.say("10/11/2026")
    await chat.say("80")
    await chat.say("44")
    request = await send(chat, runtime)
    mario = await runtime.store.person_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None and request.payee_id == mario.id
    assert request.beneficiary_id != mario.id  # still Luca's visit


@pytest.mark.parametrize("typed", ["non c'è il numero", "il numero non c'è"])
async def test_a_missing_number_said_in_words_is_not_a_contact_question(
    chat: EngineChat, receipt: Path, typed: str
) -> None:
    await to_receipt_number(chat, receipt)
    turn = await chat.say(typed)
    assert turn.step == "exp_more", turn.text
    assert "Ho capito: il documento non ha un numero" in turn.text
    assert "Servizio Clienti" not in turn.text
