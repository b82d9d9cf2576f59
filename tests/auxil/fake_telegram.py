"""A fake Telegram Bot API server on 127.0.0.1, and users that write, send files and tap.

The real python-telegram-bot stack talks HTTP to it exactly as to Telegram: the server answers
getMe, getUpdates (long polling), sendMessage, editMessageText, editMessageReplyMarkup,
answerCallbackQuery, getFile and file downloads, sendDocument, sendVenue, sendChatAction,
setMyCommands, setWebhook, deleteWebhook, and records every call. Tests push updates (as a
`FakeUser` would cause them), wait until the bot has handled them (`Processed`), and read what
the bot sent (`Turn`).

It is stricter than a happy-path double, like the real Bot API: a callback query is answered at
most once and only if a user sent it, texts must be 1-4096 characters, callback data at most
64 bytes, a chat action one Telegram knows. And it misbehaves on demand, per method: an HTTP
error with its description (`fail`), an "ok" answer that is not what the method documents
(`answer_oddly`: `true` where a Message is due, or unexpected JSON), or a late answer (`slow`).
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application, CallbackContext, TypeHandler

from dialogs.matching import normalise

__all__ = ["TOKEN", "Call", "FakeBotApi", "FakeUser", "Processed", "Turn"]

TOKEN = "123456789:FAKE-token-for-tests"
BOT_ID = 123456789
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "medbot", "username": "medbot_test_bot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
WAIT = 10.0  # seconds: no test waits longer for the bot
FOREVER = 10**9  # `times` for a misbehaviour that never stops
T = TypeVar("T")
# Parameters that arrive JSON-encoded (PTB sends every non-string value as JSON).
_JSON = {"reply_markup", "commands", "allowed_updates", "entities", "chat_id", "message_id",
         "offset", "limit", "timeout", "latitude", "longitude", "show_alert", "cache_time",
         "drop_pending_updates", "max_connections", "disable_notification"}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (name, data)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None


@dataclass
class _Misbehaviour:
    """What the next `times` calls of a method get instead of the right answer."""

    times: int
    status: int = 200
    description: str = ""
    retry_after: int | None = None
    result: Any = None  # an odd "ok" result, if status is 200
    delay: float = 0.0  # seconds before answering (then the right answer, unless more above)


class FakeBotApi:
    """The server. `async with FakeBotApi() as api:` starts it on a free loopback port."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.bot_messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, id) -> message
        self.files: dict[str, bytes] = {}
        self.webhook: dict[str, Any] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._misbehaviours: dict[str, _Misbehaviour] = {}
        self.open_queries: set[str] = set()  # callback queries sent and not answered yet
        self._closed = asyncio.Event()
        self._changed = asyncio.Condition()
        self.pushed_at: dict[int, int] = {}  # update id -> len(calls) when it was pushed
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.port = 0
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self._method, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
        ])

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", ws="none",
                                http="h11", access_log=False)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        await wait_until(lambda: self._server is not None and self._server.started)

    async def stop(self) -> None:
        self._closing = True
        self._closed.set()  # slow answers still waiting give up
        await self._notify()  # long polls still waiting return now
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await asyncio.wait_for(self._task, WAIT)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what tests do ---------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> int:
        """Queues an update for getUpdates; returns its update_id."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        self.pushed_at[update_id] = len(self.calls)
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    def update_body(self, update: dict[str, Any]) -> dict[str, Any]:
        """An update as a webhook would deliver it (not queued for getUpdates)."""
        update_id = next(self._update_ids)
        self.pushed_at[update_id] = len(self.calls)
        return {"update_id": update_id, **update}

    def add_file(self, data: bytes) -> dict[str, Any]:
        number = next(self._file_ids)
        file_id = f"file-{number}"
        self.files[file_id] = data
        return {"file_id": file_id, "file_unique_id": f"u{number}", "file_size": len(data)}

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def fail(self, method: str, status: int = 502, description: str = "Bad Gateway",
             times: int = 1, retry_after: int | None = None) -> None:
        """The next `times` calls of `method` fail with this HTTP status."""
        self._misbehaviours[method] = _Misbehaviour(times, status, description, retry_after)

    def answer_oddly(self, method: str, result: Any, times: int = FOREVER) -> None:
        """The next `times` calls of `method` do their work but answer "ok" with `result`."""
        self._misbehaviours[method] = _Misbehaviour(times, result=result)

    def slow(self, method: str, seconds: float, times: int = FOREVER) -> None:
        """The next `times` calls of `method` are answered (rightly) after `seconds`."""
        self._misbehaviours[method] = _Misbehaviour(times, delay=seconds)

    def calls_of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls
                if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they are now (edits applied), oldest first."""
        return [m for (chat, _), m in sorted(self.bot_messages.items()) if chat == chat_id]

    async def wait_for(self, found: Callable[[], T | None], timeout: float = WAIT) -> T:
        """Waits until `found()` returns something (checked after each call the bot makes)."""
        async with self._changed:
            result = await asyncio.wait_for(self._changed.wait_for(found), timeout)
        assert result is not None
        return result

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # -- the Bot API -----------------------------------------------------------------------

    async def _method(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params, files = await _parameters(request)
        call = Call(method, params, files)
        if method != "getUpdates":
            self.calls.append(call)
        odd = self._misbehaviours.get(method)
        if odd is not None and odd.times <= 0:
            odd = None
        if odd is not None:
            odd.times -= 1
            if odd.delay:
                try:
                    await asyncio.wait_for(self._closed.wait(), odd.delay)
                except TimeoutError:
                    pass
            elif odd.status != 200:
                await self._notify()
                extra = {"retry_after": odd.retry_after} if odd.retry_after else None
                return _error(odd.status, odd.description, extra)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(400, f"Bad Request: method {method} not in the fake")
        try:
            result = await handler(call)
        except _ApiError as exc:
            await self._notify()
            return _error(400, exc.description)
        if odd is not None and odd.result is not None:
            result = odd.result  # done, but answered with something else
        await self._notify()
        return JSONResponse({"ok": True, "result": result})

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        file_id = request.path_params["path"].rsplit("/", 1)[-1]
        self.calls.append(Call("download", {"file_id": file_id}))
        if file_id not in self.files:
            return Response(status_code=404)
        return Response(self.files[file_id], media_type="application/octet-stream")

    async def _api_getMe(self, call: Call) -> Any:
        return BOT_USER

    async def _api_getUpdates(self, call: Call) -> Any:
        offset = int(call.params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(call.params.get("timeout") or 0)
        if not self._updates and timeout > 0:
            async with self._changed:
                try:
                    await asyncio.wait_for(self._changed.wait_for(
                        lambda: self._updates or self._closing), timeout)
                except TimeoutError:
                    pass
        limit = int(call.params.get("limit") or 100)
        return self._updates[:limit]

    async def _api_deleteWebhook(self, call: Call) -> Any:
        self.webhook = {}
        return True

    async def _api_setWebhook(self, call: Call) -> Any:
        self.webhook = dict(call.params)
        return True

    async def _api_getWebhookInfo(self, call: Call) -> Any:
        return {"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                "pending_update_count": 0}

    async def _api_setMyCommands(self, call: Call) -> Any:
        return True

    async def _api_sendChatAction(self, call: Call) -> Any:
        if call.params.get("action") not in _CHAT_ACTIONS:
            raise _ApiError("Bad Request: wrong parameter action in request")
        return True

    async def _api_answerCallbackQuery(self, call: Call) -> Any:
        query = call.params.get("callback_query_id")
        if query not in self.open_queries:
            raise _ApiError("Bad Request: query is too old and response timeout expired or "
                            "query ID is invalid")
        self.open_queries.discard(query)
        return True

    async def _api_sendMessage(self, call: Call) -> Any:
        text = call.params.get("text") or ""
        if not text.strip():
            raise _ApiError("Bad Request: message text is empty")
        if len(text) > 4096:
            raise _ApiError("Bad Request: message is too long")
        return self._new_message(call, text=text)

    async def _api_sendDocument(self, call: Call) -> Any:
        name, data = call.files.get("document", ("", b""))
        document = {"file_name": name, "mime_type": "application/octet-stream",
                    **self.add_file(data)}
        fields: dict[str, Any] = {"document": document}
        if call.params.get("caption"):
            fields["caption"] = call.params["caption"]
        return self._new_message(call, **fields)

    async def _api_sendVenue(self, call: Call) -> Any:
        p = call.params
        venue = {"location": {"latitude": p["latitude"], "longitude": p["longitude"]},
                 "title": p["title"], "address": p["address"]}
        return self._new_message(call, venue=venue, location=venue["location"])

    async def _api_getFile(self, call: Call) -> Any:
        file_id = call.params["file_id"]
        if file_id not in self.files:
            raise _ApiError("Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                "file_size": len(self.files[file_id]), "file_path": f"documents/{file_id}"}

    async def _api_editMessageText(self, call: Call) -> Any:
        message = self._existing(call)
        markup = call.params.get("reply_markup")
        if message.get("text") == call.params["text"] and message.get("reply_markup") == markup:
            raise _ApiError("Bad Request: message is not modified")
        message["text"] = call.params["text"]
        _set_markup(message, markup)
        return message

    async def _api_editMessageReplyMarkup(self, call: Call) -> Any:
        _check_markup(call.params.get("reply_markup"))
        message = self._existing(call)
        markup = call.params.get("reply_markup")
        if message.get("reply_markup") == markup:
            raise _ApiError("Bad Request: message is not modified")
        _set_markup(message, markup)
        return message

    def _new_message(self, call: Call, **fields: Any) -> dict[str, Any]:
        _check_markup(call.params.get("reply_markup"))
        chat_id = int(call.params["chat_id"])
        message: dict[str, Any] = {
            "message_id": self.next_message_id(), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, **fields,
        }
        markup = call.params.get("reply_markup")
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if markup:
            message["_reply_keyboard"] = markup  # what the user sees, even a reply keyboard
        self.bot_messages[(chat_id, message["message_id"])] = message
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _existing(self, call: Call) -> dict[str, Any]:
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key not in self.bot_messages:
            raise _ApiError("Bad Request: message to edit not found")
        return self.bot_messages[key]


class _ApiError(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


_CHAT_ACTIONS = {"typing", "upload_photo", "record_video", "upload_video", "record_voice",
                 "upload_voice", "upload_document", "choose_sticker", "find_location",
                 "record_video_note", "upload_video_note"}


def _check_markup(markup: Any) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise _ApiError("Bad Request: BUTTON_DATA_INVALID")


def _set_markup(message: dict[str, Any], markup: Any) -> None:
    if markup and "inline_keyboard" in markup and markup["inline_keyboard"]:
        message["reply_markup"] = markup
    else:
        message.pop("reply_markup", None)


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)


async def _parameters(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """PTB posts form data (multipart when there are files); values other than strings are
    JSON-encoded."""
    raw: dict[str, str] = dict(request.query_params)
    files: dict[str, tuple[str, bytes]] = {}
    body = await request.body()
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json") and body:
        return json.loads(body), files
    if kind.startswith("application/x-www-form-urlencoded"):
        raw.update(parse_qsl(body.decode(), keep_blank_values=True))
    elif kind.startswith("multipart/form-data"):
        parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {kind}\r\n\r\n".encode() + body)
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            payload = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = (filename, payload)
            else:
                raw[str(name)] = payload.decode()
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _JSON:
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params, files


async def wait_until(ready: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the condition did not come true in time")
        await asyncio.sleep(0.01)


# -- the bot's side: knowing when an update has been handled ------------------------------


class Processed:
    """A handler in the last group of an Application: tells when an update is handled."""

    GROUP = 1_000_000

    def __init__(self) -> None:
        self._done: set[int] = set()
        self._changed = asyncio.Condition()

    def install(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        application.add_handler(TypeHandler(Update, self._mark), group=self.GROUP)

    async def _mark(self, update: Update, _context: CallbackContext[Any, Any, Any, Any]) -> None:
        async with self._changed:
            self._done.add(update.update_id)
            self._changed.notify_all()

    async def wait(self, update_id: int, timeout: float = WAIT) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: update_id in self._done),
                                   timeout)


# -- the user's side ----------------------------------------------------------------------


@dataclass
class Turn:
    """What the bot did in one chat while handling one update."""

    calls: list[Call]

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    @property
    def texts(self) -> list[str]:
        return [c.params["text"] for c in self.of("sendMessage")]

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)

    @property
    def buttons(self) -> list[str]:
        """The inline buttons of the messages sent, in order."""
        return [b["text"] for c in self.of("sendMessage")
                for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
                for b in row]

    @property
    def edits(self) -> list[Call]:
        return self.of("editMessageText") + self.of("editMessageReplyMarkup")

    @property
    def answers(self) -> list[Call]:
        return self.of("answerCallbackQuery")


class FakeUser:
    """A person in a private chat with the bot. The plain methods queue an update and return
    its id; the `async` ones (says, sends, taps...) also wait for the bot and return its Turn."""

    def __init__(self, api: FakeBotApi, user_id: int, first_name: str = "Mario",
                 phone: str = "393471234567", processed: Processed | None = None) -> None:
        self.api = api
        self.id = user_id
        self.phone = phone
        self.processed = processed
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name,
                     "language_code": "it"}
        self.chat = {"id": user_id, "type": "private", "first_name": first_name}

    # -- updates ---------------------------------------------------------------------------

    def message(self, **fields: Any) -> int:
        return self.api.push({"message": self._message(**fields)})

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {"message_id": self.api.next_message_id(), "date": int(time.time()),
                "chat": self.chat, "from": self.user, **fields}

    def text(self, text: str) -> int:
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            fields["entities"] = [{"type": "bot_command", "offset": 0,
                                   "length": len(text.split()[0])}]
        return self.message(**fields)

    def contact(self, phone: str | None = None, own: bool = True) -> int:
        contact = {"phone_number": phone or self.phone, "first_name": self.user["first_name"]}
        if own:
            contact["user_id"] = self.id
        return self.message(contact=contact)

    def location(self, lat: float, lon: float) -> int:
        return self.message(location={"latitude": lat, "longitude": lon})

    def photo(self, data: bytes, media_group_id: str | None = None, size: int | None = None,
              width: int = 400, height: int = 300) -> int:
        small = {**self.api.add_file(data[:64]), "width": 40, "height": 30}
        large = {**self.api.add_file(data), "width": width, "height": height}
        if size is not None:
            large["file_size"] = size
        fields: dict[str, Any] = {"photo": [small, large]}
        if media_group_id:
            fields["media_group_id"] = media_group_id
        return self.message(**fields)

    def document(self, data: bytes, filename: str, mime_type: str,
                 media_group_id: str | None = None, size: int | None = None) -> int:
        document = {**self.api.add_file(data), "file_name": filename, "mime_type": mime_type}
        if size is not None:
            document["file_size"] = size
        fields: dict[str, Any] = {"document": document}
        if media_group_id:
            fields["media_group_id"] = media_group_id
        return self.message(**fields)

    def voice(self, data: bytes, duration: int, *, audio: bool = False,
              size: int | None = None) -> int:
        """A voice note (or, with `audio`, an audio file) of `duration` seconds."""
        media = {**self.api.add_file(data), "duration": duration,
                 "mime_type": "audio/mpeg" if audio else "audio/ogg"}
        if size is not None:
            media["file_size"] = size
        if audio:
            media["file_name"] = "nota.mp3"
        return self.message(**{"audio" if audio else "voice": media})

    def tap_data(self, message: dict[str, Any], data: str) -> int:
        shown = {k: v for k, v in message.items() if not k.startswith("_")}
        query = f"cb-{self.api.next_message_id()}"
        self.api.open_queries.add(query)
        return self.api.push({"callback_query": {
            "id": query, "from": self.user,
            "chat_instance": f"ci-{self.id}", "data": data, "message": shown,
        }})

    def tap(self, label: str) -> int:
        """Taps the button whose label matches (case and accents ignored) on the newest bot
        message that shows one."""
        wanted = normalise(label)
        for message in reversed(self.api.chat_messages(self.id)):
            buttons = [b for row in message.get("reply_markup", {}).get("inline_keyboard", [])
                       for b in row]
            found = ([b for b in buttons if normalise(b["text"]) == wanted]
                     or [b for b in buttons if wanted in normalise(b["text"])])
            if len(found) == 1:
                return self.tap_data(message, found[0]["callback_data"])
            if len(found) > 1:
                raise AssertionError(f"{len(found)} buttons match {label!r}")
        raise AssertionError(f"no button {label!r} in the chat")

    # -- waiting for the bot ---------------------------------------------------------------

    async def turn(self, update_id: int) -> Turn:
        """Waits until the bot has handled the update; what it did in this chat meanwhile."""
        assert self.processed is not None, "give the user a Processed to wait on"
        await self.processed.wait(update_id)
        start = self.api.pushed_at[update_id]
        return Turn([c for c in self.api.calls[start:]
                     if c.chat_id in (self.id, None) and c.method != "getUpdates"])

    async def says(self, text: str) -> Turn:
        return await self.turn(self.text(text))

    async def taps(self, label: str) -> Turn:
        return await self.turn(self.tap(label))

    async def shares_contact(self, phone: str | None = None, own: bool = True) -> Turn:
        return await self.turn(self.contact(phone, own))

    async def shares_location(self, lat: float, lon: float) -> Turn:
        return await self.turn(self.location(lat, lon))

    async def sends_photo(self, data: bytes, **kwargs: Any) -> Turn:
        return await self.turn(self.photo(data, **kwargs))

    async def sends_document(self, data: bytes, filename: str, mime_type: str,
                             **kwargs: Any) -> Turn:
        return await self.turn(self.document(data, filename, mime_type, **kwargs))

    async def sends_voice(self, data: bytes, duration: int = 3, **kwargs: Any) -> Turn:
        return await self.turn(self.voice(data, duration, **kwargs))

    @property
    def last_buttons(self) -> list[str]:
        """The buttons of the newest bot message that has any."""
        for message in reversed(self.api.chat_messages(self.id)):
            rows = message.get("reply_markup", {}).get("inline_keyboard", [])
            if rows:
                return [b["text"] for row in rows for b in row]
        return []
