"""Requests besides answers: a person, the cover, a recap, the contact, sending, a new request."""

from __future__ import annotations

import pytest

from dialogs.acts import (
    asks_about_cover,
    asks_for_contact,
    asks_for_person,
    asks_for_recap,
    asks_to_go_back,
    asks_why,
    says_send,
    starts_something,
)


@pytest.mark.parametrize("text", [
    "mi passi un operatore per favore", "posso parlare con qualcuno?",
    "vorrei parlare con una persona", "c'è un operatore?", "passami un consulente",
    "voglio parlare con un umano", "mi metti in contatto con un operatore?",
])
def test_asks_for_person(text: str) -> None:
    assert asks_for_person(text)


@pytest.mark.parametrize("text", ["visita cardiologica", "la persona è Luca", "qualcuno", "luca"])
def test_not_a_person_request(text: str) -> None:
    assert not asks_for_person(text)


@pytest.mark.parametrize("text", [
    "ok manda", "vai", "sì invia", "invia pure", "confermo", "ok", "tutto ok, manda pure",
    "sì, va bene, inviala", "procedi", "perfetto", "sì è tutto corretto", "ok, mandala pure",
])
def test_says_send(text: str) -> None:
    assert says_send(text)


@pytest.mark.parametrize("text", [
    "non inviare", "aspetta", "no", "cambia l'importo", "ok ma prima cambia la data",
    "manda a mia moglie", "",
])
def test_not_send(text: str) -> None:
    assert not says_send(text)


@pytest.mark.parametrize(("check", "text"), [
    (asks_about_cover, "è coperta dalla polizza?"),
    (asks_about_cover, "quanto mi rimborsate?"),
    (asks_about_cover, "me la rimborsano tutta?"),
    (asks_for_recap, "cosa ti ho scritto finora?"),
    (asks_for_recap, "a che punto siamo?"),
    (asks_for_contact, "qual è il numero verde?"),
    (asks_for_contact, "come vi contatto?"),
    (asks_why, "perché mi chiedi l'IBAN?"),
    (asks_to_go_back, "torna alla domanda di prima"),
    (asks_to_go_back, "torniamo indietro per favore"),
    (asks_why, "a cosa serve il numero?"),
    (starts_something, "voglio prenotare una visita"),
    (starts_something, "devo chiedere un altro rimborso"),
    (starts_something, "vorrei fare una nuova richiesta"),
])
def test_questions_and_openings(check: object, text: str) -> None:
    assert check(text)  # type: ignore[operator]


@pytest.mark.parametrize("text", ["visita cardiologica", "80 euro", "luca", "sì"])
def test_plain_answers_ask_nothing(text: str) -> None:
    assert not any(check(text) for check in (asks_about_cover, asks_for_recap, asks_why,
                                             asks_to_go_back,
                                             asks_for_contact, starts_something))
