"""The web server: /healthz, and Telegram webhooks (checked by their secret) into the bot."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from bot.channels.telegram import TelegramConfig
from bot.config import SecretStr
from bot.runtime import Runtime
from bot.web import TelegramWebhook, create_app
from tests.auxil.fake_telegram import FakeBotApi, FakeUser, Processed, wait_until
from tests.auxil.runtime import demo_runtime, settings_env
from tests.auxil.sms import RecordingSms

SECRET = "s3cret-Token_for-tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    webhook: TelegramWebhook
    processed: Processed
    client: httpx.AsyncClient


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home") as runtime:
        yield runtime


@pytest.fixture
async def server(api: FakeBotApi, runtime: Runtime) -> AsyncIterator[Server]:
    config = TelegramConfig(token=api.token, api_url=api.api_url, file_url=api.file_url,
                            webhook_url="https://medbot.example/telegram/webhook",
                            webhook_secret=SECRET)
    webhook = TelegramWebhook(runtime, RecordingSms(), config)
    processed = Processed()
    processed.install(webhook.application)
    app = create_app(runtime, [webhook])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, lifespan="on", ws="none", log_level="warning"))
    task = asyncio.create_task(uv.serve(sockets=[sock]))
    await wait_until(lambda: uv.started)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        yield Server(f"http://127.0.0.1:{port}", webhook, processed, client)
    uv.should_exit = True
    await asyncio.wait_for(task, 10)


def _start(api: FakeBotApi, user_id: int = 4001, text: str = "/start") -> dict[str, Any]:
    user = FakeUser(api, user_id)
    return api.update_body({"message": user._message(
        text=text, entities=[{"type": "bot_command", "offset": 0, "length": 6}])})


async def test_healthz(server: Server) -> None:
    answer = await server.client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


async def test_webhook_registered_at_start_up(api: FakeBotApi, server: Server) -> None:
    assert api.webhook["url"] == "https://medbot.example/telegram/webhook"
    assert api.webhook["secret_token"] == SECRET
    assert api.webhook["allowed_updates"] == ["message", "callback_query"]
    assert api.calls_of("setMyCommands")


async def test_webhook_update_is_answered(api: FakeBotApi, server: Server) -> None:
    update = _start(api)
    answer = await server.client.post("/telegram/webhook", json=update, headers={HEADER: SECRET})
    assert answer.status_code == 200
    await server.processed.wait(update["update_id"])
    (reply,) = api.calls_of("sendMessage", 4001)
    assert "assistente automatico" in reply.params["text"]


@pytest.mark.parametrize("headers", [{HEADER: "wrong"}, {}, {HEADER: SECRET + "x"},
                                     {HEADER: "sé".encode("latin-1")}])
async def test_webhook_with_a_wrong_secret_is_refused(api: FakeBotApi, server: Server,
                                                      headers: dict[str, Any]) -> None:
    answer = await server.client.post("/telegram/webhook", json=_start(api), headers=headers)
    assert answer.status_code == 403
    # Something the bot does handle comes after: the refused one was never queued.
    update = _start(api, 4002)
    await server.client.post("/telegram/webhook", json=update, headers={HEADER: SECRET})
    await server.processed.wait(update["update_id"])
    assert not api.calls_of("sendMessage", 4001)


async def test_webhook_refuses_what_is_not_an_update(server: Server) -> None:
    answer = await server.client.post("/telegram/webhook", content=b"{not json",
                                      headers={HEADER: SECRET})
    assert answer.status_code == 400
    answer = await server.client.post("/telegram/webhook", content=b"x" * (2 * 1024 * 1024),
                                      headers={HEADER: SECRET})
    assert answer.status_code == 413


async def test_without_a_secret_there_is_no_webhook(runtime: Runtime) -> None:
    runtime.settings.telegram_token = SecretStr("1:x")
    app = create_app(runtime)
    assert "/telegram/webhook" not in {getattr(r, "path", "") for r in app.routes}
    assert "/healthz" in {getattr(r, "path", "") for r in app.routes}


async def test_medbot_serve(api: FakeBotApi, runtime: Runtime) -> None:
    """The real command, as deployed: a process taking webhooks and answering through the API."""
    port = _free_port()
    process = await _serve(api, runtime, port, {
        "MEDBOT_TELEGRAM_WEBHOOK_URL": "https://medbot.example/telegram/webhook"})
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await _until_healthy(client, process)
            assert api.webhook.get("secret_token") == SECRET
            refused = await client.post("/telegram/webhook", json=_start(api, 4101),
                                        headers={HEADER: "nope"})
            assert refused.status_code == 403
            taken = await client.post("/telegram/webhook", json=_start(api, 4102),
                                      headers={HEADER: SECRET})
            assert taken.status_code == 200
            reply = await api.wait_for(lambda: next(iter(api.calls_of("sendMessage", 4102)),
                                                    None), timeout=30)
            assert "assistente automatico" in reply.params["text"]
            assert not api.calls_of("sendMessage", 4101)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert api.token not in err.decode()  # the token is in every Bot API URL: never logged


async def _serve(api: FakeBotApi, runtime: Runtime, port: int,
                 extra: dict[str, str]) -> asyncio.subprocess.Process:
    """The real `medbot serve` on `port`, answering through the fake Bot API."""
    env = {**os.environ, **settings_env(runtime.settings.home),
           "MEDBOT_TELEGRAM_TOKEN": api.token, "MEDBOT_TELEGRAM_API_URL": api.api_url,
           "MEDBOT_TELEGRAM_FILE_URL": api.file_url,
           "MEDBOT_TELEGRAM_WEBHOOK_SECRET": SECRET, **extra}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", str(port), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def _until_healthy(client: httpx.AsyncClient, process: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if process.returncode is not None:
            raise AssertionError((await process.communicate())[1].decode())
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("medbot serve did not start")


async def test_medbot_serve_finishes_the_turn_under_way_when_stopped(
        api: FakeBotApi, runtime: Runtime) -> None:
    """SIGTERM right after an update was taken: the server stops taking requests, and the
    update's turn is finished, its answer sent (slowly, here), before the process ends."""
    port = _free_port()
    process = await _serve(api, runtime, port, {"MEDBOT_REMINDERS_EVERY": "0"})
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            await _until_healthy(client, process)
            api.slow("sendMessage", 1.0)
            taken = await client.post("/telegram/webhook", json=_start(api, 4201),
                                      headers={HEADER: SECRET})
            assert taken.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    (reply,) = api.calls_of("sendMessage", 4201)
    assert "assistente automatico" in reply.params["text"]
    assert "Traceback" not in err.decode()
