"""The WhatsApp channel (Cloud API over httpx): signed webhooks, buttons and lists, media."""

from bot.channels.whatsapp._channel import WhatsAppChannel
from bot.channels.whatsapp._config import WhatsAppConfig
from bot.channels.whatsapp._graph import GraphApi, GraphError
from bot.channels.whatsapp._inbox import Inbox
from bot.channels.whatsapp._labels import shorten
from bot.channels.whatsapp._linking import CHANNEL
from bot.channels.whatsapp._parse import messages_of, statuses_of
from bot.channels.whatsapp._render import render
from bot.channels.whatsapp._sender import WINDOW, WhatsAppSender, template_message
from bot.channels.whatsapp._signature import HEADER, sign, signed_by

__all__ = [
    "CHANNEL",
    "HEADER",
    "WINDOW",
    "GraphApi",
    "GraphError",
    "Inbox",
    "WhatsAppChannel",
    "WhatsAppConfig",
    "WhatsAppSender",
    "messages_of",
    "render",
    "shorten",
    "sign",
    "signed_by",
    "statuses_of",
    "template_message",
]
