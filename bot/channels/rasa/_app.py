"""The action server: rasa-sdk's Sanic app with medbot's actions, in one process."""

from __future__ import annotations

from typing import Any

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from bot.channels.rasa._actions import ActionMedbot, ActionMedbotStatus
from bot.channels.rasa._medbot import Medbot
from bot.config import Settings

__all__ = ["build_app", "run"]


def build_app(settings: Settings) -> Sanic:
    """`/webhook`, `/health` and `/actions` as Rasa expects them, medbot opened on start."""
    medbot = Medbot(settings)
    executor = ActionExecutor()
    executor.register_action(ActionMedbot(medbot))
    executor.register_action(ActionMedbotStatus(medbot))
    app = create_app(executor)

    async def start(_app: Any) -> None:
        await medbot.open()

    async def stop(_app: Any) -> None:
        await medbot.close()

    app.register_listener(start, "before_server_start")
    app.register_listener(stop, "after_server_stop")
    return app


def run(settings: Settings, host: str, port: int) -> None:
    """Serves until interrupted (Ctrl-C or SIGTERM)."""
    app = build_app(settings)
    app.run(host=host, port=port, single_process=True, access_log=False, motd=False)
