"""Status questions from Rasa: its entities first, medbot's parser when it extracted none."""

from __future__ import annotations

from bot.channels.rasa._inbound import offered_payloads
from bot.channels.rasa._status import document_tap, is_status_payload, status_question
from tests.auxil.runtime import TODAY


def test_rasa_entities_are_read_as_medbots_values() -> None:
    parsed = status_question("x", [{"entity": "status", "value": "pagata"},
                                   {"entity": "request_id", "value": "n. 26000112"},
                                   {"entity": "colour", "value": "blu"}], TODAY, ["Luca"])
    assert parsed.intent == "status"
    assert parsed.entities == {"status": "liquidata", "request_id": "26000112"}


def test_without_entities_medbot_parses_the_text() -> None:
    parsed = status_question("è stato pagato il rimborso di Luca?", [], TODAY, ["Luca"])
    assert parsed.entities["person"] == "Luca"


def test_only_buttons_shown_since_the_previous_message_are_taps() -> None:
    events = [{"event": "user", "text": "ciao"},
              {"event": "bot", "data": {"buttons": [{"payload": "1.rimborso"}]}},
              {"event": "user", "text": "rimborso"},
              {"event": "bot", "data": {"buttons": [{"payload": "2.io"}]}},
              {"event": "user", "text": "2.io"}]
    assert offered_payloads(events) == {"2.io"}
    assert offered_payloads([]) == set()


def test_medbots_reading_completes_rasas_entities() -> None:
    """Rasa found the person only; medbot also reads what was asked about ("pagato")."""
    parsed = status_question("è stato pagato il rimborso di Luca?",
                             [{"entity": "person", "value": "Luca"}], TODAY, ["Luca"])
    assert parsed.entities["person"] == "Luca"
    assert parsed.entities.get("status") == "liquidata"


def test_archive_payloads_are_words_not_choices() -> None:
    for payload in ("pratica 26000112", "le mie richieste", "documento 57 della pratica 25000047"):
        assert is_status_payload(payload)
    for payload in ("3.rimborso", "pratica", "documento 5", "r26000112"):
        assert not is_status_payload(payload)
    assert document_tap("documento 57 della pratica 25000047") == ("d57", "25000047")
