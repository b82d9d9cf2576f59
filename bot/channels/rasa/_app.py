"""The action server: Rasa's `/webhook` protocol over Sanic with rasa-sdk's executor, behind a
token checked before the body is read, with the body capped before and after inflating."""

from __future__ import annotations

import logging
import time
from typing import Any

from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rasa._actions import ActionMedbot, ActionMedbotStatus
from bot.channels.rasa._body import MAX_BODY, BadBody, BodyTooLarge, action_call
from bot.channels.rasa._config import RasaSettings
from bot.channels.rasa._guard import supplied_token, token_matches
from bot.channels.rasa._medbot import Medbot
from bot.channels.rasa._versions import check_rasa_version
from bot.config import Settings

__all__ = ["MissingToken", "build_app", "run"]

log = logging.getLogger(__name__)


class MissingToken(Exception):
    """MEDBOT_RASA_ACTIONS_TOKEN is not set: the server refuses to start."""


def build_app(settings: Settings, rasa: RasaSettings | None = None) -> Sanic:
    """`/webhook` and `/actions` for Rasa (with the token), `/health` for anyone."""
    rasa = rasa if rasa is not None else RasaSettings()
    if rasa.actions_token is None or not rasa.actions_token.get_secret_value():
        raise MissingToken
    token = rasa.actions_token.get_secret_value()
    medbot = Medbot(settings, rasa)
    executor = ActionExecutor()
    executor.register_action(ActionMedbot(medbot))
    executor.register_action(ActionMedbotStatus(medbot))

    app = Sanic("medbot_rasa_actions", configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_BODY

    def authorised(request: Request) -> bool:
        query = {name: values[0] for name, values in request.args.items() if values}
        return token_matches(token, supplied_token(request.headers, query))

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/actions")
    async def actions(request: Request) -> HTTPResponse:
        if not authorised(request):
            return _unauthorised()
        return response.json([a.model_dump() for a in executor.list_actions()])

    @app.post("/webhook", stream=True)
    async def webhook(request: Request) -> HTTPResponse:
        if not authorised(request):
            return _unauthorised()
        try:
            call = action_call(await _read_body(request),
                               request.headers.get("content-encoding"))
        except BodyTooLarge:
            log.warning("rasa action call over %d bytes: refused", MAX_BODY)
            return response.json({"error": "body too large"}, status=413)
        except BadBody as exc:
            return response.json({"error": f"invalid body: {exc}"}, status=400)
        check_rasa_version(call.get("version"))
        started = time.perf_counter()
        try:
            result = await executor.run(call)
        except ActionExecutionRejection as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name},
                                 status=400)
        except ActionNotFoundException as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name},
                                 status=404)
        except ActionMissingDomainException as exc:
            return response.json({"error": exc.message, "action_name": exc.action_name},
                                 status=449)
        # The action's name and time only (`make test-rasa` reads these lines for latency).
        log.info("rasa %s answered in %.1f ms", str(call.get("next_action"))[:64],
                 (time.perf_counter() - started) * 1000)
        return response.json(result.model_dump() if result else None)

    @app.exception(Exception)
    async def failure(request: Request, exception: Exception) -> HTTPResponse:
        # Never the body in the log or the answer: it holds the whole conversation.
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            log.error("rasa action call failed: %s", type(exception).__name__,
                      exc_info=exception)
        return response.json({"error": "the action server could not answer"}, status=status)

    async def start(_app: Any) -> None:
        await medbot.open()

    async def stop(_app: Any) -> None:
        await medbot.close()

    app.register_listener(start, "before_server_start")
    app.register_listener(stop, "after_server_stop")
    return app


async def _read_body(request: Request) -> bytes:
    """The streamed body, cut off one byte past MAX_BODY (Sanic also refuses a bigger
    Content-Length up front)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await request.stream.read() if request.stream is not None else None
        if chunk is None:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyTooLarge
        chunks.append(chunk)


def _unauthorised() -> HTTPResponse:
    return response.json({"error": "unauthorised"}, status=401,
                         headers={"WWW-Authenticate": "Bearer"})


def run(settings: Settings, host: str, port: int) -> None:
    """Serves until interrupted (Ctrl-C or SIGTERM)."""
    app = build_app(settings)
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
