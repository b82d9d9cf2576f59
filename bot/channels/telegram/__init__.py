"""The Telegram channel (python-telegram-bot): buttons, photos, contacts, places, webhooks."""

from bot.channels.telegram._app import (
    ALLOWED_UPDATES,
    TelegramApp,
    TelegramConfig,
    build_application,
    channel_of,
    polling,
    run_polling,
    webhook,
)
from bot.channels.telegram._channel import COMMANDS, TelegramChannel, deep_link_text
from bot.channels.telegram._linking import CHANNEL

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "COMMANDS",
    "TelegramApp",
    "TelegramChannel",
    "TelegramConfig",
    "build_application",
    "channel_of",
    "deep_link_text",
    "polling",
    "run_polling",
    "webhook",
]
