"""MEDBOT_LOG_FORMAT=json: one JSON object a line, each line of a conversation carrying its
pseudonym, and nothing the customer is or wrote (number, codice fiscale, IBAN, text)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.logs import configure_logging
from tests.auxil.runtime import MARIO
from tests.bot.whatsapp.conftest import MARIO_WA, WhatsApp

IBAN = "IT60X0542811101000000123456"
SECRET_TEXT = "ho una diagnosi di ipertensione"


async def test_json_lines_carry_the_conversation_and_no_personal_data(
        whatsapp: WhatsApp, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(Settings(log_format="json"))
    mario = whatsapp.user()  # Mario's own mobile: typing the codice fiscale links it
    await mario.says("buongiorno")
    await mario.says(f"il mio codice fiscale è {MARIO}")
    await mario.says(SECRET_TEXT)
    async with whatsapp.runtime.store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE conversations RENAME TO conversations_away"))
    await mario.says(f"il mio IBAN è {IBAN}")  # a turn failing, with a traceback
    async with whatsapp.runtime.store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE conversations_away RENAME TO conversations"))

    written = capsys.readouterr().err
    lines = [json.loads(line) for line in written.splitlines() if line.strip()]
    assert lines, "nothing logged"
    for line in lines:
        assert {"time", "level", "logger", "message"} <= line.keys()
        assert line["time"].endswith("+00:00")
    pseudonym = whatsapp.runtime.conversations.pseudonym("whatsapp", MARIO_WA)
    failed = [line for line in lines if line["message"].startswith("turn failed")]
    assert len(failed) == 1
    assert failed[0]["level"] == "ERROR" and "OperationalError" in failed[0]["exception"]
    assert failed[0]["conversation"] == pseudonym
    assert any(line.get("conversation") == pseudonym and "linked" in line["message"]
               for line in lines), lines
    for personal in (MARIO_WA, MARIO, IBAN, SECRET_TEXT, "ipertensione", "buongiorno",
                     "Mario", "Rossi"):
        assert personal.casefold() not in written.casefold(), personal


def test_the_pseudonym_is_stable_and_keyed() -> None:
    from bot.logs import conversation_id

    one = conversation_id("whatsapp", MARIO_WA, b"k" * 32)
    assert one == conversation_id("whatsapp", MARIO_WA, b"k" * 32)  # every replica's
    assert one != conversation_id("whatsapp", MARIO_WA, b"j" * 32)  # not guessable unkeyed
    assert one != conversation_id("telegram", MARIO_WA, b"k" * 32)
    assert MARIO_WA not in one and len(one) == 16
