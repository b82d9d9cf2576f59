"""A Bot API answered in memory (a PTB BaseRequest): the bench's Telegram, without sockets."""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from typing import Any

from telegram.request import BaseRequest, RequestData

__all__ = ["BOT_USER", "InMemoryBotApi"]

BOT_USER = {"id": 1, "is_bot": True, "first_name": "medbot", "username": "medbot_bench_bot",
            "can_join_groups": False, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
# Methods answered `true`, as Telegram does.
_TRUE = {"sendChatAction", "answerCallbackQuery", "setMyCommands", "deleteWebhook",
         "setWebhook", "deleteMyCommands", "close", "logOut"}
# Methods whose answer is the (new or edited) message.
_MESSAGE = {"sendMessage", "sendDocument", "sendVenue", "sendPhoto", "sendLocation",
            "editMessageText", "editMessageReplyMarkup"}


class InMemoryBotApi(BaseRequest):
    """Answers every Bot API call the bot makes like Telegram would, from memory; counts them.

    Messages the bot sends are kept per chat (the newest `keep` of each), so that edits answer
    with the edited message and `last_keyboard` can tell a client which buttons it sees.
    """

    def __init__(self, keep: int = 8) -> None:
        self.calls: Counter[str] = Counter()
        self._keep = keep
        self._messages: dict[int, dict[int, dict[str, Any]]] = {}
        self._ids = itertools.count(1)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        self.calls[endpoint] += 1
        params = request_data.parameters if request_data is not None else {}
        result: Any
        if endpoint == "getMe":
            result = BOT_USER
        elif endpoint == "getUpdates":
            result = []
        elif endpoint in _TRUE:
            result = True
        elif endpoint in _MESSAGE:
            result = self._message(endpoint, params)
        else:
            return 400, json.dumps({"ok": False, "error_code": 400,
                                    "description": f"Bad Request: {endpoint} unknown"}).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def last_keyboard(self, chat_id: int) -> list[tuple[str, str]]:
        """(label, callback data) of the buttons on the newest message that shows any."""
        for message in reversed(self._messages.get(chat_id, {}).values()):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            if rows:
                return [(b["text"], b["callback_data"]) for row in rows for b in row]
        return []

    def chat(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's newest messages in a chat, oldest first."""
        return list(self._messages.get(chat_id, {}).values())

    def _message(self, endpoint: str, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        chat = self._messages.setdefault(chat_id, {})
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if endpoint.startswith("edit"):
            message = chat.get(int(params["message_id"]))
            if message is None:
                message = self._new(chat_id, int(params["message_id"]))
            if "text" in params:
                message["text"] = params["text"]
            if markup and markup.get("inline_keyboard"):
                message["reply_markup"] = markup
            else:
                message.pop("reply_markup", None)
            return message
        message = self._new(chat_id, next(self._ids))
        if "text" in params:
            message["text"] = params["text"]
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        chat[message["message_id"]] = message
        while len(chat) > self._keep:
            del chat[next(iter(chat))]
        return message

    @staticmethod
    def _new(chat_id: int, message_id: int) -> dict[str, Any]:
        return {"message_id": message_id, "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER}
