"""Bodies are read with a limit while they stream, and judged by their signature before
anything parses them: a huge or endless body costs at most the limit."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator

import pytest

from bot.web._limits import MAX_BODY
from tests.auxil.fake_graph import APP_SECRET
from tests.bot.whatsapp.conftest import WhatsApp

CHUNK = 64 * 1024


class Endless:
    """A chunked body of `total` bytes, produced lazily; counts what the server pulled."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled < self.total:
            self.pulled += CHUNK
            yield b" " * CHUNK


async def test_a_200_mb_chunked_body_is_cut_at_the_limit(whatsapp: WhatsApp) -> None:
    body = Endless(200 * 1024 * 1024)
    answer = await whatsapp.client.post("/whatsapp/webhook", content=body,
                                        headers={"X-Hub-Signature-256": "sha256=00"})
    assert answer.status_code == 413
    assert body.pulled <= MAX_BODY + 2 * CHUNK


async def test_a_declared_length_over_the_limit_is_refused_before_reading(
        whatsapp: WhatsApp) -> None:
    body = Endless(MAX_BODY + CHUNK)
    answer = await whatsapp.client.post(
        "/whatsapp/webhook", content=body,
        headers={"Content-Length": str(MAX_BODY + CHUNK), "X-Hub-Signature-256": "sha256=00"})
    assert answer.status_code == 413
    assert body.pulled <= CHUNK


async def test_an_unsigned_body_is_never_parsed(whatsapp: WhatsApp,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[bytes] = []
    real = json.loads
    monkeypatch.setattr(json, "loads", lambda data, *a, **k: parsed.append(data) or real(data))
    answer = await whatsapp.client.post("/whatsapp/webhook", content=b'{"entry": []}',
                                        headers={"X-Hub-Signature-256": "sha256=00"})
    assert answer.status_code == 403 and not parsed
    signature = hmac.new(APP_SECRET.encode(), b'{"entry": []}', hashlib.sha256).hexdigest()
    answer = await whatsapp.client.post("/whatsapp/webhook", content=b'{"entry": []}',
                                        headers={"X-Hub-Signature-256": f"sha256={signature}"})
    assert answer.status_code == 200 and parsed
