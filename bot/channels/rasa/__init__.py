"""Rasa channel: medbot as a custom-action server for an existing Rasa assistant."""

from bot.channels.rasa._actions import ActionMedbot, ActionMedbotStatus
from bot.channels.rasa._app import build_app, run
from bot.channels.rasa._linking import CHANNEL, CUSTOMER_KEY

__all__ = ["CHANNEL", "CUSTOMER_KEY", "ActionMedbot", "ActionMedbotStatus", "build_app", "run"]
