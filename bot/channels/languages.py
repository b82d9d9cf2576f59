"""The language of each chat, as its last turn left it, so what a channel says on its own
outside a turn (a stale button, an album's question, a file refused before the turn) is in the
conversation's language. Remembered in memory only: after a restart a chat is in Italian until
its next turn, which reads the conversation's language from the store."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from nlu.language import DEFAULT, adopt

__all__ = ["ChatLanguages"]

# Chats remembered; the least recently seen are forgotten first.
KEEP_CHATS = 10_000


class ChatLanguages:
    def __init__(self) -> None:
        self._known: OrderedDict[Hashable, str] = OrderedDict()

    def remember(self, chat: Hashable, language: str) -> None:
        """The chat's turn ended in `language`."""
        self._known[chat] = language
        self._known.move_to_end(chat)
        while len(self._known) > KEEP_CHATS:
            self._known.popitem(last=False)

    def adopt(self, chat: Hashable) -> None:
        """The chat's language from now on in this task."""
        adopt(self._known.get(chat, DEFAULT))
