"""`medbot rasa-actions`: Rasa 3.x action calls over HTTP, as the assistant makes them."""

from __future__ import annotations

import httpx

from tests.auxil import files
from tests.auxil.runtime import MARIO
from tests.bot.rasa.servers import FileServer
from tests.bot.rasa.tracker import (
    RasaUser,
    only_reached,
    post,
    signed,
    user_message,
    webhook_body,
)


def _mario(client: httpx.Client, sender_id: str) -> RasaUser:
    """A sender the assistant has authenticated as Mario Rossi (the slot it fills)."""
    return RasaUser(client, sender_id, slots={"medbot_customer": MARIO})


def test_health_and_actions(action_server: httpx.Client) -> None:
    assert action_server.get("/health").json() == {"status": "ok"}
    names = {a["name"] for a in action_server.get("/actions").json()}
    assert names == {"action_medbot", "action_medbot_status"}


def test_unknown_action_is_404(action_server: httpx.Client) -> None:
    body = webhook_body("u404", "action_nonexistent", user_message("ciao"), [], {})
    response = post(action_server, body)
    assert response.status_code == 404
    assert response.json()["action_name"] == "action_nonexistent"


def test_full_reimbursement_through_repeated_calls(
    action_server: httpx.Client, files_host: FileServer
) -> None:
    files_host.files["ricevuta.png"] = files.png("Ricevuta 7")
    base = files_host.base
    user = _mario(action_server, "rasa-reimbursement")
    result = user.say("Buongiorno", intent="greet", deflate=True)
    buttons = [b for m in result["responses"] for b in m["buttons"]]
    assert buttons and all(len(b["payload"]) <= 64 for b in buttons)
    assert user.state == (None, None)
    user.tap("rimborso")
    assert user.state == ("rimborso", "year")
    user.say("quest'anno")
    user.say("io")
    user.say("visita cardiologica")
    user.say("la prima")
    user.tap("Salute Più")
    user.tap("Sì, continua")
    assert user.state == ("rimborso", "exp_file")
    user.upload(f"{base}/ricevuta.png", "ricevuta.png")
    user.say("20/11/2026")
    user.say("85,00")
    user.say("7")
    user.tap("Continua")
    user.tap("Nessuna nota")
    user.tap("Invia")
    number = user.slots.get("medbot_request")
    assert number and number.startswith("26")
    assert user.state == (None, None)
    assert number in user.text

    # The channel may vouch with signed metadata instead of the slot.
    again = RasaUser(action_server, "rasa-reimbursement")
    again.call(f"a che punto è la pratica {number}?", "action_medbot_status",
               intent="medbot_status", metadata=signed("rasa-reimbursement", MARIO),
               entities=[{"entity": "request_id", "value": number, "start": 23, "end": 31}])
    assert number in again.text


def test_status_question_with_medbots_own_parser(action_server: httpx.Client) -> None:
    user = _mario(action_server, "rasa-status")
    result = user.call("le mie richieste", "action_medbot_status", intent="medbot_status")
    assert result["responses"] and only_reached(result)
    assert all(b["payload"].startswith("pratica ") for m in result["responses"]
               for b in m["buttons"])


def test_unlinked_sender_is_asked_to_authenticate(action_server: httpx.Client) -> None:
    user = RasaUser(action_server, "rasa-stranger")
    user.say("vorrei un rimborso")
    assert "Area Clienti" in user.text
    assert user.state == (None, None)
    stranger = RasaUser(action_server, "rasa-stranger-2", slots={"medbot_customer": "XXX"})
    stranger.say("vorrei un rimborso")
    assert "Non riesco a trovare" in stranger.text


def test_signed_metadata_links_the_sender(action_server: httpx.Client) -> None:
    user = RasaUser(action_server, "rasa-metadata")
    user.call("vorrei un rimborso", metadata=signed("rasa-metadata", MARIO))
    assert user.state[0] == "rimborso"


def test_unreachable_attachment_keeps_the_question(
    action_server: httpx.Client, files_host: FileServer
) -> None:
    base = files_host.base
    user = _mario(action_server, "rasa-missing-file")
    user.say("vorrei un rimborso")
    before = user.state
    result = user.upload(f"{base}/non-esiste.pdf", "non-esiste.pdf")
    assert "scaricare" in user.text and only_reached(result)
    assert user.state == before


def test_attachment_over_10_mb_is_refused_before_the_engine(
    action_server: httpx.Client, files_host: FileServer
) -> None:
    base = files_host.base
    files_host.files["enorme.pdf"] = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    user = _mario(action_server, "rasa-huge-file")
    user.say("vorrei un rimborso")
    before = user.state
    result = user.upload(f"{base}/enorme.pdf", "enorme.pdf")
    assert "10 MB" in user.text and only_reached(result)
    assert user.state == before


def test_same_message_twice_reaches_medbot_once(action_server: httpx.Client) -> None:
    """Rasa may predict action_medbot twice for one message: the second call adds nothing."""
    user = _mario(action_server, "rasa-twice")
    user.say("vorrei un rimborso")
    user.say("quest'anno")
    asked = user.state
    repeated = user.call(None, again=True)
    assert repeated["responses"] == [] and only_reached(repeated)
    assert user.state == asked
    user.say("io")
    assert user.state != asked


def test_request_number_is_cleared_after_the_submission(action_server: httpx.Client) -> None:
    user = _mario(action_server, "rasa-cleared")
    user.say("ciao", intent="greet")
    assert user.slots["medbot_request"] is None
    assert user.slots["medbot_reached"] is True


def test_status_answer_buttons_round_trip(action_server: httpx.Client) -> None:
    """Requests, documents and «Torna all'elenco» keep their buttons, as words medbot reads."""
    user = _mario(action_server, "rasa-status-buttons")
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status")
    payloads = [b["payload"] for m in user.last["responses"] for b in m["buttons"]]
    assert "pratica 25000047" in payloads
    user.call("pratica 25000047", "action_medbot_status", intent="medbot_status")
    buttons = [b for m in user.last["responses"] for b in m["buttons"]]
    documents = [b for b in buttons if b["payload"].startswith("documento ")]
    assert len(documents) == 2 and "Tocca un documento" in user.text
    assert all(b["payload"].endswith("della pratica 25000047") for b in documents)
    back = [b for b in buttons if "elenco" in b["title"].lower()]
    assert [b["payload"] for b in back] == ["le mie richieste"]
    user.call(documents[0]["payload"], "action_medbot_status", intent="medbot_status")
    sent = [m["custom"]["medbot"]["file"] for m in user.last["responses"] if m["custom"]]
    assert sent and sent[0]["data_base64"]


def test_a_document_of_another_household_is_not_sent(action_server: httpx.Client) -> None:
    user = _mario(action_server, "rasa-other-document")
    user.call("documento 1 della pratica 99000001", "action_medbot_status",
              intent="medbot_status")
    assert not [m for m in user.last["responses"] if m["custom"]]


def test_status_payload_reaching_action_medbot_is_read_as_words(
        action_server: httpx.Client) -> None:
    """A «pratica N» button tapped while a request is open is a question, not a stale tap."""
    user = _mario(action_server, "rasa-pratica-in-flow")
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status")
    user.say("vorrei un rimborso")
    user.say("quest'anno")
    asked = user.state
    user.events.append({"event": "bot", "text": "x",
                        "data": {"buttons": [{"title": "x", "payload": "pratica 26000112"}]}})
    user.say("pratica 26000112", intent="medbot_status")
    assert "26000112" in user.text
    assert user.state == asked


def test_status_question_uses_medbots_reading_beyond_rasas_entities(
        action_server: httpx.Client) -> None:
    user = _mario(action_server, "rasa-luca-paid")
    user.call("è stato pagato il rimborso di Luca?", "action_medbot_status",
              intent="medbot_status",
              entities=[{"entity": "person", "value": "Luca", "start": 30, "end": 34}])
    assert user.text.startswith("No") and "respint" in user.text
