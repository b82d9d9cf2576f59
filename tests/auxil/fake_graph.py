"""A fake WhatsApp Cloud (Graph) API on 127.0.0.1, and a WhatsApp user who writes to the bot
through its webhook with payloads shaped and signed as Meta sends them.

The server answers POST /<phone id>/messages (messages and read receipts), POST /<phone id>/
media (uploads), GET /<media id> (the media's URL) and the download itself, checking the
bearer token, and records every call. `WaUser` posts webhook updates to the ASGI app in-process,
waits for the bot's inbox to drain and returns the `Turn`: what the bot sent back meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Self

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.whatsapp import HEADER, sign

__all__ = ["APP_SECRET", "PHONE_ID", "TOKEN", "VERIFY_TOKEN", "FakeGraphApi", "Turn", "WaUser",
           "webhook_body"]

TOKEN = "EAAG-fake-token-for-tests"
PHONE_ID = "106540352242922"
APP_SECRET = "fake-app-secret"
VERIFY_TOKEN = "fake-verify-token"
WAIT = 10.0  # seconds: no test waits longer for the bot


@dataclass
class Sent:
    """One call the bot made to the Graph API."""

    path: str
    body: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


class FakeGraphApi:
    """`async with FakeGraphApi() as api:` serves on a free loopback port."""

    def __init__(self) -> None:
        self.calls: list[Sent] = []
        self.media: dict[str, tuple[bytes, str]] = {}  # id -> (data, mime type)
        self._ids = itertools.count(1)
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self.app = Starlette(routes=[
            Route("/download/{media_id}", self._download, methods=["GET"]),
            Route("/{phone_id}/messages", self._messages, methods=["POST"]),
            Route("/{phone_id}/media", self._upload, methods=["POST"]),
            Route("/{media_id}", self._media_url, methods=["GET"]),
        ])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Self:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", ws="none",
                                http="h11", access_log=False)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        deadline = time.monotonic() + WAIT
        while not self._server.started:
            assert time.monotonic() < deadline, "fake Graph API did not start"
            await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await asyncio.wait_for(self._task, WAIT)

    def add_media(self, data: bytes, mime_type: str) -> str:
        media_id = f"{next(self._ids):015d}"
        self.media[media_id] = (data, mime_type)
        return media_id

    def messages_to(self, wa_id: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.path.endswith("/messages")
                and c.body.get("to") == wa_id]

    # -- routes ----------------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    async def _messages(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(401, 190)
        body = await request.json()
        self.calls.append(Sent(request.url.path, body))
        if body.get("status") == "read":
            return JSONResponse({"success": True})
        return JSONResponse({"messaging_product": "whatsapp",
                             "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                             "messages": [{"id": f"wamid.out.{next(self._ids)}"}]})

    async def _upload(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(401, 190)
        form = await request.form()
        upload = form["file"]
        assert not isinstance(upload, str)
        data = await upload.read()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        self.calls.append(Sent(request.url.path, fields, {"file": (upload.filename or "", data)}))
        return JSONResponse({"id": self.add_media(data, fields.get("type", ""))})

    async def _media_url(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        if not self._authorised(request):
            return _error(401, 190)
        if media_id not in self.media:
            return _error(404, 100)
        data, mime = self.media[media_id]
        self.calls.append(Sent(request.url.path, {}))
        return JSONResponse({"messaging_product": "whatsapp", "id": media_id,
                             "url": f"{self.url}/download/{media_id}", "mime_type": mime,
                             "sha256": hashlib.sha256(data).hexdigest(),
                             "file_size": len(data)})

    async def _download(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(401, 190)
        data, mime = self.media[request.path_params["media_id"]]
        return Response(data, media_type=mime)


def _error(status: int, code: int) -> Response:
    return JSONResponse({"error": {"message": "fake error", "type": "OAuthException",
                                   "code": code}}, status_code=status)


def webhook_body(value: dict[str, Any]) -> dict[str, Any]:
    """The envelope Meta wraps every update in."""
    return {"object": "whatsapp_business_account", "entry": [{
        "id": "102290129340398",
        "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": PHONE_ID},
            **value}}]}]}


@dataclass
class Turn:
    """What the bot sent to the user in answer to one update."""

    messages: list[dict[str, Any]]

    @property
    def texts(self) -> list[str]:
        out = []
        for m in self.messages:
            if m.get("type") == "text":
                out.append(m["text"]["body"])
            elif m.get("type") == "interactive":
                out.append(m["interactive"]["body"]["text"])
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def buttons(self) -> list[str]:
        """Titles of the last interactive message's buttons or rows."""
        return [title for _id, title, _desc in self.options]

    @property
    def options(self) -> list[tuple[str, str, str]]:
        last = next((m for m in reversed(self.messages) if m.get("type") == "interactive"), None)
        return options_of(last) if last else []

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == kind]


def options_of(message: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(id, title, description) of each button or list row."""
    interactive = message["interactive"]
    action = interactive["action"]
    if interactive["type"] == "button":
        return [(b["reply"]["id"], b["reply"]["title"], "") for b in action["buttons"]]
    return [(r["id"], r["title"], r.get("description", ""))
            for s in action["sections"] for r in s["rows"]]


class WaUser:
    """A WhatsApp user writing to the bot; each action returns the bot's Turn."""

    def __init__(self, client: httpx.AsyncClient, api: FakeGraphApi, inbox: Any,
                 wa_id: str = "393471234567", name: str = "Mario") -> None:
        self.client, self.api, self.inbox = client, api, inbox
        self.wa_id, self.name = wa_id, name
        self._ids = itertools.count(1)

    def message(self, kind: str, content: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {"from": self.wa_id, "id": f"wamid.{self.wa_id}.{next(self._ids)}",
                "timestamp": str(int(time.time())), "type": kind, kind: content, **extra}

    def update(self, message: dict[str, Any]) -> dict[str, Any]:
        return webhook_body({"contacts": [{"profile": {"name": self.name}, "wa_id": self.wa_id}],
                             "messages": [message]})

    async def post(self, body: dict[str, Any], secret: str = APP_SECRET) -> httpx.Response:
        raw = json.dumps(body).encode()
        return await self.client.post("/whatsapp/webhook", content=raw, headers={
            HEADER: sign(secret, raw), "Content-Type": "application/json"})

    async def send(self, message: dict[str, Any]) -> Turn:
        before = len(self.api.messages_to(self.wa_id))
        response = await self.post(self.update(message))
        assert response.status_code == 200, response.text
        await asyncio.wait_for(self.inbox.drained(), WAIT)
        return Turn([m for m in self.api.messages_to(self.wa_id)[before:]
                     if m.get("status") != "read"])

    async def says(self, text: str) -> Turn:
        return await self.send(self.message("text", {"body": text}))

    async def taps(self, label: str) -> Turn:
        """The button or list row whose title (or description) starts with `label`, in the
        newest interactive message the bot sent."""
        last = next(m for m in reversed(self.api.messages_to(self.wa_id))
                    if m.get("type") == "interactive")
        for option_id, title, description in options_of(last):
            if title.startswith(label) or description.startswith(label):
                return await self.send(self.reply(last, option_id, title, description))
        raise AssertionError(f"no option {label!r} in {options_of(last)}")

    def reply(self, message: dict[str, Any], option_id: str, title: str,
              description: str = "") -> dict[str, Any]:
        if message["interactive"]["type"] == "button":
            return self.message("interactive", {"type": "button_reply", "button_reply": {
                "id": option_id, "title": title}}, context={"from": "15550783881",
                                                            "id": "wamid.out"})
        row = {"id": option_id, "title": title}
        if description:
            row["description"] = description
        return self.message("interactive", {"type": "list_reply", "list_reply": row},
                            context={"from": "15550783881", "id": "wamid.out"})

    async def sends_image(self, data: bytes, mime_type: str = "image/jpeg") -> Turn:
        media_id = self.api.add_media(data, mime_type)
        return await self.send(self.message("image", {
            "mime_type": mime_type, "sha256": hashlib.sha256(data).hexdigest(),
            "id": media_id}))

    async def sends_voice(self, data: bytes, mime_type: str = "audio/ogg; codecs=opus") -> Turn:
        media_id = self.api.add_media(data, mime_type)
        return await self.send(self.message("audio", {
            "mime_type": mime_type, "sha256": hashlib.sha256(data).hexdigest(),
            "id": media_id, "voice": True}))

    async def sends_document(self, data: bytes, filename: str,
                             mime_type: str = "application/pdf") -> Turn:
        media_id = self.api.add_media(data, mime_type)
        return await self.send(self.message("document", {
            "filename": filename, "mime_type": mime_type,
            "sha256": hashlib.sha256(data).hexdigest(), "id": media_id}))
