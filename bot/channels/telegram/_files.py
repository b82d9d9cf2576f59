"""Files from Telegram: checked from the update before downloading, joined into one PDF."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader, PdfWriter
from telegram import Bot, Message

from bot.channels.telegram._send import call
from dialogs.events import IncomingFile
from dialogs.texts import t as dialog_text
from dialogs.uploads import MAX_BYTES, UploadError, check_upload

__all__ = ["Incoming", "PageRefused", "download", "incoming_file", "join_pages"]

ACCEPTED_TYPES = {"application/pdf", "image/jpeg", "image/png"}


@dataclass(frozen=True, slots=True)
class Incoming:
    """A file announced by a message: what to download, or why not to."""

    kind: str  # "photo" or "document"
    file_id: str = ""
    filename: str = ""
    declared_mime_type: str = ""
    refusal: str | None = None


def incoming_file(message: Message) -> Incoming | None:
    """The photo (its largest size) or document of a message, checked before downloading."""
    if message.photo:
        photo = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        found = Incoming("photo", photo.file_id, "foto.jpg", "image/jpeg")
        size = photo.file_size
    elif message.document is not None:
        document = message.document
        found = Incoming("document", document.file_id, document.file_name or "documento",
                         document.mime_type or "")
        size = document.file_size
        # The declared type is not trusted for what we accept (the content is checked after
        # download), only for refusing early what is surely not a photo or a PDF.
        if found.declared_mime_type and found.declared_mime_type not in ACCEPTED_TYPES:
            return Incoming(found.kind, refusal=dialog_text("files.wrong_type"))
    else:
        return None
    if size is not None and size > MAX_BYTES:
        return Incoming(found.kind, refusal=_too_big(size))
    return found


async def download(bot: Bot, incoming: Incoming) -> IncomingFile | str:
    """The file's bytes, or the reason it can't be taken."""
    file = await call(lambda: bot.get_file(incoming.file_id), "getFile")
    if file.file_size is not None and file.file_size > MAX_BYTES:
        return _too_big(file.file_size)
    data = bytes(await call(file.download_as_bytearray, "download"))
    if len(data) > MAX_BYTES:
        return _too_big(len(data))
    return IncomingFile(data, incoming.filename, incoming.declared_mime_type)


class PageRefused(ValueError):
    """One of the pages to join can't be taken; `reason` says why, in Italian."""

    def __init__(self, page: int, reason: str) -> None:
        super().__init__(reason)
        self.page = page
        self.reason = reason


def join_pages(files: list[IncomingFile]) -> IncomingFile:
    """Photos and PDFs, in order, as the pages of one PDF (PageRefused if one is unreadable)."""
    writer = PdfWriter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pypdf's notes on odd but readable files
        for number, file in enumerate(files, start=1):
            try:
                checked = check_upload(file)
            except UploadError as exc:
                raise PageRefused(number, str(exc)) from exc
            if checked.mime_type == "application/pdf":
                writer.append(PdfReader(io.BytesIO(checked.data)))
            else:
                writer.append(PdfReader(io.BytesIO(_image_as_pdf(checked.data))))
        out = io.BytesIO()
        writer.write(out)
    return IncomingFile(out.getvalue(), "documento.pdf", "application/pdf")


def _image_as_pdf(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        page = image.convert("RGB")
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    return out.getvalue()


def _too_big(size: int) -> str:
    return dialog_text("files.too_big", size=f"{size / 1024 / 1024:.1f}".replace(".", ","),
                       limit=MAX_BYTES // 1024 // 1024)
