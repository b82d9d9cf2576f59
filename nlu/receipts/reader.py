"""`read_receipt`: a receipt's bytes or path in, what it says out (see nlu.receipts.model).

PDF pages with a text layer are read as they are (no OCR); photos and scanned pages go through
OCR. Bad input (empty, corrupt, huge, not a receipt) gives an empty Receipt, never an error.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from nlu.receipts.fields import extract_fields
from nlu.receipts.images import load_image, prepare
from nlu.receipts.model import Receipt
from nlu.receipts.pdf import read_pdf
from nlu.receipts.text import TextLine

__all__ = ["MAX_BYTES", "MAX_SCANNED_PAGES", "read_receipt"]

log = logging.getLogger(__name__)

# A receipt's photo or PDF is a few MB; past this it is something else.
MAX_BYTES = 25 * 1024 * 1024
# OCR costs over a second a page: a receipt's total and number are on its first pages.
MAX_SCANNED_PAGES = 3

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")


def read_receipt(source: bytes | str | os.PathLike[str], *, media_type: str | None = None
                 ) -> Receipt:
    """What the receipt in `source` (its bytes, or a path to it) says.

    Synchronous and CPU-bound (run it in a worker thread); safe to call from several threads.
    `media_type` ("application/pdf", "image/jpeg", ...) is a hint; the bytes decide.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source[: MAX_BYTES + 1])
    elif isinstance(source, str | os.PathLike):
        data = _read_file(Path(source))
    else:
        raise TypeError(f"read_receipt takes bytes or a path, not {type(source).__name__}")
    if not data or len(data) > MAX_BYTES:
        return Receipt()
    if data.lstrip()[:5] == b"%PDF-" or (media_type == "application/pdf" and b"%PDF-" in data[:1024]):
        return _read_pdf(data)
    if data.startswith(_IMAGE_MAGIC) or (media_type or "").startswith("image/"):
        return _read_image(data)
    return Receipt()


def _read_file(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except (OSError, ValueError):
        return b""


def _read_image(data: bytes) -> Receipt:
    image = load_image(data)
    if image is None:
        return Receipt()
    from nlu.receipts.ocr import recognise

    return extract_fields(recognise(image), source="ocr", pages=1)


def _read_pdf(data: bytes) -> Receipt:
    try:
        pages, count = read_pdf(data)
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        log.info("receipt PDF unreadable: %s", type(error).__name__)
        return Receipt()
    lines: list[TextLine] = []
    scanned = 0
    for number, page in enumerate(pages):
        if page.lines:
            lines.extend(TextLine(text, 1.0, number) for text in page.lines)
        elif page.image is not None and scanned < MAX_SCANNED_PAGES:
            from nlu.receipts.ocr import recognise

            scanned += 1
            lines.extend(recognise(prepare(page.image), page=number))
    return extract_fields(lines, source="ocr" if scanned else "text", pages=count)
