"""The Rasa action server in English (issue 20): both flows, and status questions answered by
action_medbot_status in the conversation's language."""

from __future__ import annotations

import httpx

from tests.auxil import files
from tests.auxil.runtime import MARIO
from tests.bot.rasa.servers import FileServer
from tests.bot.rasa.tracker import RasaUser


def _mario(client: httpx.Client, sender_id: str) -> RasaUser:
    return RasaUser(client, sender_id, slots={"medbot_customer": MARIO})


def test_reimbursement_in_english(action_server: httpx.Client, files_host: FileServer) -> None:
    files_host.files["receipt.png"] = files.png("Receipt 7")
    user = _mario(action_server, "rasa-english")
    user.say("Good morning, do you speak English?")
    assert "I'll write in English from now on" in user.text
    user.tap("Refund")
    assert user.state == ("rimborso", "year") and "In what year" in user.text
    user.say("this year")
    user.say("me")
    user.say("cardiology visit")
    assert "Prima visita cardiologica – cardiology visit" in [
        b["title"] for m in user.last["responses"] for b in m["buttons"]]
    user.say("the first one")
    user.tap("Salute Più")
    user.tap("Yes, continue")
    assert user.state == ("rimborso", "exp_file")
    user.upload(f"{files_host.base}/receipt.png", "receipt.png")
    user.say("20/11/2026")
    user.say("85")
    user.say("7")
    user.tap("Continue")
    user.tap("No note")
    assert "Here's a summary of the request:" in user.text
    user.tap("Send the request")
    number = user.slots.get("medbot_request")
    assert number and f"Request sent! Its number is {number}." in user.text


def test_direct_service_in_english(action_server: httpx.Client) -> None:
    user = _mario(action_server, "rasa-english-direct")
    user.say("I'd like to book a cardiology visit for my wife")
    assert user.state == ("diretta", "service")
    assert "for Anna Rossi, cardiology visit" in user.text
    user.say("1")
    user.tap("Yes, continue")
    user.tap("No, not yet")
    user.say("Milano")
    assert "Here are the affiliated facilities near Milano" in user.text


def test_status_questions_in_the_conversations_language(action_server: httpx.Client) -> None:
    user = _mario(action_server, "rasa-english-status")
    user.say("in English please")
    user.call("what's the status of request 26000112?", "action_medbot_status",
              intent="medbot_status")
    assert "Status: sent (since 20 November 2026)." in user.text
    user.call("le mie richieste", "action_medbot_status", intent="medbot_status")
    assert "Here are your requests" not in user.text  # clearly Italian: answered in Italian
    assert "Ecco le tue richieste" in user.text
