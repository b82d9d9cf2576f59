"""Checks a received file by its content: JPEG, PNG or PDF, at most 10 MB, readable."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from dialogs.events import IncomingFile
from dialogs.texts import t

MAX_BYTES = 10 * 1024 * 1024
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


class UploadError(ValueError):
    """The file can't be taken; the message says why, in Italian."""


@dataclass(frozen=True, slots=True)
class CheckedFile:
    data: bytes
    mime_type: str
    filename: str


def check_upload(file: IncomingFile, max_bytes: int = MAX_BYTES) -> CheckedFile:
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
        _check_pdf(data)
    else:
        _check_image(data)
    return CheckedFile(data, mime_type, _filename(file.filename, mime_type))


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    # PDF readers accept the header anywhere in the first KiB.
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None


def _check_image(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            # A decompression-bomb warning is a refusal here, not noise.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError) as exc:
        raise UploadError(t("files.corrupt_image")) from exc
    if width < 50 or height < 50:
        raise UploadError(t("files.too_small_image"))


def _check_pdf(data: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UploadError(t("files.encrypted_pdf"))
            pages = len(reader.pages)
    except UploadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError,
            RecursionError, IndexError) as exc:
        raise UploadError(t("files.corrupt_pdf")) from exc
    if pages == 0:
        raise UploadError(t("files.corrupt_pdf"))


def _filename(declared: str, mime_type: str) -> str:
    """A safe display name: the declared one without path, with the right extension."""
    name = declared.replace("\\", "/").rsplit("/", 1)[-1].strip()[:80] or "documento"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}{_EXTENSIONS[mime_type]}"
