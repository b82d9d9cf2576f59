"""Log lines hold no secrets, query strings or customer identifiers, whoever writes them."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.logs import HIDDEN, Redactor, configure_logging, redacting_formatter
from tests.auxil.fake_telegram import FakeBotApi
from tests.auxil.runtime import settings_env


@pytest.mark.parametrize("text", [
    "codice fiscale RSSMRA75D12H501J", "cf rssmra75d12h501j", "omocodia RSSMRA75DM2H501U",
    "IBAN IT60X0542811101000000123456", "iban IT60 X054 2811 1010 0000 0123 456",
    "scrivi a mario.rossi@example.it", "cell +39 347 123 4567", "cell 3471234567",
    "wa 393471234567", "tel 06-1234-5678",
])
def test_customer_identifiers_are_hidden(text: str) -> None:
    hidden = Redactor()(text)
    assert HIDDEN in hidden
    assert not any(ch.isdigit() for ch in hidden.split(HIDDEN, 1)[1][:4])


@pytest.mark.parametrize("text", [
    "request 26000112 moved to liquidata", "handled 12 whatsapp messages in 0.5 s",
    "127.0.0.1:54321 GET /healthz 200", "Graph API messages answered HTTP 500 (error 131047)",
])
def test_ordinary_lines_stay_readable(text: str) -> None:
    assert Redactor()(text) == text


def test_secrets_and_bot_urls_are_hidden_even_in_tracebacks() -> None:
    settings = Settings(telegram_token="123:AAAbbbCCC", whatsapp_app_secret="app-secret-x")
    formatter = redacting_formatter(settings)
    try:
        raise RuntimeError("token 123:AAAbbbCCC rejected; secret app-secret-x; "
                           "url https://api.telegram.org/bot999:ZZZ/getMe")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed for %s",
                                   ("RSSMRA75D12H501J",), sys.exc_info())
    line = formatter.format(record)
    for secret in ("123:AAAbbbCCC", "app-secret-x", "999:ZZZ", "RSSMRA75D12H501J"):
        assert secret not in line
    assert "failed for" in line and "RuntimeError" in line


def test_access_lines_lose_their_query_string() -> None:
    configure_logging(Settings())
    sys.excepthook = sys.__excepthook__
    access = logging.getLogger("uvicorn.access")
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    access.addHandler(handler)
    level, access.level = access.level, logging.INFO
    try:
        access.info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
            "/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=tok-123&hub.challenge=42",
            "1.1", 200)
    finally:
        access.removeHandler(handler)
        access.level = level
    assert "/whatsapp/webhook" in written.getvalue()
    assert "tok-123" not in written.getvalue()


async def test_a_refused_telegram_token_is_not_printed(tmp_path: Path) -> None:
    async with FakeBotApi() as api:  # answers 401 to any other token
        env = {**os.environ, **settings_env(tmp_path / "home"), "MEDBOT_TELEGRAM_TOKEN": "1:x",
               "MEDBOT_TELEGRAM_API_URL": api.api_url, "MEDBOT_TELEGRAM_FILE_URL": api.file_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    output = (out + err).decode()
    assert process.returncode != 0
    assert "1:x" not in output
    assert "MEDBOT_TELEGRAM_TOKEN" in output
