"""A receipt read in the reimbursement: said back, confirmed or corrected in words, checked for
what does not add up, recognised when sent again, and sent first to fill the request. Through
the real engine and store, with a reader that reads what each test says."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat
from tests.auxil.receipts import ScriptedReader, receipt
from tests.auxil.runtime import demo_runtime
from tests.auxil.sms import RecordingSms

LUCA = "RSSLCU05A20H501A"
MARCO = "RSSMRC14P08H501C"
DERMATOLOGY = (("Prima visita dermatologica", "85.00"),)


@pytest.fixture
def reader() -> ScriptedReader:
    return ScriptedReader(receipt(patient=MARCO, lines=DERMATOLOGY))


@pytest.fixture
async def runtime(tmp_path: Path, sms: RecordingSms,
                  reader: ScriptedReader) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home", sms=sms, reader=reader,
                            receipt_read_seconds=0.5) as runtime:
        yield runtime
    reader.release()


def photo(tmp_path: Path, text: str = "Fattura 118") -> Path:
    return files.write(tmp_path, f"{text}.jpg", files.jpeg(text))


async def to_receipt(chat: EngineChat, year: str = "2026", person: str = "Marco") -> None:
    """A reimbursement for Marco's dermatology visit, up to the receipt."""
    await chat.say("rimborso")
    await chat.say(year)
    await chat.say(person)
    await chat.say("visita dermatologica")
    await chat.say("1")
    turn = await chat.tap("Sì, continua")
    assert turn.step == "exp_file", turn.text


async def finish(chat: EngineChat) -> str:
    turn = await chat.tap("Nessuna nota")
    assert turn.step == "summary", turn.text
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None, turn.text
    return turn.request_number


async def test_what_was_read_is_said_back_and_taken_with_yes(
        chat: EngineChat, runtime: Runtime, tmp_path: Path) -> None:
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert turn.step == "exp_read_ok"
    assert ("Ho letto: documento n. 118/2026 del 12 marzo 2026, € 85,00, "
            "Studio Oculistico Bianchi.") in turn.text
    assert turn.labels == ["Sì, continua", "Sì, ne ho un altro", "Correggo"]
    turn = await chat.tap("Sì, continua")
    assert turn.step == "notes"  # "another document?" answered by the same tap
    request = await runtime.store.get_request(await finish(chat))
    assert request is not None
    [document] = request.documents
    assert (document.expense_date, str(document.amount), document.number) == (
        date(2026, 3, 12), "85.00", "118/2026")
    assert document.issuer == "Studio Oculistico Bianchi"
    assert document.issuer_vat == "01234560124"


async def test_nothing_read_is_an_answer_until_confirmed(chat: EngineChat,
                                                         tmp_path: Path) -> None:
    await to_receipt(chat)
    await chat.upload(photo(tmp_path))
    turn = await chat.say("li scrivo io")
    assert "te li chiedo uno alla volta" in turn.text
    assert turn.step == "exp_date"
    await chat.say("10/11/2026")
    await chat.say("40")
    turn = await chat.say("R 7")
    assert turn.step == "exp_more"
    assert "€ 40,00" in turn.text


async def test_yes_typed_then_another_document(chat: EngineChat, tmp_path: Path) -> None:
    await to_receipt(chat)
    await chat.upload(photo(tmp_path))
    turn = await chat.say("sì")
    assert turn.step == "exp_more"
    assert "€ 85,00" in turn.text
    turn = await chat.upload(photo(tmp_path, "Fattura 2"))
    # The same number and day as the first document of this request: asked first.
    assert turn.step == "exp_sent_ok"
    assert "già in questa richiesta: è il documento di spesa n. 1" in turn.text
    turn = await chat.tap("Sì, aggiungilo")
    assert turn.step == "exp_read_ok"
    # A correction in words is this receipt's, not the first document's.
    turn = await chat.say("l'importo è 20")
    assert "Ho corretto l'importo: € 20,00." in turn.text
    turn = await chat.say("sì")
    assert turn.step == "exp_more"
    assert "Documento n. 2: giovedì 12 marzo 2026, € 20,00" in turn.text
    turn = await chat.tap("Continua")
    assert "Documenti di spesa: 2, per un totale di € 105,00." in turn.text


async def test_fields_corrected_in_words(chat: EngineChat, runtime: Runtime,
                                         tmp_path: Path) -> None:
    await to_receipt(chat)
    await chat.upload(photo(tmp_path))
    turn = await chat.say("l'importo è 95")
    assert "Ho corretto l'importo: € 95,00." in turn.text
    assert "Ora ho: documento n. 118/2026 del 12 marzo 2026, € 95,00" in turn.text
    assert turn.step == "exp_read_ok"
    turn = await chat.say("il numero è 119/2026")
    assert "Ho corretto il numero: 119/2026." in turn.text
    turn = await chat.say("la data è il 13")
    assert "13 marzo 2026" in turn.text
    turn = await chat.say("no, la data è il 31")
    assert turn.step == "exp_read_ok"  # 31 March is a day; taken
    turn = await chat.say("la data è il 13")
    turn = await chat.tap("Sì, continua")
    assert turn.step == "notes"
    request = await runtime.store.get_request(await finish(chat))
    assert request is not None
    [document] = request.documents
    assert (document.expense_date, str(document.amount), document.number) == (
        date(2026, 3, 13), "95.00", "119/2026")


async def test_a_correction_that_does_not_hold_is_refused_kindly(chat: EngineChat,
                                                                 tmp_path: Path) -> None:
    await to_receipt(chat)
    await chat.upload(photo(tmp_path))
    turn = await chat.say("la data è il 45")
    assert turn.step == "exp_read_ok"
    assert "Non ho capito la data" in turn.text
    turn = await chat.say("boh")
    assert turn.step == "exp_read_ok"
    assert "Se è tutto giusto rispondi «Sì»" in turn.text
    turn = await chat.tap("Correggo")
    assert "l'importo è 95" in turn.text and turn.step == "exp_read_ok"


async def test_a_field_read_with_doubt_is_asked(chat: EngineChat, reader: ScriptedReader,
                                                tmp_path: Path) -> None:
    reader.next = receipt(low=("total",))
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert "Ho letto: documento n. 118/2026 del 12 marzo 2026, Studio Oculistico Bianchi." \
        in turn.text
    assert "Non sono riuscito a leggere con sicurezza l'importo" in turn.text
    assert turn.labels == ["Sì, è giusto", "Correggo"]
    turn = await chat.tap("Sì, è giusto")
    assert turn.step == "exp_amount"
    turn = await chat.say("85")
    assert turn.step == "exp_more"
    assert "12 marzo 2026, € 85,00" in turn.text


@pytest.mark.parametrize("trouble", ["fail", "hang", "nothing"])
async def test_a_reader_that_fails_or_hangs_means_asking(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path, trouble: str) -> None:
    if trouble == "nothing":
        reader.next = receipt(day=None, total=None, number=None)
    else:
        setattr(reader, trouble, True)
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert turn.step == "exp_date", turn.text
    assert "Ricevuto il documento di spesa n. 1" in turn.text
    assert reader.calls == ["image/jpeg"]
    await chat.say("10/11/2026")
    await chat.say("85")
    turn = await chat.say("118/2026")
    assert turn.step == "exp_more"


async def test_a_day_in_the_future_is_asked(chat: EngineChat, reader: ScriptedReader,
                                            tmp_path: Path) -> None:
    reader.next = receipt(day=date(2026, 12, 20))
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert "La data che ho letto, domenica 20 dicembre 2026, è nel futuro" in turn.text
    assert "del 20 dicembre" not in turn.text
    turn = await chat.tap("Sì, è giusto")
    assert turn.step == "exp_date"


async def test_a_day_outside_the_year_is_said_and_asked(chat: EngineChat,
                                                        tmp_path: Path) -> None:
    await to_receipt(chat, year="2025")
    turn = await chat.upload(photo(tmp_path))
    assert "non è del 2025" in turn.text and "«l'anno è 2026»" in turn.text
    # The year corrected in words: the day read now fits and is said back.
    turn = await chat.say("l'anno è 2026")
    assert "del 12 marzo 2026" in turn.text, turn.text


async def test_a_total_that_does_not_match_its_lines_is_said(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    reader.next = receipt(lines=(("Visita", "70.00"), ("Esame", "10.00")))
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert "le voci del documento sommano € 80,00, ma il totale che ho letto è € 85,00" \
        in turn.text


async def test_the_marca_da_bollo_is_not_a_mismatch(chat: EngineChat, reader: ScriptedReader,
                                                    tmp_path: Path) -> None:
    reader.next = receipt(lines=(("Visita", "83.00"),))
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert "sommano" not in turn.text


async def test_the_patient_of_another_member_is_said(chat: EngineChat, reader: ScriptedReader,
                                                     tmp_path: Path) -> None:
    reader.next = receipt(patient=LUCA)
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert ("sul documento c'è il codice fiscale di Luca Rossi, ma la richiesta è per "
            "Marco Rossi") in turn.text
    assert "«era per Luca»" in turn.text


async def test_a_patient_outside_the_household_is_said(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    reader.next = receipt(patient="BNCGPP80A01H501E")
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert "non è quello di Marco Rossi né di un'altra persona" in turn.text


async def test_a_receipt_sent_in_another_request_is_asked_about(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    await to_receipt(chat)
    await chat.upload(photo(tmp_path))
    await chat.tap("Sì, continua")
    first = await finish(chat)
    # The very same file in a new request: said, and only added if the customer says so.
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path))
    assert turn.step == "exp_sent_ok"
    assert f"Questo file l'hai già mandato con la richiesta {first}" in turn.text
    turn = await chat.tap("No, non aggiungerlo")
    assert turn.step == "exp_file"
    # Another file of the same receipt (same number, day and issuer): said too.
    turn = await chat.upload(photo(tmp_path, "Foto della stessa fattura"))
    assert turn.step == "exp_sent_ok"
    assert "stesso numero (118/2026) e la stessa data" in turn.text
    assert first in turn.text
    turn = await chat.tap("Sì, aggiungilo")
    assert turn.step == "exp_read_ok"
    # Another issuer's receipt with the same number and day is not the same receipt.
    await chat.say("annulla")
    await chat.say("sì")
    reader.next = receipt(vat="09876540122", issuer="Farmacia Verdi")
    await to_receipt(chat)
    turn = await chat.upload(photo(tmp_path, "Scontrino farmacia"))
    assert turn.step == "exp_read_ok", turn.text


async def test_a_receipt_sent_first_fills_the_request(chat: EngineChat, runtime: Runtime,
                                                      tmp_path: Path) -> None:
    turn = await chat.upload(photo(tmp_path))
    assert turn.flow == "rimborso"
    assert "l'ho letto" in turn.text
    # The year from its date, Marco from his codice fiscale, the service from its line.
    assert "2026, Marco Rossi" in turn.text
    assert "Prima visita dermatologica/allergologica (89.7A.7)" in turn.text
    assert turn.step == "contacts"
    turn = await chat.tap("Sì, continua")
    assert turn.step == "exp_read_ok"
    await chat.tap("Sì, continua")
    request = await runtime.store.get_request(await finish(chat))
    assert request is not None
    marco = await runtime.store.person_by_fiscal_code(MARCO)
    assert marco is not None and request.beneficiary_id == marco.id
    assert request.year == 2026 and request.service_code == "89.7A.7"
    assert len(request.documents) == 1 and request.documents[0].number == "118/2026"


async def test_the_service_read_is_said_once_as_the_entry_picked(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    """The invoice's own wording is not said beside the catalogue entry found from it."""
    reader.next = receipt(patient=MARCO, lines=(("Elettrocardiogramma (ECG)", "85.00"),))
    turn = await chat.upload(photo(tmp_path))
    assert "Elettrocardiogramma (89.52)" in turn.text, turn.text
    assert "(ECG)" not in turn.text


async def test_what_the_opening_said_comes_before_the_receipt(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    """The person named in words is kept; the receipt's other patient is said at the receipt."""
    reader.next = receipt(patient=LUCA, lines=DERMATOLOGY)
    turn = await chat.say("vorrei il rimborso della visita dermatologica di Marco")
    assert turn.step == "year"
    turn = await chat.upload(photo(tmp_path))
    assert "Marco Rossi" in turn.text and turn.step == "contacts"
    turn = await chat.tap("Sì, continua")
    assert "codice fiscale di Luca Rossi" in turn.text


async def test_a_receipt_with_nothing_readable_sent_first_is_kept(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    reader.next = receipt(day=None, total=None, number=None)
    turn = await chat.upload(photo(tmp_path))
    assert turn.flow == "rimborso" and turn.step == "year"
    assert "Non sono riuscito a leggerne i dati" in turn.text
    await chat.say("2026")
    await chat.say("Marco")
    await chat.say("visita dermatologica")
    await chat.say("1")
    turn = await chat.tap("Sì, continua")
    assert turn.step == "exp_date"  # the file is already there: its date is asked


async def test_a_broken_file_sent_first_opens_nothing(chat: EngineChat,
                                                      tmp_path: Path) -> None:
    broken = files.write(tmp_path, "fattura.pdf", b"%PDF-1.4 not really")
    turn = await chat.upload(broken)
    assert turn.flow is None
    assert "Non riesco ad aprire questo PDF" in turn.text
    assert "Rimborso" in turn.labels  # the menu again


async def test_a_receipt_sent_at_a_later_question_feeds_the_request(
        chat: EngineChat, tmp_path: Path) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    turn = await chat.say("Marco")
    assert turn.step == "service_query"
    turn = await chat.upload(photo(tmp_path))
    assert "Prima visita dermatologica/allergologica" in turn.text
    assert turn.step == "contacts"


async def test_the_common_reimbursement_takes_six_messages(
        chat: EngineChat, reader: ScriptedReader, tmp_path: Path) -> None:
    """The first message names person and service, then one receipt: 6 customer messages
    (11 when the receipt's fields are typed, as before receipts were read)."""
    sent = [
        await chat.say("vorrei il rimborso della visita dermatologica di Marco"),
        await chat.upload(photo(tmp_path)),
        await chat.tap("Sì, continua"),   # email and IBAN
        await chat.tap("Sì, continua"),   # what was read, and no other receipt
        await chat.tap("Nessuna nota"),
        await chat.tap("Invia la richiesta"),
    ]
    assert sent[-1].request_number is not None, sent[-1].text
    assert len(sent) == 6


async def test_typing_the_fields_took_eleven(chat: EngineChat, reader: ScriptedReader,
                                             tmp_path: Path) -> None:
    """The same reimbursement when nothing can be read: the fields typed, as before."""
    reader.next = receipt(day=None, total=None, number=None)
    events = [("say", "vorrei il rimborso della visita dermatologica di Marco"),
              ("say", "2026"), ("say", "1"), ("tap", "Sì, continua"), ("file", ""),
              ("say", "12/03/2026"), ("say", "85"), ("say", "118/2026"), ("tap", "Continua"),
              ("tap", "Nessuna nota"), ("tap", "Invia la richiesta")]
    for kind, value in events:
        if kind == "file":
            turn = await chat.upload(photo(tmp_path))
        else:
            turn = await (chat.say(value) if kind == "say" else chat.tap(value))
    assert turn.request_number is not None
    assert len(events) == 11
