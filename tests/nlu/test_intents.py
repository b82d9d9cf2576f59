"""nlu.intents.parse: each intent and entity, sloppy Italian, English, held-out accuracy."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nlu.intents import INTENTS, STATUSES, Parsed, parse, score

TODAY = date(2026, 11, 24)
FAMILY = ("Mario", "Anna", "Luca", "Marco")
HERE = Path(__file__).parent
DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "intents.dev.jsonl"


def _p(text: str, people: tuple[str, ...] = ()) -> Parsed:
    return parse(text, TODAY, people)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("a che punto è la mia pratica?", "status"),
        ("vorrei un rimborso", "reimbursement"),
        ("vorrei prenotare una risonanza in convenzione", "direct_service"),
        ("strutture convenzionate a Milano", "find_facility"),
        ("vi mando la prescrizione che mancava", "add_documents"),
        ("aiuto", "help"),
        ("annulla", "cancel"),
        ("indietro", "back"),
        ("voglio parlare con una persona", "human"),
        ("voglio presentare un reclamo", "complaint"),
        ("non mandatemi più promemoria", "reminders_off"),
        ("buongiorno", "greeting"),
        ("grazie mille", "thanks"),
        ("ordina una pizza", "unknown"),
    ],
)
def test_each_intent(text: str, intent: str) -> None:
    assert _p(text).intent == intent


def test_intents_are_the_issue_s() -> None:
    assert len(INTENTS) == 16 and "unknown" in INTENTS and "coverage" in INTENTS and "contact" in INTENTS
    assert STATUSES == ("aperta", "sospesa", "liquidata", "respinta", "autorizzata", "annullata")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("nn ho ancora ricevuto niente x la fattura del dentista", "status"),
        ("a ke punto e la pratica", "status"),
        ("vorei un rimborzo", "reimbursement"),
        ("ciaooo", "greeting"),
        ("grz", "thanks"),
        ("annullaaa", "cancel"),
        ("reclammo", "complaint"),
        ("nn voglio + ricevere avvisi", "reminders_off"),
        ("sn passati 3 mesi e nn mi avete ancora pagato", "status"),
    ],
)
def test_sloppy_italian(text: str, intent: str) -> None:
    assert _p(text).intent == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("where is my refund?", "status"),
        ("show my requests", "status"),
        ("I want a refund", "reimbursement"),
        ("book a visit at an affiliated clinic", "direct_service"),
        ("affiliated clinics in Rome", "find_facility"),
        ("upload a missing document", "add_documents"),
        ("help", "help"),
        ("cancel", "cancel"),
        ("go back", "back"),
        ("talk to a human", "human"),
        ("I want to file a complaint", "complaint"),
        ("stop reminders", "reminders_off"),
        ("hello", "greeting"),
        ("thanks!", "thanks"),
    ],
)
def test_english(text: str, intent: str) -> None:
    assert _p(text).intent == intent


def test_greeting_or_thanks_give_way_to_a_request() -> None:
    assert _p("ciao vorrei un rimborso").intent == "reimbursement"
    assert _p("grazie, ma dov'è il mio rimborso?").intent == "status"
    assert _p("grazie dell'aiuto").intent == "thanks"


def test_status_words_are_not_commands() -> None:
    assert _p("richieste annullate").intent == "status"
    assert _p("annulla la richiesta 26000112").intent == "cancel"
    assert _p("ho le ricevute della farmacia").intent == "reimbursement"  # receipts, not "received"


# -- entities --------------------------------------------------------------------------------


def test_request_id() -> None:
    assert _p("com'è messa la pratica 26000451?").entities["request_id"] == "26000451"
    assert _p("26000021").intent == "status"
    assert "request_id" not in _p("mi chiamate al 3471234567?").entities  # 10 digits: a phone


def test_person_from_the_household_and_from_common_names() -> None:
    assert _p("mostra le pratiche di anna", FAMILY).entities["person"] == "Anna"
    assert _p("rimborso per Marco").entities["person"] == "Marco"
    assert _p("le richieste di Giacomino").entities["person"] == "Giacomino"
    assert _p("le pratiche di Ottobre").entities.get("person") is None
    # An everyday word is not a name: "una persona vera".
    assert "person" not in _p("voglio parlare con una persona vera").entities


@pytest.mark.parametrize(
    ("text", "relation"),
    [("rimborso per mio figlio", "figlio"), ("le richieste di mia moglie", "moglie"),
     ("visita per mia figlia", "figlia"), ("pratiche di mio marito", "marito"),
     ("rimborso per me", "io")],
)
def test_relation(text: str, relation: str) -> None:
    assert _p(text).entities["relation"] == relation


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("pratiche aperte", "aperta"),
        ("richieste ancora in lavorazione", "aperta"),
        ("richieste sospese", "sospesa"),
        ("quali rimborsi sono stati pagati?", "liquidata"),
        ("mi avete respinto la pratica?", "respinta"),
        ("l'intervento non è stato autorizzato?", "respinta"),
        ("è stata autorizzata la visita?", "autorizzata"),
        ("richieste annullate", "annullata"),
    ],
)
def test_status(text: str, status: str) -> None:
    assert _p(text).entities["status"] == status


def test_paying_customer_is_not_a_paid_request() -> None:
    assert "status" not in _p("ho pagato una visita e vorrei il rimborso").entities


def test_period_and_service_date() -> None:
    assert _p("le mie richieste di ottobre").entities["period"] == (
        date(2026, 10, 1), date(2026, 10, 31)
    )
    assert _p("claims from march").entities["period"] == (date(2026, 3, 1), date(2026, 3, 31))
    parsed = _p("rimborso visita oculistica del 12 marzo per Luca", FAMILY)
    assert parsed.intent == "reimbursement"
    assert parsed.entities["date"] == date(2026, 3, 12)
    assert parsed.entities["person"] == "Luca"
    assert parsed.entities["service"] == "visita oculistica"
    assert parsed.entities["service_code"] == "95.02"


def test_service_as_typed_without_an_unsure_code() -> None:
    parsed = _p("nn ho ancora ricevuto niente x la fattura del dentista")
    assert parsed.entities["service"] == "dentista"
    assert "service_code" not in parsed.entities  # first visit or follow-up: not sure
    assert _p("rm del ginocchio di anna").entities["service"] == "rm del ginocchio"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("cliniche convenzionate a Genova", "Genova"),
        ("strutture vicino al cap 00185", "00185"),
        ("centri convenzionati zona bari", "Bari"),
        ("strutture convenzionate a reggio emilia", "Reggio Emilia"),
        ("affiliated clinics in Milan", "Milano"),
        ("cliniche convenzionate a forli", "Forlì"),
    ],
)
def test_place(text: str, place: str) -> None:
    parsed = _p(text)
    assert parsed.intent == "find_facility" and parsed.entities["place"] == place


def test_no_place_in_other_questions() -> None:
    assert "place" not in _p("richieste di marzo").entities
    assert "place" not in _p("rimborso di cento euro").entities


def test_confidence_and_very_long_messages() -> None:
    assert _p("ordina una pizza").intent == "unknown"
    assert 0 <= _p("asdfgh").confidence <= 1
    assert _p("a che punto è la pratica 26000112?").confidence >= 0.8
    assert _p("rimborso " * 5000).intent == "reimbursement"


# -- accuracy: the dev set, and the held-out set written before the rules --------------------


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_held_out_accuracy() -> None:
    result = score(_rows(HERE / "intents_holdout.jsonl"))
    assert result.lines >= 150
    assert result.intent_accuracy >= 0.95, "\n".join(result.misses)
    assert result.entity_accuracy >= 0.90, "\n".join(result.misses)


@pytest.mark.skipif(not DEV.exists(), reason="shared/eval not beside the checkout")
def test_dev_accuracy() -> None:
    result = score(_rows(DEV))
    assert result.intent_accuracy >= 0.95 and result.entity_accuracy >= 0.90, result.misses


def test_held_out_dialogue_accuracy() -> None:
    """Issue 13's families (paid-by-customer openings, documents that were missing, follow-ups
    of complaints and hand-offs, the support contact, archive questions, English)."""
    result = score(_rows(HERE / "intents_holdout_dialogue.jsonl"))
    assert result.lines >= 120
    assert result.intent_accuracy >= 0.95, "\n".join(result.misses)
    assert result.entity_accuracy >= 0.90, "\n".join(result.misses)


# -- issue 13: what a message does ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "mia moglie ha pagato la visita ginecologica 130 euro, rimborso",
        "ho pagato la risonanza di Luca 200 euro",
        "Anna ha pagato l'ecografia privatamente",
        "abbiamo già pagato noi il dentista, ora?",
        "ho speso 70 euro dall'oculista e li rivoglio indietro",
    ],
)
def test_paid_by_the_customer_is_a_reimbursement(text: str) -> None:
    parsed = _p(text, FAMILY)
    assert parsed.intent == "reimbursement"
    assert "status" not in parsed.entities


@pytest.mark.parametrize(
    "text", ["ha pagato l'assicurazione la visita?", "mi avete pagato la visita di Luca?",
             "la pratica di Anna è stata pagata?"],
)
def test_paid_by_the_insurer_is_a_status_question(text: str) -> None:
    parsed = _p(text, FAMILY)
    assert parsed.intent == "status" and parsed.entities.get("status") == "liquidata"


@pytest.mark.parametrize(
    "text",
    ["carico la cartella clinica che mancava", "vi mando la cartella che avevate chiesto",
     "ecco il referto che serviva", "allego la ricetta mancante"],
)
def test_documents_that_were_missing_are_added_never_cancelled(text: str) -> None:
    assert _p(text).intent == "add_documents"


@pytest.mark.parametrize(
    ("text", "about"),
    [
        ("a che punto è il mio reclamo?", "complaint"),
        ("mi avete risposto al reclamo?", "complaint"),
        ("ci sono aggiornamenti sul mio reclamo", "complaint"),
        ("l'operatore non mi ha più richiamato", "handoff"),
        ("ho chiesto di parlare con una persona, novità?", "handoff"),
    ],
)
def test_follow_ups_of_what_is_open(text: str, about: str) -> None:
    parsed = _p(text)
    assert parsed.intent == "status" and parsed.entities["about"] == about


@pytest.mark.parametrize(
    "text", ["voglio fare reclamo", "presento un reclamo formale per la pratica 26000058"]
)
def test_a_new_complaint_stays_a_complaint(text: str) -> None:
    parsed = _p(text)
    assert parsed.intent == "complaint" and "about" not in parsed.entities


@pytest.mark.parametrize(
    "text",
    ["qual è il numero verde?", "come vi posso contattare?", "mi date un recapito telefonico?",
     "c'è una mail per scrivervi?", "quali sono gli orari del servizio clienti?"],
)
def test_how_to_reach_us_is_a_question(text: str) -> None:
    assert _p(text).intent == "contact"


@pytest.mark.parametrize(
    "text", ["voglio parlare con un operatore", "passatemi una persona vera", "chiamatemi"]
)
def test_asking_for_a_person_is_a_handoff(text: str) -> None:
    assert _p(text).intent == "human"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("domani ho il check-up, mi ricordi dove e a che ora?", "where_when"),
        ("a che ora ho la visita di Luca?", "where_when"),
        ("il codice di autorizzazione di Marco", "code"),
        ("perché è sospesa?", "reason"),
        ("come mai me l'avete rifiutata?", "reason"),
        ("cosa manca?", "missing"),
        ("quali carte vi servono ancora?", "missing"),
        ("quanto mi hanno dato?", "amount"),
        ("quanto ci avete rimborsato per l'ecografia?", "amount"),
    ],
)
def test_questions_about_one_fact_of_a_request(text: str, asks: str) -> None:
    parsed = _p(text, FAMILY)
    assert parsed.intent == "status" and parsed.entities["asks"] == asks


@pytest.mark.parametrize(
    "text",
    ["hello, do you speak english?", "I need a refund for my wife's visit",
     "Where is my money?", "Good evening, can someone help me please"],
)
def test_english_is_flagged(text: str) -> None:
    assert _p(text).entities.get("language") == "en"


@pytest.mark.parametrize(
    "text",
    ["ciao", "ok grazie", "help", "check up per Luca", "I rimborsi di Anna",
     "status della pratica", "vorrei un refund", "ho fatto un ecg"],
)
def test_italian_with_english_words_is_not_english(text: str) -> None:
    assert "language" not in _p(text, FAMILY).entities


def test_several_services_in_one_message() -> None:
    parsed = _p("visita cardiologica, ecg e esami del sangue per Luca", FAMILY)
    assert parsed.entities["service"] == "visita cardiologica"
    assert parsed.entities["services"] == ["visita cardiologica", "ecg", "esami del sangue"]


# -- issue 20: English ------------------------------------------------------------------------


def test_english_dev_accuracy() -> None:
    """tests/nlu/intents_en.jsonl: the English development set the rules were written on."""
    result = score(_rows(HERE / "intents_en.jsonl"))
    assert result.lines >= 75
    assert result.intent_accuracy >= 0.95, "\n".join(result.misses)
    assert result.entity_accuracy >= 0.90, "\n".join(result.misses)


def test_english_held_out_accuracy() -> None:
    """tests/nlu/intents_en_holdout.jsonl, written after the rules (34/40 at first reading)."""
    result = score(_rows(HERE / "intents_en_holdout.jsonl"))
    assert result.lines >= 40
    assert result.intent_accuracy >= 0.85, "\n".join(result.misses)
    assert result.entity_accuracy >= 0.90, "\n".join(result.misses)


@pytest.mark.parametrize(("text", "number"), [
    ("a che punto è la pratica ventisei zero zero zero uno uno due", "26000112"),
    ("stato della richiesta due sei, zero zero zero, zero due uno", "26000021"),
    ("pratica 26 000 112 come va?", "26000112"),
    ("praticamente volevo sapere della ventisei zero zero zero zero ventuno", "26000021"),
])
def test_a_request_number_said_or_typed_in_groups(text: str, number: str) -> None:
    assert parse(text, TODAY).entities.get("request_id") == number


def test_a_date_said_in_numbers_is_no_request_number() -> None:
    assert "request_id" not in parse("la visita del ventuno undici duemilaventisei",
                                      TODAY).entities
