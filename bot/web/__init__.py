"""The web server: /healthz and each feature's routes (Telegram webhooks first)."""

from bot.web._app import WebFeature, create_app, default_features
from bot.web._telegram import TelegramWebhook

__all__ = ["TelegramWebhook", "WebFeature", "create_app", "default_features"]
