"""Albums gather every file announced before asking, in the order the files were sent."""

from __future__ import annotations

import asyncio

from bot.channels.telegram._albums import Albums
from bot.channels.telegram._memory import AlbumItem
from dialogs.events import IncomingFile


def _item(name: str) -> AlbumItem:
    return AlbumItem("photo", file=IncomingFile(b"x", name))


class Completed:
    def __init__(self) -> None:
        self.albums: list[tuple[int, int, list[str]]] = []
        self.event = asyncio.Event()

    async def __call__(self, chat_id: int, user_id: int, items: list[AlbumItem]) -> None:
        self.albums.append((chat_id, user_id, [i.file.filename for i in items if i.file]))
        self.event.set()


async def test_complete_once_every_announced_file_is_in() -> None:
    done = Completed()
    albums = Albums(0.01, done)
    albums.announce("g", 7, 70, 11)
    albums.announce("g", 7, 70, 12)
    albums.add("g", 12, _item("second"))  # a slow first download: nothing yet
    await asyncio.sleep(0.05)
    assert not done.albums
    albums.add("g", 11, _item("first"))
    await asyncio.wait_for(done.event.wait(), 5)
    assert done.albums == [(7, 70, ["first", "second"])]
    await albums.close()


async def test_files_never_added_do_not_count_and_leave_nothing_behind() -> None:
    done = Completed()
    albums = Albums(0.01, done)
    albums.announce("g", 7, 70, 11)
    albums.settle("g", 11)  # e.g. someone not yet recognised: nothing taken
    albums.announce("h", 7, 70, 21)
    albums.announce("h", 7, 70, 22)
    albums.add("h", 21, _item("only"))
    albums.settle("h", 21)
    albums.settle("h", 22)
    await asyncio.wait_for(done.event.wait(), 5)
    assert done.albums == [(7, 70, ["only"])]
    assert not albums._open
    await albums.close()


async def test_closing_drops_albums_in_flight() -> None:
    done = Completed()
    albums = Albums(60, done)
    albums.announce("g", 7, 70, 11)
    albums.add("g", 11, _item("a"))
    await albums.close()
    assert not done.albums
