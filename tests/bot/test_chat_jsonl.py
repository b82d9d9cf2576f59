"""`medbot chat --jsonl`: a whole reimbursement driven by a program, one JSON line at a time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.auxil import files
from tests.auxil.chat import JsonlChat
from tests.auxil.runtime import demo_home, settings_env


def medbot(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120, check=True)
    return done.stdout


@pytest.fixture
async def env(tmp_path: Path) -> dict[str, str]:
    """A home as `medbot db init --demo` makes it (copied from the test run's template)."""
    shutil.copytree(await demo_home(), tmp_path / "home")
    return settings_env(tmp_path / "home")


@pytest.fixture
def chat(env: dict[str, str]) -> Iterator[JsonlChat]:
    chat = JsonlChat(env)
    yield chat
    chat.close()


async def test_full_reimbursement_then_requests_show(chat: JsonlChat, env: dict[str, str],
                                                     tmp_path: Path) -> None:
    receipt = files.write(tmp_path, "ricevuta.png", files.png("Ricevuta 7"))
    turn = await chat.say("Buongiorno")
    assert turn.state == {"flow": None, "step": None}
    assert turn.choices and all(set(c) == {"id", "label"} for c in turn.choices)
    await chat.tap("rimborso")
    await chat.say("quest'anno")
    await chat.say("io")
    await chat.say("visita cardiologica")
    await chat.say("la prima")
    await chat.tap("Salute Più")
    turn = await chat.tap("Sì, continua")
    assert turn.state == {"flow": "rimborso", "step": "exp_file"}
    await chat.upload(receipt)
    await chat.say("20/11/2026")
    await chat.say("85,00")
    await chat.say("7")
    await chat.tap("Continua")
    await chat.tap("Nessuna nota")
    turn = await chat.tap("Invia")
    number = turn.request_number
    assert number is not None and number.startswith("26")
    assert turn.state == {"flow": None, "step": None}

    shown = json.loads(medbot(env, "requests", "show", number, "--json"))
    assert shown["number"] == number
    assert shown["status"] == "inviata"
    assert shown["documents"][0]["amount"] in ("85.00", "85.0", 85, 85.0)


async def test_bad_lines_get_one_answer_each_and_change_nothing(chat: JsonlChat) -> None:
    await chat.say("ciao")
    await chat.tap("rimborso")
    for line in ["not json", "[1, 2]", '{"text": 5}', '{"foo": "bar"}',
                 '{"file": "/non/esiste.pdf"}']:
        turn = chat.send_raw(line)
        assert turn.replies and turn.replies[0]["text"]
        assert turn.state == {"flow": "rimborso", "step": "year"}
    turn = await chat.say("2026")
    assert turn.state["step"] == "beneficiary"


async def test_state_persists_across_runs(env: dict[str, str]) -> None:
    first = JsonlChat(env)
    await first.say("rimborso")
    await first.say("2025")
    first.close()
    second = JsonlChat(env)
    try:
        turn = await second.say("Anna")
        assert turn.state == {"flow": "rimborso", "step": "service_query"}
    finally:
        second.close()


async def test_huge_and_emoji_messages_keep_the_question(chat: JsonlChat) -> None:
    await chat.say("rimborso")
    turn = await chat.say("🤒" * 5000)
    assert turn.state["step"] == "year"
    turn = await chat.say("x" * 100_000)
    assert turn.state["step"] == "year"


async def test_a_reimbursement_and_the_archive_in_english(chat: JsonlChat, tmp_path: Path) -> None:
    """Issue 20 on the console channel: the language kept from line to line by the store."""
    receipt = files.write(tmp_path, "receipt.png", files.png("Receipt 7"))
    turn = await chat.say("Hello, I need a refund for a cardiology visit")
    assert turn.state == {"flow": "rimborso", "step": "year"}, turn.text
    assert "From your message I've noted: cardiology visit" in turn.text
    await chat.say("this year")
    await chat.say("me")
    turn = await chat.say("the first one")
    assert turn.state["step"] == "policy", turn.text
    await chat.tap("Salute Più")
    await chat.tap("Yes, continue")
    await chat.upload(receipt)
    turn = await chat.say("20/11/2026")
    turn = await chat.say("€85")
    assert turn.state["step"] == "exp_number"
    await chat.say("7")
    await chat.tap("Continue")
    await chat.tap("No note")
    turn = await chat.tap("Send the request")
    assert turn.request_number and "Request sent!" in turn.text
    turn = await chat.say(f"what's the status of request {turn.request_number}?")
    assert "Status: sent" in turn.text
