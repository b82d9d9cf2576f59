"""The acts classifier in context: the same words do different things at different questions."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.acts import Expectation, classify

TODAY = date(2026, 11, 24)
PEOPLE = ("Mario", "Anna", "Luca", "Marco")
FIELDS = frozenset({"year", "person", "service", "payee", "policy", "guarantee", "email", "iban",
                    "date", "amount", "number", "notes"})


def at(step: str, kind: str | None = None, answered: tuple[str, ...] = (),
       summary: bool = False, flow: str = "rimborso") -> Expectation:
    return Expectation(flow=flow, step=step, today=TODAY, kind=kind, fields=FIELDS,
                       answered=frozenset(answered), free_text=kind == "notes",
                       at_summary=summary, people=PEOPLE)


AFTER_AMOUNT = at("exp_number", "number", ("year", "person", "service", "date", "amount"))


@pytest.mark.parametrize("text", [
    "anzi era per Luca", "no, era per mia moglie", "scusa, la visita era per Anna",
])
def test_person_corrections_after_the_person(text: str) -> None:
    act = classify(text, AFTER_AMOUNT)
    assert act.kind == "correction" and act.field == "person"


def test_the_same_words_answer_the_question_they_fit() -> None:
    act = classify("anzi era per Luca", at("beneficiary", "person", ("year",)))
    assert act.kind == "answer" and act.text == "Luca"
    act = classify("scusa, erano 90 euro", at("exp_amount", "amount", ("year", "date")))
    assert act.kind == "answer"


@pytest.mark.parametrize("text", [
    "ho sbagliato l'importo, erano 90", "anzi 90 euro", "l'importo era 90",
])
def test_amount_corrections(text: str) -> None:
    act = classify(text, AFTER_AMOUNT)
    assert act.kind == "correction" and act.field == "amount"


def test_a_note_stays_a_note_unless_the_change_is_asked() -> None:
    notes = at("notes", "notes", ("year", "person", "amount", "date"))
    assert classify("la data era il 3 ma in fattura c'è il 4", notes).kind == "answer"
    assert classify("cambia la data in 3 novembre", notes).kind == "correction"


@pytest.mark.parametrize(("text", "kind", "intent"), [
    ("mi passi un operatore per favore", "command", "human"),
    ("posso parlare con qualcuno?", "command", "human"),
    ("a che punto è la pratica 26000112?", "question", "status"),
    ("qual è il numero verde?", "question", "contact"),
    ("è coperta dalla polizza?", "question", "cover"),
    ("cosa ti ho scritto finora?", "question", "recap"),
    ("voglio prenotare una visita", "new_intent", "diretta"),
    ("devo chiedere un altro rimborso", "new_intent", "rimborso"),
])
def test_acts_in_the_middle_of_a_request(text: str, kind: str, intent: str) -> None:
    act = classify(text, at("service_query", "service", ("year", "person")))
    assert (act.kind, act.intent) == (kind, intent)


def test_the_service_asked_in_its_own_flow_is_an_answer() -> None:
    act = classify("voglio prenotare una visita", at("service_query", "service", ("person",),
                                                     flow="diretta"))
    assert act.kind == "answer"


@pytest.mark.parametrize("text", ["ok manda", "vai", "si invia", "invia pure", "confermo"])
def test_sending_at_the_summary_only(text: str) -> None:
    summary = at("summary", None, ("year", "person", "amount"), summary=True)
    act = classify(text, summary)
    assert (act.kind, act.option) == ("answer", "send")
    assert classify(text, AFTER_AMOUNT).option is None


def test_edits_at_the_summary() -> None:
    summary = at("summary", None, ("year", "person", "amount", "date", "notes"), summary=True)
    act = classify("cambia l'importo del secondo documento in 90 euro", summary)
    assert (act.kind, act.field, act.item, act.value) == ("correction", "amount", 2, "90 euro")
    act = classify("togli il documento 2", summary)
    assert (act.kind, act.item) == ("removal", 2)
    act = classify("la data era il 3", summary)
    assert (act.kind, act.field, act.value) == ("correction", "date", "il 3")
    act = classify("cambia la nota", summary)
    assert (act.kind, act.field, act.value) == ("correction", "notes", None)


@pytest.mark.parametrize("text", ["visita cardiologica", "80", "sì", "luca", "10/11/2026"])
def test_plain_answers(text: str) -> None:
    assert classify(text, AFTER_AMOUNT).kind == "answer"


@pytest.mark.parametrize(("text", "value"), [
    ("aspetta, era per Luca non per Marco", "Luca"),
    ("l'importo è 90 euro, non 30", "90 euro"),
])
def test_the_old_value_said_after_the_new_one_is_dropped(text: str, value: str) -> None:
    act = classify(text, AFTER_AMOUNT)
    assert act.kind == "correction" and act.value == value


def test_a_marked_correction_in_a_note_is_asked() -> None:
    notes = at("notes", "notes", ("year", "person", "amount", "date"))
    act = classify("no aspetta, l'importo era 90", notes)
    assert (act.kind, act.intent, act.field, act.value) == ("clarify", "correction", "amount", "90")


def test_restating_the_answer_after_a_marker() -> None:
    act = classify("anzi, 90,50", at("exp_amount", "amount", ("year", "date")))
    assert (act.kind, act.text) == ("answer", "90,50")
    act = classify("scusa ma la pratica 26000112 a che punto è?", AFTER_AMOUNT)
    assert (act.kind, act.intent) == ("question", "status")


def test_a_correction_of_something_not_yet_asked_is_an_answer() -> None:
    act = classify("l'importo era 90", at("beneficiary", "person", ("year",)))
    assert act.kind == "answer"


def test_a_bare_number_is_the_document_number_not_a_request() -> None:
    assert classify("26000112", AFTER_AMOUNT).kind == "answer"
    act = classify("a che punto è la 26000112", at("beneficiary", "person", ("year",)))
    assert (act.kind, act.intent) == ("question", "status")


def test_a_note_about_paying_is_a_note() -> None:
    notes = at("notes", "notes", ("year", "person", "amount", "date"))
    assert classify("ho pagato con bancomat e non mi hanno dato lo scontrino", notes).kind == "answer"
    assert classify("è stato pagato il rimborso di Luca?", notes).intent == "status"


@pytest.mark.parametrize(("text", "kind", "intent"), [
    ("basta, lascia stare", "command", "cancel"),
    ("mi serve anche prenotare una risonanza", "new_intent", "diretta"),
    ("dopo vorrei fare un altro rimborso per Anna", "new_intent", "rimborso"),
])
def test_commands_and_openings_said_loosely(text: str, kind: str, intent: str) -> None:
    act = classify(text, AFTER_AMOUNT)
    assert (act.kind, act.intent) == (kind, intent)


def test_a_full_day_after_a_marker_is_a_date() -> None:
    act = classify("non era il 10, era il 12 novembre", AFTER_AMOUNT)
    assert (act.kind, act.field, act.value) == ("correction", "date", "il 12 novembre")


def test_a_status_question_naming_its_request_is_answered() -> None:
    act = classify("a che punto è il rimborso di Anna?", AFTER_AMOUNT)
    assert (act.kind, act.intent) == ("question", "status")


def test_going_back_in_words() -> None:
    act = classify("torna alla domanda di prima", AFTER_AMOUNT)
    assert (act.kind, act.intent) == ("command", "back")


AT_IBAN = at("new_iban", "iban", ("year", "person", "service", "payee"))


@pytest.mark.parametrize("text", [
    "no, a me", "no a me", "anzi mandalo a me", "no, ad Anna", "anzi, sul mio conto",
    "no, a mio nome",
])
def test_whom_the_money_goes_to_is_the_payee_never_the_person(text: str) -> None:
    act = classify(text, AT_IBAN)
    assert act.kind != "correction" or act.field == "payee", act
    assert act.field != "person"


def test_a_service_for_someone_is_still_the_person() -> None:
    act = classify("no, era per Luca", AT_IBAN)
    assert act.kind == "correction" and act.field == "person"


@pytest.mark.parametrize("text", ["non c'è il numero", "il numero non c'è", "non c'è numero"])
def test_a_missing_document_number_is_not_a_contact_question(text: str) -> None:
    act = classify(text, AFTER_AMOUNT)
    assert act.kind == "answer", act


def test_the_support_number_asked_at_the_number_question_is_still_answered() -> None:
    act = classify("qual è il numero verde?", AFTER_AMOUNT)
    assert act.kind == "question" and act.intent == "contact"


@pytest.mark.parametrize("text", [
    "rimborso visita dermatologica del 12 novembre per Marco 80 euro",
    "ecografia addome del 12 novembre per anna",
])
def test_a_whole_request_before_any_answer_opens_the_flow_again(text: str) -> None:
    act = classify(text, at("year", "year"))
    assert act.kind == "new_intent" and act.option == "fresh" and act.intent == "rimborso"


def test_a_whole_request_after_an_answer_is_not_an_opening() -> None:
    act = classify("ecografia addome del 12 novembre per anna", at("beneficiary", "person",
                                                                  ("year",)))
    assert act.option != "fresh"
