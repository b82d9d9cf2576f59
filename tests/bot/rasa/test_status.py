"""Status questions from Rasa: its entities first, medbot's parser when it extracted none."""

from __future__ import annotations

from bot.channels.rasa._inbound import offered_payloads
from bot.channels.rasa._status import status_question
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
