"""Request bodies read with a limit while they stream in (chunked ones too), and guards that
judge a request by its headers before anyone reads its body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_BODY", "BodyLimit", "BodyTooLarge", "Guard", "Guards"]

# Webhook updates and back-office calls are a few kB; anything much bigger is no client of ours.
MAX_BODY = 1024 * 1024

# Judges a request by its scope (path, headers, client): a response to answer at once, or
# None to let it through. It may put what it learnt in scope["state"].
Guard = Callable[[Scope], Awaitable[Response | None]]


class BodyTooLarge(HTTPException):
    """Raised by `receive` as soon as the body passes the limit (FastAPI passes HTTP errors
    through, where it would turn others into a 400)."""

    def __init__(self) -> None:
        super().__init__(413, "request body too large")


class BodyLimit:
    """413 for a declared length over `limit` before reading anything, and, for bodies that
    do not declare it (chunked), as soon as what arrived passes it: never more than `limit`
    plus one chunk is held."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _answer(Response(status_code=413), scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            await _answer(Response(status_code=413), scope, receive, send)


class Guards:
    """Runs each guard before the app: the first response given is the answer."""

    def __init__(self, app: ASGIApp, guards: Sequence[Guard] = ()) -> None:
        self.app = app
        self.guards = list(guards)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})
            for guard in self.guards:
                refused = await guard(scope)
                if refused is not None:
                    await _answer(refused, scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1").strip())
    return None


async def _answer(response: Response, scope: Scope, receive: Receive, send: Send) -> None:
    # The server closes the connection when the body was not read: nothing more is buffered.
    response.headers["Connection"] = "close"
    await response(scope, receive, send)
