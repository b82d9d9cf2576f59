"""Checks a received file by its content: a JPEG, PNG or PDF of at most 10 MB, readable,
passive (no scripts, attachments or other files riding along), within page and pixel budgets."""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from dataclasses import dataclass

from dialogs.events import IncomingFile
from dialogs.texts import t
from dialogs.uploads._errors import UploadError
from dialogs.uploads._limits import MAX_BYTES, MAX_PAGES, MAX_PIXELS
from dialogs.uploads._names import safe_filename

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "MAX_PIXELS",
    "CheckedFile",
    "UploadError",
    "check_upload",
    "precheck_upload",
    "safe_filename",
]

# Pillow and pypdf are imported with the first file that needs them, not at every start.
def check_pdf(data: bytes) -> None:
    """Refuses a PDF that is broken, active or over budget (dialogs.uploads._pdfs)."""
    from dialogs.uploads._pdfs import check_pdf as check

    check(data)


def check_image(data: bytes, mime_type: str) -> bytes:
    """The image checked and cleaned (dialogs.uploads._images)."""
    from dialogs.uploads._images import check_image as check

    return check(data, mime_type)


_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


@dataclass(frozen=True, slots=True)
class CheckedFile:
    data: bytes
    mime_type: str
    filename: str


# The verdict on the file of the turn running in this task, reached ahead of the turn.
_PRECHECKED: ContextVar[tuple[IncomingFile, CheckedFile | UploadError] | None] = ContextVar(
    "prechecked_upload", default=None)


def check_upload(file: IncomingFile, max_bytes: int = MAX_BYTES) -> CheckedFile:
    """The file as it will be kept, or UploadError saying why not (in Italian). A file
    checked by `precheck_upload` is not decoded again."""
    known = _PRECHECKED.get()
    if known is not None and known[0] is file and max_bytes == MAX_BYTES:
        verdict = known[1]
        if isinstance(verdict, UploadError):
            raise UploadError(str(verdict))
        return verdict
    return _check(file, max_bytes)


async def precheck_upload(file: IncomingFile) -> None:
    """Checks the file in a worker thread (decoding a photo or walking a PDF takes CPU and
    would stall every other conversation), so that the turn's `check_upload` is instant."""
    try:
        verdict: CheckedFile | UploadError = await asyncio.to_thread(_check, file, MAX_BYTES)
    except UploadError as refused:
        verdict = refused
    # Seen by this task (the turn) only, and gone with it.
    _PRECHECKED.set((file, verdict))


def _check(file: IncomingFile, max_bytes: int) -> CheckedFile:
    data = file.data
    if not data:
        raise UploadError(t("files.empty"))
    if len(data) > max_bytes:
        size_mb = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
        raise UploadError(t("files.too_big", size=size_mb, limit=max_bytes // 1024 // 1024))
    mime_type = _sniff(data)
    if mime_type is None:
        raise UploadError(t("files.wrong_type"))
    if mime_type == "application/pdf":
        check_pdf(data)
    else:
        data = check_image(data, mime_type)
    return CheckedFile(data, mime_type, safe_filename(file.filename, _EXTENSIONS[mime_type]))


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    # PDF readers accept the header anywhere in the first KiB: such a file is judged as a
    # PDF, and refused for what comes before its header.
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None
