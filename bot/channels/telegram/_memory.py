"""What the channel remembers of a chat between updates, in memory only.

Losing it (a restart, another replica) costs a question asked again, never an answer: the
conversation itself is in the store.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from dialogs.events import Choice, IncomingFile

__all__ = ["AlbumItem", "ChatMemory"]

# Paged keyboards remembered per chat (older ones are re-asked if tapped).
KEEP_KEYBOARDS = 20


@dataclass(frozen=True, slots=True)
class AlbumItem:
    """One file of an album: received, or refused before download with the reason."""

    kind: str  # "photo" or "document"
    file: IncomingFile | None = None
    refusal: str | None = None


@dataclass(slots=True)
class ChatMemory:
    # message id -> every choice of a keyboard shown a page at a time
    pages: OrderedDict[int, tuple[Choice, ...]] = field(default_factory=OrderedDict)
    # digest -> a choice id too long for Telegram's 64-byte callback data
    long_ids: dict[str, str] = field(default_factory=dict)
    # messages whose buttons are still up (stripped when the customer types instead)
    live: list[int] = field(default_factory=list)
    # albums waiting for "one document or several?", by a short key
    albums: dict[str, list[AlbumItem]] = field(default_factory=dict)
    album_seq: int = 0
    # what a deep link asked for before the user was recognised
    after_link: str | None = None
    # the question token of the newest buttons sent (None: not known here, ask the store)
    token: str | None = None

    def remember_pages(self, message_id: int, choices: tuple[Choice, ...]) -> None:
        self.pages[message_id] = choices
        while len(self.pages) > KEEP_KEYBOARDS:
            self.pages.popitem(last=False)

    def new_album(self, items: list[AlbumItem]) -> str:
        self.album_seq += 1
        key = str(self.album_seq)
        self.albums[key] = items
        while len(self.albums) > 3:  # only the latest few can still be answered
            self.albums.pop(next(iter(self.albums)))
        return key

