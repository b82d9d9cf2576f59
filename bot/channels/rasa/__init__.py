"""Rasa channel: medbot as a custom-action server for an existing Rasa assistant."""

from bot.channels.rasa._actions import ActionMedbot, ActionMedbotStatus
from bot.channels.rasa._app import MissingToken, build_app, run
from bot.channels.rasa._config import RasaSettings
from bot.channels.rasa._linking import CHANNEL, CUSTOMER_KEY, sign_customer

__all__ = ["CHANNEL", "CUSTOMER_KEY", "ActionMedbot", "ActionMedbotStatus", "MissingToken",
           "RasaSettings", "build_app", "run", "sign_customer"]
