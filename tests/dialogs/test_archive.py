"""dialogs.archive: filters from questions, the list, details, documents, yes/no answers,
handoff texts, and never a request of another household."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from dialogs.archive import (
    MAX_SHOWN,
    ArchiveQuery,
    can_see,
    complaint_text,
    filters_from,
    handoff_text,
    render_answer,
    render_detail,
    render_document,
    render_list,
    select,
)
from dialogs.events import Reply
from nlu.intents import parse
from portal.models import Household, Person, Relation, Request, StatusChange, StatusDetails
from tests.auxil.portal import open_demo_store

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Household, list[Request]]:
    """The demo household and its requests, loaded once: plain values, no connection kept."""

    async def load() -> tuple[Household, list[Request]]:
        store = await open_demo_store(tmp_path_factory.mktemp("archive"))
        try:
            mario = await store.customer_by_fiscal_code("RSSMRA75D12H501J")
            assert mario is not None
            return await store.household(mario.id), await store.list_requests(mario.id)
        finally:
            await store.close()

    return asyncio.run(load())


def _query(text: str, household: Household) -> ArchiveQuery:
    return filters_from(parse(text, TODAY, [m.first_name for m in household.members]), household)


def _ids(household: Household, *names: str) -> frozenset[int]:
    return frozenset(m.id for m in household.members if m.first_name in names)


def _keys(replies: list[Reply]) -> list[str]:
    return [c.id for r in replies for c in r.choices]


# -- filters -----------------------------------------------------------------------------------


def test_filters_from_people_and_relations(demo: tuple[Household, list[Request]]) -> None:
    household, _ = demo
    assert _query("le pratiche di luca", household).beneficiary_ids == _ids(household, "Luca")
    assert _query("richieste di mia moglie", household).beneficiary_ids == _ids(household, "Anna")
    assert _query("rimborsi di mio figlio", household).beneficiary_ids == _ids(
        household, "Luca", "Marco"
    )
    assert _query("rimborso per me", household).beneficiary_ids == _ids(household, "Mario")
    stranger = _query("le richieste di Giulia", household)
    assert stranger.beneficiary_ids == frozenset() and stranger.person == "Giulia"
    assert _query("le mie richieste", household).is_everything


def test_filters_from_status_period_service_number(
    demo: tuple[Household, list[Request]],
) -> None:
    household, _ = demo
    query = _query("pratiche aperte del mese scorso per la visita oculistica", household)
    assert query.status == "aperta" and query.statuses is not None
    assert {"inviata", "in_lavorazione", "sospesa", "autorizzata"} <= query.statuses
    assert "liquidata" not in query.statuses
    assert query.period == (date(2026, 10, 1), date(2026, 10, 31))
    assert "95.02" in query.service_codes
    assert _query("com'è messa la 26000058?", household).number == "26000058"


def test_select_matches_every_filter(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo

    def numbers(text: str) -> list[str]:
        return [r.number for r in select(requests, _query(text, household), household)]

    assert numbers("richieste di Anna") == ["26000058", "25000047"]
    assert numbers("rimborsi pagati") == ["25000047", "25000012"]
    assert numbers("richieste sospese") == ["26000021"]
    assert numbers("pratiche respinte") == ["25000103"]
    assert numbers("richieste di novembre") == ["26000112", "26000087"]
    assert numbers("la visita oculistica di marco") == ["26000112"]
    assert numbers("le fatture del dentista") == []
    # The service date counts too: the tonsillectomy was done in October 2025.
    assert numbers("richieste di ottobre 2025") == ["25000158"]


def test_a_paid_request_closed_later_still_counts_as_paid(
    demo: tuple[Household, list[Request]],
) -> None:
    household, requests = demo
    paid = next(r for r in requests if r.number == "25000012")
    closed = dataclasses.replace(
        paid, status="chiusa",
        history=(*paid.history, StatusChange("chiusa", paid.updated_at + timedelta(days=1), "operatore")),
    )
    assert select([closed], ArchiveQuery(status="liquidata"), household) == [closed]
    assert select([closed], ArchiveQuery(status="aperta"), household) == []


# -- the list ----------------------------------------------------------------------------------


def test_list_shows_number_date_beneficiary_service_status(
    demo: tuple[Household, list[Request]],
) -> None:
    household, requests = demo
    [reply] = render_list(requests, household, _query("le mie richieste", household), TODAY)
    assert reply.text.startswith("Ecco le tue richieste (8):")
    assert "• 25000047 · 16 maggio 2025 · Anna · RM del ginocchio · pagata" in reply.text
    assert "• 26000021 · 20 gennaio 2026 · Mario · Elettrocardiogramma · sospesa" in reply.text
    assert [c.id for c in reply.choices][:2] == ["r26000112", "r26000087"]
    assert all(len(c.label) <= 24 for c in reply.choices)


def test_list_title_names_the_filters(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    [reply] = render_list(requests, household, _query("rimborsi pagati nel 2025", household), TODAY)
    assert reply.text.startswith("Ecco le richieste pagate nel 2025 (2):")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("richieste di Luca a marzo", "Non trovo richieste di Luca a marzo."),
        ("pratiche sospese di Anna", "Non trovo richieste sospese di Anna."),
        ("richieste di Giulia", "Non trovo richieste di Giulia."),
        ("richieste di aprile 2025", "Non trovo richieste ad aprile 2025."),
        ("richieste dal 3 al 5 agosto", "Non trovo richieste dal 3 agosto 2026 al 5 agosto 2026."),
    ],
)
def test_empty_list_says_what_was_asked(
    demo: tuple[Household, list[Request]], text: str, message: str
) -> None:
    household, requests = demo
    [reply] = render_list(requests, household, _query(text, household), TODAY)
    assert reply.text == message
    assert [c.id for c in reply.choices] == ["all"]


def test_long_list_is_cut_with_a_hint(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    many = [
        dataclasses.replace(requests[0], id=1000 + i, number=f"26{500 + i:06d}",
                            created_at=requests[0].created_at - timedelta(days=i))
        for i in range(12)
    ]
    [reply] = render_list(many, household, ArchiveQuery(), TODAY)
    assert reply.text.count("\n• ") == MAX_SHOWN == len(reply.choices)
    assert "Ne mostro 8 su 12, le più recenti" in reply.text
    assert "«richieste sospese di Marco»" in reply.text


# -- the detail --------------------------------------------------------------------------------


def test_detail_of_a_suspended_request(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    request = next(r for r in requests if r.number == "26000021")
    status, history, documents = render_detail(request, household, TODAY)
    assert status.text.splitlines()[:2] == [
        "Rimborso 26000021 per Mario: Elettrocardiogramma",
        "Stato: sospesa (dal 23 gennaio 2026).",
    ]
    assert "manca la prescrizione medica" in status.text
    assert "fino al 31 dicembre 2026" in status.text
    assert [c.id for c in status.choices] == ["a26000021"]
    assert "• 20 gennaio 2026 – Inviata (da te)" in history.text
    assert "• 23 gennaio 2026 – Sospesa in attesa di documenti: Manca la prescrizione" in history.text
    assert "• Prestazione: Elettrocardiogramma (codice 89.52)" in history.text
    assert "IBAN che finisce con 3456" in history.text
    assert "IT60X0542811101000000123456" not in history.text  # never the whole IBAN
    assert documents.text.startswith("Documenti (1):\n1. Documento di spesa n. 2026/0061")
    assert [c.id for c in documents.choices] == [f"d{request.documents[0].id}", "list"]


def test_late_suspension_says_the_deadline_passed(
    demo: tuple[Household, list[Request]],
) -> None:
    household, requests = demo
    request = next(r for r in requests if r.number == "26000021")
    [status, *_] = render_detail(request, household, date(2027, 1, 15))
    assert "Il termine era il 31 dicembre 2026" in status.text and "«operatore»" in status.text


def test_detail_of_a_paid_request(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    request = next(r for r in requests if r.number == "25000047")
    [status, _, documents] = render_detail(request, household, TODAY)
    assert (
        "Su una spesa di € 280,00, ti abbiamo pagato € 224,00 il 3 giugno 2025 con bonifico "
        "sul conto che finisce con 4321." in status.text
    )
    assert "sono stati tolti € 56,00 di scoperto" in status.text
    assert not status.choices
    assert len(documents.choices) == 3  # two documents and "back to the list"


def test_paid_with_franchigia(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    request = dataclasses.replace(
        next(r for r in requests if r.number == "25000012"),
        status_details=StatusDetails(amount_paid=Decimal("100.00"), paid_on=date(2025, 2, 18),
                                     franchigia=Decimal("50.00")),
    )
    [status, *_] = render_detail(request, household, TODAY)
    assert "ti abbiamo pagato € 100,00" in status.text and "€ 50,00 di franchigia" in status.text


def test_detail_of_rejected_and_authorised(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    rejected = next(r for r in requests if r.number == "25000103")
    [status, *_] = render_detail(rejected, household, TODAY)
    assert "È stata respinta. Il motivo: il massimale annuo" in status.text
    assert "«reclamo»" in status.text
    authorised = next(r for r in requests if r.number == "26000087")
    [status, data, _] = render_detail(authorised, household, TODAY)
    assert "Prestazione diretta 26000087 per Mario" in status.text
    assert "AUT-26-0087-CK, valido fino al 31 dicembre 2026" in status.text
    assert "• Appuntamento: 3 dicembre 2026, 08:30" in data.text
    expired = next(r for r in requests if r.number == "25000158")
    [status, *_] = render_detail(expired, household, TODAY)
    assert "era AUT-25-0158-RM, valido fino al 31 ottobre 2025" in status.text


@pytest.mark.parametrize("number", ["26000112", "26000058"])
def test_detail_of_requests_in_progress(
    demo: tuple[Household, list[Request]], number: str
) -> None:
    household, requests = demo
    [status, *_] = render_detail(next(r for r in requests if r.number == number), household, TODAY)
    assert "non devi fare nulla" in status.text


def test_document_as_a_file(demo: tuple[Household, list[Request]]) -> None:
    _, requests = demo
    request = next(r for r in requests if r.number == "25000047")
    invoice = request.documents[0]
    reply = render_document(request, invoice, b"%PDF-1.4 demo")
    assert reply.file is not None and reply.file.data == b"%PDF-1.4 demo"
    assert (reply.file.filename, reply.file.mime_type) == (invoice.filename, "application/pdf")
    assert reply.text.startswith("Ecco una copia: documento di spesa n. 2025/0388")
    other = next(r for r in requests if r.number == "25000012")
    with pytest.raises(ValueError):
        render_document(other, invoice, b"x")


# -- yes/no answers ----------------------------------------------------------------------------


def test_yes_it_was_paid(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    query = _query("è stato pagato il rimborso di Anna?", household)
    [reply] = render_answer(requests, household, query, TODAY) or []
    assert (
        "Sì: il rimborso 25000047 per Anna (RM del ginocchio) è stato pagato il 3 giugno 2025 "
        "(€ 224,00)." in reply.text
    )
    assert (
        "Non ancora: la richiesta 26000058 per Anna (Colecistectomia laparoscopica) è in "
        "lavorazione." in reply.text
    )
    assert {c.id for c in reply.choices} == {"r25000047", "r26000058"}


def test_not_yet_and_no(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    [reply] = render_answer(
        requests, household, _query("il rimborso di marco è stato pagato?", household), TODAY
    ) or []
    assert reply.text.startswith(
        "Non ancora: la richiesta 26000112 per Marco (Prima visita oculistica) è inviata."
    )
    assert "25000158" not in reply.text  # a direct service is never "paid" to the customer
    [reply] = render_answer(
        requests, household, _query("hanno pagato la visita di luca?", household), TODAY
    ) or []
    assert reply.text.startswith("No: la richiesta 25000103 per Luca")
    [reply] = render_answer(
        requests, household, _query("la 26000021 è sospesa?", household), TODAY
    ) or []
    assert reply.text.startswith("Sì: la richiesta 26000021") and "manca la prescrizione" in reply.text


def test_general_questions_get_the_list(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    for text in ("richieste sospese", "le mie richieste", "pratiche aperte di Marco"):
        assert render_answer(requests, household, _query(text, household), TODAY) is None


# -- only the household's requests -------------------------------------------------------------


def _other_household() -> Household:
    someone = Person(
        id=999, customer_id=999, relation=Relation.HOLDER, first_name="Luca",
        last_name="Bianchi", birth_date=date(1980, 1, 1), fiscal_code="BNCLCU80A01H501X",
    )
    return Household(customer=someone, members=(someone,), policies=())


def test_another_household_reaches_nothing(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    other = _other_household()
    assert all(can_see(r, household) for r in requests)
    assert not any(can_see(r, other) for r in requests)
    assert select(requests, ArchiveQuery(), other) == []
    [reply] = render_list(requests, other, _query("stato della pratica 26000058", other), TODAY)
    assert reply.text.startswith("Non trovo la richiesta 26000058 tra le tue.")
    [reply] = render_list(requests, other, _query("le mie richieste", other), TODAY)
    assert reply.text.startswith("Non trovo richieste a tuo nome")
    assert render_answer(requests, other, _query("la 26000021 è sospesa?", other), TODAY) is None
    [reply] = render_detail(requests[0], other, TODAY)
    assert reply.text.startswith(f"Non trovo la richiesta {requests[0].number} tra le tue.")


def test_a_stranger_request_in_the_list_is_dropped(
    demo: tuple[Household, list[Request]],
) -> None:
    household, requests = demo
    stranger = dataclasses.replace(requests[0], number="26000999", customer_id=999)
    assert select([*requests, stranger], ArchiveQuery(), household) == requests
    [reply] = render_list([stranger], household, _query("la 26000999", household), TODAY)
    assert reply.text.startswith("Non trovo la richiesta 26000999 tra le tue.")


# -- keys and texts ----------------------------------------------------------------------------


def test_choice_ids_are_keys_without_a_token(demo: tuple[Household, list[Request]]) -> None:
    household, requests = demo
    replies = render_list(requests, household, ArchiveQuery(), TODAY)
    for request in requests:
        replies += render_detail(request, household, TODAY)
    assert all(re.fullmatch(r"r\d{8}|d\d+|a\d{8}|all|list", key) for key in _keys(replies))


def test_handoff_and_complaint_texts() -> None:
    human = handoff_text("H-12", "800 123 456")
    assert "H-12" in human and "800 123 456" in human and "persona" in human
    complaint = complaint_text("R-7")
    for expected in ("R-7", "45 giorni", "IVASS", "Via del Quirinale 21, 00187 Roma",
                     "ivass@pec.ivass.it", "www.ivass.it", "modulo"):
        assert expected in complaint, expected


def test_at_is_aware() -> None:
    # The history's datetimes are UTC: days are shown in Italian time.
    from dialogs.archive._format import day

    assert day(datetime(2026, 11, 20, 23, 30, tzinfo=UTC)) == "21 novembre 2026"


def test_an_internal_code_is_never_shown(demo: tuple[Household, list[Request]]) -> None:
    """A check-up filed from the chat carries the policy's package code (SP-CHK): not shown."""
    household, requests = demo
    checkup = dataclasses.replace(next(r for r in requests if r.number == "26000087"),
                                  service_code="SP-CHK")
    texts = " ".join(reply.text for reply in render_detail(checkup, household, TODAY))
    assert "SP-CHK" not in texts and "Check-up annuale di prevenzione" in texts
    visit = next(r for r in requests if r.number == "25000012")
    texts = " ".join(reply.text for reply in render_detail(visit, household, TODAY))
    assert "(codice 89.7A.3)" in texts
