"""bot.sms: the console provider logs, the HTTP provider posts JSON and never logs the text."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from bot.config import SecretStr, Settings
from bot.sms import ConsoleSms, HttpSms, SmsError, mask_phone, sms_sender

TEXT = "Il tuo codice medbot è 123456"


async def test_console_writes_the_message_to_the_console_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="medbot.sms.console"):
        await ConsoleSms().send("+393471234567", TEXT)
    assert [r.name for r in caplog.records] == ["medbot.sms.console"]
    assert "123456" in caplog.text and "+393471234567" in caplog.text


async def test_http_posts_json_with_the_token(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"id": "m-1"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(gateway)) as client:
        with caplog.at_level(logging.DEBUG):
            await HttpSms("https://sms.example/send", "segreto", client).send(
                "+393471234567", TEXT)
    (request,) = seen
    assert request.method == "POST" and str(request.url) == "https://sms.example/send"
    assert request.headers["authorization"] == "Bearer segreto"
    assert json.loads(request.content) == {"to": "+393471234567", "text": TEXT}
    assert "123456" not in caplog.text and "3471234567" not in caplog.text
    assert "•••4567" in caplog.text


@pytest.mark.parametrize("answer", [500, 401, "network"])
async def test_http_failures_raise(answer: int | str, caplog: pytest.LogCaptureFixture) -> None:
    def gateway(request: httpx.Request) -> httpx.Response:
        if answer == "network":
            raise httpx.ConnectError("refused", request=request)
        assert isinstance(answer, int)
        return httpx.Response(answer)

    async with httpx.AsyncClient(transport=httpx.MockTransport(gateway)) as client:
        with caplog.at_level(logging.DEBUG), pytest.raises(SmsError):
            await HttpSms("https://sms.example/send", None, client).send("+393471234567", TEXT)
    assert "123456" not in caplog.text


def test_chosen_from_settings() -> None:
    assert isinstance(sms_sender(Settings()), ConsoleSms)
    http = sms_sender(Settings(sms_provider="http", sms_url="https://sms.example/send",
                               sms_token=SecretStr("t")))
    assert isinstance(http, HttpSms)
    with pytest.raises(ValueError, match="MEDBOT_SMS_URL"):
        sms_sender(Settings(sms_provider="http"))


def test_mask_phone() -> None:
    assert mask_phone("+393471234567") == "•••4567"
    assert mask_phone("12") == "•••"
